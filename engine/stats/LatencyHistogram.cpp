#include "stats/LatencyHistogram.h"

#include <algorithm>
#include <cmath>

namespace swarm {

static_assert(LatencyHistogram::kBucketCount == 3328, "the header documents 3,328 buckets");
static_assert(
    LatencyHistogram::kMaxValue >> 31 == 1, "kBucketCount assumes kMaxValue's top bit is bit 31");

namespace {

// The nearest rank, ceil(p/100 * count), at least 1. p = 99.9 is not exactly representable, so
// p/100 * count can land a hair above an integer that is the true rank; that would report the
// next (possibly very different) value, e.g. the slow mode of a bimodal sample.
quint64 nearestRank(double p, quint64 count)
{
    if (!(p > 0.0)) return 1;
    const double x = p * double(count) / 100.0;
    double rank = std::ceil(x);
    if (rank - 1.0 >= 1.0 && x - (rank - 1.0) <= x * 1e-15) rank -= 1.0;
    if (rank < 1.0) return 1;
    if (rank >= double(count)) return count;
    return quint64(rank);
}

} // namespace

quint64 LatencyHistogram::bucketLow(int bucket)
{
    if (bucket < (1 << kExactBits)) return bucket < 0 ? 0 : quint64(bucket);
    if (bucket >= kBucketCount) return bucketLow(kBucketCount - 1);
    // Inverse of bucketOf: bucket = shift * 128 + top, with top in 128..255.
    const int shift = (bucket >> kSubBits) - 1;
    const quint64 top = quint64(bucket & ((1 << kSubBits) - 1)) | (quint64(1) << kSubBits);
    return top << shift;
}

quint64 LatencyHistogram::bucketHigh(int bucket)
{
    if (bucket < (1 << kExactBits)) return bucket < 0 ? 0 : quint64(bucket);
    if (bucket >= kBucketCount) return kMaxValue;
    const int shift = (bucket >> kSubBits) - 1;
    return bucketLow(bucket) + (quint64(1) << shift) - 1;
}

LatencyHistogram& LatencyHistogram::operator=(LatencyHistogram&& o) noexcept
{
    if (this != &o) {
        m_counts = std::move(o.m_counts);
        m_count = o.m_count;
        m_sum = o.m_sum;
        m_min = o.m_min;
        m_max = o.m_max;
        o.reset();
    }
    return *this;
}

void LatencyHistogram::startRecording(quint64 firstValue)
{
    if (m_counts.empty()) m_counts.assign(size_t(kBucketCount), 0);
    m_min = m_max = firstValue;
}

void LatencyHistogram::add(const LatencyHistogram& other)
{
    if (other.m_count == 0 || other.m_counts.empty()) return;
    if (m_counts.empty()) m_counts.assign(size_t(kBucketCount), 0);
    // Indexing, not iterators: other may be *this.
    for (size_t i = 0; i < size_t(kBucketCount); ++i)
        m_counts[i] += other.m_counts[i];
    if (m_count == 0) {
        m_min = other.m_min;
        m_max = other.m_max;
    } else {
        m_min = std::min(m_min, other.m_min);
        m_max = std::max(m_max, other.m_max);
    }
    m_count += other.m_count;
    m_sum += other.m_sum;
}

bool LatencyHistogram::subtract(const LatencyHistogram& earlier)
{
    if (earlier.m_count == 0) return true;
    if (earlier.m_count > m_count || earlier.m_sum > m_sum || m_counts.empty()
        || earlier.m_counts.empty())
        return false;
    int low = -1;
    int high = -1;
    for (int i = 0; i < kBucketCount; ++i) {
        const quint64 before = earlier.m_counts[size_t(i)];
        if (before > m_counts[size_t(i)]) return false;
        if (m_counts[size_t(i)] == before) continue;
        if (low < 0) low = i;
        high = i;
    }
    const quint64 left = m_count - earlier.m_count;
    if ((left == 0) != (low < 0)) return false; // counts that disagree with their buckets
    if (left == 0) {
        if (m_sum != earlier.m_sum) return false;
        reset();
        return true;
    }
    for (size_t i = 0; i < size_t(kBucketCount); ++i)
        m_counts[i] -= earlier.m_counts[i];
    // The whole run's minimum is below the earlier one only if it was recorded in between.
    m_min = m_min < earlier.m_min ? m_min : std::max(bucketLow(low), m_min);
    m_max = m_max > earlier.m_max ? m_max : std::min(bucketHigh(high), m_max);
    m_count = left;
    m_sum -= earlier.m_sum;
    return true;
}

LatencyHistogram LatencyHistogram::fromParts(
    std::vector<quint64> counts, quint64 sum, quint64 min, quint64 max)
{
    LatencyHistogram h;
    quint64 count = 0;
    for (quint64 c : counts)
        count += c;
    if (count == 0 || counts.size() != size_t(kBucketCount)) return h;
    h.m_counts = std::move(counts);
    h.m_count = count;
    h.m_sum = sum;
    h.m_min = min;
    h.m_max = max;
    return h;
}

void LatencyHistogram::reset()
{
    std::vector<quint64>().swap(m_counts);
    m_count = m_sum = m_min = m_max = 0;
}

quint64 LatencyHistogram::percentile(double p) const
{
    if (m_count == 0 || m_counts.empty()) return 0;
    if (p >= 100.0) return m_max;
    const quint64 rank = nearestRank(p, m_count);
    quint64 seen = 0;
    for (int b = 0; b < kBucketCount; ++b) {
        seen += m_counts[size_t(b)];
        if (seen >= rank) {
            const quint64 low = bucketLow(b);
            const quint64 mid = low + (bucketHigh(b) - low) / 2;
            return std::clamp(mid, m_min, m_max);
        }
    }
    return m_max;
}

bool LatencyHistogram::operator==(const LatencyHistogram& o) const
{
    if (m_count != o.m_count || m_sum != o.m_sum || min() != o.min() || m_max != o.m_max)
        return false;
    if (m_counts.empty() || o.m_counts.empty()) {
        const std::vector<quint64>& filled = m_counts.empty() ? o.m_counts : m_counts;
        return std::all_of(filled.begin(), filled.end(), [](quint64 c) { return c == 0; });
    }
    return m_counts == o.m_counts;
}

} // namespace swarm
