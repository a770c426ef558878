#include "scrapecheck.h"

#include "common/clock.h"

#include <QRegularExpression>
#include <QSet>

#include <algorithm>

namespace rwd::monitor {

namespace {

const QString kKindKeys[] = {QStringLiteral("counter"), QStringLiteral("gauge"),
                             QStringLiteral("histogram")};

// Field names follow the rule language's names, so that `check.field` can refer to them.
bool isFieldName(const QString &name)
{
    if (name.isEmpty() || name.size() > 64 || !name.front().isLetter())
        return false;
    return std::all_of(name.cbegin(), name.cend(),
                       [](QChar c) { return c.isLetterOrNumber() || c == u'_' || c == u'-'; });
}

bool isMetricName(const QString &name)
{
    static const QRegularExpression kPattern(QStringLiteral("^[a-zA-Z_:][a-zA-Z0-9_:]*$"));
    return kPattern.match(name).hasMatch();
}

bool isLabelName(const QString &name)
{
    static const QRegularExpression kPattern(QStringLiteral("^[a-zA-Z_][a-zA-Z0-9_]*$"));
    return kPattern.match(name).hasMatch();
}

// YAML reads an unquoted value that starts with '!' (like !=500) as a tag, not as text.
bool isTagged(const config::ConfigNode &node)
{
    return !node.explicitTag().isEmpty();
}

void readLabels(const config::ConfigNode &node, MetricSelector &selector, const QString &what,
                config::Diagnostics &diagnostics)
{
    if (node.isNull())
        return;
    if (!node.isMap()) {
        diagnostics.error(node.position(),
                          QStringLiteral("'labels' in %1 must be a map of label names to values, "
                                         "found %2")
                              .arg(what, node.kindName()));
        return;
    }
    QSet<QString> seen;
    for (const auto &[key, value] : node.entries()) {
        const QString name = key.scalar();
        if (!key.isScalar() || !isLabelName(name)) {
            diagnostics.error(key.position(),
                              QStringLiteral("%1 is not a label name in %2 (letters, digits and "
                                             "'_', not starting with a digit)")
                                  .arg(key.kindName(), what));
            continue;
        }
        if (seen.contains(name)) {
            diagnostics.error(key.position(),
                              QStringLiteral("label '%1' is given twice in %2").arg(name, what));
            continue;
        }
        seen.insert(name);
        if (selector.kind == MetricSelector::Kind::Histogram && name == u"le") {
            diagnostics.error(key.position(),
                              QStringLiteral("%1 cannot select on 'le': it is the bucket bound, "
                                             "and a histogram is read with all its buckets")
                                  .arg(what));
            continue;
        }
        if (isTagged(value)) {
            diagnostics.error(value.position(),
                              QStringLiteral("the value of label '%1' in %2 starts with '!', "
                                             "which YAML reads as a tag: put it in quotes")
                                  .arg(name, what));
            continue;
        }
        if (!value.isScalar()) {
            diagnostics.error(value.position(),
                              QStringLiteral("the value of label '%1' in %2 must be text, found %3")
                                  .arg(name, what, value.kindName()));
            continue;
        }
        if (const auto matcher = MetricSelector::LabelMatcher::parse(name, value.scalar()))
            selector.labels.append(*matcher);
        else
            diagnostics.error(
                value.position(),
                QStringLiteral("label '%1' in %2: %3").arg(name, what, matcher.error().message));
    }
}

std::optional<MetricSelector> readSelector(const QString &field, const config::ConfigNode &node,
                                           const QString &owner, config::Diagnostics &diagnostics)
{
    config::MapReader r(node, diagnostics, QStringLiteral("metric '%1' of %2").arg(field, owner));
    if (!r.isMap())
        return std::nullopt;
    const auto errorsBefore = diagnostics.count();
    MetricSelector selector;
    selector.field = field;

    QStringList kinds;
    for (const auto &key : kKindKeys) {
        (void)r.value(key);
        if (r.has(key))
            kinds.append(key);
    }
    if (kinds.isEmpty()) {
        diagnostics.error(node.position(), QStringLiteral("%1 must name one of counter, gauge or "
                                                          "histogram (e.g. counter: NAME)")
                                               .arg(r.what()));
    } else if (kinds.size() > 1) {
        r.errorAt(kinds.at(1), QStringLiteral("%1 names both '%2' and '%3': a metric is one of "
                                              "counter, gauge or histogram")
                                   .arg(r.what(), kinds.at(0), kinds.at(1)));
    } else {
        const QString &kindKey = kinds.first();
        selector.kind = MetricSelector::Kind(
            std::find(std::begin(kKindKeys), std::end(kKindKeys), kindKey) - std::begin(kKindKeys));
        selector.metric = r.string(kindKey).value_or(QString());
        if (!selector.metric.isEmpty() && !isMetricName(selector.metric))
            r.errorAt(kindKey, QStringLiteral("'%1' in %2 must be a Prometheus metric name "
                                              "(letters, digits, '_' and ':', not starting with a "
                                              "digit), found '%3'")
                                   .arg(kindKey, r.what(), selector.metric));
        else if (selector.kind == MetricSelector::Kind::Histogram &&
                 selector.metric.endsWith(QLatin1String("_bucket")))
            r.errorAt(kindKey, QStringLiteral("'histogram' in %1 takes the histogram's base name: "
                                              "'%2', without '_bucket'")
                                   .arg(r.what(), selector.metric.chopped(7)));
    }

    readLabels(r.value(QStringLiteral("labels")), selector, r.what(), diagnostics);

    if (const auto aggregate =
            r.choice(QStringLiteral("aggregate"), {QStringLiteral("sum"), QStringLiteral("max"),
                                                   QStringLiteral("min"), QStringLiteral("avg")})) {
        selector.aggregate =
            MetricSelector::Aggregate(QStringList{QStringLiteral("sum"), QStringLiteral("max"),
                                                  QStringLiteral("min"), QStringLiteral("avg")}
                                          .indexOf(*aggregate));
        if (selector.kind == MetricSelector::Kind::Histogram &&
            selector.aggregate != MetricSelector::Aggregate::Sum)
            r.errorAt(QStringLiteral("aggregate"),
                      QStringLiteral("'aggregate' in %1 must be sum: the observations of "
                                     "matching histograms are always added together")
                          .arg(r.what()));
    }

    selector.dimension = selector.kind == MetricSelector::Kind::Histogram
                             ? rules::Dimension::Time
                             : rules::Dimension::Scalar;
    if (const auto dimension = r.choice(
            QStringLiteral("dimension"),
            {QStringLiteral("number"), QStringLiteral("ratio"), QStringLiteral("duration")})) {
        selector.dimension = *dimension == u"ratio"      ? rules::Dimension::Ratio
                             : *dimension == u"duration" ? rules::Dimension::Time
                                                         : rules::Dimension::Scalar;
    }
    r.finish();
    if (diagnostics.count() != errorsBefore)
        return std::nullopt;
    return selector;
}

void readMetrics(config::MapReader &r, QList<MetricSelector> &out)
{
    const QString key = QStringLiteral("metrics");
    const auto node = r.value(key);
    if (!r.isMap())
        return;
    if (node.isNull()) {
        r.errorAt(key, QStringLiteral("%1 is missing required key 'metrics'").arg(r.what()));
        return;
    }
    if (!node.isMap() || node.size() == 0) {
        r.errorAt(key, QStringLiteral("'metrics' in %1 must map at least one field name to a "
                                      "metric, found %2")
                           .arg(r.what(), node.kindName()));
        return;
    }
    QSet<QString> seen;
    for (const auto &[name, metric] : node.entries()) {
        const QString field = name.scalar();
        if (!name.isScalar() || !isFieldName(field)) {
            r.diagnostics().error(name.position(),
                                  QStringLiteral("%1 is not a valid field name in 'metrics' of %2 "
                                                 "(letters, digits, '_' and '-', starting with a "
                                                 "letter)")
                                      .arg(name.kindName(), r.what()));
            continue;
        }
        if (field == u"latency") {
            r.diagnostics().error(name.position(),
                                  QStringLiteral("'latency' in 'metrics' of %1 is reserved for "
                                                 "the probe's own latency: choose another name")
                                      .arg(r.what()));
            continue;
        }
        if (seen.contains(field)) {
            r.diagnostics().error(name.position(),
                                  QStringLiteral("field '%1' is defined twice in 'metrics' of %2")
                                      .arg(field, r.what()));
            continue;
        }
        seen.insert(field);
        if (auto selector = readSelector(field, metric, r.what(), r.diagnostics()))
            out.append(std::move(*selector));
    }
}

} // namespace

std::unique_ptr<Check> ScrapeCheck::create(config::MapReader &r, const config::CheckConfig &common,
                                           const CheckRuntime &runtime)
{
    Options o;
    o.timeoutMs = common.timeoutMs;
    if (const auto url = r.string(QStringLiteral("url"), config::Need::Required)) {
        o.url = QUrl(*url, QUrl::StrictMode);
        const auto scheme = o.url.scheme();
        if (!o.url.isValid() || (scheme != u"http" && scheme != u"https") || o.url.host().isEmpty())
            r.errorAt(QStringLiteral("url"),
                      QStringLiteral("'url' of %1 must be an http:// or https:// URL, found '%2'")
                          .arg(r.what(), *url));
    }
    if (const auto headers = r.stringMap(QStringLiteral("headers"))) {
        for (const auto &[name, value] : *headers)
            o.headers.append({name.toLatin1(), value.toUtf8()});
    }
    readMetrics(r, o.metrics);
    return std::make_unique<ScrapeCheck>(std::move(o), runtime);
}

ScrapeCheck::ScrapeCheck(Options options, const CheckRuntime &runtime)
    : m_options(std::move(options))
    , m_runtime(runtime)
{
    for (const auto &selector : std::as_const(m_options.metrics)) {
        m_trackers.emplace_back(selector);
        for (const auto &name : selector.seriesNames())
            m_seriesNames.push_back(name.toLatin1());
    }
}

ScrapeCheck::~ScrapeCheck()
{
    cancel();
}

void ScrapeCheck::probe(Done done)
{
    m_done = std::move(done);
    http::Request request;
    request.url = m_options.url;
    request.timeoutMs = m_options.timeoutMs;
    request.maxBytes = kMaxBodyBytes;
    // Ask for the text format: some exporters answer OpenMetrics or protobuf when allowed to.
    request.headers.emplaceBack("Accept", "text/plain;version=0.0.4;q=1,*/*;q=0.1");
    request.headers.append(m_options.headers);
    const qint64 started = m_runtime.clock->nowMs();
    m_fetch.start(*m_runtime.http, request,
                  [this, started](const FetchResult &result) { finish(result, started); });
}

void ScrapeCheck::finish(const FetchResult &result, qint64 startedMs)
{
    Sample s;
    s.timeMs = m_runtime.clock->nowMs();
    s.latency = double(s.timeMs - startedMs) / 1000.0;
    s.status = result.status;
    if (!result.error.isEmpty()) {
        s.checkError = result.local;
        s.error = result.error;
    } else if (s.status < 200 || s.status > 299) {
        s.error = QStringLiteral("HTTP status %1").arg(s.status);
    } else {
        const auto parsed = exposition::parse(result.body, {}, [this](QByteArrayView name) {
            return std::any_of(m_seriesNames.cbegin(), m_seriesNames.cend(),
                               [name](const QByteArray &wanted) { return wanted == name; });
        });
        if (!parsed.ok()) {
            s.error = QStringLiteral("the answer is not in the Prometheus text format: %1")
                          .arg(parsed.error->toString());
        } else {
            s.ok = true;
            for (auto &tracker : m_trackers) {
                const auto measured = tracker.update(parsed.exposition, s.timeMs);
                if (measured.field)
                    s.fields.append(*measured.field);
                // Only a missing gauge is a failure: a counter or histogram with no series has
                // simply counted nothing yet.
                if (measured.matched == 0 && s.ok &&
                    tracker.selector().kind == MetricSelector::Kind::Gauge) {
                    s.ok = false;
                    s.error = unmatchedError(tracker.selector(), parsed.exposition);
                }
            }
        }
    }
    auto done = std::move(m_done);
    m_done = nullptr;
    if (done)
        done(s);
}

QString ScrapeCheck::unmatchedError(const MetricSelector &selector,
                                    const exposition::Exposition &scrape) const
{
    const QString name = selector.seriesNames().constFirst();
    const auto named = std::count_if(scrape.series.cbegin(), scrape.series.cend(),
                                     [&](const exposition::Series &s) { return s.name == name; });
    const QString what = QStringLiteral("metric '%1' (%2) matched no series")
                             .arg(selector.field, selector.toString());
    if (named == 0)
        return QStringLiteral("%1: the endpoint has no series named %2").arg(what, name);
    return QStringLiteral("%1: the endpoint has %2 series named %3, none with these labels")
        .arg(what, QString::number(named), name);
}

QList<FieldSpec> ScrapeCheck::fields() const
{
    QList<FieldSpec> out;
    for (const auto &selector : m_options.metrics)
        out.append(selector.fieldSpec());
    return out;
}

QString ScrapeCheck::defaultField() const
{
    return m_options.metrics.isEmpty() ? Check::defaultField()
                                       : m_options.metrics.constFirst().field;
}

void ScrapeCheck::cancel()
{
    m_done = nullptr;
    m_fetch.cancel();
}

} // namespace rwd::monitor
