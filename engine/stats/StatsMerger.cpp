#include "stats/StatsMerger.h"

#include <algorithm>

namespace swarm {

namespace {

constexpr int kRecentErrorsKept = 5; // of an interval's messages, in the snapshot
constexpr quint64 kMaxSampleUs = 0xffffffffu; // a TimeSample keeps µs in 32 bits

QString messageText(const ErrorSample& e)
{
    if (e.count > 1) return QStringLiteral("%1x %2: %3").arg(e.count).arg(e.kind, e.message);
    return QStringLiteral("%1: %2").arg(e.kind, e.message);
}

} // namespace

void StatsMerger::add(const WorkerStats& stats)
{
    StatsSnapshot& s = m_snapshot;
    if (stats.worker >= 0) {
        if (size_t(stats.worker) >= m_reporters.size())
            m_reporters.resize(size_t(stats.worker) + 1);
        m_reporters[size_t(stats.worker)] = {stats.current, stats.connections,
            qMax(stats.connections, stats.peakConnections), stats.askedRate, stats.backlog};
    }
    for (int i = 0; i < kStateCount; ++i) {
        s.transitions[size_t(i)] += stats.transitions[size_t(i)];
        if (isErrorState(ConnState(i))) m_errors += quint64(stats.transitions[size_t(i)]);
    }
    s.actionsCompleted += stats.actionsCompleted;
    s.arrivals += stats.arrivals;
    m_arrivals += stats.arrivals;
    s.bytesSent += stats.bytesSent;
    s.bytesReceived += stats.bytesReceived;
    m_bytesSent += stats.bytesSent;
    m_bytesReceived += stats.bytesReceived;
    s.connectTime.add(stats.connectTime);
    s.tlsHandshake.add(stats.tlsHandshake);
    m_tlsHandshake.add(stats.tlsHandshake);
    for (const CommandDelta& d : stats.commands)
        addCommand(d);
    // The same message from several workers is one line with the sum of their counts.
    for (const ErrorSample& e : stats.errorSamples) {
        auto same = std::find_if(m_messages.begin(), m_messages.end(),
            [&](const ErrorSample& m) { return m.kind == e.kind && m.message == e.message; });
        if (same != m_messages.end())
            same->count += e.count;
        else
            m_messages.push_back(e);
    }
    addErrors(stats.errorSamples);
}

// `status errors`: the run's errors by kind and command, the most recent first. The time is the
// start of the interval that brought them (within a second).
void StatsMerger::addErrors(const std::vector<ErrorSample>& samples)
{
    std::vector<ErrorTotals>& rows = m_snapshot.errorTotals;
    for (const ErrorSample& e : samples) {
        auto it = std::find_if(rows.begin(), rows.end(),
            [&](const ErrorTotals& r) { return r.kind == e.kind && r.command == e.command; });
        ErrorTotals row;
        if (it != rows.end()) {
            row = std::move(*it);
            rows.erase(it);
        }
        row.kind = e.kind;
        row.command = e.command;
        row.count += e.count;
        row.lastMessage = e.message;
        row.lastAtMs = m_intervalStartMs;
        rows.insert(rows.begin(), std::move(row));
        if (rows.size() > StatsSnapshot::kMaxErrorRows) rows.pop_back();
    }
}

void StatsMerger::addCommand(const CommandDelta& d)
{
    StatsSnapshot& s = m_snapshot;
    size_t i = 0;
    while (i < s.commands.size() && s.commands[i].name != d.name)
        ++i;
    if (i == s.commands.size()) {
        s.commands.push_back(CommandTotals());
        s.commands.back().name = d.name;
        m_commands.resize(s.commands.size());
    }
    CommandTotals& c = s.commands[i];
    c.requests += d.requests;
    c.errors += d.errors;
    c.bytesSent += d.bytesSent;
    c.bytesReceived += d.bytesReceived;
    c.messagesReceived += d.messagesReceived;
    c.messagesSent += d.messagesSent;
    s.messagesReceived += d.messagesReceived;
    s.messagesSent += d.messagesSent;
    c.latency.add(d.latency);
    c.corrected.add(d.corrected);
    s.corrected.add(d.corrected);
    m_corrected.add(d.corrected);
    m_commands[i].requests += d.requests;
    m_commands[i].errors += d.errors;
    s.requests += d.requests;
    s.requestErrors += d.errors;
    s.latency.add(d.latency);
    m_requests += d.requests;
    m_latency.add(d.latency);
}

QStringList StatsMerger::closeInterval(qint64 nowMs, int target)
{
    StatsSnapshot& s = m_snapshot;
    const qint64 interval = qMax<qint64>(1, nowMs - m_intervalStartMs);
    m_intervalStartMs = nowMs;
    s.elapsedMs = nowMs;
    s.intervalMs = interval;
    s.target = target;
    takeCurrent();
    takeRates(double(interval) / 1000.0);
    m_series.append(sample());

    m_requests = m_errors = 0;
    m_bytesSent = m_bytesReceived = 0;
    m_latency.reset();
    m_tlsHandshake.reset();
    m_corrected.reset();
    m_arrivals = 0;
    m_commands.assign(s.commands.size(), {});
    QStringList messages;
    for (const ErrorSample& e : m_messages)
        messages << messageText(e);
    m_messages.clear();
    if (!messages.isEmpty()) {
        s.recentErrors = messages.mid(0, kRecentErrorsKept);
        s.recentErrorsAtMs = nowMs;
    }
    return messages;
}

void StatsMerger::takeCurrent()
{
    StatsSnapshot& s = m_snapshot;
    s.current.fill(0);
    s.connections = 0;
    s.askedRate = 0;
    s.backlog = 0;
    int peaks = 0;
    for (const Reporter& r : m_reporters) {
        peaks += r.peak;
        s.askedRate += r.askedRate;
        s.backlog += r.backlog;
        for (int i = 0; i < kStateCount; ++i)
            s.current[size_t(i)] += r.current[size_t(i)];
        s.connections += r.connections;
    }
    // Each reporter's peak of its last interval: exact with one worker; with several, their
    // peaks within the same interval are added, as if they came at the same instant (an `incr`
    // splits over the workers at once, so they do).
    s.peakConnections = qMax(s.peakConnections, qMax(s.connections, peaks));
}

void StatsMerger::takeRates(double seconds)
{
    StatsSnapshot& s = m_snapshot;
    s.rps = double(m_requests) / seconds;
    s.errorsPerSecond = double(m_errors) / seconds;
    s.bytesSentPerSecond = double(m_bytesSent) / seconds;
    s.bytesReceivedPerSecond = double(m_bytesReceived) / seconds;
    s.intervalP50 = m_latency.percentile(50);
    s.intervalP99 = m_latency.percentile(99);
    s.intervalTlsP99 = m_tlsHandshake.percentile(99);
    s.intervalCorrectedP50 = m_corrected.percentile(50);
    s.intervalCorrectedP99 = m_corrected.percentile(99);
    s.arrivalRate = double(m_arrivals) / seconds;
    m_askedIntegral += s.askedRate * seconds;
    s.askedRateOverRun = s.elapsedMs > 0 ? m_askedIntegral * 1000.0 / double(s.elapsedMs) : 0.0;
    for (size_t i = 0; i < s.commands.size(); ++i) {
        const CommandCounts counts = i < m_commands.size() ? m_commands[i] : CommandCounts();
        s.commands[i].rps = double(counts.requests) / seconds;
        s.commands[i].errorsPerSecond = double(counts.errors) / seconds;
    }
}

TimeSample StatsMerger::sample() const
{
    const StatsSnapshot& s = m_snapshot;
    TimeSample t;
    t.elapsedMs = s.elapsedMs;
    for (int i = 0; i < kStateCount; ++i)
        t.states[size_t(i)] = qint32(s.current[size_t(i)]);
    t.connections = s.connections;
    t.rps = float(s.rps);
    t.errorsPerSecond = float(s.errorsPerSecond);
    t.p50Us = quint32(qMin<quint64>(s.intervalP50, kMaxSampleUs));
    t.p99Us = quint32(qMin<quint64>(s.intervalP99, kMaxSampleUs));
    t.tlsP99Us = quint32(qMin<quint64>(s.intervalTlsP99, kMaxSampleUs));
    t.correctedP50Us = quint32(qMin<quint64>(s.intervalCorrectedP50, kMaxSampleUs));
    t.correctedP99Us = quint32(qMin<quint64>(s.intervalCorrectedP99, kMaxSampleUs));
    t.arrivalRate = float(s.arrivalRate);
    t.askedRate = float(s.askedRate);
    t.backlog = qint32(qMin<qint64>(s.backlog, 0x7fffffff));
    t.bytesSentPerSecond = float(s.bytesSentPerSecond);
    t.bytesReceivedPerSecond = float(s.bytesReceivedPerSecond);
    return t;
}

} // namespace swarm
