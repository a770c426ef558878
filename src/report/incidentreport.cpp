#include "incidentreport.h"

#include "charts/chartpainter.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QDateTime>
#include <QFontMetricsF>
#include <QGuiApplication>
#include <QPageLayout>
#include <QPainter>
#include <QPdfWriter>
#include <QTextLayout>

#include <algorithm>
#include <functional>
#include <memory>
#include <optional>

namespace rwd::client {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(IncidentReport)
};

// Longest text of one table cell: a row must fit on a page (longer texts go in paragraphs).
constexpr qsizetype kMaxCellChars = 700;
// Series drawn in one chart at most; more of the same unit get another chart.
constexpr int kSeriesPerChart = 4;

struct Colours
{
    QColor text{0x1f, 0x23, 0x28};
    QColor muted{0x57, 0x60, 0x6a};
    QColor rule{0xd0, 0xd7, 0xde};
    QColor headerFill{0xee, 0xf1, 0xf4};
    QColor zebra{0xf8, 0xf9, 0xfa};
    QColor codeFill{0xf6, 0xf8, 0xfa};
    QColor accent{0x09, 0x69, 0xda};
    QColor good{0x1a, 0x7f, 0x37};
    QColor bad{0xcf, 0x22, 0x2e};
    QColor warn{0x9a, 0x67, 0x00};
};

QString utcTime(qint64 ms)
{
    if (ms <= 0)
        return QStringLiteral("-");
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC)
        .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'"));
}

QString clockTime(qint64 ms)
{
    if (ms <= 0)
        return QStringLiteral("-");
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(QStringLiteral("HH:mm:ss.zzz"));
}

// "+1.2 s", "-3 min 5 s": a moment relative to the timeline's origin.
QString relative(qint64 ms, qint64 origin)
{
    if (ms <= 0 || origin <= 0)
        return QString();
    const qint64 delta = ms - origin;
    if (delta == 0)
        return QStringLiteral("0");
    return (delta < 0 ? QStringLiteral("−") : QStringLiteral("+")) +
           formatDurationMs(std::abs(delta));
}

QString capped(const QString &text)
{
    if (text.size() <= kMaxCellChars)
        return text;
    return text.left(kMaxCellChars) + QStringLiteral("…");
}

QString stateText(PlanState state)
{
    return wireName(state).replace(u'_', u' ');
}

struct Cell
{
    QString text;
    const QFont *font = nullptr; // null: the table's body font
    QColor colour;               // invalid: the body colour
};

struct Table
{
    QList<qreal> widths; // fractions of the text width, summing to 1
    QStringList header;  // empty: no header row
    QList<QList<Cell>> rows;
    bool zebra = true;
    bool rules = true;
};

struct Laid
{
    std::shared_ptr<QTextLayout> layout;
    qreal height = 0;
};

using DrawOp = std::function<void(QPainter &)>;

// A report being laid out: pages of drawing operations placed at their final positions. Laying
// everything out before painting lets every footer say "page N of M".
class Document
{
public:
    Document(QPdfWriter &writer, const ReportOptions &options, Qt::LayoutDirection direction)
        : m_device(&writer)
        , m_direction(direction)
        , m_resolution(options.resolution)
    {
        const QRectF page = writer.pageLayout().fullRectPixels(options.resolution);
        m_page = QRectF(0, 0, page.width(), page.height());
        m_content = QRectF(QPointF(mm(18), mm(24)),
                           QPointF(m_page.width() - mm(18), m_page.height() - mm(20)));
        const auto font = [&](qreal size, bool isBold = false, bool isMono = false) {
            QFont f(isMono ? options.monospaceFamily : options.fontFamily);
            f.setStyleHint(isMono ? QFont::Monospace : QFont::SansSerif);
            f.setPointSizeF(size);
            f.setBold(isBold);
            // A letter spacing turns Latin ligatures off: "fi" stays two letters, so the PDF's
            // text can be searched and copied. A tenth of a device pixel (1/3000 inch) is
            // invisible; scripts that need ligatures (Arabic) keep them.
            f.setLetterSpacing(QFont::AbsoluteSpacing, 0.1);
            return f;
        };
        body = font(9);
        bold = font(9, true);
        small = font(7.5);
        smallBold = font(7.5, true);
        mono = font(7, false, true);
        h1 = font(17, true);
        h2 = font(12.5, true);
        h3 = font(10, true);
        m_pages.append(QList<DrawOp>());
        m_y = m_content.top();
    }

    QFont body, bold, small, smallBold, mono, h1, h2, h3;
    Colours colours;

