#pragma once

#include "core/ConnectionState.h"
#include "stats/LatencyHistogram.h"

#include <QMetaType>
#include <QString>
#include <QStringList>
#include <vector>

namespace swarm {

// One command's figures for the whole run, plus its rate over the last interval.
struct CommandTotals
{
    QString name;
    quint64 requests = 0;
    quint64 errors = 0;
    quint64 bytesSent = 0;
    quint64 bytesReceived = 0;
    quint64 messagesReceived = 0; // pushed by the server (client.recv), not requests
    quint64 messagesSent = 0; // sent without being a request (send_noreply request: false)
    LatencyHistogram latency; // µs, whole run (service time)
    LatencyHistogram corrected; // µs from the intended start, whole run (open model only)
    double rps = 0; // last interval
    double errorsPerSecond = 0; // last interval
};

// Errors of one kind (and command, when one was running) over the whole run: `status errors`.
struct ErrorTotals
{
    QString kind; // state name: refused, timed_out, script_error, ...
    QString command; // empty: the error belongs to no command (a connect error, say)
    quint64 count = 0;
    QString lastMessage;
    qint64 lastAtMs = 0; // elapsed time of the interval that brought the last message
};

// The engine's view of a run, merged from every worker once per interval (1 s). Every output
// reads it: the status text, the console's `stats json`, the report, the CSV and the GUI.
struct StatsSnapshot
{
    qint64 elapsedMs = 0; // since the engine started
    qint64 intervalMs = 0; // length of the last interval
    int connections = 0; // live connections
    int target = 0; // connections asked for, including those still waiting for their ramp
    int peakConnections = 0; // the most connections at once so far (StatsMerger::takeCurrent)
    StateCounts current {}; // connections in each state now
    StateCounts transitions {}; // transitions into each state, whole run
    quint64 requests = 0;
    quint64 requestErrors = 0; // errors that belong to a command (failed requests, script errors)
    quint64 actionsCompleted = 0;
    quint64 bytesSent = 0;
    quint64 bytesReceived = 0;
    quint64 messagesReceived = 0; // pushed by the server, all commands
    quint64 messagesSent = 0; // sent without being requests, all commands
    LatencyHistogram latency; // all commands, whole run: service time
    // All commands, whole run: from each round's intended start (no coordinated omission).
    // Empty in the closed loop, where the two are the same.
    LatencyHistogram corrected;
    LatencyHistogram connectTime; // whole run
    LatencyHistogram tlsHandshake; // whole run (--tls)
    std::vector<CommandTotals> commands; // in the order first seen

    // The last interval.
    double rps = 0;
    double errorsPerSecond = 0;
    double bytesSentPerSecond = 0;
    double bytesReceivedPerSecond = 0;
    quint64 intervalP50 = 0;
    quint64 intervalP99 = 0;
    quint64 intervalTlsP99 = 0; // of the TLS handshakes done in the interval
    quint64 intervalCorrectedP50 = 0;
    quint64 intervalCorrectedP99 = 0;

    // The open model (--rate, an action's `rate:`): paced rounds started over the run, per second
    // in the last interval (achieved) against what the schedules ask for now, and the arrivals
    // due now that have not started (connections behind: the run cannot keep up).
    quint64 arrivals = 0;
    double arrivalRate = 0;
    double askedRate = 0;
    double askedRateOverRun = 0; // the asked rate averaged over the run (time-weighted)
    qint64 backlog = 0;
    bool openModel() const { return !corrected.isEmpty() || askedRate > 0; }

    // The error messages of the last interval that had any ("12x script_error: file:line: ..."),
    // at most a few, and when that was.
    QStringList recentErrors;
    qint64 recentErrorsAtMs = 0;
    // Counted from the workers' sampled messages (exact unless a worker saw more than a few
    // distinct kinds and commands in one interval); the most recent first, at most kMaxErrorRows.
    std::vector<ErrorTotals> errorTotals;
    static constexpr size_t kMaxErrorRows = 32;

    quint64 errors() const; // transitions into any error state
    // Connections now, by what a user asks of them: through (acting or standby), on the way
    // (started or connecting), or in an error state waiting to reconnect.
    qint64 connectedNow() const;
    qint64 connectingNow() const;
    qint64 failingNow() const;
    // Errors over attempts: (errors) / (requests + errors that were not a request's).
    double errorRatio() const;
    double averageRps() const;
    const CommandTotals* command(const QString& name) const;
};

// One sample of the time series: one interval (a second) of a run.
struct TimeSample
{
    qint64 elapsedMs = 0;
    std::array<qint32, kStateCount> states {};
    qint32 connections = 0;
    float rps = 0;
    float errorsPerSecond = 0;
    quint32 p50Us = 0;
    quint32 p99Us = 0;
    quint32 tlsP99Us = 0; // TLS handshakes of the interval (0: none)
    quint32 correctedP50Us = 0; // 0 in the closed loop
    quint32 correctedP99Us = 0;
    float arrivalRate = 0; // open model: achieved rate, asked rate, backlog
    float askedRate = 0;
    qint32 backlog = 0;
    float bytesSentPerSecond = 0;
    float bytesReceivedPerSecond = 0;
};

// The run's samples, one per interval, in a bounded ring: the newest kCapacity are kept (24 h at
// one a second); memory grows with the run up to that bound, then stays flat.
class TimeSeries
{
public:
    static constexpr int kCapacity = 24 * 3600;

    void append(const TimeSample& sample);
    int size() const { return int(m_samples.size()); }
    // i = 0 is the oldest sample kept.
    const TimeSample& at(int i) const
    {
        return m_samples[(m_start + size_t(i)) % m_samples.size()];
    }
    const TimeSample& last() const { return at(size() - 1); }
    bool isEmpty() const { return m_samples.empty(); }
    quint64 dropped() const { return m_dropped; }
    void clear();

private:
    std::vector<TimeSample> m_samples;
    size_t m_start = 0;
    quint64 m_dropped = 0;
};

} // namespace swarm

Q_DECLARE_METATYPE(swarm::StatsSnapshot)
