#pragma once

#include "scenario/DataSet.h"
#include "scenario/Scenario.h"
#include "script/ProtocolModuleInfo.h"

#include <memory>
#include <vector>

namespace swarm {

// What a run executes: a validated scenario and the protocol module it names. Immutable and
// shared read-only by every thread; applying a changed scenario or module makes a new bundle
// with a higher version, which connections pick up at their next iteration.
struct ScenarioBundle
{
    Scenario scenario;
    ProtocolModuleInfo module;
    std::vector<DataSetPtr> data; // the rows of scenario.data, in the same order
    int version = 1;
};

using ScenarioBundlePtr = std::shared_ptr<const ScenarioBundle>;

} // namespace swarm
