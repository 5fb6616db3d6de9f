// A stand-in for the fleet wire (branch fleetwire), replaced by it when it lands on main.
#include "stats/AgentState.h"

#include <QJsonArray>

namespace swarm {

namespace {

QJsonObject histogramJson(const LatencyHistogram& h)
{
    QJsonArray buckets;
    for (int b = 0; b < LatencyHistogram::bucketCount(); ++b)
        if (h.countAt(b) > 0) buckets << b << double(h.countAt(b));
    return QJsonObject {{QStringLiteral("b"), buckets}};
}

LatencyHistogram histogramFrom(const QJsonValue& v)
{
    LatencyHistogram h;
    const QJsonArray b = v.toObject().value(QStringLiteral("b")).toArray();
    for (qsizetype i = 0; i + 1 < b.size(); i += 2)
        h.addBucket(b[i].toInt(), quint64(b[i + 1].toDouble()));
    return h;
}

LatencyHistogram histogramMinus(const LatencyHistogram& now, const LatencyHistogram* before)
{
    if (!before) return now;
    LatencyHistogram d;
    for (int b = 0; b < LatencyHistogram::bucketCount(); ++b) {
        const quint64 n = now.countAt(b), p = before->countAt(b);
        if (n > p) d.addBucket(b, n - p);
    }
    return d;
}

quint64 minus(quint64 now, quint64 before)
{
    return now > before ? now - before : 0;
}

QJsonArray statesJson(const StateCounts& c)
{
    QJsonArray a;
    for (qint64 v : c)
        a << double(v);
    return a;
}

void statesFrom(const QJsonValue& v, StateCounts* c)
{
    const QJsonArray a = v.toArray();
    for (int i = 0; i < kStateCount && i < a.size(); ++i)
        (*c)[size_t(i)] = qint64(a[i].toDouble());
}

} // namespace

QJsonObject agentStateJson(const StatsSnapshot& s, const AgentIdentity& id)
{
    QJsonArray commands;
    for (const CommandTotals& c : s.commands)
        commands << QJsonObject {{QStringLiteral("name"), c.name},
            {QStringLiteral("requests"), double(c.requests)},
            {QStringLiteral("errors"), double(c.errors)},
            {QStringLiteral("bytesSent"), double(c.bytesSent)},
            {QStringLiteral("bytesReceived"), double(c.bytesReceived)},
            {QStringLiteral("latency"), histogramJson(c.latency)}};
    return QJsonObject {
        {QStringLiteral("identity"),
            QJsonObject {{QStringLiteral("version"), id.version},
                {QStringLiteral("scenario"), id.scenario},
                {QStringLiteral("protocol"), id.protocol}, {QStringLiteral("io"), id.io},
                {QStringLiteral("bundleDigest"), id.bundleDigest},
                {QStringLiteral("agentIndex"), id.agentIndex},
                {QStringLiteral("agentCount"), id.agentCount}}},
        {QStringLiteral("elapsedMs"), double(s.elapsedMs)}, {QStringLiteral("target"), s.target},
        {QStringLiteral("connections"), s.connections},
        {QStringLiteral("current"), statesJson(s.current)},
        {QStringLiteral("transitions"), statesJson(s.transitions)},
        {QStringLiteral("actions"), double(s.actionsCompleted)},
        {QStringLiteral("bytesSent"), double(s.bytesSent)},
        {QStringLiteral("bytesReceived"), double(s.bytesReceived)},
        {QStringLiteral("connectTime"), histogramJson(s.connectTime)},
        {QStringLiteral("commands"), commands}};
}

bool parseAgentState(const QJsonObject& json, AgentState* state, QString* error)
{
    const QJsonObject id = json.value(QStringLiteral("identity")).toObject();
    if (id.isEmpty() || !json.contains(QStringLiteral("target"))) {
        *error = QStringLiteral("not a stats snapshot (no identity or target)");
        return false;
    }
    AgentState s;
    s.identity.version = id.value(QStringLiteral("version")).toString();
    s.identity.scenario = id.value(QStringLiteral("scenario")).toString();
    s.identity.protocol = id.value(QStringLiteral("protocol")).toString();
    s.identity.io = id.value(QStringLiteral("io")).toString();
    s.identity.bundleDigest = id.value(QStringLiteral("bundleDigest")).toString();
    s.identity.agentIndex = id.value(QStringLiteral("agentIndex")).toInt();
    s.identity.agentCount = id.value(QStringLiteral("agentCount")).toInt(1);
    s.elapsedMs = qint64(json.value(QStringLiteral("elapsedMs")).toDouble());
    s.target = json.value(QStringLiteral("target")).toInt();
    WorkerStats& t = s.totals;
    t.connections = json.value(QStringLiteral("connections")).toInt();
    statesFrom(json.value(QStringLiteral("current")), &t.current);
    statesFrom(json.value(QStringLiteral("transitions")), &t.transitions);
    t.actionsCompleted = quint64(json.value(QStringLiteral("actions")).toDouble());
    t.bytesSent = quint64(json.value(QStringLiteral("bytesSent")).toDouble());
    t.bytesReceived = quint64(json.value(QStringLiteral("bytesReceived")).toDouble());
    t.connectTime = histogramFrom(json.value(QStringLiteral("connectTime")));
    for (const QJsonValue& v : json.value(QStringLiteral("commands")).toArray()) {
        const QJsonObject o = v.toObject();
        CommandDelta c;
        c.name = o.value(QStringLiteral("name")).toString();
        c.requests = quint64(o.value(QStringLiteral("requests")).toDouble());
        c.errors = quint64(o.value(QStringLiteral("errors")).toDouble());
        c.bytesSent = quint64(o.value(QStringLiteral("bytesSent")).toDouble());
        c.bytesReceived = quint64(o.value(QStringLiteral("bytesReceived")).toDouble());
        c.latency = histogramFrom(o.value(QStringLiteral("latency")));
        t.commands.push_back(std::move(c));
    }
    *state = std::move(s);
    return true;
}

WorkerStats agentDelta(const AgentState* previous, const AgentState& now, int reporter)
{
    const WorkerStats& n = now.totals;
    const WorkerStats* p = previous ? &previous->totals : nullptr;
    if (p && (now.elapsedMs < previous->elapsedMs || n.bytesSent < p->bytesSent)) p = nullptr;
    WorkerStats d;
    d.worker = reporter;
    d.connections = n.connections;
    d.current = n.current;
    for (int i = 0; i < kStateCount; ++i)
        d.transitions[size_t(i)] = qint64(
            minus(quint64(n.transitions[size_t(i)]), p ? quint64(p->transitions[size_t(i)]) : 0));
    d.actionsCompleted = minus(n.actionsCompleted, p ? p->actionsCompleted : 0);
    d.bytesSent = minus(n.bytesSent, p ? p->bytesSent : 0);
    d.bytesReceived = minus(n.bytesReceived, p ? p->bytesReceived : 0);
    d.connectTime = histogramMinus(n.connectTime, p ? &p->connectTime : nullptr);
    for (const CommandDelta& c : n.commands) {
        const CommandDelta* before = nullptr;
        if (p)
            for (const CommandDelta& b : p->commands)
                if (b.name == c.name) before = &b;
        CommandDelta x;
        x.name = c.name;
        x.requests = minus(c.requests, before ? before->requests : 0);
        x.errors = minus(c.errors, before ? before->errors : 0);
        x.bytesSent = minus(c.bytesSent, before ? before->bytesSent : 0);
        x.bytesReceived = minus(c.bytesReceived, before ? before->bytesReceived : 0);
        x.latency = histogramMinus(c.latency, before ? &before->latency : nullptr);
        if (x.requests > 0 || x.errors > 0) d.commands.push_back(std::move(x));
    }
    return d;
}

} // namespace swarm
