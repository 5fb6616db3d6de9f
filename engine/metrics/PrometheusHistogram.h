#pragma once

#include "stats/LatencyHistogram.h"

#include <prometheus/client_metric.h>

#include <vector>

namespace swarm {

// swarm's latency histograms (log-linear, microseconds, 3,328 buckets: LatencyHistogram) as
// Prometheus histograms: cumulative counts under fixed `le` edges, the same on every swarm, so the
// buckets of many agents add up and histogram_quantile() works over their sum.
//
// The edges, in microseconds, ascending: 1, 2 and 5 of every decade from 10 µs to 50 s, then
// 60 s (22 edges; +Inf follows). docs/METRICS.md lists them.
const std::vector<quint64>& prometheusEdgesUs();

// The histogram under those edges: a recorded value counts under le=E when the swarm bucket that
// holds it starts at or below E. Below 256 µs a swarm bucket is one microsecond, so the counts
// are exact; above, a bucket is at most 1/128 of its values wide, so a value up to 0.8 % above
// an edge may count under it. _sum is exact (whole microseconds), _count is every value.
prometheus::ClientMetric::Histogram toPrometheusHistogram(const LatencyHistogram& histogram);

} // namespace swarm
