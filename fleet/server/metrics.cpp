#include "metrics.h"

#include <utility>

namespace rwd::fleet {

namespace {

const std::array<const char *, InstanceMetrics::kBucketBounds.size() + 1> kBucketLabels{
    "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"};

QByteArray label(const char *name, const QString &value)
{
    return QByteArray(name) + "=\"" + escapeLabelValue(value) + '"';
}

} // namespace

QByteArray escapeLabelValue(const QString &value)
{
    QByteArray escaped;
    const QByteArray utf8 = value.toUtf8();
    escaped.reserve(utf8.size());
    for (const char c : utf8) {
        if (c == '\\')
            escaped += "\\\\";
        else if (c == '"')
            escaped += "\\\"";
        else if (c == '\n')
            escaped += "\\n";
        else
            escaped += c;
    }
    return escaped;
}

InstanceMetrics::InstanceMetrics(QString service, QString instance)
    : m_service(std::move(service))
    , m_colour(std::move(instance))
{
    // Both histograms exist from the start so dashboards see zeros rather than no series.
    m_durations[QStringLiteral("/")];
    m_durations[QStringLiteral("/health")];
}

void InstanceMetrics::track(const QString &path)
{
    m_durations[path];
}

void InstanceMetrics::observe(const QString &version, const QString &path, int code, double seconds)
{
    ++m_requests[{version, path, code}];
    Histogram &histogram = m_durations[path];
    size_t bucket = 0;
    while (bucket < kBucketBounds.size() && seconds > kBucketBounds.at(bucket))
        ++bucket;
    ++histogram.counts.at(bucket);
    histogram.sum += seconds;
    ++histogram.count;
}

namespace {

constexpr const char *kRequestsHeader =
    "# HELP fleet_http_requests_total Requests answered on /, /health and /orders.\n"
    "# TYPE fleet_http_requests_total counter\n";
constexpr const char *kDurationsHeader =
    "# HELP fleet_http_request_duration_seconds Time from receiving a request on /, /health or "
    "/orders to sending its response.\n"
    "# TYPE fleet_http_request_duration_seconds histogram\n";
constexpr const char *kInfoHeader = "# HELP fleet_instance_info The version this instance runs.\n"
                                    "# TYPE fleet_instance_info gauge\n";
constexpr const char *kUpHeader = "# HELP fleet_instance_up Whether the instance accepts "
                                  "connections (0 while a down fault applies).\n"
                                  "# TYPE fleet_instance_up gauge\n";

} // namespace

QByteArray InstanceMetrics::instanceLabels() const
{
    return label("service", m_service) + ',' + label("colour", m_colour);
}

void InstanceMetrics::renderRequests(QByteArray &out) const
{
    const QByteArray labels = instanceLabels();
    for (const auto &[key, count] : m_requests) {
        const auto &[version, path, code] = key;
        out += "fleet_http_requests_total{" + labels + ',' + label("version", version) + ',' +
               label("path", path) + ",code=\"" + QByteArray::number(code) + "\"} " +
               QByteArray::number(count) + '\n';
    }
}

void InstanceMetrics::renderDurations(QByteArray &out) const
{
    for (const auto &[path, histogram] : m_durations) {
        const QByteArray labels = instanceLabels() + ',' + label("path", path);
        quint64 cumulative = 0;
        for (size_t i = 0; i < histogram.counts.size(); ++i) {
            cumulative += histogram.counts.at(i);
            out += "fleet_http_request_duration_seconds_bucket{" + labels + ",le=\"" +
                   kBucketLabels.at(i) + "\"} " + QByteArray::number(cumulative) + '\n';
        }
        out += "fleet_http_request_duration_seconds_sum{" + labels + "} " +
               QByteArray::number(histogram.sum, 'g', 12) + '\n';
        out += "fleet_http_request_duration_seconds_count{" + labels + "} " +
               QByteArray::number(histogram.count) + '\n';
    }
}

QByteArray InstanceMetrics::render(const QString &currentVersion, bool up) const
{
    return renderAll({{this, currentVersion, up}});
}

QByteArray InstanceMetrics::renderAll(const QList<Source> &sources)
{
    QByteArray out = kRequestsHeader;
    for (const auto &s : sources)
        s.metrics->renderRequests(out);
    out += kDurationsHeader;
    for (const auto &s : sources)
        s.metrics->renderDurations(out);
    out += kInfoHeader;
    for (const auto &s : sources)
        out += "fleet_instance_info{" + s.metrics->instanceLabels() + ',' +
               label("version", s.version) + "} 1\n";
    out += kUpHeader;
    for (const auto &s : sources)
        out +=
            "fleet_instance_up{" + s.metrics->instanceLabels() + "} " + (s.up ? "1" : "0") + '\n';
    return out;
}

} // namespace rwd::fleet
