#pragma once

#include "scenario/ScenarioBundle.h"

#include <QString>

namespace swarm {

// A short fingerprint of what a bundle runs: the scenario file's bytes and the module's source.
// Agents of one fleet must show the same one; a controller gives no share to an agent that
// differs (`mismatch`).
QString bundleDigest(const ScenarioBundle& bundle);

} // namespace swarm
