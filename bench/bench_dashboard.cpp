// The dashboard's own speed, under the offscreen platform with Qt Quick's software renderer (the
// machines have no GPU; a desktop with one draws faster, the ratios are what carry over):
//   - cold start: creating the QML engine, loading Main.qml over the app, and rendering the first
//     frame, against the same for a window with one label (the baseline, same process);
//   - frame time with N services (default 500) in the overview and in the dependency graph while
//     one service's health changes every frame, against the frame time of the same view with no
//     service.
// Usage: bench_dashboard [services]
#include "app/dashboardapp.h"
#include "dashboard/qmltypes.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QQmlApplicationEngine>
#include <QQmlComponent>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QSettings>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <vector>

using namespace rwd;

namespace {

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values.empty() ? 0 : values[values.size() / 2];
}

QQuickWindow *firstWindow(QQmlApplicationEngine &engine)
{
    return engine.rootObjects().isEmpty()
               ? nullptr
               : qobject_cast<QQuickWindow *>(engine.rootObjects().first());
}

// Milliseconds from an empty engine to the first rendered frame of `url`.
double coldStart(dashboard::DashboardApp *app, const QUrl &url)
{
    QElapsedTimer timer;
    timer.start();
    QQmlApplicationEngine engine;
    if (app)
        dashboard::registerQmlTypes(app, &engine);
    engine.load(url);
    auto *window = firstWindow(engine);
    if (!window)
        return -1;
    const auto image = window->grabWindow(); // renders the first frame
    const double ms = double(timer.nsecsElapsed()) / 1e6;
    if (image.isNull())
        return -1;
    return ms;
}

protocol::ServiceStatus service(int i, int count)
{
    protocol::ServiceStatus s;
    s.name = QStringLiteral("svc-%1").arg(i, 3, 10, QLatin1Char('0'));
    s.environment = i % 3 == 0 ? QStringLiteral("production") : QStringLiteral("staging");
    s.kind = i < count / 5 ? QStringLiteral("frontend") : QStringLiteral("backend");
    s.health = Health::Healthy;
    // A layered fleet: each service depends on two of the next layer.
    const int layer = i / 50;
    if ((layer + 1) * 50 < count) {
        s.dependsOn = {
            QStringLiteral("svc-%1").arg((layer + 1) * 50 + (i * 7) % 50, 3, 10, QLatin1Char('0')),
            QStringLiteral("svc-%1").arg((layer + 1) * 50 + (i * 13 + 5) % 50, 3, 10,
                                         QLatin1Char('0'))};
        s.dependsOn.removeDuplicates();
    }
    protocol::ReleaseInfo r;
    r.id = i + 1;
    r.service = s.name;
    r.version = QStringLiteral("v1.%1").arg(i % 10);
    r.state = ReleaseState::Verified;
    s.current = r;
    s.lastGood = r;
    return s;
}

// Median milliseconds per frame of `page` while one service changes health every frame.
double frameTime(dashboard::DashboardApp &app, QQuickWindow *window, const QString &page,
                 int services, int frames)
{
    protocol::Snapshot snapshot;
    for (int i = 0; i < services; ++i)
        snapshot.services.append(service(i, services));
    static qint64 seq = 1;
    app.state().reset(snapshot, ++seq);
    window->setProperty("page", page);
    window->grabWindow(); // lay out and render once before measuring
    std::vector<double> times;
    QElapsedTimer timer;
    for (int f = 0; f < frames; ++f) {
        if (services > 0) {
            auto changed = snapshot.services.at(f % services);
            changed.health = f % 2 ? Health::Failing : Health::Healthy;
            app.state().apply(protocol::Event{
                ++seq, QString::fromLatin1(protocol::event::ServiceUpdated), 0, changed.toJson()});
        }
        timer.start();
        QCoreApplication::processEvents();
        const auto image = window->grabWindow();
        times.push_back(double(timer.nsecsElapsed()) / 1e6);
        if (image.isNull())
            return -1;
    }
    return median(times);
}

} // namespace

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    if (qEnvironmentVariableIsEmpty("QT_QUICK_BACKEND"))
        qputenv("QT_QUICK_BACKEND", "software");
    QApplication qapp(argc, argv);
    const int services = argc > 1 ? std::max(1, std::atoi(argv[1])) : 500;
    QTemporaryDir settings;
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settings.path());
    QQuickStyle::setStyle(QStringLiteral("Fusion"));

    QTemporaryDir dir;
    const auto baselineQml = dir.filePath(QStringLiteral("baseline.qml"));
    {
        QFile file(baselineQml);
        if (!file.open(QIODevice::WriteOnly))
            return 1;
        file.write("import QtQuick\nimport QtQuick.Controls\n"
                   "ApplicationWindow { width: 1280; height: 800; visible: true\n"
                   "  Label { anchors.centerIn: parent; text: \"Rewind\" } }\n");
    }

    std::printf("Start to first frame (5 rounds, ms):\n");
    std::vector<double> base, full;
    for (int round = 0; round < 5; ++round) {
        base.push_back(coldStart(nullptr, QUrl::fromLocalFile(baselineQml)));
        dashboard::DashboardApp app;
        full.push_back(coldStart(&app, QUrl(QStringLiteral("qrc:/Rewind/Dashboard/Main.qml"))));
    }
    // The first round pays for loading the QML modules and fonts; the later ones find them
    // cached, as a second window of a running app would.
    const double baseMs = median(base);
    const double fullMs = median(full);
    std::printf("  %-44s %8.1f ms first, %8.1f ms median   (baseline)\n", "window with one label",
                base.front(), baseMs);
    std::printf("  %-44s %8.1f ms first, %8.1f ms median   %6.2fx baseline\n",
                "dashboard (sign-in page)", full.front(), fullMs, fullMs / baseMs);

    dashboard::DashboardApp app;
    app.session()->setPrincipal(
        QJsonObject{{"name", "bench"},
                    {"token_kind", "api"},
                    {"permissions", QJsonObject{{"production", QJsonArray{"read"}},
                                                {"staging", QJsonArray{"read"}}}}});
    QQmlApplicationEngine engine;
    dashboard::registerQmlTypes(&app, &engine);
    engine.load(QUrl(QStringLiteral("qrc:/Rewind/Dashboard/Main.qml")));
    auto *window = firstWindow(engine);
    if (!window)
        return 1;
    constexpr int kFrames = 40;
    std::printf("Frame time, 1280x800, one service changing health per frame (median of %d, ms):\n",
                kFrames);
    for (const auto *page : {"overview", "graph"}) {
        const double empty = frameTime(app, window, QString::fromLatin1(page), 0, kFrames);
        const double loaded = frameTime(app, window, QString::fromLatin1(page), services, kFrames);
        std::printf("  %-10s %4d services %8.2f ms   (baseline: no service %6.2f ms)  %6.2fx\n",
                    page, services, loaded, empty, loaded / empty);
    }
    return 0;
}
