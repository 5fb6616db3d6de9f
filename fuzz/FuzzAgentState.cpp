#include "FuzzShown.h"
#include "FuzzTargets.h"

#include "stats/AgentState.h"
#include "stats/StatsMerger.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace swarm::fuzz {

// ---- The agent state (`stats snapshot`, what a fleet controller reads from the network) ------

namespace {

QString sameCommand(const CommandDelta& got, const CommandDelta& want)
{
    if (got.name != want.name || got.requests != want.requests || got.errors != want.errors
        || got.bytesSent != want.bytesSent || got.bytesReceived != want.bytesReceived
        || got.messagesReceived != want.messagesReceived || got.messagesSent != want.messagesSent)
        return QStringLiteral("command '%1': its counters changed").arg(want.name);
    if (!(got.latency == want.latency) || !(got.corrected == want.corrected))
        return QStringLiteral("command '%1': its histograms changed").arg(want.name);
    return QString();
}

// What the reading and the reading again have the same: everything the controller merges.
QString sameTotals(const AgentState& got, const AgentState& want)
{
    const WorkerStats& g = got.totals;
    const WorkerStats& w = want.totals;
    if (g.transitions != w.transitions || g.current != w.current)
        return QStringLiteral("states changed");
    if (g.connections != w.connections || g.askedRate != w.askedRate || g.backlog != w.backlog
        || g.actionsCompleted != w.actionsCompleted || g.bytesSent != w.bytesSent
        || g.bytesReceived != w.bytesReceived || g.arrivals != w.arrivals)
        return QStringLiteral("counters changed");
    if (!(g.connectTime == w.connectTime) || !(g.tlsHandshake == w.tlsHandshake))
        return QStringLiteral("connect or TLS histograms changed");
    if (g.commands.size() != w.commands.size())
        return QStringLiteral("%1 commands, not %2").arg(g.commands.size()).arg(w.commands.size());
    for (size_t i = 0; i < w.commands.size(); ++i) {
        const QString problem = sameCommand(g.commands[i], w.commands[i]);
        if (!problem.isEmpty()) return problem;
    }
    return QString();
}

} // namespace

QString agentState(const QByteArray& input)
{
    const QJsonDocument doc = QJsonDocument::fromJson(input);
    if (!doc.isObject()) return QString();
    AgentState read;
    QString error;
    if (!parseAgentState(doc.object(), &read, &error)) {
        if (!error.startsWith(QLatin1String("stats snapshot: key '")))
            return QStringLiteral("refused without naming a key (%1): %2").arg(error, shown(input));
        return QString();
    }
    // The controller's path: from zero into a merger, and out again as an agent would write it.
    StatsMerger merger;
    merger.add(agentDelta(nullptr, read, 0));
    merger.closeInterval(read.elapsedMs, read.target);
    AgentState again;
    const QByteArray line = QJsonDocument(agentStateJson(merger.snapshot(), read.identity))
                                .toJson(QJsonDocument::Compact);
    if (!parseAgentState(QJsonDocument::fromJson(line).object(), &again, &error))
        return QStringLiteral("what was read does not read again (%1): %2")
            .arg(error, shown(input));
    const QString problem = sameTotals(again, read);
    if (!problem.isEmpty())
        return QStringLiteral("read, merged and written again: %1: %2").arg(problem, shown(input));
    return QString();
}

} // namespace swarm::fuzz
