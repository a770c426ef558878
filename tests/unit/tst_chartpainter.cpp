// The chart painter, drawn into images: thresholds are dashed lines at the y their value maps to,
// markers vertical lines at their time's x, gaps in a series stay gaps, the axes carry the
// series' unit, and nothing it is given (no data, NaN, one point) breaks it.
#include "charts/chartpainter.h"

#include <QImage>
#include <QPainter>
#include <QTest>

#include <cmath>
#include <limits>

using namespace rwd;
using client::charts::ChartGeometry;
using client::charts::ChartMarker;
using client::charts::ChartOptions;
using client::charts::ChartPainter;
using client::charts::ChartPalette;

namespace {

constexpr qint64 kT0 = 1'760'000'040'000; // a whole minute (UTC)
const QSize kSize(900, 420);

bool near(QRgb pixel, const QColor &colour, int tolerance = 90)
{
    return std::abs(qRed(pixel) - colour.red()) + std::abs(qGreen(pixel) - colour.green()) +
               std::abs(qBlue(pixel) - colour.blue()) <=
           tolerance;
}

// Pixels of `colour` in the rows [y - 1, y + 1] between x0 and x1.
int inRows(const QImage &image, int y, int x0, int x1, const QColor &colour)
{
    int n = 0;
    for (int x = x0; x <= x1; ++x) {
        for (int dy = -1; dy <= 1; ++dy) {
            if (y + dy >= 0 && y + dy < image.height() && near(image.pixel(x, y + dy), colour)) {
                ++n;
                break;
            }
        }
    }
    return n;
}

// Pixels of `colour` in the columns [x - 1, x + 1] between y0 and y1.
int inColumns(const QImage &image, int x, int y0, int y1, const QColor &colour)
{
    int n = 0;
    for (int y = y0; y <= y1; ++y) {
        for (int dx = -1; dx <= 1; ++dx) {
            if (x + dx >= 0 && x + dx < image.width() && near(image.pixel(x + dx, y), colour)) {
                ++n;
                break;
            }
        }
    }
    return n;
}

protocol::SeriesInfo errorRate()
{
    protocol::SeriesInfo s;
    s.name = QStringLiteral("error_rate(health, 5s)");
    s.label = QStringLiteral("error rate");
    s.unit = QStringLiteral("ratio");
    s.stepMs = 1000;
    for (int i = 0; i <= 120; ++i)
        s.points.append({kT0 + i * 1000, i >= 60 && i < 70 ? 0.2 : 0.01});
    s.thresholds = {
        {QStringLiteral("error-rate"), QStringLiteral(">"), 0.05, QStringLiteral("critical")}};
    return s;
}

QImage render(const ChartPainter &chart, QSize size = kSize)
{
    QImage image(size, QImage::Format_ARGB32);
    image.fill(Qt::transparent);
    QPainter p(&image);
    chart.paint(&p, QRectF(QPointF(0, 0), QSizeF(size)));
    p.end();
    return image;
}

} // namespace

