#pragma once

#include "stats/StatsSnapshot.h"
#include "stats/WorkerStats.h"

#include <QJsonObject>
#include <QString>

#include <vector>

namespace swarm {

// The lossless "agent state" a fleet controller reads from each agent once a second (the
// console's `stats snapshot`): the agent's cumulative figures, histograms bucket by bucket, so
// that the controller can take the difference between two readings (agentDelta) and merge every
// agent's part in one StatsMerger — percentiles then come from merged histograms, never from
// averaged percentiles. The format is docs/REPORT.md's "stats snapshot"; `stats json` (the
// report) is another, lossy, format.

// Who answers: what the controller checks before it merges (same version, scenario, module).
struct AgentIdentity
{
    QString version; // swarm's version string (as --version prints)
    QString scenario; // the scenario's file, as RunInfo::scenario
    QString protocol; // the module's protocol name
    QString io; // the transport in use
    QString bundleDigest; // ScenarioBundle::digest(): changes when `reload` loads changed texts
    int agentIndex = 0; // --agent-index I/N
    int agentCount = 1;
};

// One reading of an agent.
struct AgentState
{
    AgentIdentity identity;
    qint64 elapsedMs = 0; // the agent's run clock
    int target = 0; // connections asked for
    // Cumulative since the agent started, in WorkerStats form (worker -1): transitions, actions,
    // bytes, connect and TLS times, arrivals, every command with its cumulative counters and
    // histograms; `current`, `connections`, `askedRate` and `backlog` are the figures now.
    WorkerStats totals;
    std::vector<ErrorTotals> errorTotals; // cumulative, with the last messages
};

// The wire format's version: a reader refuses any other.
constexpr int kAgentWireVersion = 1;

// The `stats snapshot` reply (one line of compact JSON once serialized).
QJsonObject agentStateJson(const StatsSnapshot& snapshot, const AgentIdentity& identity);

// Reads a reply back: false and *error ("stats snapshot: key 'commands[2].latency' ...") when it
// is malformed or of another wire version. *state is only meaningful on success.
bool parseAgentState(const QJsonObject& json, AgentState* state, QString* error);

// The interval report between two readings of one agent, for StatsMerger::add (worker =
// reporter): counters and histograms subtracted (LatencyHistogram::subtract, exact); `current`,
// `connections`, `askedRate`, `backlog` from `now`; error samples from the growth of the error
// rows' counts (kind, command, last message, count growth). When `now` does not continue
// `previous` (a counter went down: the agent restarted), or previous is null, the report is
// `now` itself, counted from zero.
WorkerStats agentDelta(const AgentState* previous, const AgentState& now, int reporter);

} // namespace swarm
