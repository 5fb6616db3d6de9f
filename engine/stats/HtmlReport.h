#pragma once

#include "stats/Report.h"
#include "stats/StatsSnapshot.h"

#include <QJsonArray>
#include <QString>

namespace swarm {

// The run as one self-contained HTML page (`--html`, the window's File > Export Report): the
// settings, the thresholds passed or failed (`thresholds`: the --report file's array of
// {threshold, passed, actual}), the per-command table, connections by state, and charts as
// inline SVG (requests and errors per second, latency percentiles over time, the open model's
// achieved and asked rate, connections by state, the latency distribution). No network, no
// external file: it opens anywhere. Layout described in docs/REPORT.md.
QString htmlReport(const StatsSnapshot& snapshot, const TimeSeries& series, const RunInfo& info,
    const QJsonArray& thresholds);

} // namespace swarm
