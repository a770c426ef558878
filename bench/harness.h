#pragma once

// A small benchmark harness: runs a body repeatedly for a fixed time, several rounds, and
// reports the median rate. Benchmarks compare against a baseline measured in the same process,
// so numbers are read as ratios (the machine may be noisy; a ratio is steadier than a rate).

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

namespace rwd::bench {

struct Result
{
    std::string name;
    double perSecond = 0; // median over the rounds
};

// Calls `body(batch)` until `seconds` have passed, `rounds` times; `body` must do `batch`
// operations. Returns the median operations per second.
inline Result measure(const std::string &name, const std::function<void(int batch)> &body,
                      double seconds = 0.5, int rounds = 5, int batch = 1000)
{
    using clock = std::chrono::steady_clock;
    std::vector<double> rates;
    body(batch); // warm-up
    for (int r = 0; r < rounds; ++r) {
        const auto start = clock::now();
        long long done = 0;
        double elapsed = 0;
        while (elapsed < seconds) {
            body(batch);
            done += batch;
            elapsed = std::chrono::duration<double>(clock::now() - start).count();
        }
        rates.push_back(double(done) / elapsed);
    }
    std::sort(rates.begin(), rates.end());
    return {name, rates[rates.size() / 2]};
}

inline void print(const Result &result, const Result *baseline = nullptr)
{
    if (baseline)
        std::printf("  %-58s %14.0f /s   %8.3fx baseline\n", result.name.c_str(), result.perSecond,
                    result.perSecond / baseline->perSecond);
    else
        std::printf("  %-58s %14.0f /s   (baseline)\n", result.name.c_str(), result.perSecond);
    std::fflush(stdout);
}

// Keeps the compiler from optimising a computed value away.
template<typename T>
inline void keep(const T &value)
{
    asm volatile("" : : "g"(&value) : "memory");
}

} // namespace rwd::bench
