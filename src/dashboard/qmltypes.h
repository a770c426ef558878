#pragma once

class QQmlEngine;

namespace rwd::dashboard {

class DashboardApp;

// Makes the dashboard's C++ side known to QML under the "Rewind.Core" 1.0 import: the
// `Dashboard` singleton (`app`), the DependencyGraphView item and SeriesFeeder; and tells the
// app which engine to retranslate when the language changes. The app and the tests call it
// before loading Main.qml.
void registerQmlTypes(DashboardApp *app, QQmlEngine *engine);

} // namespace rwd::dashboard
