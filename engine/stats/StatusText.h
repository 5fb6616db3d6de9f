#pragma once

#include "stats/StatsSnapshot.h"

#include <QString>

namespace swarm {

// The status block printed every --status-interval and answered to the console's `status`, in
// the original tool's layout (realtime counts by state, aggregate transitions into each state)
// plus actions, requests, errors by kind and a line per command.
// `final`: the block printed when the run has ended (the counts are those at the stop).
QString formatStatus(const StatsSnapshot& snapshot, int target, bool final = false);

// The open model's line: achieved against asked rate, backlog, latency from the intended start
// beside the service time.
QString openModelLine(const StatsSnapshot& snapshot, bool final = false);

// "850µs", "12.3ms", "1.52s"
QString formatMicros(quint64 us);
// "45s", "12m03s", "2h05m"
QString formatElapsed(qint64 ms);
// "1.2 KiB", "35.0 MiB"
QString formatBytes(double bytes);

} // namespace swarm
