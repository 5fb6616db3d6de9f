#include "stats/AgentState.h"

#include "stats/AgentWire.h"

#include <QJsonArray>

namespace swarm {

namespace {

// A run of buckets goes on over this many empty ones (",0" each) rather than starting another
// ("],[1234," costs more).
constexpr int kZerosKeptInRun = 2;

QJsonArray wireBucketRuns(const LatencyHistogram& h)
{
    QJsonArray runs;
    QJsonArray run;
    int zeros = 0;
    for (int b = 0; b < LatencyHistogram::bucketCount(); ++b) {
        const quint64 c = h.countAt(b);
        if (c == 0) {
            ++zeros;
            continue;
        }
        if (!run.isEmpty() && zeros > kZerosKeptInRun) {
            runs.append(run);
            run = QJsonArray();
        }
        if (run.isEmpty())
            run.append(b);
        else
            for (; zeros > 0; --zeros)
                run.append(0);
        zeros = 0;
        run.append(wire::integer(c));
    }
    if (!run.isEmpty()) runs.append(run);
    return runs;
}

QJsonObject wireHistogram(const LatencyHistogram& h)
{
    QJsonObject o;
    o[QStringLiteral("count")] = wire::integer(h.count());
    o[QStringLiteral("sum")] = wire::integer(h.sum());
    o[QStringLiteral("min")] = wire::integer(h.min());
    o[QStringLiteral("max")] = wire::integer(h.max());
    o[QStringLiteral("buckets")] = wireBucketRuns(h);
    return o;
}

QJsonObject wireStates(const StateCounts& counts)
{
    QJsonObject o;
    for (int i = 0; i < kStateCount; ++i)
        o[QLatin1String(stateName(i))] = wire::integer(quint64(qMax<qint64>(0, counts[size_t(i)])));
    return o;
}

QJsonObject wireIdentity(const AgentIdentity& a)
{
    QJsonObject o;
    o[QStringLiteral("version")] = a.version;
    o[QStringLiteral("scenario")] = a.scenario;
    o[QStringLiteral("protocol")] = a.protocol;
    o[QStringLiteral("io")] = a.io;
    o[QStringLiteral("bundle_digest")] = a.bundleDigest;
    o[QStringLiteral("index")] = a.agentIndex;
    o[QStringLiteral("count")] = a.agentCount;
    return o;
}

QJsonArray wireCommands(const std::vector<CommandTotals>& commands)
{
    QJsonArray out;
    for (const CommandTotals& c : commands) {
        QJsonObject o;
        o[QStringLiteral("name")] = c.name;
        o[QStringLiteral("requests")] = wire::integer(c.requests);
        o[QStringLiteral("errors")] = wire::integer(c.errors);
        o[QStringLiteral("bytes_sent")] = wire::integer(c.bytesSent);
        o[QStringLiteral("bytes_received")] = wire::integer(c.bytesReceived);
        o[QStringLiteral("messages_received")] = wire::integer(c.messagesReceived);
        o[QStringLiteral("messages_sent")] = wire::integer(c.messagesSent);
        o[QStringLiteral("latency")] = wireHistogram(c.latency);
        o[QStringLiteral("corrected")] = wireHistogram(c.corrected);
        out.append(o);
    }
    return out;
}

QJsonArray wireErrors(const std::vector<ErrorTotals>& rows)
{
    QJsonArray out;
    for (const ErrorTotals& e : rows) {
        QJsonObject o;
        o[QStringLiteral("kind")] = e.kind;
        o[QStringLiteral("command")] = e.command;
        o[QStringLiteral("count")] = wire::integer(e.count);
        o[QStringLiteral("last_message")] = e.lastMessage;
        o[QStringLiteral("last_at_ms")] = wire::integer(quint64(qMax<qint64>(0, e.lastAtMs)));
        out.append(o);
    }
    return out;
}

} // namespace

QJsonObject agentStateJson(const StatsSnapshot& s, const AgentIdentity& identity)
{
    QJsonObject o;
    o[QStringLiteral("wire")] = kAgentWireVersion;
    o[QStringLiteral("agent")] = wireIdentity(identity);
    o[QStringLiteral("elapsed_ms")] = wire::integer(quint64(qMax<qint64>(0, s.elapsedMs)));
    o[QStringLiteral("target")] = qMax(0, s.target);
    o[QStringLiteral("connections")] = qMax(0, s.connections);
    o[QStringLiteral("asked_rate")] = s.askedRate;
    o[QStringLiteral("backlog")] = wire::integer(quint64(qMax<qint64>(0, s.backlog)));
    o[QStringLiteral("current")] = wireStates(s.current);
    o[QStringLiteral("transitions")] = wireStates(s.transitions);
    o[QStringLiteral("actions_completed")] = wire::integer(s.actionsCompleted);
    o[QStringLiteral("bytes_sent")] = wire::integer(s.bytesSent);
    o[QStringLiteral("bytes_received")] = wire::integer(s.bytesReceived);
    o[QStringLiteral("arrivals")] = wire::integer(s.arrivals);
    o[QStringLiteral("connect_time")] = wireHistogram(s.connectTime);
    o[QStringLiteral("tls_handshake")] = wireHistogram(s.tlsHandshake);
    o[QStringLiteral("commands")] = wireCommands(s.commands);
    o[QStringLiteral("errors")] = wireErrors(s.errorTotals);
    return o;
}

} // namespace swarm
