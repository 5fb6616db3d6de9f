#pragma once

#include "stats/StatsSnapshot.h"
#include "stats/WorkerStats.h"

#include <QStringList>

#include <vector>

namespace swarm {

// Merges interval reports (WorkerStats: deltas, plus each reporter's connections by state now)
// into one StatsSnapshot and the run's TimeSeries. The run's totals grow with every report; the
// rates, the interval percentiles and the connections by state are taken when the caller closes
// the interval. Pure arithmetic: no clock, no thread, no QObject — the Engine decides when an
// interval ends (and a controller of several processes can merge their reports the same way).
class StatsMerger
{
public:
    // The interval starts at `nowMs` (ms on the caller's clock, the run's start being 0).
    void start(qint64 nowMs) { m_intervalStartMs = nowMs; }
    // Adds one report to the run's totals and to the open interval. A reporter's index
    // (WorkerStats::worker) keeps its latest connections by state until it reports again.
    void add(const WorkerStats& stats);
    // Closes the open interval at `nowMs` and opens the next: fills the snapshot's rates and
    // current figures, appends a sample to the time series, and returns the interval's error
    // messages ("12x script_error: file:line: ...", possibly none).
    QStringList closeInterval(qint64 nowMs, int target);
    // Connections asked for, shown before the next interval closes (a console command's effect).
    void setTarget(int target) { m_snapshot.target = target; }

    const StatsSnapshot& snapshot() const { return m_snapshot; }
    const TimeSeries& timeSeries() const { return m_series; }

private:
    struct Reporter
    {
        StateCounts current {};
        int connections = 0;
        int peak = 0; // the most at once in its last interval
        double askedRate = 0;
        qint64 backlog = 0;
    };
    struct CommandCounts
    {
        quint64 requests = 0;
        quint64 errors = 0;
    };
    void addCommand(const CommandDelta& delta);
    void addErrors(const std::vector<ErrorSample>& samples);
    void takeCurrent();
    void takeRates(double seconds);
    TimeSample sample() const;

    StatsSnapshot m_snapshot;
    TimeSeries m_series;
    std::vector<Reporter> m_reporters;
    qint64 m_intervalStartMs = 0;

    // The open interval.
    quint64 m_requests = 0;
    quint64 m_errors = 0;
    quint64 m_bytesSent = 0;
    quint64 m_bytesReceived = 0;
    LatencyHistogram m_latency;
    LatencyHistogram m_tlsHandshake; // of the interval
    LatencyHistogram m_corrected;
    quint64 m_arrivals = 0;
    double m_askedIntegral = 0; // asked rate × seconds, summed over the closed intervals
    std::vector<CommandCounts> m_commands; // parallel to m_snapshot.commands
    std::vector<ErrorSample> m_messages; // merged across workers: one line per message
};

} // namespace swarm
