#pragma once

#include <cstdint>
#include <vector>

namespace rwd::monitor {

// A streaming quantile sketch with relative-error guarantees that also supports removal, so a
// sliding window can keep one up to date in O(1) per value (DDSketch: Masson, Rim & Lee, VLDB
// 2019). Values are counted in logarithmic buckets of ratio γ = (1+α)/(1−α); any quantile it
// returns is within a relative error α of a value whose rank is the requested one (α = 1 %:
// a true p95 of 200 ms is reported between 198 and 202 ms). Values with |v| below 1e-9 count
// as zero; magnitudes are clamped to [1e-9, 1e12]. Memory: one double per bucket between the
// smallest and the largest magnitude seen (≈ 1400 buckets cover 1 µs … 1 Ms).
class QuantileSketch
{
public:
    explicit QuantileSketch(double relativeAccuracy = 0.01);

    void add(double value, double weight = 1);
    // Removes a value added before (with the same weight). Weights below zero are clamped.
    void remove(double value, double weight = 1);
    void clear();

    [[nodiscard]] double count() const { return m_count; }
    // The q-quantile (0 ≤ q ≤ 1) of the values in the sketch; 0 when empty.
    [[nodiscard]] double quantile(double q) const;
    [[nodiscard]] double relativeAccuracy() const { return m_alpha; }

private:
    struct Store
    {
        std::vector<double> counts;
        int offset = 0; // bucket index of counts[0]
        double total = 0;

        void add(int index, double weight);
    };

    [[nodiscard]] int indexOf(double magnitude) const;
    // The value with `rankFromTop` (0-based) counted from the largest down.
    [[nodiscard]] double fromTop(double rankFromTop) const;
    [[nodiscard]] double valueOf(int index) const;
    void update(double value, double weight);

    double m_alpha;
    double m_gamma;
    double m_logGamma;
    Store m_positive;
    Store m_negative;
    double m_zero = 0;
    double m_count = 0;
};

} // namespace rwd::monitor
