#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QUrl>

#include <deque>

class QNetworkReply;

namespace rwd::fleet {

class HttpClientPool;

struct LoadTarget
{
    QString service;
    QUrl url; // the service's nginx frontend
};

// Sends GET / to every target at the same rate, paced by a token bucket refilled from a
// monotonic clock on a 10 ms timer (so N rps really means N rps, independent of timer jitter),
// and keeps the outcome of every completed request for 15 minutes.
class LoadGenerator : public QObject
{
    Q_OBJECT

public:
    static constexpr int kTickMs = 10;
    static constexpr int kTimeoutMs = 5000;
    static constexpr qint64 kRetentionMs = 15 * 60 * 1000;
    // Bounds memory at the highest rates; the oldest samples go first.
    static constexpr size_t kMaxSamples = 4'000'000;
    // HTTP managers the generator may use (six connections each): enough for the maximum rate
    // against a frontend answering within the timeout.
    static constexpr int kMaxHttpManagers = 64;

    explicit LoadGenerator(QList<LoadTarget> targets, QObject *parent = nullptr);
    ~LoadGenerator() override;

    // Requests per second per target; 0 stops sending (requests in flight still complete).
    void setRate(int rps);
    [[nodiscard]] int rate() const { return m_rps; }

    // Stops for good: no more requests, in-flight ones are aborted and not recorded.
    void stop();

    // Statistics of completed requests sent at or after sinceMs (ms since the epoch), for one
    // service or all (service empty):
    // {"now_ms":…,"rps":N,"services":{"api":{"requests":N,"errors":E,"by_status":{"200":n},
    //  "by_version":{"v1.1":n},"first_ms":…,"last_ms":…,"latency_ms":{"p50":…,"p95":…,
    //  "p99":…,"max":…}}}}. Status 0 means connection failure or timeout; errors are status 0
    // or >= 500; the version comes from X-Fleet-Version ("unknown" when absent).
    [[nodiscard]] QJsonObject statistics(qint64 sinceMs, const QString &service) const;

private:
    struct Sample
    {
        qint64 sendMs;
        qint32 latencyUs;
        quint16 status;
        quint16 target;
        quint32 version; // index into m_versions
    };

    void tick();
    void send(quint16 target);
    void record(const Sample &sample);
    quint32 versionId(const QString &version);

    QList<LoadTarget> m_targets;
    HttpClientPool *m_http;
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_lastTickNs = 0;
    double m_tokens = 0.0;
    int m_rps = 0;
    bool m_stopped = false;
    QSet<QNetworkReply *> m_inFlight;
    std::deque<Sample> m_samples; // in completion order
    QStringList m_versions;
    QHash<QString, quint32> m_versionIds;
};

} // namespace rwd::fleet
