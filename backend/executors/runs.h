#pragma once

#include <QtGlobal>

#include <map>
#include <memory>
#include <utility>

namespace rwd::executors {

// The work an asynchronous executor has started and not answered yet, by id. A Run has a
// `done` callback; finish() removes the run and calls it exactly once. Runs still open when the
// table is destroyed are dropped without calling `done` (their executor is going away).
template<typename Run>
class Runs
{
public:
    Runs() = default;
    ~Runs()
    {
        for (auto &[id, run] : m_runs)
            run->done = nullptr;
    }
    Q_DISABLE_COPY_MOVE(Runs)

    quint64 add(std::unique_ptr<Run> run)
    {
        const quint64 id = m_next++;
        m_runs.emplace(id, std::move(run));
        return id;
    }

    [[nodiscard]] Run *find(quint64 id)
    {
        const auto it = m_runs.find(id);
        return it == m_runs.end() ? nullptr : it->second.get();
    }

    // Ends run `id` with `result`: `before(result)` first (logging), then the run's `done`.
    template<typename Result, typename Before>
    void finish(quint64 id, const Result &result, Before before)
    {
        const auto it = m_runs.find(id);
        if (it == m_runs.end())
            return;
        auto done = std::move(it->second->done);
        m_runs.erase(it);
        before(result);
        if (done)
            done(result);
    }

private:
    std::map<quint64, std::unique_ptr<Run>> m_runs;
    quint64 m_next = 1;
};

} // namespace rwd::executors
