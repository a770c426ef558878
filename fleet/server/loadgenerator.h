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
#include <optional>

class QNetworkReply;

namespace rwd::fleet {

class HttpClientPool;

struct LoadTarget
{
    QString service;
    QUrl url; // the service's nginx frontend: ".../" for reads, ".../orders" for writes
};

// Sends GET / to every read target at one rate and POST /orders {"amount": 1..100} to the write
// target (the db service) at another, each paced by a token bucket refilled from a monotonic
// clock on a 10 ms timer (so N rps really means N rps, independent of timer jitter), and keeps
// the outcome of every completed request for 15 minutes.
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
    static constexpr int kMaxOrderAmount = 100;

    LoadGenerator(QList<LoadTarget> reads, std::optional<LoadTarget> writes,
                  QObject *parent = nullptr);
    ~LoadGenerator() override;

    // GET requests per second per read target; 0 stops sending (requests in flight still
    // complete).
    void setRate(int rps);
    [[nodiscard]] int rate() const { return m_rps; }
    // POST /orders per second to the write target; ignored without one.
    void setWriteRate(int rps);
    [[nodiscard]] int writeRate() const { return m_writeRps; }
    [[nodiscard]] bool hasWriteTarget() const { return m_writeTarget >= 0; }

    // Stops for good: no more requests, in-flight ones are aborted and not recorded.
    void stop();

    // Statistics of completed requests sent at or after sinceMs (ms since the epoch), for one
    // service or all (service empty):
    // {"now_ms":…,"rps":N,"write_rps":W,
    //  "services":{"api":{"requests":N,"errors":E,"by_status":{"200":n},
    //  "by_version":{"v1.1":n},"first_ms":…,"last_ms":…,"latency_ms":{"p50":…,"p95":…,
    //  "p99":…,"max":…}}},
    //  "writes":{"api":{same keys}}}.
    // "services" counts GET / only; "writes" counts POST /orders, under the db service's name
    // (empty without one, or when service names another). Status 0 means connection failure or
    // timeout; errors are status 0 or >= 500; the version comes from X-Fleet-Version
    // ("unknown" when absent).
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
    void updateTimer();
    void send(quint16 target);
    void record(const Sample &sample);
    quint32 versionId(const QString &version);

    QList<LoadTarget> m_targets; // the read targets, then the write target if any
    qsizetype m_readTargets = 0;
    qsizetype m_writeTarget = -1; // index into m_targets, or -1
    HttpClientPool *m_http;
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_lastTickNs = 0;
    double m_tokens = 0.0;
    double m_writeTokens = 0.0;
    int m_rps = 0;
    int m_writeRps = 0;
    bool m_stopped = false;
    QSet<QNetworkReply *> m_inFlight;
    std::deque<Sample> m_samples; // in completion order
    QStringList m_versions;
    QHash<QString, quint32> m_versionIds;
};

} // namespace rwd::fleet
