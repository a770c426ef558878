// rewind-web: the dashboard in the browser (Qt for WebAssembly), served by rewindd at /app/.
#include "app/dashboardapp.h"
#include "webwindow.h"

#include <QAbstractButton>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPalette>
#include <QScreen>
#include <QStyleFactory>
#include <QTabBar>
#include <QTabWidget>
#include <QTableWidget>
#include <QTimer>

#include <emscripten/bind.h>
#include <emscripten/val.h>

namespace {

QWidget *g_window = nullptr;

// Qt's global coordinates are those of its screen, the page's canvas; the page's are CSS pixels
// from the viewport's top left.
QPointF toPage(QPoint global)
{
    const auto canvas = emscripten::val::global("document")
                            .call<emscripten::val>("querySelector", std::string("canvas"));
    QPointF origin;
    if (!canvas.isNull()) {
        const auto rect = canvas.call<emscripten::val>("getBoundingClientRect");
        origin = QPointF(rect["left"].as<double>(), rect["top"].as<double>());
    }
    const QPoint screen = QGuiApplication::primaryScreen()->geometry().topLeft();
    return origin + QPointF(global - screen);
}

void insertPoint(QJsonObject &o, QPoint global)
{
    const QPointF p = toPage(global);
    o.insert(QStringLiteral("x"), p.x());
    o.insert(QStringLiteral("y"), p.y());
}

void describeTable(const QTableWidget *t, QJsonObject &o)
{
    o.insert(QStringLiteral("rows"), t->rowCount());
    QJsonArray rows;
    QJsonArray centres;
    const QRect viewport = t->viewport()->rect();
    for (int r = 0; r < t->rowCount(); ++r) {
        QJsonArray cells;
        for (int c = 0; c < t->columnCount(); ++c)
            cells.append(t->item(r, c) ? t->item(r, c)->text() : QString());
        rows.append(cells);
        // Where to click to select the row: the middle of its first cell, if it is in view.
        const QRect cell = t->visualRect(t->model()->index(r, 0));
        if (!t->isVisible() || !viewport.contains(cell.center()))
            continue;
        QJsonObject centre{{QStringLiteral("key"), cells.first().toString()}};
        insertPoint(centre, t->viewport()->mapToGlobal(cell.center()));
        centres.append(centre);
    }
    o.insert(QStringLiteral("cells"), rows);
    o.insert(QStringLiteral("rowCentres"), centres);
}

void describeTabs(const QTabWidget *tabs, QJsonObject &o)
{
    QJsonArray bars;
    for (int i = 0; i < tabs->count(); ++i) {
        const QRect r = tabs->tabBar()->tabRect(i);
        QJsonObject tab{{QStringLiteral("text"), tabs->tabText(i)},
                        {QStringLiteral("visible"), tabs->isTabVisible(i)}};
        insertPoint(tab, tabs->tabBar()->mapToGlobal(r.center()));
        bars.append(tab);
    }
    o.insert(QStringLiteral("tabs"), bars);
    o.insert(QStringLiteral("current"), tabs->currentIndex());
}

// For the browser test (and anyone scripting the page): where a named widget is and what it
// shows, as JSON. Coordinates are CSS pixels of the page, centre of the widget. A password
// field says how long its text is, never what it is.
std::string widgetInfo(const std::string &name)
{
    QJsonObject o;
    auto *w = g_window ? g_window->findChild<QWidget *>(QString::fromStdString(name)) : nullptr;
    o.insert(QStringLiteral("found"), w != nullptr);
    if (w) {
        insertPoint(o, w->mapToGlobal(w->rect().center()));
        o.insert(QStringLiteral("visible"), w->isVisible());
        o.insert(QStringLiteral("enabled"), w->isEnabled());
        if (auto *b = qobject_cast<QAbstractButton *>(w)) {
            o.insert(QStringLiteral("text"), b->text());
        } else if (auto *l = qobject_cast<QLabel *>(w)) {
            o.insert(QStringLiteral("text"), l->text());
        } else if (auto *e = qobject_cast<QLineEdit *>(w)) {
            o.insert(QStringLiteral("length"), int(e->text().size()));
            if (e->echoMode() == QLineEdit::Normal)
                o.insert(QStringLiteral("text"), e->text());
        }
        if (auto *combo = qobject_cast<QComboBox *>(w))
            o.insert(QStringLiteral("text"), combo->currentText());
        if (auto *check = qobject_cast<QCheckBox *>(w))
            o.insert(QStringLiteral("checked"), check->isChecked());
        // What a custom view says about itself (the charts: series and markers drawn).
        for (const char *property : {"seriesCount", "markerCount"}) {
            const QVariant value = w->property(property);
            if (value.isValid())
                o.insert(QLatin1String(property), value.toInt());
        }
        if (auto *t = qobject_cast<QTableWidget *>(w))
            describeTable(t, o);
        if (auto *tabs = qobject_cast<QTabWidget *>(w))
            describeTabs(tabs, o);
    }
    return QJsonDocument(o).toJson(QJsonDocument::Compact).toStdString();
}

} // namespace

EMSCRIPTEN_BINDINGS(rewind_web)
{
    emscripten::function("rewindWidget", &widgetInfo);
}

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("rewind"));
    QApplication::setOrganizationName(QStringLiteral("Rewind"));
    // The desktop's look: Fusion with its light palette.
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));

    rwd::dashboard::DashboardApp dashboard;
    rwd::web::WebWindow window(&dashboard);
    // Same origin: the rewindd that served this page answers REST and the event stream.
    const auto origin = emscripten::val::global("location")["origin"].as<std::string>();
    window.setServer(QString::fromStdString(origin));
    g_window = &window;
    // The whole page, without a window frame: the browser's tab is the window.
    window.showFullScreen();
    // Interactive: the window is shown and the event loop runs. The page (index.html) keeps the
    // moment, in milliseconds since navigation started, for the browser test and for anyone
    // measuring.
    QTimer::singleShot(0, &window, [] {
        auto app = emscripten::val::global("rewindApp");
        if (!app.isUndefined())
            app.set("interactive", emscripten::val::global("performance").call<double>("now"));
    });
    return QApplication::exec();
}
