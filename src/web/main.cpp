// rewind-web: the dashboard in the browser (Qt for WebAssembly), served by rewindd at /app/.
#include "app/dashboardapp.h"
#include "webwindow.h"

#include <QAbstractButton>
#include <QApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPalette>
#include <QScreen>
#include <QStyleFactory>
#include <QTabWidget>
#include <QTableWidget>

#include <emscripten/bind.h>
#include <emscripten/val.h>

namespace {

QWidget *g_window = nullptr;

// For the browser test (and anyone scripting the page): where a named widget is and what it
// shows, as JSON. Coordinates are CSS pixels of the page, centre of the widget.
std::string widgetInfo(const std::string &name)
{
    QJsonObject o;
    auto *w = g_window ? g_window->findChild<QWidget *>(QString::fromStdString(name)) : nullptr;
    if (!w) {
        o.insert(QStringLiteral("found"), false);
    } else {
        const QPoint centre = w->mapToGlobal(w->rect().center());
        o.insert(QStringLiteral("found"), true);
        o.insert(QStringLiteral("x"), centre.x());
        o.insert(QStringLiteral("y"), centre.y());
        o.insert(QStringLiteral("visible"), w->isVisible());
        o.insert(QStringLiteral("enabled"), w->isEnabled());
        if (auto *b = qobject_cast<QAbstractButton *>(w))
            o.insert(QStringLiteral("text"), b->text());
        else if (auto *l = qobject_cast<QLabel *>(w))
            o.insert(QStringLiteral("text"), l->text());
        else if (auto *e = qobject_cast<QLineEdit *>(w))
            o.insert(QStringLiteral("text"), e->text());
        if (auto *t = qobject_cast<QTableWidget *>(w)) {
            o.insert(QStringLiteral("rows"), t->rowCount());
            QJsonArray rows;
            for (int r = 0; r < t->rowCount(); ++r) {
                QJsonArray cells;
                for (int c = 0; c < t->columnCount(); ++c)
                    cells.append(t->item(r, c) ? t->item(r, c)->text() : QString());
                rows.append(cells);
            }
            o.insert(QStringLiteral("cells"), rows);
        }
        if (auto *tabs = qobject_cast<QTabWidget *>(w)) {
            QJsonArray bars;
            for (int i = 0; i < tabs->count(); ++i) {
                const QRect r = tabs->tabBar()->tabRect(i);
                const QPoint c = tabs->tabBar()->mapToGlobal(r.center());
                bars.append(QJsonObject{{QStringLiteral("text"), tabs->tabText(i)},
                                        {QStringLiteral("x"), c.x()},
                                        {QStringLiteral("y"), c.y()},
                                        {QStringLiteral("visible"), tabs->isTabVisible(i)}});
            }
            o.insert(QStringLiteral("tabs"), bars);
            o.insert(QStringLiteral("current"), tabs->currentIndex());
        }
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
    window.showMaximized();
    return QApplication::exec();
}
