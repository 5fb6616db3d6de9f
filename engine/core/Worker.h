#pragma once

#include "core/EngineConfig.h"
#include "core/TimerQueue.h"
#include "net/Transport.h"
#include "scenario/ScenarioBundle.h"
#include "script/ScriptRuntime.h"
#include "stats/WorkerStats.h"

#include <QBasicTimer>
#include <QObject>
#include <QRandomGenerator>
#include <atomic>

#include <memory>
#include <vector>

namespace swarm {

class Connection;

// One worker thread's share of the load: its own event loop, QJSEngine, sockets (Transport),
// timer queue, connections and stats. Created by the Engine and moved to its thread; every
// public slot is invoked there through queued calls carrying plain values, and results go back
// through queued signals carrying plain values. Shared with other threads, and only read there:
// the runtime's watchdog counters and the stats recorder's live counts by state (atomics the
// Engine reads for `status`; see StatsRecorder::live).
class Worker final : public QObject, public TransportHandler
{
    Q_OBJECT
public:
    static constexpr qint64 kReadBufferSize = 64 * 1024;
    // Closing at least this many connections at once gives freed heap back to the system.
    static constexpr int kTrimAfterClosing = 256;
    static constexpr int kDeadlinesPerTurn = 256;

    Worker(int index, const EngineConfig& config, ScenarioBundlePtr bundle);
    ~Worker() override;

    // In the worker's thread: creates the transport and the JS engine and compiles the
    // scenario; emits initialized().
    void initialize();
    // Starts `count` connections with the ids firstId, firstId + 1, ... (the Engine's), and
    // these seats (their rows of unique data files), one each.
    void addConnections(int count, quint64 firstId, const std::vector<qint64>& seats);
    // Closes the connections with these ids (ascending), each after its on_close goodbye, if any.
    void removeConnections(const std::vector<quint64>& ids);
    // Closes every connection (after its on_close goodbye, if any), then reports its figures
    // for `sequence` and emits allClosed().
    void closeAll(quint64 sequence);
    // Any thread, before closeAll() is posted: connections stop running continuations back to
    // back, so that the posted stop runs next (proceed() asks).
    void askStop() { m_stopAsked.store(true, std::memory_order_relaxed); }
    bool stopAsked() const { return m_stopAsked.load(std::memory_order_relaxed); }
    // When the current run of back-to-back continuations began (one runs at a time per worker).
    qint64 chainStartUs = 0;
    void collect(quint64 sequence);
    // Compiles a changed scenario or module; on success new iterations use it.
    void apply(ScenarioBundlePtr bundle);
    // The open model: `rate` rounds per second over all `connections` of the run (every
    // worker's). A changed rate restarts every connection's schedule at once.
    void setPacing(double rate, int connections);

    // For connections.
    Transport& transport() { return *m_transport; }
    ScriptRuntime& runtime() { return *m_runtime; }
    StatsRecorder& stats() { return m_stats; }
    const StatsRecorder& stats() const { return m_stats; }
    const EngineConfig& config() const { return m_config; }
    const PlanPtr& plan() const { return m_plan; }
    QRandomGenerator& rng() { return m_rng; }
    std::vector<ScriptOp>& scratchOps() { return m_scratchOps; }
    char* readBuffer() { return m_readBuffer.get(); }
    // The gap between a connection's arrivals for this action (µs); 0: not paced (closed loop).
    qint64 arrivalIntervalUs(const CompiledAction& action) const;
    // Whether requests also record their latency from the intended start (the open model).
    bool recordsCorrected() const { return m_recordCorrected; }
    QHostAddress nextSource();
    qint64 spreadDelayMs();
    void schedule(quint32 slot, qint64 deadlineUs);
    void cancelTimer(quint32 slot) { m_timers.cancel(slot); }
    void defer(quint32 slot);
    // A connection's on_close goodbye is over: it is released once the current event is done.
    void goodbyeFinished(quint32 slot);

    int index() const { return m_index; }
    int connectionCount() const { return int(m_live.size()); }

Q_SIGNALS:
    void initialized(int worker, bool ok, const QString& error);
    void allClosed(int worker);
    void statsReady(const swarm::WorkerStats& stats);
    void applied(int worker, int version, bool ok, const QString& error);

protected:
    void timerEvent(QTimerEvent* event) override;

    // TransportHandler: socket events, forwarded to the connection in the slot.
    void socketConnected(quint32 slot) override;
    void socketHandshakeStarted(quint32 slot) override;
    void socketSecured(quint32 slot) override;
    void socketReadable(quint32 slot) override;
    void socketWritable(quint32 slot) override;
    void socketFailed(quint32 slot, SocketFailure failure, const QString& detail) override;

private:
    bool compile(const ScenarioBundle& bundle, PlanPtr* plan, QString* error);
    void armTimer();
    void runReady();
    void release(Connection* connection);
    void unlist(Connection* connection);
    void closeOne(Connection* connection); // with its goodbye when it has one
    void releaseGoodbyes();
    void finishCloseAll();
    void notePacing(const Plan& plan);

    const int m_index;
    const EngineConfig m_config;
    ScenarioBundlePtr m_bundle;
    QRandomGenerator m_rng;
    std::unique_ptr<Transport> m_transport;
    std::unique_ptr<ScriptRuntime> m_runtime;
    PlanPtr m_plan;
    StatsRecorder m_stats;
    TimerQueue m_timers;
    QBasicTimer m_timer;
    qint64 m_timerArmedFor = TimerQueue::kNever;
    std::vector<std::unique_ptr<Connection>> m_slots;
    std::vector<quint32> m_freeSlots;
    std::vector<quint32> m_live; // the slots in use, in no particular order
    int m_peakLive = 0; // the most slots in use at once since the last report
    std::vector<quint64> m_slotIds; // the Engine's id of the connection in each slot
    std::vector<quint32> m_ready;
    bool m_readyPosted = false;
    std::vector<ScriptOp> m_scratchOps;
    std::unique_ptr<char[]> m_readBuffer;
    int m_nextSource = 0;
    int m_sayingGoodbye = 0; // removed connections still running their on_close command
    std::vector<quint32> m_goodbyesDone;
    bool m_goodbyesPosted = false;
    bool m_closeAllPending = false;
    std::atomic<bool> m_stopAsked {false};
    quint64 m_closeSequence = 0;
    double m_rate = 0; // --rate, or the console's `rate R`
    int m_pacedConnections = 1; // the run's connections, which share the rate
    bool m_recordCorrected = false; // set once anything is paced; stays for the run
};

} // namespace swarm
