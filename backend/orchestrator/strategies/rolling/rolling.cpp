#include "rolling.h"

#include <QRegularExpression>
#include <QUrl>

#include <cmath>

namespace rwd::orchestrator {

namespace {

bool isInstanceName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$"));
    return re.match(name).hasMatch();
}

} // namespace

std::unique_ptr<Strategy> RollingStrategy::create(config::MapReader &options,
                                                  const config::StrategyConfig &strategy,
                                                  const config::ServiceConfig &,
                                                  const config::Config &)
{
    Options o;
    o.executor = strategy.executor;
    o.action = options.string(QStringLiteral("action"), o.action);
    const auto instances = options.value(QStringLiteral("instances"));
    if (instances.isNull()) {
        options.errorAt(QStringLiteral("instances"),
                        QStringLiteral("%1 needs 'instances': the names of the instances to roll "
                                       "back, as a list or as a map of name to host:port")
                            .arg(options.what()));
    } else if (instances.isMap()) {
        if (const auto map = options.stringMap(QStringLiteral("instances")))
            for (const auto &[name, address] : *map)
                o.instances.append({name, address});
    } else if (const auto list = options.stringList(QStringLiteral("instances"))) {
        for (const auto &name : *list)
            o.instances.append({name, {}});
    }
    QStringList seen;
    for (const auto &i : std::as_const(o.instances)) {
        if (!isInstanceName(i.name) || seen.contains(i.name))
            options.errorAt(QStringLiteral("instances"),
                            QStringLiteral("instance name '%1' of %2 is %3")
                                .arg(i.name, options.what(),
                                     seen.contains(i.name)
                                         ? QStringLiteral("listed twice")
                                         : QStringLiteral("not letters, digits, '.', '_' and "
                                                          "'-' (at most 63)")));
        seen.append(i.name);
    }
    if (const auto batch = options.value(QStringLiteral("batch_size")); !batch.isNull()) {
        const QString text = batch.scalar().trimmed();
        bool ok = batch.isScalar();
        if (ok && text.endsWith(u'%')) {
            o.batchPercent = text.chopped(1).trimmed().toInt(&ok);
            ok = ok && o.batchPercent >= 1 && o.batchPercent <= 100;
        } else if (ok) {
            o.batchSize = text.toInt(&ok);
            ok = ok && !batch.isQuoted() && o.batchSize >= 1;
        }
        if (!ok)
            options.errorAt(QStringLiteral("batch_size"),
                            QStringLiteral("'batch_size' of %1 must be a number of instances (1 or "
                                           "more) or a percentage such as 25%, found '%2'")
                                .arg(options.what(), text));
    }
    o.pauseMs = options.durationMs(QStringLiteral("pause"), qint64(0));
    if (const auto gate = options.value(QStringLiteral("health_gate")); !gate.isNull()) {
        config::MapReader g(gate, options.diagnostics(),
                            QStringLiteral("health_gate of ") + options.what());
        o.gate.url = g.string(QStringLiteral("url"), config::Need::Required).value_or(QString());
        o.gate.consecutive =
            int(g.integer(QStringLiteral("consecutive"), 1, 100).value_or(o.gate.consecutive));
        o.gate.intervalMs = g.durationMs(QStringLiteral("interval"), o.gate.intervalMs);
        o.gate.timeoutMs = g.durationMs(QStringLiteral("timeout"), o.gate.timeoutMs);
        o.gate.probeTimeoutMs =
            g.durationMs(QStringLiteral("probe_timeout"), o.gate.probeTimeoutMs);
        const QUrl probe(QString(o.gate.url)
                             .replace(QStringLiteral("{{instance}}"), QStringLiteral("i"))
                             .replace(QStringLiteral("{{address}}"), QStringLiteral("h:1")));
        if (!o.gate.url.isEmpty() &&
            (!probe.isValid() || (probe.scheme() != u"http" && probe.scheme() != u"https")))
            g.errorAt(QStringLiteral("url"),
                      QStringLiteral("'url' of %1 must be an http:// or https:// URL, with "
                                     "{{instance}} or {{address}} where they go")
                          .arg(g.what()));
        if (o.gate.url.contains(QStringLiteral("{{address}}"))) {
            for (const auto &i : std::as_const(o.instances)) {
                if (i.address.isEmpty()) {
                    g.errorAt(QStringLiteral("url"),
                              QStringLiteral("'url' of %1 uses {{address}}, so 'instances' must "
                                             "map each name to its host:port")
                                  .arg(g.what()));
                    break;
                }
            }
        }
        if (o.gate.intervalMs < 10)
            g.errorAt(QStringLiteral("interval"),
                      QStringLiteral("'interval' must be at least 10ms"));
        g.finish();
    }
    return std::make_unique<RollingStrategy>(std::move(o));
}

