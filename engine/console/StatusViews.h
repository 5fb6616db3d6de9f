#pragma once

#include "core/LoadDriver.h"
#include "stats/StatsSnapshot.h"

#include <QString>

namespace swarm {

// The focused parts of `status`: errors, commands, connections. Plain text, no trailing newline.
class StatusViews
{
public:
    // Errors by kind and command, with counts and the last message of each.
    static QString errors(const StatsSnapshot& s);
    // Per command: requests, errors, rates, latency percentiles and bytes.
    static QString commands(const StatsSnapshot& s);
    // Connections by state, per worker, the target and the ramp.
    static QString connections(const StatsSnapshot& s, const LoadDriver& engine);
};

} // namespace swarm
