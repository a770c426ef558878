#include "prometheuscheck.h"

#include "common/clock.h"
#include "monitor/checks/scrape/exposition.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

namespace rwd::monitor {

namespace {

const QString kValueField = QStringLiteral("value");

const QStringList kReduceNames{QStringLiteral("sum"), QStringLiteral("max"), QStringLiteral("min"),
                               QStringLiteral("avg"), QStringLiteral("first")};

// A sample as the API writes it: [unix time, "value"], the value as text ("1.5", "NaN", "+Inf").
std::optional<double> sampleValue(const QJsonValue &sample)
{
    const QJsonArray pair = sample.toArray();
    if (pair.size() != 2 || !pair.at(1).isString())
        return std::nullopt;
    return exposition::parseNumber(pair.at(1).toString().toLatin1());
}

double reduce(PrometheusCheck::Reduce how, const std::vector<double> &values)
{
    using Reduce = PrometheusCheck::Reduce;
    switch (how) {
    case Reduce::Sum:
        return std::accumulate(values.begin(), values.end(), 0.0);
    case Reduce::Max:
        return *std::max_element(values.begin(), values.end());
    case Reduce::Min:
        return *std::min_element(values.begin(), values.end());
    case Reduce::Avg:
        return std::accumulate(values.begin(), values.end(), 0.0) / double(values.size());
    case Reduce::First:
        return values.front();
    }
    return 0;
}

// What the API's answer says, as a sample: ok with or without a value, or an error. NaN and
// infinite results (a ratio over no traffic is 0/0) count as no data.
void interpret(const QJsonObject &data, PrometheusCheck::Reduce how, Sample &s)
{
    const QString type = data.value(QLatin1String("resultType")).toString();
    const QJsonValue result = data.value(QLatin1String("result"));
    const QString malformed =
        QStringLiteral("malformed %1 result in Prometheus's answer").arg(type);
    std::vector<double> values;
    if (type == u"scalar") {
        const auto value = sampleValue(result);
        if (!value) {
            s.error = malformed;
            return;
        }
        if (std::isfinite(*value))
            values.push_back(*value);
    } else if (type == u"vector") {
        if (!result.isArray()) {
            s.error = malformed;
            return;
        }
        for (const auto &element : result.toArray()) {
            const auto value = sampleValue(element.toObject().value(QLatin1String("value")));
            if (!value) {
                s.error = malformed;
                return;
            }
            if (std::isfinite(*value))
                values.push_back(*value);
        }
    } else if (type == u"matrix" || type == u"string") {
        s.error = QStringLiteral("the query gives a %1, not a number: write one that gives a "
                                 "scalar or an instant vector (no range selector such as [5m] "
                                 "outside a function)")
                      .arg(type);
        return;
    } else {
        s.error = QStringLiteral("unexpected result type '%1' in Prometheus's answer").arg(type);
        return;
    }
    s.ok = true;
    if (!values.empty()) {
        FieldValue field;
        field.name = kValueField;
        field.value = reduce(how, values);
        s.fields.append(field);
    }
}

} // namespace

std::unique_ptr<Check> PrometheusCheck::create(config::MapReader &r,
                                               const config::CheckConfig &common,
                                               const CheckRuntime &runtime)
{
    Options o;
    o.timeoutMs = common.timeoutMs;
    if (const auto url = r.string(QStringLiteral("url"), config::Need::Required)) {
        o.url = QUrl(*url, QUrl::StrictMode);
        const auto scheme = o.url.scheme();
        if (!o.url.isValid() || (scheme != u"http" && scheme != u"https") ||
            o.url.host().isEmpty() || o.url.hasQuery() || o.url.hasFragment())
            r.errorAt(QStringLiteral("url"),
                      QStringLiteral("'url' of %1 must be the Prometheus server's http:// or "
                                     "https:// base URL (such as http://127.0.0.1:9090), found "
                                     "'%2'")
                          .arg(r.what(), *url));
    }
    if (const auto query = r.string(QStringLiteral("query"), config::Need::Required)) {
        o.query = query->trimmed();
        if (o.query.isEmpty())
            r.errorAt(QStringLiteral("query"),
                      QStringLiteral("'query' of %1 must be a PromQL expression, found nothing")
                          .arg(r.what()));
    }
    if (const auto how = r.choice(QStringLiteral("reduce"), kReduceNames))
        o.reduce = Reduce(kReduceNames.indexOf(*how));
    if (const auto dimension = r.choice(
            QStringLiteral("dimension"),
            {QStringLiteral("number"), QStringLiteral("ratio"), QStringLiteral("duration")})) {
        o.dimension = *dimension == u"ratio"      ? rules::Dimension::Ratio
                      : *dimension == u"duration" ? rules::Dimension::Time
                                                  : rules::Dimension::Scalar;
    }
    if (const auto headers = r.stringMap(QStringLiteral("headers"))) {
        for (const auto &[name, value] : *headers)
            o.headers.append({name.toLatin1(), value.toUtf8()});
    }
    return std::make_unique<PrometheusCheck>(std::move(o), runtime);
}

PrometheusCheck::PrometheusCheck(Options options, const CheckRuntime &runtime)
    : m_options(std::move(options))
    , m_runtime(runtime)
{}

PrometheusCheck::~PrometheusCheck()
{
    cancel();
}

QUrl PrometheusCheck::queryUrl() const
{
    QUrl url = m_options.url;
    QString path = url.path();
    while (path.endsWith(u'/'))
        path.chop(1);
    url.setPath(path + QLatin1String("/api/v1/query"));
    url.setQuery(QLatin1String("query=") +
                     QString::fromLatin1(QUrl::toPercentEncoding(m_options.query)),
                 QUrl::StrictMode);
    return url;
}

void PrometheusCheck::probe(Done done)
{
    m_done = std::move(done);
    http::Request request;
    request.url = queryUrl();
    request.timeoutMs = m_options.timeoutMs;
    request.maxBytes = kMaxBodyBytes;
    request.headers.emplaceBack("Accept", "application/json");
    request.headers.append(m_options.headers);
    const qint64 started = m_runtime.clock->nowMs();
    m_fetch.start(*m_runtime.http, request,
                  [this, started](const FetchResult &result) { finish(result, started); });
}

void PrometheusCheck::finish(const FetchResult &result, qint64 startedMs)
{
    Sample s;
    s.timeMs = m_runtime.clock->nowMs();
    s.latency = double(s.timeMs - startedMs) / 1000.0;
    s.status = result.status;
    const bool success = s.status >= 200 && s.status <= 299;
    if (!result.error.isEmpty()) {
        s.checkError = result.local;
        s.error = result.error;
    } else {
        // Prometheus answers errors (400 bad_data, 422 execution, 503 timeout) with a JSON body
        // that says what is wrong, so the body is read whatever the status.
        QJsonParseError jsonError{};
        const auto document = QJsonDocument::fromJson(result.body, &jsonError);
        const QJsonObject answer = document.object();
        const QString status = answer.value(QLatin1String("status")).toString();
        if (status == u"error") {
            s.error =
                QStringLiteral("%1: %2").arg(answer.value(QLatin1String("errorType")).toString(),
                                             answer.value(QLatin1String("error")).toString());
        } else if (!success) {
            s.error = QStringLiteral("HTTP status %1").arg(s.status);
        } else if (jsonError.error != QJsonParseError::NoError) {
            s.error = QStringLiteral("the answer is not JSON: %1 at offset %2")
                          .arg(jsonError.errorString(), QString::number(jsonError.offset));
        } else if (status != u"success") {
            s.error = QStringLiteral("the answer is not from the Prometheus query API (no "
                                     "\"status\": \"success\")");
        } else {
            interpret(answer.value(QLatin1String("data")).toObject(), m_options.reduce, s);
        }
    }
    auto done = std::move(m_done);
    m_done = nullptr;
    if (done)
        done(s);
}

QList<FieldSpec> PrometheusCheck::fields() const
{
    return {{kValueField, m_options.dimension, false, false}};
}

QString PrometheusCheck::defaultField() const
{
    return kValueField;
}

void PrometheusCheck::cancel()
{
    m_done = nullptr;
    m_fetch.cancel();
}

} // namespace rwd::monitor
