#pragma once

// Synthetic workers' reports and the trip through the wire, for the agent state's tests.
#include "stats/AgentState.h"
#include "stats/StatsMerger.h"

#include <QJsonDocument>

#include <cmath>
#include <random>

namespace swarm::test {

inline const char* const kCommands[] = {"get", "set", "ping"};

// Latencies spread log-uniformly from 1 µs to 5 minutes (and a few past the histogram's top).
inline quint64 latency(std::mt19937_64& random)
{
    std::uniform_real_distribution<double> exponent(0.0, std::log(3e8));
    const quint64 us = quint64(std::exp(exponent(random)));
    return random() % 500 == 0 ? LatencyHistogram::kMaxValue + 5 : qMax<quint64>(1, us);
}

// One worker's synthetic interval report: commands with requests, errors and latencies, error
// samples with messages, states and transitions.
inline WorkerStats workerReport(std::mt19937_64& random, int worker, int interval)
{
    WorkerStats w;
    w.worker = worker;
    w.connections = int(random() % 50);
    w.current[size_t(ConnState::Standby)] = w.connections / 2;
    w.current[size_t(ConnState::Acting)] = w.connections - w.connections / 2;
    for (int s = 0; s < kStateCount; ++s)
        w.transitions[size_t(s)] = qint64(random() % 7);
    w.actionsCompleted = random() % 1000;
    w.bytesSent = random() % 100000;
    w.bytesReceived = random() % 100000;
    w.arrivals = random() % 30;
    w.askedRate = double(random() % 1000) / 8.0;
    w.backlog = qint64(random() % 4);
    for (int i = 0; i < 1 + int(random() % 20); ++i)
        w.connectTime.record(latency(random));
    if (interval % 2 == 0) w.tlsHandshake.record(latency(random));
    for (const char* name : kCommands) {
        if (random() % 4 == 0) continue; // not every command runs every interval
        CommandDelta c;
        c.name = QString::fromLatin1(name);
        c.requests = random() % 300;
        c.errors = random() % 5;
        c.bytesSent = c.requests * 14;
        c.bytesReceived = c.requests * 7;
        c.messagesReceived = random() % 3;
        c.messagesSent = random() % 2;
        for (quint64 i = 0; i < c.requests; ++i) {
            c.latency.record(latency(random));
            if (i % 3 == 0) c.corrected.record(latency(random));
        }
        w.commands.push_back(std::move(c));
    }
    if (random() % 2 == 0)
        w.errorSamples.push_back({QStringLiteral("refused"), QString(),
            QStringLiteral("connection refused (interval %1)").arg(interval), 1 + random() % 9});
    if (random() % 3 == 0)
        w.errorSamples.push_back({QStringLiteral("script_error"), QStringLiteral("get"),
            QStringLiteral("redis.js:12: TypeError \"x\" \u00e9 (%1)").arg(interval), 1});
    return w;
}

inline AgentIdentity identity(int index = 0)
{
    AgentIdentity a;
    a.version = QStringLiteral("9.8.7");
    a.scenario = QStringLiteral("/tmp/scripts/redis \"q\".yml");
    a.protocol = QStringLiteral("redis");
    a.io = QStringLiteral("epoll");
    a.bundleDigest = QStringLiteral("0123456789abcdef");
    a.agentIndex = index;
    a.agentCount = 2;
    return a;
}

// Through bytes, as the console line carries it.
inline bool overTheWire(
    const StatsSnapshot& s, const AgentIdentity& a, AgentState* out, QString* error)
{
    const QByteArray line = QJsonDocument(agentStateJson(s, a)).toJson(QJsonDocument::Compact);
    if (line.contains('\n')) {
        *error = QStringLiteral("the reply is not one line");
        return false;
    }
    return parseAgentState(QJsonDocument::fromJson(line).object(), out, error);
}

inline StatsSnapshot snapshotOf(int workers, int intervals, quint64 seed)
{
    std::mt19937_64 random(seed);
    StatsMerger m;
    m.start(0);
    for (int i = 0; i < intervals; ++i) {
        for (int w = 0; w < workers; ++w)
            m.add(workerReport(random, w, i));
        m.closeInterval(1000 * (i + 1), 40 + i);
    }
    return m.snapshot();
}

} // namespace swarm::test
