#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <array>
#include <map>
#include <tuple>

namespace rwd::fleet {

// Prometheus metrics of one instance, rendered in the text exposition format 0.0.4:
//   fleet_http_requests_total{service,colour,version,path,code}        counter
//   fleet_http_request_duration_seconds{service,colour,path}           histogram
//   fleet_instance_info{service,colour,version} 1                      gauge
//   fleet_instance_up{service,colour}                                  gauge (1 = listening)
// "colour" carries the instance name (the label kept its name from the blue/green days, so
// that dashboards and rules keep working). Only the paths faults apply to are observed: "/",
// "/health" and, on the db service, "/orders" (POST).
class InstanceMetrics
{
public:
    static constexpr std::array<double, 11> kBucketBounds{0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                          0.5,   1.0,  2.5,   5.0,  10.0};

    InstanceMetrics(QString service, QString instance);

    // Makes the histogram of path exist (with zero counts) before its first request.
    void track(const QString &path);

    void observe(const QString &version, const QString &path, int code, double seconds);

    [[nodiscard]] QByteArray render(const QString &currentVersion, bool up) const;

    // One instance and what it reports besides its counters.
    struct Source
    {
        const InstanceMetrics *metrics = nullptr;
        QString version;
        bool up = false;
    };
    // Several instances in one exposition, each metric family once (what the fleet's control API
    // serves at /metrics: the whole fleet, as a load balancer's metrics would show it).
    [[nodiscard]] static QByteArray renderAll(const QList<Source> &sources);

    static constexpr const char *kContentType = "text/plain; version=0.0.4";

private:
    [[nodiscard]] QByteArray instanceLabels() const;
    void renderRequests(QByteArray &out) const;
    void renderDurations(QByteArray &out) const;

    struct Histogram
    {
        std::array<quint64, kBucketBounds.size() + 1> counts{}; // per bucket, last is +Inf
        double sum = 0.0;
        quint64 count = 0;
    };

    QString m_service;
    QString m_colour;
    std::map<std::tuple<QString, QString, int>, quint64> m_requests; // (version, path, code)
    std::map<QString, Histogram> m_durations;                        // by path
};

// Escapes a label value: backslash, double quote and newline.
[[nodiscard]] QByteArray escapeLabelValue(const QString &value);

} // namespace rwd::fleet