class TestChartPainter : public QObject
{
    Q_OBJECT

private slots:
    void thresholdLineAtItsValue()
    {
        ChartOptions options;
        options.title = QStringLiteral("api — error rate");
        ChartPainter chart(options);
        chart.setSeries({errorRate()});
        QImage image = render(chart);
        const ChartGeometry g = chart.geometry(QRectF(QPointF(0, 0), QSizeF(kSize)), &image);
        QVERIFY(g.plot.width() > 600 && g.plot.height() > 250);
        // Values 0..0.2 and the 5 % threshold: the axis runs from 0 to at least 20 %.
        QCOMPARE(g.minValue, 0.0);
        QVERIFY(g.maxValue >= 0.2);
        const QColor red = options.palette.thresholdCritical;
        const int y = int(std::lround(g.y(0.05)));
        const int x0 = int(g.plot.left()) + 2;
        const int x1 = int(g.plot.right()) - 2;
        // Dashed: a good part of the width, but not all of it.
        const int on = inRows(image, y, x0, x1, red);
        QVERIFY2(on > (x1 - x0) / 4 && on < (x1 - x0) * 9 / 10,
                 qPrintable(QStringLiteral("%1 of %2 pixels at y=%3").arg(on).arg(x1 - x0).arg(y)));
        // …and nowhere else: not at 10 % nor at 1 %.
        QVERIFY(inRows(image, int(std::lround(g.y(0.1))), x0, x1, red) < 30);
        QVERIFY(inRows(image, int(std::lround(g.y(0.15))), x0, x1, red) < 30);
        // The series' colour is at 1 % before the bad minute and at 20 % during it.
        const QColor blue = options.palette.series.first();
        QVERIFY(near(image.pixel(int(g.x(kT0 + 30'000)), int(std::lround(g.y(0.01)))), blue, 120));
        QVERIFY(inColumns(image, int(g.x(kT0 + 65'000)), int(g.y(0.2)) - 2, int(g.y(0.2)) + 2,
                          blue) > 0);
    }

    void markersAtTheirTime()
    {
        ChartOptions options;
        options.fromMs = kT0;
        options.toMs = kT0 + 120'000;
        ChartPainter chart(options);
        chart.setSeries({errorRate()});
        chart.setMarkers(
            {{kT0 + 60'000, ChartMarker::Kind::Deploy, QStringLiteral("v1.2 deployed")},
             {kT0 + 70'000, ChartMarker::Kind::RollbackStart, QStringLiteral("rollback #1")},
             {kT0 + 72'000, ChartMarker::Kind::RollbackEnd, QStringLiteral("#1 succeeded")},
             {kT0 + 500'000, ChartMarker::Kind::Deploy, QStringLiteral("later")}});
        QImage image = render(chart);
        const ChartGeometry g = chart.geometry(QRectF(QPointF(0, 0), QSizeF(kSize)), &image);
        QCOMPARE(g.fromMs, kT0);
        QCOMPARE(g.toMs, kT0 + 120'000);
        const int top = int(g.plot.top()) + 2;
        const int bottom = int(g.plot.bottom()) - 2;
        const int height = bottom - top;
        const int deployX = int(std::lround(g.x(kT0 + 60'000)));
        QCOMPARE(deployX, int(std::lround(g.plot.left() + g.plot.width() / 2)));
        // The deploy line is solid, the rollback lines dashed.
        QVERIFY(inColumns(image, deployX, top, bottom, options.palette.deploy) > height * 8 / 10);
        const int startOn = inColumns(image, int(std::lround(g.x(kT0 + 70'000))), top, bottom,
                                      options.palette.rollbackStart);
        QVERIFY2(startOn > height / 4 && startOn < height * 9 / 10,
                 qPrintable(QString::number(startOn)));
        QVERIFY(inColumns(image, int(std::lround(g.x(kT0 + 72'000))), top, bottom,
                          options.palette.rollbackEnd) > height / 4);
        // No deploy colour where there is no marker.
        QVERIFY(inColumns(image, int(std::lround(g.x(kT0 + 30'000))), top, bottom,
                          options.palette.deploy) < 5);
    }

    void gapsStayGaps()
    {
        protocol::SeriesInfo s;
        s.name = QStringLiteral("health.latency.p95");
        s.unit = QStringLiteral("seconds");
        s.stepMs = 1000;
        for (int i = 0; i <= 100; ++i) {
            if (i < 40 || i > 60)
                s.points.append({kT0 + i * 1000, 0.2});
        }
        ChartOptions options;
        options.legend = false;
        ChartPainter chart(options);
        chart.setSeries({s});
        QImage image = render(chart);
        const auto g = chart.geometry(QRectF(QPointF(0, 0), QSizeF(kSize)), &image);
        const QColor blue = options.palette.series.first();
        const int y = int(std::lround(g.y(0.2)));
        QVERIFY(inRows(image, y, int(g.x(kT0 + 10'000)), int(g.x(kT0 + 30'000)), blue) > 50);
        QCOMPARE(inRows(image, y, int(g.x(kT0 + 43'000)), int(g.x(kT0 + 57'000)), blue), 0);
        QVERIFY(inRows(image, y, int(g.x(kT0 + 65'000)), int(g.x(kT0 + 95'000)), blue) > 50);
    }

    void timeTicksAreRoundAndSpaced()
    {
        ChartPainter chart;
        chart.setSeries({errorRate()});
        QImage image(kSize, QImage::Format_ARGB32);
        const auto g = chart.geometry(QRectF(QPointF(0, 0), QSizeF(kSize)), &image);
        QVERIFY(g.timeTicks.size() >= 3 && g.timeTicks.size() <= 13);
        const qint64 step = g.timeTicks.at(1) - g.timeTicks.at(0);
        QVERIFY(QList<qint64>({5'000, 10'000, 15'000, 30'000, 60'000}).contains(step));
        for (const qint64 t : g.timeTicks) {
            QCOMPARE(t % step, 0);
            QVERIFY(t >= g.fromMs && t <= g.toMs);
        }
        // Value ticks are evenly spaced and span the axis.
        QVERIFY(g.valueTicks.size() >= 3);
        QCOMPARE(g.valueTicks.first(), g.minValue);
        QVERIFY(std::abs(g.valueTicks.last() - g.maxValue) < 1e-9);
    }

    void units_data()
    {
        QTest::addColumn<double>("value");
        QTest::addColumn<QString>("unit");
        QTest::addColumn<double>("step");
        QTest::addColumn<QString>("text");
        QTest::newRow("ms") << 0.25 << "seconds" << 0.05 << "250 ms";
        QTest::newRow("s") << 1.5 << "seconds" << 0.5 << "1.5 s";
        QTest::newRow("ms, no step") << 0.0123 << "seconds" << 0.0 << "12.3 ms";
        QTest::newRow("ratio") << 0.12 << "ratio" << 0.02 << "12 %";
        QTest::newRow("ratio, fine") << 0.055 << "ratio" << 0.005 << "5.5 %";
        QTest::newRow("rate") << 30.0 << "per_second" << 10.0 << "30 /s";
        QTest::newRow("number") << 3.0 << "number" << 1.0 << "3";
        QTest::newRow("thousands") << 12'000.0 << "number" << 2'000.0 << "12k";
        QTest::newRow("millions") << 25'000'000.0 << "" << 5'000'000.0 << "25M";
        QTest::newRow("zero") << 0.0 << "ratio" << 0.05 << "0 %";
    }

    void units()
    {
        QFETCH(double, value);
        QFETCH(QString, unit);
        QFETCH(double, step);
        QFETCH(QString, text);
        QCOMPARE(ChartPainter::formatValue(value, unit, step), text);
    }

    void darkPalette()
    {
        ChartOptions options;
        options.palette = ChartPalette::dark();
        ChartPainter chart(options);
        chart.setSeries({errorRate()});
        const QImage image = render(chart);
        const QRgb corner = image.pixel(2, 2);
        QVERIFY(qGray(corner) < 60);
        QCOMPARE(QColor(corner), options.palette.background);
    }

    void anythingIsDrawable_data()
    {
        QTest::addColumn<QList<protocol::SeriesInfo>>("series");
        protocol::SeriesInfo none;
        none.name = QStringLiteral("empty");
        none.unit = QStringLiteral("seconds");
        protocol::SeriesInfo one = none;
        one.points = {{kT0, 0.3}};
        protocol::SeriesInfo odd = none;
        odd.points = {{kT0, std::numeric_limits<double>::quiet_NaN()},
                      {kT0 + 1000, std::numeric_limits<double>::infinity()},
                      {kT0 + 2000, -5},
                      {kT0 + 3000, 1e12}};
        odd.thresholds = {{QStringLiteral("r"), QStringLiteral("<"),
                           std::numeric_limits<double>::quiet_NaN(), QString()}};
        protocol::SeriesInfo flat = none;
        flat.points = {{kT0, 2}, {kT0 + 1000, 2}};
        QTest::newRow("nothing") << QList<protocol::SeriesInfo>{};
        QTest::newRow("no points") << QList<protocol::SeriesInfo>{none};
        QTest::newRow("one point") << QList<protocol::SeriesInfo>{one};
        QTest::newRow("odd values") << QList<protocol::SeriesInfo>{odd};
        QTest::newRow("flat") << QList<protocol::SeriesInfo>{flat, one, none, odd, flat, one, flat};
    }

    void anythingIsDrawable()
    {
        QFETCH(QList<protocol::SeriesInfo>, series);
        ChartPainter chart;
        chart.setSeries(series);
        chart.setMarkers({{kT0, ChartMarker::Kind::Deploy, QStringLiteral("v2")}});
        for (const QSize size : {kSize, QSize(120, 60), QSize(1, 1)}) {
            const QImage image = render(chart, size);
            QCOMPARE(image.size(), size);
        }
        QImage image = render(chart);
        const auto g = chart.geometry(QRectF(QPointF(0, 0), QSizeF(kSize)), &image);
        QVERIFY(std::isfinite(g.minValue) && std::isfinite(g.maxValue) && g.maxValue > g.minValue);
        QVERIFY(g.toMs > g.fromMs);
    }

    // In a right-to-left layout the legend starts at the right; time still runs left to right.
    void rightToLeftLegend()
    {
        auto second = errorRate();
        second.label = QStringLiteral("معدل الأخطاء");
        ChartPainter chart;
        chart.setSeries({errorRate(), second});
        QImage ltr(kSize, QImage::Format_ARGB32);
        QImage rtl(kSize, QImage::Format_ARGB32);
        for (auto *image : {&ltr, &rtl}) {
            image->fill(Qt::white);
            QPainter p(image);
            p.setLayoutDirection(image == &rtl ? Qt::RightToLeft : Qt::LeftToRight);
            chart.paint(&p, QRectF(QPointF(0, 0), QSizeF(kSize)));
        }
        const auto g = chart.geometry(QRectF(QPointF(0, 0), QSizeF(kSize)), &ltr);
        const QColor blue = ChartPalette::light().series.first();
        // The first legend swatch: near the left edge, or near the right edge.
        const int legendY0 = int(g.plot.bottom()) + 12;
        const auto swatchAt = [&](const QImage &image, int x0, int x1) {
            int n = 0;
            for (int y = legendY0; y < kSize.height(); ++y)
                n += inRows(image, y, x0, x1, blue) > 5 ? 1 : 0;
            return n;
        };
        QVERIFY(swatchAt(ltr, 0, 40) > 0);
        QCOMPARE(swatchAt(ltr, kSize.width() - 40, kSize.width() - 1), 0);
        QVERIFY(swatchAt(rtl, kSize.width() - 40, kSize.width() - 1) > 0);
    }
};

QTEST_MAIN(TestChartPainter)
#include "tst_chartpainter.moc"
