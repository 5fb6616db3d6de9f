#pragma once

#include "core/EngineConfig.h"
#include "core/LoadDriver.h"
#include "core/SeatPool.h"
#include "scenario/ScenarioBundle.h"
#include "stats/StatsMerger.h"

#include <QElapsedTimer>
#include <QObject>
#include <QStringList>
#include <QTimer>

#include <unordered_map>
#include <vector>

class QThread;

namespace swarm {

class Worker;

// The one facade that drives a run. The telnet console, the GUI and headless mode all call the
// same few methods (incr, decr, stop, status, stats), so anything one can do, the others can.
// Lives in the main thread and never blocks it: it spreads connections over the worker threads
// with queued calls and merges their statistics once an interval into one StatsSnapshot.
class Engine : public LoadDriver
{
    Q_OBJECT
public:
    Engine(const EngineConfig& config, ScenarioBundlePtr bundle, QObject* parent = nullptr);
    ~Engine() override;

    // Starts the worker threads and compiles the scenario in each; nothing connects yet.
    // Emits started() or startFailed().
    void start() override;

    // Asks for `count` more connections (spread over the workers, paced by --ramp).
    void incr(int count) override;
    // Closes up to `count` connections: those still waiting for the ramp first of all, then
    // open ones in `order` — by default at random, uniformly over the open connections of every
    // worker. Returns how many it closes: fewer than asked when fewer exist.
    int decr(int count, CloseOrder order = CloseOrder::Random) override;
    // Why `count` connections cannot all have their own row of a unique data file (without
    // wrap: true), or an empty string: what incr and target refuse with.
    QString rowShortage(qint64 count) const override;
    // Opens or closes (at random) connections until `count` are asked for; returns the change.
    int setTarget(int count) override;
    // Changes the connect rate of the ramp (0: no pacing), also for connections waiting now.
    void setRamp(double perSecond) override;
    double ramp() const override { return m_config.ramp; }
    // The open model's rate: rounds per second over all connections (0: the closed loop; an
    // action's own `rate:` still applies). Every connection's schedule restarts at once.
    void setRate(double perSecond) override;
    double rate() const override { return m_config.rate; }
    // Closes every connection and stops the workers; emits stopped() when all are closed.
    void stop() override;

    // Applies a changed scenario or module to the running load: every worker compiles it, then
    // each connection picks it up at its next iteration. Emits applied().
    void apply(ScenarioBundlePtr bundle) override;

    bool isApplying() const override { return bool(m_applying); }
    Phase phase() const override { return m_phase; }
    const EngineConfig& config() const override { return m_config; }
    ScenarioBundlePtr bundle() const override { return m_bundle; }
    int target() const override; // connections asked for and not closed
    int pendingRamp() const override { return m_pendingRamp; }
    // True from the first connection asked for: the run's clock (elapsedMs, the time series)
    // starts there, so an idle console before it adds no flat zeros to the run's figures.
    bool hasLoadStarted() const override { return m_loadStarted; }
    const StatsSnapshot& snapshot() const override { return m_merger.snapshot(); }
    // The last merged snapshot with the connections by state of this instant (read from the
    // workers without stopping them): what `status` and `stats json` show.
    StatsSnapshot liveSnapshot() const override;
    const TimeSeries& timeSeries() const override { return m_merger.timeSeries(); }
    // Per worker, read without stopping them (`status connections`).
    std::vector<WorkerLoad> workerLoads() const override;
    // The status block the console's `status` and the periodic output print.
    QString statusText() const override;

private:
    void onInitialized(int worker, bool ok, const QString& error);
    void onStatsReady(const WorkerStats& stats);
    void onApplied(int worker, int version, bool ok, const QString& error);
    void onAllClosed(int worker);
    void collect();
    void finishInterval();
    void releaseRamp();
    void dispatch(int count);
    // The rate and the run's connections (with `adding` about to be dispatched), to every worker.
    void sendPacing(int adding = 0);
    void pickToClose(int count, CloseOrder order, std::vector<std::vector<quint64>>* picked);
    void pickAtRandom(int count, std::vector<std::vector<quint64>>* picked);
    void shutDownThreads();
    void startLoadClock();

    EngineConfig m_config;
    ScenarioBundlePtr m_bundle;
    ScenarioBundlePtr m_applying;
    Phase m_phase = Phase::Idle;
    std::vector<Worker*> m_workers;
    std::vector<QThread*> m_threads;
    // The ids of the connections each worker has been told to run, ascending (ids grow with
    // every connection asked for, so this is also their age): what decr picks from. 8 bytes a
    // connection.
    std::vector<std::vector<quint64>> m_open;
    quint64 m_nextId = 1;
    SeatPool m_seats;
    std::unordered_map<quint64, qint64> m_seatOf; // by connection id
    int m_initialized = 0;
    int m_closed = 0;
    int m_appliedCount = 0;
    bool m_applyFailed = false;
    QString m_applyError;

    int m_pendingRamp = 0;
    double m_rampCredit = 0;
    QElapsedTimer m_rampClock;
    qint64 m_rampLastNs = 0;
    QTimer m_rampTimer;

    QTimer m_collectTimer;
    QElapsedTimer m_clock; // the run's time: from start(), then from the first connection
    bool m_loadStarted = false;
    quint64 m_sequence = 0;
    int m_reported = 0; // workers that reported for m_sequence
    StatsMerger m_merger;
};

} // namespace swarm
