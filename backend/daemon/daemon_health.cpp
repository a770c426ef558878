// The daemon's own health and numbers: /healthz (the store, the listener, the checks Rewind
// cannot make) and the Prometheus exposition of /metrics.
#include "api/httpserver.h"
#include "api/websocketapi.h"
#include "daemon.h"
#include "events/eventhub.h"
#include "monitor/metrichistory.h"
#include "monitor/scheduler.h"
#include "orchestrator/orchestrator.h"
#include "rules/ruleengine.h"
#include "store/store.h"

#include <array>

namespace rwd::daemon {

namespace {

// Upper bounds of the rollback duration histogram, in seconds.
constexpr std::array<double, 9> kDurationBuckets{1, 5, 15, 30, 60, 120, 300, 900, 3600};

} // namespace

void Daemon::countRollback(const protocol::RollbackInfo &rollback)
{
    ++m_rollbackOutcomes[wireName(rollback.state)];
    const double seconds = double(rollback.finishedAtMs - rollback.createdAtMs) / 1000.0;
    if (m_rollbackDurations.size() != kDurationBuckets.size())
        m_rollbackDurations.assign(kDurationBuckets.size(), 0);
    for (std::size_t i = 0; i < kDurationBuckets.size(); ++i) {
        if (seconds <= kDurationBuckets[i])
            ++m_rollbackDurations[i];
    }
    m_rollbackSecondsSum += seconds;
    ++m_rollbackCount;
}

QJsonObject Daemon::health(bool *serving) const
{
    const bool writable = m_store && m_store->writable();
    QJsonObject store{{"writable", writable}};
    if (!writable && m_store)
        store.insert(QStringLiteral("error"), m_store->writeError());
    QJsonArray impaired;
    for (auto service = m_checkErrors.cbegin(); service != m_checkErrors.cend(); ++service) {
        for (auto it = service->cbegin(); it != service->cend(); ++it)
            impaired.append(QJsonObject{{"service", service.key()},
                                        {"check", it.key()},
                                        {"error", it->error},
                                        {"since", protocol::isoTime(it->sinceMs)},
                                        {"count", it->count}});
    }
    QJsonObject api;
    if (const auto *guard = m_http ? m_http->guard() : nullptr) {
        const auto &st = guard->stats();
        api = QJsonObject{{"connections", guard->open()},
                          {"connection_limit", guard->cap()},
                          {"refused", qint64(st.refused)},
                          {"evicted", qint64(st.evicted)},
                          {"timed_out", qint64(st.timedOut)}};
    }
    *serving = writable;
    return QJsonObject{{"status", !writable            ? "failing"
                                  : impaired.isEmpty() ? "ok"
                                                       : "degraded"},
                       {"store", store},
                       {"check_errors", impaired},
                       {"api", api}};
}

QByteArray Daemon::metrics() const
{
    QByteArray out;
    const auto line = [&out](const QByteArray &text) { out += text + '\n'; };
    const auto label = [](const QString &value) {
        QString v = value;
        v.replace(u'\\', QStringLiteral("\\\\"))
            .replace(u'"', QStringLiteral("\\\""))
            .replace(u'\n', QStringLiteral("\\n"));
        return v.toUtf8();
    };
    line("# HELP rewind_up Whether rewindd is serving (always 1 when it answers).");
    line("# TYPE rewind_up gauge");
    line("rewind_up 1");
    line("# HELP rewind_rollbacks_total Rollbacks finished since rewindd started, by outcome.");
    line("# TYPE rewind_rollbacks_total counter");
    for (const auto state :
         {PlanState::Succeeded, PlanState::Failed, PlanState::Aborted, PlanState::NeedsAttention})
        line("rewind_rollbacks_total{outcome=\"" + wireName(state).toUtf8() + "\"} " +
             QByteArray::number(m_rollbackOutcomes.value(wireName(state))));
    line("# HELP rewind_rollbacks_active Rollbacks planned, waiting for approval or running.");
    line("# TYPE rewind_rollbacks_active gauge");
    line("rewind_rollbacks_active " +
         QByteArray::number(m_orchestrator ? m_orchestrator->active().size() : 0));
    line("# HELP rewind_rollback_duration_seconds From plan to end, of finished rollbacks.");
    line("# TYPE rewind_rollback_duration_seconds histogram");
    for (std::size_t i = 0; i < kDurationBuckets.size(); ++i)
        line("rewind_rollback_duration_seconds_bucket{le=\"" +
             QByteArray::number(kDurationBuckets[i]) + "\"} " +
             QByteArray::number(i < m_rollbackDurations.size() ? m_rollbackDurations[i] : 0));
    line("rewind_rollback_duration_seconds_bucket{le=\"+Inf\"} " +
         QByteArray::number(m_rollbackCount));
    line("rewind_rollback_duration_seconds_sum " +
         QByteArray::number(m_rollbackSecondsSum, 'g', 10));
    line("rewind_rollback_duration_seconds_count " + QByteArray::number(m_rollbackCount));
    line("# HELP rewind_checks_total Probes of checks since rewindd started, by outcome.");
    line("# TYPE rewind_checks_total counter");
    for (auto it = m_checkRuns.cbegin(); it != m_checkRuns.cend(); ++it) {
        const auto parts = it.key().split(u'\x1f');
        line("rewind_checks_total{service=\"" + label(parts.value(0)) + "\",check=\"" +
             label(parts.value(1)) + "\",outcome=\"" + label(parts.value(2)) + "\"} " +
             QByteArray::number(it.value()));
    }
    line("# HELP rewind_fast_probes_total Probes started at a check's fast_interval to confirm a "
         "change of its outcome before the next regular probe.");
    line("# TYPE rewind_fast_probes_total counter");
    line("rewind_fast_probes_total " +
         QByteArray::number(m_scheduler ? m_scheduler->stats().fastProbes : 0));
    line("# HELP rewind_rule_evaluations_total Rule evaluations since the configuration was "
         "loaded.");
    line("# TYPE rewind_rule_evaluations_total counter");
    line("rewind_rule_evaluations_total " +
         QByteArray::number(m_rules ? m_rules->evaluations() : 0));
    line("# HELP rewind_metric_history_bytes Memory the metric history's ring buffers hold (fixed "
         "by the configuration).");
    line("# TYPE rewind_metric_history_bytes gauge");
    line("rewind_metric_history_bytes " +
         QByteArray::number(quint64(m_history ? m_history->memoryBytes() : 0)));
    line("# HELP rewind_store_writable Whether the store accepted the last write (0: failing; "
         "nothing is acted on that cannot be recorded).");
    line("# TYPE rewind_store_writable gauge");
    line(QByteArray("rewind_store_writable ") + (m_store && m_store->writable() ? "1" : "0"));
    line("# HELP rewind_check_errors_active Checks whose latest probe Rewind itself could not "
         "make.");
    line("# TYPE rewind_check_errors_active gauge");
    qsizetype erring = 0;
    for (const auto &checks : m_checkErrors)
        erring += checks.size();
    line("rewind_check_errors_active " + QByteArray::number(erring));
    if (const auto *guard = m_http ? m_http->guard() : nullptr) {
        line("# HELP rewind_api_connections Connections the API holds, and the most it may hold.");
        line("# TYPE rewind_api_connections gauge");
        line("rewind_api_connections " + QByteArray::number(guard->open()));
        line("# HELP rewind_api_connection_limit The most connections the API may hold.");
        line("# TYPE rewind_api_connection_limit gauge");
        line("rewind_api_connection_limit " + QByteArray::number(guard->cap()));
        line("# HELP rewind_api_connections_closed_total Connections the API closed to protect "
             "itself, by reason.");
        line("# TYPE rewind_api_connections_closed_total counter");
        const auto &st = guard->stats();
        for (const auto &[reason, count] :
             {std::pair{"refused", st.refused}, std::pair{"evicted", st.evicted},
              std::pair{"timed_out", st.timedOut}, std::pair{"accept_error", st.acceptErrors}})
            line(QByteArray("rewind_api_connections_closed_total{reason=\"") + reason + "\"} " +
                 QByteArray::number(count));
    }
    line("# HELP rewind_websocket_clients WebSocket clients connected to /ws/v1.");
    line("# TYPE rewind_websocket_clients gauge");
    line("rewind_websocket_clients " + QByteArray::number(m_ws ? m_ws->clientCount() : 0));
    line("# HELP rewind_events_total Events published since rewindd started (the last sequence "
         "number).");
    line("# TYPE rewind_events_total counter");
    line("rewind_events_total " + QByteArray::number(m_events ? m_events->lastSeq() : 0));
    line("# HELP rewind_notification_deliveries Recent notification deliveries, by notifier and "
         "state.");
    line("# TYPE rewind_notification_deliveries gauge");
    QHash<QString, quint64> deliveries;
    for (const auto &d : m_store->deliveries().list(10'000))
        ++deliveries[d.notifier + u'\x1f' + d.state];
    for (auto it = deliveries.cbegin(); it != deliveries.cend(); ++it) {
        const auto parts = it.key().split(u'\x1f');
        line("rewind_notification_deliveries{notifier=\"" + label(parts.value(0)) + "\",state=\"" +
             label(parts.value(1)) + "\"} " + QByteArray::number(it.value()));
    }
    return out;
}

} // namespace rwd::daemon
