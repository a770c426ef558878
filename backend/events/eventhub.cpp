#include "eventhub.h"

#include <QRandomGenerator>

namespace rwd::events {

EventHub::EventHub(const Clock &clock, int replay, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
    , m_replay(std::size_t(std::max(replay, 1)))
    , m_stream(QString::number(QRandomGenerator::system()->generate64(), 36))
{}

void EventHub::publish(Body body)
{
    auto data = toJson(body);
    publish(std::move(body), std::move(data));
}

void EventHub::publish(Body body, QJsonObject data)
{
    Published e;
    e.seq = ++m_seq;
    e.type = typeOf(body);
    e.timeMs = m_clock.nowMs();
    e.data = std::move(data);
    e.body = std::make_shared<const Body>(std::move(body));
    m_recent.push_back(e);
    while (m_recent.size() > m_replay)
        m_recent.pop_front();
    emit published(e);
}

std::optional<std::vector<Published>> EventHub::since(qint64 seq) const
{
    if (seq > m_seq || seq < 0)
        return std::nullopt;
    if (seq == m_seq)
        return std::vector<Published>{};
    if (m_recent.empty() || m_recent.front().seq > seq + 1)
        return std::nullopt;
    std::vector<Published> out;
    for (const auto &e : m_recent) {
        if (e.seq > seq)
            out.push_back(e);
    }
    return out;
}

} // namespace rwd::events
