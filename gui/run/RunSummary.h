#pragma once

#include "stats/StatsSnapshot.h"

#include <QString>

namespace swarm {

class RunSession;

// The run panel's headline (rich text) for the run's state and figures: idle until the first
// connection; while running "8 connected · 2 connecting · 3 failing · target 13 → server ·
// running for 1:02 · 412.0 req/s", so refused connections are never counted as connected.
QString runSummaryText(const RunSession& session, const StatsSnapshot& snapshot);

} // namespace swarm
