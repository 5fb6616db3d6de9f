#pragma once

#include <QtAlgorithms>
#include <QtGlobal>
#include <utility>
#include <vector>

namespace swarm {

// Log-linear (HDR-style) histogram of microsecond values. Values below 256 µs are exact; above,
// each power of two is split into 128 equal buckets, so a bucket spans at most 1/128 of its
// values and a reported percentile (the bucket's midpoint) is within 0.4 % of the true value,
// from 1 µs up to kMaxValue (about 71 minutes; larger values are clamped). 3,328 buckets.
//
// Not thread-safe: each worker records into its own histograms; merging (add) happens on the
// engine's thread with plain copies. An empty histogram allocates nothing.
class LatencyHistogram
{
public:
    static constexpr int kExactBits = 8; // values < 256 have a bucket each
    static constexpr int kSubBits = 7; // 128 sub-buckets per power of two above that
    static constexpr quint64 kMaxValue = (quint64(1) << 32) - 1;
    static constexpr int kBucketCount = (1 << kExactBits) + ((32 - kExactBits) << kSubBits);
    static int bucketCount();
    static int bucketOf(quint64 value);
    static quint64 bucketLow(int bucket); // smallest value in the bucket
    static quint64 bucketHigh(int bucket); // largest value in the bucket

    LatencyHistogram() = default;
    LatencyHistogram(const LatencyHistogram&) = default;
    LatencyHistogram& operator=(const LatencyHistogram&) = default;
    // A moved-from histogram is empty (not half of one: counts without buckets), so it can go on
    // recording.
    LatencyHistogram(LatencyHistogram&& o) noexcept { *this = std::move(o); }
    LatencyHistogram& operator=(LatencyHistogram&& o) noexcept;

    void record(quint64 value);
    void add(const LatencyHistogram& other);
    // Takes away `earlier`, an earlier state of this same histogram (a cumulative one read
    // twice), leaving what was recorded in between: counts and sum exact; min (max) exact when
    // the extreme was recorded in between, otherwise the nearest bound of the lowest (highest)
    // bucket that gained, within [min, max] — so adding up the parts gives back this histogram
    // exactly. False, and nothing changed, when `earlier` holds anything this one does not.
    bool subtract(const LatencyHistogram& earlier);
    void reset();
    // A histogram from its parts (a wire format's): `counts` per bucket (bucketCount() of them,
    // or none), the sum of the values and the extremes. The caller checks that they agree.
    static LatencyHistogram fromParts(
        std::vector<quint64> counts, quint64 sum, quint64 min, quint64 max);

    quint64 count() const { return m_count; }
    bool isEmpty() const { return m_count == 0; }
    quint64 min() const { return m_count ? m_min : 0; }
    quint64 max() const { return m_max; }
    double mean() const { return m_count ? double(m_sum) / double(m_count) : 0.0; }
    quint64 sum() const { return m_sum; } // of the values recorded (clamped to kMaxValue)
    // Values recorded in one bucket (0..bucketCount()-1): for exporting the distribution.
    quint64 countAt(int bucket) const
    {
        return size_t(bucket) < m_counts.size() ? m_counts[size_t(bucket)] : 0;
    }
    // The value at percentile p (0..100): the midpoint of the bucket holding the rank
    // ceil(p/100 * count), clamped to [min, max]. 0 for an empty histogram.
    quint64 percentile(double p) const;

    bool operator==(const LatencyHistogram& o) const;

private:
    static int leadingZeros(quint64 value);
    void startRecording(quint64 firstValue);

    std::vector<quint64> m_counts; // empty until the first record
    quint64 m_count = 0;
    quint64 m_sum = 0;
    quint64 m_min = 0;
    quint64 m_max = 0;
};

// record() and bucketOf() are inline: they run for every request of every connection.

inline int LatencyHistogram::leadingZeros(quint64 value)
{
#if defined(__GNUC__) || defined(__clang__)
    return __builtin_clzll(value); // value is never 0 here
#else
    return int(qCountLeadingZeroBits(value));
#endif
}

inline int LatencyHistogram::bucketCount()
{
    return kBucketCount;
}

inline int LatencyHistogram::bucketOf(quint64 value)
{
    // With kExactBits == kSubBits + 1 one formula covers both ranges: below 256 the shift is 0
    // and the bucket is the value; above, the top 8 bits (128..255) pick the sub-bucket and the
    // shift picks the power of two.
    static_assert(kExactBits == kSubBits + 1, "bucketOf assumes kExactBits == kSubBits + 1");
    if (value > kMaxValue) value = kMaxValue;
    const int topBit = 63 - leadingZeros(value | 1);
    const int shift = topBit > kSubBits ? topBit - kSubBits : 0;
    return int((quint64(shift) << kSubBits) + (value >> shift));
}

inline void LatencyHistogram::record(quint64 value)
{
    if (value > kMaxValue) value = kMaxValue;
    if (Q_UNLIKELY(m_count == 0)) startRecording(value);
    ++m_counts[size_t(bucketOf(value))];
    ++m_count;
    m_sum += value;
    m_min = value < m_min ? value : m_min;
    m_max = value > m_max ? value : m_max;
}

} // namespace swarm
