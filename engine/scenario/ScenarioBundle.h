#pragma once

#include "scenario/DataSet.h"
#include "scenario/Scenario.h"
#include "script/ProtocolModuleInfo.h"

#include <QByteArray>
#include <QString>

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
    QByteArray scenarioSource; // the scenario's YAML as loaded (module.source is the module's)

    // The first 16 hex digits of the SHA-256 of the scenario's and the module's texts: two
    // processes run the same files when their digests agree (a fleet's agents, say).
    QString digest() const;
};

using ScenarioBundlePtr = std::shared_ptr<const ScenarioBundle>;

} // namespace swarm