    [[nodiscard]] qreal mm(qreal millimetres) const { return millimetres * m_resolution / 25.4; }
    [[nodiscard]] qreal pt(qreal points) const { return points * m_resolution / 72.0; }
    [[nodiscard]] bool rtl() const { return m_direction == Qt::RightToLeft; }
    [[nodiscard]] const QRectF &content() const { return m_content; }
    [[nodiscard]] const QRectF &page() const { return m_page; }
    [[nodiscard]] int pageCount() const { return int(m_pages.size()); }
    [[nodiscard]] const QList<DrawOp> &ops(int page) const { return m_pages.at(page); }
    [[nodiscard]] Qt::LayoutDirection direction() const { return m_direction; }
    [[nodiscard]] QPaintDevice *device() const { return m_device; }

    // `text` wrapped to `width` (at words, or anywhere in a word too long for a line), aligned
    // to the document's leading edge (the right one, right to left). Each text runs in the
    // direction its first strong letter gives it: Arabic right to left, a version, a time or
    // an expression left to right, whatever the document's direction. `code` (log lines) is
    // always aligned left.
    [[nodiscard]] Laid layoutText(QString text, const QFont &font, qreal width,
                                  bool code = false) const
    {
        text.replace(u'\n', QChar(QChar::LineSeparator));
        auto layout = std::make_shared<QTextLayout>(text, font, m_device);
        QTextOption option((rtl() && !code ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignAbsolute);
        option.setTextDirection(Qt::LayoutDirectionAuto);
        option.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
        layout->setTextOption(option);
        layout->setCacheEnabled(true);
        qreal y = 0;
        layout->beginLayout();
        for (QTextLine line = layout->createLine(); line.isValid(); line = layout->createLine()) {
            line.setLineWidth(std::max<qreal>(1, width));
            line.setPosition(QPointF(0, y));
            y += line.height();
        }
        layout->endLayout();
        return {layout, y};
    }

    [[nodiscard]] qreal lineHeight(const QFont &font) const
    {
        return QFontMetricsF(font, m_device).height();
    }

    void newPage()
    {
        m_pages.append(QList<DrawOp>());
        m_y = m_content.top();
    }
    void space(qreal height)
    {
        m_y += height;
        if (m_y > m_content.bottom())
            newPage();
    }
    // Starts a new page unless `height` fits below the cursor (or the page is still empty).
    void ensure(qreal height)
    {
        if (m_y + height > m_content.bottom() && m_y > m_content.top())
            newPage();
    }

    // A heading kept on the page of the first lines that follow it.
    void heading(const QString &text, const QFont &font, const QColor &colour, qreal above)
    {
        const Laid laid = layoutText(text, font, m_content.width());
        if (m_y > m_content.top())
            m_y += above;
        ensure(laid.height + 4 * lineHeight(body));
        place(laid, m_content.left(), colour);
        m_y += laid.height + pt(3);
    }

    // Wrapped text, continued on the next pages when it is longer than what is left. `fill`:
    // a code block (log lines) on that background.
    void paragraph(const QString &text, const QFont &font, const QColor &colour,
                   const QColor &fill = {}, qreal indent = 0)
    {
        const qreal inset = fill.isValid() ? pt(4) : 0;
        const qreal width = m_content.width() - indent - 2 * inset;
        const Laid laid = layoutText(text, font, width, fill.isValid());
        const qreal x = (rtl() ? m_content.left() : m_content.left() + indent) + inset;
        const int lines = laid.layout->lineCount();
        int from = 0;
        while (from < lines) {
            const qreal room = m_content.bottom() - m_y - 2 * inset;
            int to = from;
            qreal used = 0;
            while (to < lines && used + laid.layout->lineAt(to).height() <= room) {
                used += laid.layout->lineAt(to).height();
                ++to;
            }
            if (to == from) {
                if (m_y > m_content.top()) {
                    newPage();
                    continue;
                }
                used = laid.layout->lineAt(to).height();
                ++to; // a line taller than a page: drawn clipped
            }
            const qreal dy = m_y + inset - laid.layout->lineAt(from).y();
            const QRectF box(x - inset, m_y, width + 2 * inset, used + 2 * inset);
            auto layout = laid.layout;
            const QRectF clip = m_content;
            m_pages.last().append([=](QPainter &p) {
                if (fill.isValid())
                    p.fillRect(box, fill);
                p.save();
                p.setClipRect(clip);
                p.setPen(colour);
                for (int i = from; i < to; ++i)
                    layout->lineAt(i).draw(&p, QPointF(x, dy));
                p.restore();
            });
            m_y += used + 2 * inset;
            from = to;
            if (from < lines)
                newPage();
        }
        m_y += pt(4);
    }

    void table(const Table &t)
    {
        const qreal padX = pt(3);
        const qreal padY = pt(2.2);
        QList<qreal> lefts;
        QList<qreal> widths;
        qreal x = m_content.left();
        for (const qreal fraction : t.widths) {
            const qreal w = fraction * m_content.width();
            // Columns run from the leading edge: mirrored right to left.
            lefts.append(rtl() ? m_content.left() + m_content.right() - x - w : x);
            widths.append(w);
            x += w;
        }
        struct Row
        {
            QList<Laid> cells;
            QList<QColor> colours;
            qreal height = 0;
        };
        const auto layoutRow = [&](const QList<Cell> &cells, const QFont &fallback,
                                   const QColor &colour) {
            Row row;
            for (int c = 0; c < widths.size(); ++c) {
                const Cell cell = c < cells.size() ? cells.at(c) : Cell{};
                const Laid laid = layoutText(capped(cell.text), cell.font ? *cell.font : fallback,
                                             widths.at(c) - 2 * padX);
                row.cells.append(laid);
                row.colours.append(cell.colour.isValid() ? cell.colour : colour);
                row.height = std::max(row.height, laid.height + 2 * padY);
            }
            return row;
        };
        std::optional<Row> header;
        if (!t.header.isEmpty()) {
            QList<Cell> cells;
            for (const auto &h : t.header)
                cells.append({h, &smallBold, colours.muted});
            header = layoutRow(cells, smallBold, colours.muted);
        }
        const auto drawRow = [&](const Row &row, const QColor &fill, bool rule) {
            const qreal top = m_y;
            const QRectF rowRect(m_content.left(), top, m_content.width(), row.height);
            const QRectF clip(m_content.left(), m_content.top(), m_content.width(),
                              m_content.height());
            const auto ruleColour = colours.rule;
            const qreal hair = pt(0.5);
            m_pages.last().append([=](QPainter &p) {
                if (fill.isValid())
                    p.fillRect(rowRect, fill);
                p.save();
                p.setClipRect(clip);
                for (int c = 0; c < row.cells.size(); ++c) {
                    p.setPen(row.colours.at(c));
                    row.cells.at(c).layout->draw(&p, QPointF(lefts.at(c) + padX, top + padY));
                }
                p.restore();
                if (rule) {
                    p.setPen(QPen(ruleColour, hair));
                    p.drawLine(rowRect.bottomLeft(), rowRect.bottomRight());
                }
            });
            m_y += row.height;
        };

        QList<Row> rows;
        for (const auto &cells : t.rows)
            rows.append(layoutRow(cells, body, colours.text));
        const qreal headerHeight = header ? header->height : 0;
        ensure(headerHeight + (rows.isEmpty() ? 0 : rows.first().height));
        if (header)
            drawRow(*header, colours.headerFill, true);
        for (int i = 0; i < rows.size(); ++i) {
            if (m_y + rows.at(i).height > m_content.bottom() && m_y > m_content.top()) {
                newPage();
                if (header)
                    drawRow(*header, colours.headerFill, true);
            }
            drawRow(rows.at(i), t.zebra && i % 2 == 1 ? colours.zebra : QColor(), t.rules);
        }
        m_y += pt(6);
    }

    void chart(const std::shared_ptr<charts::ChartPainter> &chart, qreal height)
    {
        ensure(height);
        const QRectF rect(m_content.left(), m_y, m_content.width(), height);
        m_pages.last().append([chart, rect](QPainter &p) { chart->paint(&p, rect); });
        m_y += height + pt(8);
    }

private:
    void place(const Laid &laid, qreal x, const QColor &colour)
    {
        const qreal y = m_y;
        auto layout = laid.layout;
        m_pages.last().append([layout, x, y, colour](QPainter &p) {
            p.setPen(colour);
            layout->draw(&p, QPointF(x, y));
        });
    }

    QPaintDevice *m_device;
    Qt::LayoutDirection m_direction;
    int m_resolution;
    QRectF m_page;
    QRectF m_content;
    qreal m_y = 0;
    QList<QList<DrawOp>> m_pages;
};

// The moment the timeline counts from: when the first release that was rolled back went out,
// else when the incident opened.
qint64 originOf(const ReportData &d)
{
    qint64 origin = 0;
    for (const auto &r : d.rollbacks) {
        for (const auto &t : r.targets) {
            if (const auto *release = d.release(t.fromReleaseId)) {
                if (release->deployedAtMs > 0 && (origin == 0 || release->deployedAtMs < origin))
                    origin = release->deployedAtMs;
            }
        }
    }
    return origin > 0 ? origin : d.incident.openedAtMs;
}

QString originText(const ReportData &d, qint64 origin)
{
    for (const auto &r : d.releases) {
        if (r.deployedAtMs == origin)
            return Tr::tr("T: time since %1 %2 was deployed (%3).")
                .arg(r.service, r.version, utcTime(origin));
    }
    return Tr::tr("T: time since the incident was opened (%1).").arg(utcTime(origin));
}

void summary(Document &doc, const ReportData &d)
{
    const auto &i = d.incident;
    QList<QList<Cell>> rows;
    const auto row = [&](const QString &label, const QString &value, QColor colour = {}) {
        rows.append({{label, &doc.bold, doc.colours.muted}, {value, nullptr, colour}});
    };
    row(Tr::tr("Services"),
        i.services.isEmpty() ? QStringLiteral("-") : i.services.join(QStringLiteral(", ")));
    row(Tr::tr("Severity"), i.severity.isEmpty() ? QStringLiteral("-") : i.severity,
        i.severity == u"critical" ? doc.colours.bad : QColor());
    row(Tr::tr("State"), i.open ? Tr::tr("Open") : Tr::tr("Closed"),
        i.open ? doc.colours.warn : doc.colours.good);
    row(Tr::tr("Opened"), utcTime(i.openedAtMs));
    row(Tr::tr("Closed"), i.open ? Tr::tr("not yet") : utcTime(i.closedAtMs));
    if (!i.open && i.closedAtMs > i.openedAtMs && i.openedAtMs > 0)
        row(Tr::tr("Open for"), formatDurationMs(i.closedAtMs - i.openedAtMs));

    QStringList detected;
    for (const auto &f : d.firings)
        detected.append(Tr::tr("rule %1 (%2) for %3 at %4")
                            .arg(f.firing.rule, f.firing.severity, f.firing.service,
                                 clockTime(f.firing.sinceMs)));
    if (!detected.isEmpty())
        row(Tr::tr("Detected by"), detected.join(u'\n'));

    QStringList versions;
    QStringList outcomes;
    QStringList restored;
    for (const auto &r : d.rollbacks) {
        for (const auto &t : r.targets)
            versions.append(
                QStringLiteral("%1 %2 → %3").arg(t.service, t.fromVersion, t.toVersion));
        outcomes.append(
            Tr::tr("#%1 %2, %3")
                .arg(r.id)
                .arg(stateText(r.state),
                     formatDurationMs(r.finishedAtMs > 0 ? r.finishedAtMs - r.createdAtMs : 0)));
        for (const auto &t : r.targets) {
            const auto *bad = d.release(t.fromReleaseId);
            if (bad && bad->deployedAtMs > 0 && r.finishedAtMs > bad->deployedAtMs &&
                r.state == PlanState::Succeeded)
                restored.append(
                    Tr::tr("%1: %2 from deploy to restored")
                        .arg(t.service, formatDurationMs(r.finishedAtMs - bad->deployedAtMs)));
        }
    }
    if (!versions.isEmpty())
        row(Tr::tr("Rolled back"), versions.join(u'\n'));
    if (!outcomes.isEmpty())
        row(Tr::tr("Rollbacks"), outcomes.join(u'\n'));
    if (!restored.isEmpty())
        row(Tr::tr("Time to restore"), restored.join(u'\n'));
    row(Tr::tr("Report covers"), Tr::tr("%1 to %2").arg(utcTime(d.fromMs), utcTime(d.toMs)));
    doc.table({{0.24, 0.76}, {}, rows, false, true});
}

void timeline(Document &doc, const ReportData &d)
{
    doc.heading(Tr::tr("Timeline"), doc.h2, doc.colours.text, doc.pt(10));
    const auto entries = d.timeline();
    if (entries.isEmpty()) {
        doc.paragraph(Tr::tr("Nothing was recorded."), doc.body, doc.colours.muted);
        return;
    }
    const qint64 origin = originOf(d);
    doc.paragraph(originText(d, origin), doc.small, doc.colours.muted);
    using Kind = TimelineEntry::Kind;
    Table t{{0.14, 0.11, 0.33, 0.42},
            {Tr::tr("Time (UTC)"), Tr::tr("T"), Tr::tr("Event"), Tr::tr("Details")},
            {},
            true,
            true};
    for (const auto &e : entries) {
        QColor colour;
        if (e.kind == Kind::Firing)
            colour = doc.colours.bad;
        else if (e.kind == Kind::RollbackFinished || e.kind == Kind::IncidentClosed)
            colour = doc.colours.good;
        else if (e.kind == Kind::Deploy)
            colour = doc.colours.accent;
        t.rows.append({{clockTime(e.atMs), &doc.small, doc.colours.muted},
                       {relative(e.atMs, origin), &doc.small, doc.colours.muted},
                       {e.text, &doc.bold, colour},
                       {e.detail, &doc.small, {}}});
    }
    doc.table(t);
}

QList<charts::ChartMarker> markersFor(const ReportData &d, const QString &service)
{
    QList<charts::ChartMarker> markers;
    for (const auto &r : d.releases) {
        if (r.service == service && r.deployedAtMs > 0)
            markers.append({r.deployedAtMs, charts::ChartMarker::Kind::Deploy,
                            Tr::tr("%1 deployed").arg(r.version)});
    }
    for (const auto &r : d.rollbacks) {
        if (!r.services().contains(service))
            continue;
        if (r.createdAtMs > 0)
            markers.append({r.createdAtMs, charts::ChartMarker::Kind::RollbackStart,
                            Tr::tr("rollback #%1").arg(r.id)});
        if (r.finishedAtMs > 0)
            markers.append({r.finishedAtMs, charts::ChartMarker::Kind::RollbackEnd,
                            Tr::tr("#%1 %2").arg(r.id).arg(stateText(r.state))});
    }
    std::sort(markers.begin(), markers.end(),
              [](const auto &a, const auto &b) { return a.timeMs < b.timeMs; });
    return markers;
}

QString unitText(const QString &unit)
{
    if (unit == u"seconds")
        return Tr::tr("durations");
    if (unit == u"ratio")
        return Tr::tr("ratios");
    if (unit == u"per_second")
        return Tr::tr("rates");
    return Tr::tr("values");
}

// A series of what a rule compares (named by the term's text, e.g. "error_rate(health, 5s)"),
// rather than a measured one ("health.latency.p95").
bool isRuleTerm(const protocol::SeriesInfo &s)
{
    return s.name.contains(u'(');
}

void metricCharts(Document &doc, const ReportData &d)
{
    doc.heading(Tr::tr("Metrics around the incident"), doc.h2, doc.colours.text, doc.pt(10));
    if (!d.series) {
        doc.paragraph(Tr::tr("This server keeps no metric history, so there are no charts."),
                      doc.body, doc.colours.muted);
        return;
    }
    bool any = false;
    for (const auto &group : *d.series) {
        // Every chart of a service shares its time axis: the report's window, narrowed to when
        // the service has data (a daemon started during the window has none before).
        qint64 first = 0;
        qint64 last = 0;
        for (const auto &s : group.series) {
            for (const auto &[t, v] : s.points) {
                if (t < d.fromMs || t > d.toMs)
                    continue;
                first = first == 0 ? t : std::min(first, t);
                last = std::max(last, t);
            }
        }
        const auto markers = markersFor(d, group.service);
        for (const auto &m : markers) {
            if (m.timeMs >= d.fromMs && m.timeMs <= d.toMs) {
                first = first == 0 ? m.timeMs : std::min(first, m.timeMs);
                last = std::max(last, m.timeMs);
            }
        }
        if (first == 0)
            continue;
        const qint64 margin = std::max<qint64>(1'000, (last - first) / 20);
        const qint64 from = std::max(d.fromMs, first - margin);
        const qint64 to = std::min(d.toMs, last + margin);

        // One chart per unit, what the rules compare first (it is what decided), at most
        // kSeriesPerChart series each.
        QList<QPair<bool, QString>> kinds;
        for (const bool rule : {true, false}) {
            for (const auto &s : group.series) {
                if (isRuleTerm(s) == rule && !kinds.contains(qMakePair(rule, s.unit)))
                    kinds.append({rule, s.unit});
            }
        }
        for (const auto &[rule, unit] : std::as_const(kinds)) {
            QList<protocol::SeriesInfo> same;
            for (const auto &s : group.series) {
                if (isRuleTerm(s) == rule && s.unit == unit)
                    same.append(s);
            }
            for (qsizetype at = 0; at < same.size(); at += kSeriesPerChart) {
                const auto chunk = same.mid(at, kSeriesPerChart);
                charts::ChartOptions options;
                options.fromMs = from;
                options.toMs = to;
                options.fontFamily = doc.body.family();
                options.title =
                    chunk.size() == 1
                        ? Tr::tr("%1: %2").arg(group.service, chunk.first().label.isEmpty()
                                                                  ? chunk.first().name
                                                                  : chunk.first().label)
                    : rule ? Tr::tr("%1: what the rules compare (%2)")
                                 .arg(group.service, unitText(unit))
                           : Tr::tr("%1: measured %2").arg(group.service, unitText(unit));
                auto chart = std::make_shared<charts::ChartPainter>(options);
                chart->setSeries(chunk);
                chart->setMarkers(markers);
                doc.chart(chart, doc.mm(58));
                any = true;
            }
        }
    }
    if (!any)
        doc.paragraph(Tr::tr("No metric of these services was recorded in this period."), doc.body,
                      doc.colours.muted);
}

void firings(Document &doc, const ReportData &d)
{
    doc.heading(Tr::tr("What fired"), doc.h2, doc.colours.text, doc.pt(10));
    if (d.firings.isEmpty()) {
        doc.paragraph(Tr::tr("No rule fired: the rollbacks were requested by people or CI."),
                      doc.body, doc.colours.muted);
        return;
    }
    Table t{{0.2, 0.1, 0.14, 0.14, 0.42},
            {Tr::tr("Rule"), Tr::tr("Service"), Tr::tr("Fired (UTC)"), Tr::tr("Resolved"),
             Tr::tr("Values when it fired")},
            {},
            true,
            true};
    for (const auto &f : d.firings) {
        QStringList values;
        for (auto it = f.firing.values.begin(); it != f.firing.values.end(); ++it)
            values.append(
                QStringLiteral("%1 = %2").arg(it.key(), formatFiringValue(it.key(), *it)));
        if (values.isEmpty())
            values.append(Tr::tr("(no values recorded)"));
        if (!f.firing.expression.isEmpty())
            values.append(Tr::tr("when: %1").arg(f.firing.expression));
        t.rows.append(
            {{f.firing.rule + u'\n' + Tr::tr("%1, %2").arg(f.firing.severity, f.firing.action),
              &doc.bold, f.firing.severity == u"critical" ? doc.colours.bad : QColor()},
             {f.firing.service, nullptr, {}},
             {clockTime(f.firing.sinceMs), &doc.small, {}},
             {f.resolvedAtMs > 0 ? clockTime(f.resolvedAtMs) : Tr::tr("still firing"),
              &doc.small,
              {}},
             {values.join(u'\n'), &doc.small, {}}});
    }
    doc.table(t);
}

QColor stepColour(const Document &doc, StepState state)
{
    switch (state) {
    case StepState::Succeeded:
        return doc.colours.good;
    case StepState::Failed:
        return doc.colours.bad;
    case StepState::Running:
    case StepState::Pending:
        return doc.colours.warn;
    case StepState::Skipped:
        return doc.colours.muted;
    }
    return doc.colours.text;
}

void rollbacks(Document &doc, const ReportData &d)
{
    for (const auto &r : d.rollbacks) {
        doc.heading(Tr::tr("Rollback #%1: %2").arg(r.id).arg(stateText(r.state)), doc.h2,
                    r.state == PlanState::Succeeded ? doc.colours.good
                    : isTerminal(r.state)           ? doc.colours.bad
                                                    : doc.colours.warn,
                    doc.pt(10));
        QList<QList<Cell>> facts;
        const auto fact = [&](const QString &label, const QString &value) {
            if (!value.isEmpty())
                facts.append({{label, &doc.bold, doc.colours.muted}, {value, nullptr, {}}});
        };
        fact(Tr::tr("Trigger"), r.trigger);
        fact(Tr::tr("Reason"), r.reason);
        fact(Tr::tr("Requested by"), r.requestedBy);
        fact(Tr::tr("Class"), r.rollbackClass);
        fact(Tr::tr("Planned"), utcTime(r.createdAtMs));
        fact(Tr::tr("Finished"), r.finishedAtMs > 0 ? utcTime(r.finishedAtMs) : Tr::tr("not yet"));
        if (r.finishedAtMs > 0)
            fact(Tr::tr("Took"), formatDurationMs(r.finishedAtMs - r.createdAtMs));
        fact(Tr::tr("Outcome"), r.message);
        fact(Tr::tr("Approvals"),
             r.approvalsNeeded > 0
                 ? Tr::tr("%1 needed, %2 given")
                       .arg(r.approvalsNeeded)
                       .arg(std::count_if(r.approvals.begin(), r.approvals.end(),
                                          [](const auto &a) { return a.decision == u"approved"; }))
                 : Tr::tr("not needed"));
        doc.table({{0.24, 0.76}, {}, facts, false, true});

        doc.heading(Tr::tr("Targets"), doc.h3, doc.colours.text, doc.pt(4));
        Table targets{
            {0.2, 0.2, 0.2, 0.2, 0.2},
            {Tr::tr("Service"), Tr::tr("From"), Tr::tr("To"), Tr::tr("Strategy"), Tr::tr("After")},
            {},
            true,
            true};
        for (const auto &t : r.targets)
            targets.rows.append(
                {{t.service, &doc.bold, {}},
                 {t.fromVersion, nullptr, doc.colours.bad},
                 {t.toVersion, nullptr, doc.colours.good},
                 {t.strategy, nullptr, {}},
                 {t.after.isEmpty() ? QStringLiteral("-") : t.after.join(QStringLiteral(", ")),
                  nullptr,
                  {}}});
        doc.table(targets);

        doc.heading(Tr::tr("Steps"), doc.h3, doc.colours.text, doc.pt(4));
        Table steps{{0.05, 0.11, 0.39, 0.15, 0.15, 0.15},
                    {Tr::tr("#"), Tr::tr("Service"), Tr::tr("Step"), Tr::tr("State"),
                     Tr::tr("Started (UTC)"), Tr::tr("Finished, took")},
                    {},
                    true,
                    true};
        for (const auto &s : r.steps) {
            QString what = s.kind;
            if (!s.description.isEmpty())
                what += u'\n' + s.description;
            if (!s.message.isEmpty())
                what += u'\n' + s.message;
            QString state = wireName(s.state);
            if (s.attempts > 1)
                state += u'\n' + Tr::tr("%1 attempts").arg(s.attempts);
            if (s.onFailure)
                state += u'\n' + Tr::tr("compensating");
            steps.rows.append({{QString::number(s.index + 1), nullptr, {}},
                               {s.service, nullptr, {}},
                               {what, nullptr, {}},
                               {state, &doc.bold, stepColour(doc, s.state)},
                               {clockTime(s.startedAtMs), &doc.small, {}},
                               {s.finishedAtMs > 0 ? clockTime(s.finishedAtMs) + u'\n' +
                                                         formatDurationMs(std::max<qint64>(
                                                             0, s.finishedAtMs - s.startedAtMs))
                                                   : QStringLiteral("-"),
                                &doc.small,
                                {}}});
        }
        doc.table(steps);

        if (!r.approvals.isEmpty()) {
            doc.heading(Tr::tr("Approvals"), doc.h3, doc.colours.text, doc.pt(4));
            Table approvals{
                {0.2, 0.15, 0.25, 0.4},
                {Tr::tr("Person"), Tr::tr("Decision"), Tr::tr("At (UTC)"), Tr::tr("Comment")},
                {},
                true,
                true};
            for (const auto &a : r.approvals)
                approvals.rows.append(
                    {{a.user, &doc.bold, {}},
                     {a.decision, nullptr,
                      a.decision == u"approved" ? doc.colours.good : doc.colours.bad},
                     {utcTime(a.atMs), &doc.small, {}},
                     {a.comment, nullptr, {}}});
            doc.table(approvals);
        }
    }
}

void logs(Document &doc, const ReportData &d)
{
    if (d.logs.isEmpty())
        return;
    doc.heading(Tr::tr("Preserved logs"), doc.h2, doc.colours.text, doc.pt(10));
    for (const auto &l : d.logs) {
        doc.heading(Tr::tr("%1: %2").arg(l.log.service, l.log.source), doc.h3, doc.colours.text,
                    doc.pt(4));
        QString about =
            Tr::tr("Rollback #%1, %2 bytes archived").arg(l.log.rollbackId).arg(l.log.bytes);
        if (l.log.truncated)
            about += Tr::tr(" (the source was longer and was cut when archived)");
        if (l.error.isEmpty())
            about +=
                l.excerptCut ? Tr::tr("; its last %1 lines:").arg(l.lines) : Tr::tr("; all of it:");
        doc.paragraph(about, doc.small, doc.colours.muted);
        if (!l.error.isEmpty())
            doc.paragraph(l.error, doc.body, doc.colours.bad);
        else if (l.excerpt.isEmpty())
            doc.paragraph(Tr::tr("(empty)"), doc.small, doc.colours.muted);
        else
            doc.paragraph(l.excerpt, doc.mono, doc.colours.text, doc.colours.codeFill);
    }
}

void notes(Document &doc, const ReportData &d)
{
    doc.heading(Tr::tr("Notes"), doc.h2, doc.colours.text, doc.pt(10));
    if (d.incident.notes.isEmpty()) {
        doc.paragraph(Tr::tr("No notes."), doc.body, doc.colours.muted);
        return;
    }
    for (const auto &n : d.incident.notes) {
        doc.ensure(doc.lineHeight(doc.smallBold) + 2 * doc.lineHeight(doc.body));
        doc.paragraph(n.kind.isEmpty() || n.kind == u"note"
                          ? Tr::tr("%1 — %2").arg(utcTime(n.atMs), n.author)
                          : Tr::tr("%1 — %2 (%3)").arg(utcTime(n.atMs), n.author, n.kind),
                      doc.smallBold, doc.colours.muted);
        doc.paragraph(n.text, doc.body, doc.colours.text, {}, doc.mm(4));
    }
}

void people(Document &doc, const ReportData &d)
{
    doc.heading(Tr::tr("People involved"), doc.h2, doc.colours.text, doc.pt(10));
    if (d.people.isEmpty()) {
        doc.paragraph(Tr::tr("Nobody is recorded."), doc.body, doc.colours.muted);
        return;
    }
    Table t{{0.3, 0.7}, {Tr::tr("Name"), Tr::tr("Took part as")}, {}, true, true};
    for (const auto &p : d.people) {
        QStringList roles;
        for (const auto &role : p.roles)
            roles.append(personRoleText(role));
        t.rows.append(
            {{p.name == u"rewind" ? Tr::tr("rewind (Rewind itself)") : p.name, &doc.bold, {}},
             {roles.join(QStringLiteral(", ")), nullptr, {}}});
    }
    doc.table(t);
}

// The page's header (from page 2) and footer, drawn once the number of pages is known.
void chrome(QPainter &p, const Document &doc, const ReportData &d, const ReportOptions &options,
            int page)
{
    const QRectF &c = doc.content();
    const qreal hair = doc.pt(0.5);
    const QFontMetricsF fm(doc.small, p.device());
    p.setFont(doc.small);
    const int leading = int(Qt::AlignLeft | Qt::AlignVCenter);
    const int trailing = int(Qt::AlignRight | Qt::AlignVCenter);
    const QString name = Tr::tr("Incident #%1: %2").arg(d.incident.id).arg(d.incident.title);
    if (page > 0) {
        const QRectF header(c.left(), doc.mm(12), c.width(), fm.height());
        p.setPen(doc.colours.muted);
        p.drawText(header, leading, Tr::tr("Rewind incident report"));
        p.drawText(header, trailing, fm.elidedText(name, Qt::ElideRight, c.width() * 0.65));
        p.setPen(QPen(doc.colours.rule, hair));
        p.drawLine(QPointF(c.left(), header.bottom() + doc.pt(3)),
                   QPointF(c.right(), header.bottom() + doc.pt(3)));
    }
    const QRectF footer(c.left(), doc.page().height() - doc.mm(13), c.width(), fm.height());
    p.setPen(QPen(doc.colours.rule, hair));
    p.drawLine(QPointF(c.left(), footer.top() - doc.pt(3)),
               QPointF(c.right(), footer.top() - doc.pt(3)));
    p.setPen(doc.colours.muted);
    p.drawText(footer, leading,
               Tr::tr("Generated %1 by %2").arg(utcTime(d.generatedAtMs), options.producer));
    p.drawText(footer, trailing, Tr::tr("Page %1 of %2").arg(page + 1).arg(doc.pageCount()));
}

} // namespace

bool canRenderReports()
{
    return qobject_cast<QGuiApplication *>(QCoreApplication::instance()) != nullptr;
}

Result<void> writeIncidentReport(const ReportData &d, QIODevice *out, const ReportOptions &options)
{
    const auto fail = [](const QString &why) { return Result<void>(failure(why)); };
    if (!canRenderReports())
        return fail(Tr::tr("PDF reports need a graphical application (fonts); this process has "
                           "none"));
    if (!out)
        return fail(Tr::tr("no output device"));
    if (!out->isOpen() && !out->open(QIODevice::WriteOnly))
        return fail(Tr::tr("cannot open the output: %1").arg(out->errorString()));
    if (!out->isWritable())
        return fail(Tr::tr("the output is not writable"));

    QPdfWriter writer(out);
    writer.setResolution(options.resolution);
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Portrait,
                                     QMarginsF(0, 0, 0, 0), QPageLayout::Millimeter));
    writer.setTitle(Tr::tr("Incident #%1: %2").arg(d.incident.id).arg(d.incident.title));
    writer.setCreator(options.producer);

    const Qt::LayoutDirection direction = options.direction == Qt::LayoutDirectionAuto
                                              ? QGuiApplication::layoutDirection()
                                              : options.direction;
    Document doc(writer, options, direction);

    doc.paragraph(Tr::tr("Incident report").toUpper(), doc.smallBold, doc.colours.accent);
    doc.heading(Tr::tr("Incident #%1: %2").arg(d.incident.id).arg(d.incident.title), doc.h1,
                doc.colours.text, 0);
    summary(doc, d);
    timeline(doc, d);
    metricCharts(doc, d);
    firings(doc, d);
    rollbacks(doc, d);
    logs(doc, d);
    notes(doc, d);
    people(doc, d);

    QPainter painter;
    if (!painter.begin(&writer))
        return fail(Tr::tr("cannot start the PDF"));
    painter.setLayoutDirection(direction);
    for (int page = 0; page < doc.pageCount(); ++page) {
        if (page > 0 && !writer.newPage()) {
            painter.end();
            return fail(Tr::tr("cannot add a page to the PDF"));
        }
        chrome(painter, doc, d, options, page);
        for (const auto &op : doc.ops(page))
            op(painter);
    }
    if (!painter.end())
        return fail(Tr::tr("cannot finish the PDF"));
    return {};
}

Result<QByteArray> incidentReportPdf(const ReportData &data, const ReportOptions &options)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (auto written = writeIncidentReport(data, &buffer, options); !written)
        return std::move(written).error();
    buffer.close();
    return bytes;
}

} // namespace rwd::client
