#pragma once

#include "stats/StatsSnapshot.h"
#include "stats/WorkerStats.h"

#include <QJsonObject>
#include <QString>

#include <vector>

namespace swarm {

// Who an agent is: what a fleet controller checks before it gives the agent a share.
struct AgentIdentity
{
    QString version, scenario, protocol, io, bundleDigest;
    int agentIndex = 0;
    int agentCount = 1;
};

// One agent's `stats snapshot`: its figures since it started, cumulative.
struct AgentState
{
    AgentIdentity identity;
    qint64 elapsedMs = 0;
    int target = 0;
    // CUMULATIVE since the agent started, in WorkerStats form (+ current/connections/askedRate/
    // backlog now).
    WorkerStats totals;
    std::vector<ErrorTotals> errorTotals;
};

QJsonObject agentStateJson(const StatsSnapshot& snapshot, const AgentIdentity& identity);
bool parseAgentState(const QJsonObject& json, AgentState* state, QString* error);
// Interval report between two states of one agent for StatsMerger::add (worker = reporter);
// handles a restarted agent (counters went down: from zero); previous == nullptr: from zero.
WorkerStats agentDelta(const AgentState* previous, const AgentState& now, int reporter);

} // namespace swarm
