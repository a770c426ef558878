#pragma once

#include <cmath>

namespace rwd::monitor {

// A one-sided Bernoulli CUSUM on the live request stream: each request is an observation
// "error or not"; every request adds the log-likelihood ratio of "error rate is p1" against
// "error rate is p0" (ln(p1/p0) for an error, ln((1−p1)/(1−p0)) for a success) to a sum that is
// never allowed below zero. The sum crosses a threshold h quickly when the error rate is near p1
// or above, and almost never while it stays near p0 (docs/rules.md gives the numbers). Batches of
// requests (the increase of two counters between scrapes) are added at once: the order of
// requests inside a batch is unknown, so the sum is clamped at zero only between batches.
class CusumDetector
{
public:
    CusumDetector(double p0, double p1)
        : m_errorWeight(std::log(p1 / p0))
        , m_successWeight(std::log((1 - p1) / (1 - p0)))
    {}

    void add(double errors, double requests)
    {
        if (!(requests > 0) || !(errors >= 0))
            return;
        errors = std::min(errors, requests);
        m_requests += requests;
        m_statistic = std::max(0.0, m_statistic + errors * m_errorWeight +
                                        (requests - errors) * m_successWeight);
    }

    void reset()
    {
        m_statistic = 0;
        m_requests = 0;
    }

    [[nodiscard]] double statistic() const { return m_statistic; }
    // Requests seen since the last reset: zero means "no traffic", not "healthy".
    [[nodiscard]] double requests() const { return m_requests; }

private:
    double m_errorWeight;
    double m_successWeight;
    double m_statistic = 0;
    double m_requests = 0;
};

} // namespace rwd::monitor
