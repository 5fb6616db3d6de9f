#include "metrics/PrometheusHistogram.h"

#include <limits>

namespace swarm {

const std::vector<quint64>& prometheusEdgesUs()
{
    static const std::vector<quint64> edges = [] {
        std::vector<quint64> e;
        for (quint64 decade = 10; decade <= 10'000'000; decade *= 10) {
            for (quint64 step : {1, 2, 5})
                e.push_back(step * decade);
        }
        e.push_back(60'000'000); // a minute: the longest --reply-timeout anyone waits for
        return e;
    }();
    return edges;
}

prometheus::ClientMetric::Histogram toPrometheusHistogram(const LatencyHistogram& h)
{
    // Divided, not multiplied by 1e-6: 10 / 1e6 is the double nearest 0.00001 and prints as
    // le="1e-05", where 10 * 1e-6 prints as 9.999999999999999e-06.
    constexpr double kUsPerSecond = 1e6;
    const std::vector<quint64>& edges = prometheusEdgesUs();
    prometheus::ClientMetric::Histogram out;
    out.sample_count = h.count();
    out.sample_sum = double(h.sum()) / kUsPerSecond;
    out.bucket.reserve(edges.size() + 1);
    const auto close = [&out](quint64 edgeUs, quint64 cumulative) {
        out.bucket.push_back({cumulative, double(edgeUs) / kUsPerSecond});
    };
    size_t e = 0;
    quint64 cumulative = 0;
    if (!h.isEmpty()) {
        // Only the buckets between the smallest and largest value can hold any.
        const int last = LatencyHistogram::bucketOf(h.max());
        for (int b = LatencyHistogram::bucketOf(h.min()); b <= last; ++b) {
            const quint64 n = h.countAt(b);
            if (n == 0) continue;
            const quint64 low = LatencyHistogram::bucketLow(b);
            for (; e < edges.size() && edges[e] < low; ++e)
                close(edges[e], cumulative);
            cumulative += n;
        }
    }
    for (; e < edges.size(); ++e)
        close(edges[e], cumulative);
    out.bucket.push_back({h.count(), std::numeric_limits<double>::infinity()});
    return out;
}

} // namespace swarm
