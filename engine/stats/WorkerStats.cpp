#include "stats/WorkerStats.h"

namespace swarm {

int StatsRecorder::commandId(const QString& name)
{
    for (size_t i = 0; i < m_commands.size(); ++i)
        if (m_commands[i].name == name) return int(i);
    m_commands.push_back(Command());
    m_commands.back().name = name;
    return int(m_commands.size() - 1);
}

void StatsRecorder::errorMessage(ConnState kind, int commandId, const QString& message)
{
    const QString kindName = QString::fromLatin1(stateName(kind));
    const QString command = commandId >= 0 && size_t(commandId) < m_commands.size()
        ? m_commands[size_t(commandId)].name
        : QString();
    ErrorSample* sameKind = nullptr;
    for (ErrorSample& s : m_samples) {
        if (s.kind == kindName && s.command == command) {
            if (s.message == message) {
                ++s.count;
                return;
            }
            sameKind = &s;
        }
    }
    if (m_samples.size() >= kMaxSamples) {
        if (sameKind)
            ++sameKind->count;
        else
            ++m_droppedSamples;
        return;
    }
    m_samples.push_back({kindName, command, message, 1});
}

WorkerStats StatsRecorder::take(int worker, quint64 sequence, int connections)
{
    WorkerStats s;
    s.worker = worker;
    s.sequence = sequence;
    s.connections = connections;
    s.current = m_current;
    s.transitions = m_transitions;
    m_transitions.fill(0);
    s.actionsCompleted = m_actionsCompleted;
    s.bytesSent = m_bytesSent;
    s.bytesReceived = m_bytesReceived;
    s.arrivals = m_arrivals;
    m_actionsCompleted = m_bytesSent = m_bytesReceived = m_arrivals = 0;
    s.connectTime = std::move(m_connectTime);
    m_connectTime = LatencyHistogram();
    s.tlsHandshake = std::move(m_tlsHandshake);
    m_tlsHandshake = LatencyHistogram();
    for (Command& c : m_commands) {
        if (!c.active) continue;
        CommandDelta d;
        d.name = c.name;
        d.requests = c.requests;
        d.errors = c.errors;
        d.bytesSent = c.bytesSent;
        d.bytesReceived = c.bytesReceived;
        d.messagesReceived = c.messagesReceived;
        d.messagesSent = c.messagesSent;
        d.latency = std::move(c.latency);
        d.corrected = std::move(c.corrected);
        s.commands.push_back(std::move(d));
        c.latency = LatencyHistogram();
        c.corrected = LatencyHistogram();
        c.requests = c.errors = c.bytesSent = c.bytesReceived = 0;
        c.messagesReceived = c.messagesSent = 0;
        c.active = false;
    }
    if (m_droppedSamples) {
        s.errorSamples = std::move(m_samples);
        s.errorSamples.push_back({QStringLiteral("other"), QString(),
            QStringLiteral("(further different messages not shown)"), m_droppedSamples});
    } else {
        s.errorSamples = std::move(m_samples);
    }
    m_samples.clear();
    m_droppedSamples = 0;
    return s;
}

} // namespace swarm
