#include "qmltypes.h"

#include "app/dashboardapp.h"
#include "graphitem.h"
#include "seriesfeeder.h"

#include <QQmlEngine>
#include <QQmlEngineExtensionPlugin>
#include <QtQml>

Q_IMPORT_QML_PLUGIN(Rewind_DashboardPlugin)

namespace rwd::dashboard {

void registerQmlTypes(DashboardApp *app, QQmlEngine *engine)
{
    qmlRegisterSingletonInstance("Rewind.Core", 1, 0, "Dashboard", app);
    qmlRegisterUncreatableType<client::Session>("Rewind.Core", 1, 0, "Session",
                                                QStringLiteral("provided by Dashboard"));
    SeriesFeeder::registerType();
    registerGraphTypes();
    // Retranslated before anything else hears of the new language.
    QObject::connect(app, &DashboardApp::languageChanged, engine, &QQmlEngine::retranslate);
}

} // namespace rwd::dashboard
