#pragma once

#include "stats/Report.h"
#include "stats/StatsSnapshot.h"

#include <prometheus/metric_family.h>

#include <QByteArray>
#include <vector>

namespace swarm {

// A run's figures as Prometheus metric families: the one mapping from a merged StatsSnapshot
// (one swarm's, or a fleet's merged from its agents) to what `GET /metrics` serves. Pure: no
// clock, no thread, no I/O. Counters are the snapshot's whole-run totals (they restart at 0 when
// a run's clock does: Prometheus' rate() treats that as a counter reset). docs/METRICS.md lists
// every family.
std::vector<prometheus::MetricFamily> metricFamilies(
    const StatsSnapshot& snapshot, const RunInfo& info);

// The families in the text exposition format 0.0.4 (prometheus-cpp's TextSerializer).
QByteArray metricsText(const std::vector<prometheus::MetricFamily>& families);

// The Content-Type of that text.
inline constexpr char kMetricsContentType[] = "text/plain; version=0.0.4; charset=utf-8";

} // namespace swarm
