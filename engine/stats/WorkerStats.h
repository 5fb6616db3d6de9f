#pragma once

#include "core/ConnectionState.h"
#include "stats/LatencyHistogram.h"

#include <QMetaType>
#include <QString>
#include <QStringList>

#include <array>
#include <atomic>
#include <vector>

namespace swarm {

// What one command did during one collection interval, in one worker.
struct CommandDelta
{
    QString name;
    quint64 requests = 0; // completed or failed requests (send_for_reply, send_noreply, recv)
    quint64 errors = 0; // failed requests and script errors of this command
    quint64 bytesSent = 0;
    quint64 bytesReceived = 0;
    quint64 messagesReceived = 0; // pushed by the server, read with client.recv (not timed)
    quint64 messagesSent = 0; // send_noreply(..., {request: false}): sent, not a request
    LatencyHistogram latency; // µs, first byte written to reply complete (service time)
    // µs from the round's intended start (the open model: no coordinated omission); empty
    // while nothing is paced.
    LatencyHistogram corrected;
};

// A rate-limited sample of an error message, with how many times it happened.
struct ErrorSample
{
    QString kind; // state name: script_error, protocol_error, ...
    QString command; // the command being run, or empty (a connect error, say)
    QString message;
    quint64 count = 0;
};

// One worker's report for one collection interval: plain values, moved to the engine's thread.
// Counters are deltas since the previous report, except `current` and `connections`.
struct WorkerStats
{
    int worker = -1;
    quint64 sequence = 0;
    int connections = 0;
    int peakConnections = 0; // the most at once since the previous report (>= connections)
    StateCounts current {}; // connections in each state now
    StateCounts transitions {}; // transitions into each state (delta)
    quint64 actionsCompleted = 0;
    quint64 bytesSent = 0; // all bytes written to sockets
    quint64 bytesReceived = 0; // all bytes read from sockets
    LatencyHistogram connectTime; // µs from connect() to connected
    LatencyHistogram tlsHandshake; // µs from connected to the TLS handshake done
    // The open model: paced rounds started (delta); the rate the connections' schedules add up
    // to now; arrivals due now that have not started (connections behind their schedule).
    quint64 arrivals = 0;
    double askedRate = 0;
    qint64 backlog = 0;
    std::vector<CommandDelta> commands; // only those with activity
    std::vector<ErrorSample> errorSamples;
};

// Records a worker's measurements without locks: only its own thread touches it; take() hands
// the interval's figures over as a WorkerStats and starts a new interval.
class StatsRecorder
{
public:
    int commandId(const QString& name);

    void request(int commandId, quint64 latencyUs, quint64 sent, quint64 received)
    {
        Command& c = m_commands[size_t(commandId)];
        ++c.requests;
        c.bytesSent += sent;
        c.bytesReceived += received;
        c.latency.record(latencyUs);
        c.active = true;
    }
    // The same request's latency from its round's intended start (the open model).
    void corrected(int commandId, quint64 us)
    {
        m_commands[size_t(commandId)].corrected.record(us);
    }
    void arrival() { ++m_arrivals; }
    void requestWithoutReply(int commandId, quint64 sent)
    {
        Command& c = m_commands[size_t(commandId)];
        ++c.requests;
        c.bytesSent += sent;
        c.active = true;
    }
    // A message the server sent on its own, read by client.recv: counted, not timed.
    void pushed(int commandId, quint64 received)
    {
        Command& c = m_commands[size_t(commandId)];
        ++c.messagesReceived;
        c.bytesReceived += received;
        c.active = true;
    }
    // A message sent that is not a request (an acknowledgement): counted, not timed.
    void messageSent(int commandId, quint64 sent)
    {
        Command& c = m_commands[size_t(commandId)];
        ++c.messagesSent;
        c.bytesSent += sent;
        c.active = true;
    }
    void failedRequest(int commandId, quint64 sent)
    {
        Command& c = m_commands[size_t(commandId)];
        ++c.requests;
        ++c.errors;
        c.bytesSent += sent;
        c.active = true;
    }
    void commandError(int commandId)
    {
        Command& c = m_commands[size_t(commandId)];
        ++c.errors;
        c.active = true;
    }
    void transition(ConnState from, ConnState to, bool fromNowhere)
    {
        if (!fromNowhere) publish(from, --m_current[size_t(from)]);
        publish(to, ++m_current[size_t(to)]);
        ++m_transitions[size_t(to)];
    }
    void leave(ConnState from) { publish(from, --m_current[size_t(from)]); }
    // Connections in `state` now; any thread may read it (a relaxed load: exact for this worker
    // at some recent instant, not a snapshot across states).
    qint64 live(int state) const { return m_live[size_t(state)].load(std::memory_order_relaxed); }
    void connected(quint64 us) { m_connectTime.record(us); }
    void handshaken(quint64 us) { m_tlsHandshake.record(us); }
    void actionCompleted() { ++m_actionsCompleted; }
    void sent(quint64 bytes) { m_bytesSent += bytes; }
    void received(quint64 bytes) { m_bytesReceived += bytes; }
    // Keeps at most kMaxSamples distinct messages per interval; repeats are only counted (and
    // once full, so is a new message of a kind and command already sampled). commandId -1: the
    // error belongs to no command.
    void errorMessage(ConnState kind, int commandId, const QString& message);

    WorkerStats take(int worker, quint64 sequence, int connections);

private:
    static constexpr size_t kMaxSamples = 8;
    struct Command
    {
        QString name;
        quint64 requests = 0;
        quint64 errors = 0;
        quint64 bytesSent = 0;
        quint64 bytesReceived = 0;
        quint64 messagesReceived = 0;
        quint64 messagesSent = 0;
        LatencyHistogram latency;
        LatencyHistogram corrected;
        bool active = false;
    };
    std::vector<Command> m_commands;
    // Only this worker writes m_live (a plain store, no read-modify-write on the hot path), so
    // `status` can show the counts of this instant rather than of the last merged interval.
    void publish(ConnState state, qint64 value)
    {
        m_live[size_t(state)].store(value, std::memory_order_relaxed);
    }

    StateCounts m_current {};
    std::array<std::atomic<qint64>, kStateCount> m_live {};
    StateCounts m_transitions {};
    quint64 m_actionsCompleted = 0;
    quint64 m_arrivals = 0;
    quint64 m_bytesSent = 0;
    quint64 m_bytesReceived = 0;
    LatencyHistogram m_connectTime;
    LatencyHistogram m_tlsHandshake;
    std::vector<ErrorSample> m_samples;
    quint64 m_droppedSamples = 0;
};

} // namespace swarm

Q_DECLARE_METATYPE(swarm::WorkerStats)