QList<QList<RollingStrategy::Instance>> RollingStrategy::batches() const
{
    const int n = int(m_options.instances.size());
    int size = m_options.batchSize;
    if (m_options.batchPercent > 0)
        size = std::max(1, int(std::ceil(double(n) * m_options.batchPercent / 100.0)));
    QList<QList<Instance>> out;
    for (int i = 0; i < n; i += size)
        out.append(m_options.instances.mid(i, size));
    return out;
}

Result<QList<StepSpec>> RollingStrategy::plan(const Target &target,
                                              const PlanContext &context) const
{
    const auto &name = target.service->name;
    const auto all = batches();
    if (all.isEmpty())
        return failure(QStringLiteral("rolling strategy of %1 lists no instances").arg(name));
    QList<StepSpec> steps;
    QList<int> previous; // what the next batch waits for
    for (int b = 0; b < all.size(); ++b) {
        const auto &batch = all.at(b);
        const QString label = QStringLiteral("batch %1 of %2").arg(b + 1).arg(all.size());
        QList<int> deployed;
        QStringList names;
        QJsonArray probes;
        for (const auto &instance : batch) {
            auto step = executorStep(target, context, m_options.executor, m_options.action,
                                     QStringLiteral("Redeploy %1 %2 on %3 (%4)")
                                         .arg(name, target.to.version, instance.name, label),
                                     {{"instance", instance.name}, {"address", instance.address}});
            step.after = previous;
            deployed.append(int(steps.size()));
            steps.append(step);
            names.append(instance.name);
            probes.append(QJsonObject{{"instance", instance.name}, {"address", instance.address}});
        }
        const bool last = b + 1 == all.size();
        if (!m_options.gate.url.isEmpty()) {
            StepSpec gate;
            gate.service = name;
            gate.kind = QString::fromLatin1(kVerifyInstances);
            gate.description = QStringLiteral("Health gate for %1 (%2): each passes %3 probes in a "
                                              "row")
                                   .arg(label, names.join(QStringLiteral(", ")))
                                   .arg(m_options.gate.consecutive);
            gate.params = {{"url", m_options.gate.url},
                           {"instances", probes},
                           {"consecutive", m_options.gate.consecutive},
                           {"interval_ms", m_options.gate.intervalMs},
                           {"timeout_ms", m_options.gate.timeoutMs},
                           {"probe_timeout_ms", m_options.gate.probeTimeoutMs}};
            gate.after = deployed;
            gate.restores = last;
            previous = {int(steps.size())};
            steps.append(gate);
        } else {
            previous = deployed;
            if (last) {
                for (const int i : deployed)
                    steps[i].restores = true;
            }
        }
        if (!last && m_options.pauseMs > 0) {
            auto pause =
                pauseStep(target, m_options.pauseMs, QStringLiteral("after %1").arg(label));
            pause.after = previous;
            previous = {int(steps.size())};
            steps.append(pause);
        }
    }
    auto verify = verifyHealthStep(target);
    verify.after = previous;
    steps.append(verify);
    return steps;
}

} // namespace rwd::orchestrator
