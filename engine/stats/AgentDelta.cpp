// agentDelta: two readings of one agent's cumulative figures become one interval report.
#include "stats/AgentState.h"

#include <algorithm>

namespace swarm {

namespace {

// *now -= earlier for one counter; false when it went down (the agent started again).
template<typename T> bool takeAwayCounter(T* now, T earlier)
{
    if (*now < earlier) return false;
    *now -= earlier;
    return true;
}

bool agentCommandIdle(const CommandDelta& c)
{
    return c.requests == 0 && c.errors == 0 && c.bytesSent == 0 && c.bytesReceived == 0
        && c.messagesReceived == 0 && c.messagesSent == 0 && c.latency.isEmpty()
        && c.corrected.isEmpty();
}

bool subtractAgentCommands(std::vector<CommandDelta>* now, const std::vector<CommandDelta>& earlier)
{
    for (const CommandDelta& e : earlier) {
        auto it = std::find_if(
            now->begin(), now->end(), [&](const CommandDelta& c) { return c.name == e.name; });
        // A command never leaves the cumulative list of a run: gone means a new run.
        if (it == now->end()) return false;
        if (!takeAwayCounter(&it->requests, e.requests) || !takeAwayCounter(&it->errors, e.errors)
            || !takeAwayCounter(&it->bytesSent, e.bytesSent)
            || !takeAwayCounter(&it->bytesReceived, e.bytesReceived)
            || !takeAwayCounter(&it->messagesReceived, e.messagesReceived)
            || !takeAwayCounter(&it->messagesSent, e.messagesSent)
            || !it->latency.subtract(e.latency) || !it->corrected.subtract(e.corrected))
            return false;
    }
    now->erase(std::remove_if(now->begin(), now->end(), agentCommandIdle), now->end());
    return true;
}

// `now` minus `earlier`, counters and histograms; false when some counter went down.
bool subtractAgentTotals(WorkerStats* now, const WorkerStats& earlier)
{
    for (size_t i = 0; i < size_t(kStateCount); ++i)
        if (!takeAwayCounter(&now->transitions[i], earlier.transitions[i])) return false;
    return takeAwayCounter(&now->actionsCompleted, earlier.actionsCompleted)
        && takeAwayCounter(&now->bytesSent, earlier.bytesSent)
        && takeAwayCounter(&now->bytesReceived, earlier.bytesReceived)
        && takeAwayCounter(&now->arrivals, earlier.arrivals)
        && now->connectTime.subtract(earlier.connectTime)
        && now->tlsHandshake.subtract(earlier.tlsHandshake)
        && subtractAgentCommands(&now->commands, earlier.commands);
}

// The error rows' growth as samples, oldest row first (StatsMerger puts each new one on top, so
// the controller's rows keep the agent's order). A row missing before, or smaller now, was pushed
// out of the agent's bounded list and came back: all its count is new.
std::vector<ErrorSample> agentErrorGrowth(
    const std::vector<ErrorTotals>* before, const std::vector<ErrorTotals>& now)
{
    std::vector<ErrorSample> out;
    for (auto row = now.rbegin(); row != now.rend(); ++row) {
        quint64 grown = row->count;
        if (before) {
            auto same = std::find_if(before->begin(), before->end(), [&](const ErrorTotals& e) {
                return e.kind == row->kind && e.command == row->command;
            });
            if (same != before->end() && same->count <= row->count)
                grown = row->count - same->count;
        }
        if (grown > 0) out.push_back({row->kind, row->command, row->lastMessage, grown});
    }
    return out;
}

} // namespace

WorkerStats agentDelta(const AgentState* previous, const AgentState& now, int reporter)
{
    WorkerStats delta = now.totals;
    const bool continues = previous && previous->elapsedMs <= now.elapsedMs
        && subtractAgentTotals(&delta, previous->totals);
    if (!continues) {
        delta = now.totals;
        previous = nullptr;
    }
    delta.worker = reporter;
    delta.errorSamples
        = agentErrorGrowth(previous ? &previous->errorTotals : nullptr, now.errorTotals);
    return delta;
}

} // namespace swarm
