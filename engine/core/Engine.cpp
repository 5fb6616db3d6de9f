#include "core/Engine.h"

#include "stats/StatusText.h"
#include "core/Worker.h"

#include <QThread>

#include <algorithm>
#include <cmath>

namespace swarm {

namespace {
constexpr int kRampTickMs = 20;
}

Engine::Engine(const EngineConfig& config, ScenarioBundlePtr bundle, QObject* parent)
    : QObject(parent)
    , m_config(config)
    , m_bundle(std::move(bundle))
{
    qRegisterMetaType<swarm::WorkerStats>();
    qRegisterMetaType<swarm::StatsSnapshot>();
    if (m_config.threads < 1)
        m_config.threads = 1;
    m_rampTimer.setInterval(kRampTickMs);
    m_rampTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_rampTimer, &QTimer::timeout, this, &Engine::releaseRamp);
    m_collectTimer.setInterval(qMax(50, m_config.statsIntervalMs));
    m_collectTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_collectTimer, &QTimer::timeout, this, &Engine::collect);
}

Engine::~Engine()
{
    shutDownThreads();
}

void Engine::start()
{
    if (m_phase != Phase::Idle)
        return;
    m_phase = Phase::Starting;
    m_clock.start();
    const int n = m_config.threads;
    m_assigned.assign(size_t(n), 0);
    for (int i = 0; i < n; ++i) {
        auto* worker = new Worker(i, m_config, m_bundle);
        auto* thread = new QThread;
        thread->setObjectName(QStringLiteral("swarm-worker-%1").arg(i));
        worker->moveToThread(thread);
        // The worker and its JS engine are destroyed in their own thread as it finishes.
        connect(thread, &QThread::finished, worker, &QObject::deleteLater);
        connect(worker, &Worker::initialized, this, &Engine::onInitialized);
        connect(worker, &Worker::statsReady, this, &Engine::onStatsReady);
        connect(worker, &Worker::applied, this, &Engine::onApplied);
        connect(worker, &Worker::allClosed, this, &Engine::onAllClosed);
        m_workers.push_back(worker);
        m_threads.push_back(thread);
        thread->start();
        QMetaObject::invokeMethod(worker, [worker] { worker->initialize(); }, Qt::QueuedConnection);
    }
}

void Engine::onInitialized(int, bool ok, const QString& error)
{
    if (!ok && m_applyError.isEmpty())
        m_applyError = error;
    if (++m_initialized < int(m_workers.size()))
        return;
    if (!m_applyError.isEmpty()) {
        const QString why = m_applyError;
        m_applyError.clear();
        shutDownThreads();
        m_phase = Phase::Stopped;
        Q_EMIT startFailed(why);
        return;
    }
    m_phase = Phase::Running;
    m_merger.start(m_clock.elapsed());
    m_collectTimer.start();
    Q_EMIT started();
    releaseRamp();
}

int Engine::target() const
{
    int total = m_pendingRamp;
    for (int a : m_assigned)
        total += a;
    return total;
}

void Engine::incr(int count)
{
    if (count <= 0 || m_phase == Phase::Stopping || m_phase == Phase::Stopped)
        return;
    if (m_pendingRamp == 0) {
        m_rampCredit = 1; // the first connection of a ramp goes at once
        m_rampClock.start();
        m_rampLastNs = 0;
    }
    m_pendingRamp += count;
    releaseRamp();
    m_merger.setTarget(target()); // what the console reports must not lag a command
}

// Hands connections waiting for their ramp to the workers: all at once without --ramp, else as
// many as the rate has earned since the last tick.
void Engine::releaseRamp()
{
    if (m_phase != Phase::Running || m_pendingRamp <= 0) {
        m_rampTimer.stop();
        return;
    }
    int release = m_pendingRamp;
    if (m_config.ramp > 0) {
        // Nanoseconds: whole milliseconds per 20 ms tick would lose about 2.5 % of the rate.
        const qint64 now = m_rampClock.nsecsElapsed();
        m_rampCredit += m_config.ramp * double(now - m_rampLastNs) / 1e9;
        m_rampLastNs = now;
        release = int(qMin<double>(std::floor(m_rampCredit), m_pendingRamp));
        m_rampCredit -= release;
    }
    if (release > 0) {
        m_pendingRamp -= release;
        dispatch(release);
    }
    if (m_pendingRamp > 0) {
        if (!m_rampTimer.isActive())
            m_rampTimer.start();
    } else {
        m_rampTimer.stop();
    }
}

void Engine::dispatch(int count)
{
    std::vector<int> add(m_workers.size(), 0);
    for (int i = 0; i < count; ++i) {
        size_t least = 0;
        for (size_t w = 1; w < m_workers.size(); ++w)
            if (m_assigned[w] + add[w] < m_assigned[least] + add[least])
                least = w;
        ++add[least];
    }
    for (size_t w = 0; w < m_workers.size(); ++w) {
        if (!add[w])
            continue;
        m_assigned[w] += add[w];
        Worker* worker = m_workers[w];
        const int n = add[w];
        QMetaObject::invokeMethod(worker, [worker, n] { worker->addConnections(n); },
                                  Qt::QueuedConnection);
    }
}

int Engine::decr(int count)
{
    if (count <= 0)
        return 0;
    const int fromRamp = qMin(count, m_pendingRamp);
    m_pendingRamp -= fromRamp;
    int left = count - fromRamp;
    std::vector<int> remove(m_workers.size(), 0);
    while (left > 0) {
        size_t most = 0;
        for (size_t w = 1; w < m_workers.size(); ++w)
            if (m_assigned[w] - remove[w] > m_assigned[most] - remove[most])
                most = w;
        if (m_workers.empty() || m_assigned[most] - remove[most] <= 0)
            break;
        ++remove[most];
        --left;
    }
    for (size_t w = 0; w < m_workers.size(); ++w) {
        if (!remove[w])
            continue;
        m_assigned[w] -= remove[w];
        Worker* worker = m_workers[w];
        const int n = remove[w];
        QMetaObject::invokeMethod(worker, [worker, n] { worker->removeConnections(n); },
                                  Qt::QueuedConnection);
    }
    m_merger.setTarget(target());
    return count - left;
}

void Engine::stop()
{
    if (m_phase == Phase::Stopping || m_phase == Phase::Stopped)
        return;
    if (m_phase != Phase::Running) {
        shutDownThreads();
        m_phase = Phase::Stopped;
        Q_EMIT stopped();
        return;
    }
    m_phase = Phase::Stopping;
    m_rampTimer.stop();
    m_collectTimer.stop();
    m_pendingRamp = 0;
    // A last collection first (queued calls run in order), so the final figures are complete.
    ++m_sequence;
    m_reported = 0;
    m_closed = 0;
    const quint64 sequence = m_sequence;
    for (Worker* worker : m_workers) {
        QMetaObject::invokeMethod(
            worker,
            [worker, sequence] {
                worker->collect(sequence);
                worker->closeAll();
            },
            Qt::QueuedConnection);
    }
}

void Engine::onAllClosed(int worker)
{
    m_assigned[size_t(worker)] = 0;
    if (++m_closed < int(m_workers.size()))
        return;
    if (m_reported >= 0)
        finishInterval();
    shutDownThreads();
    m_phase = Phase::Stopped;
    Q_EMIT stopped();
}

void Engine::shutDownThreads()
{
    for (QThread* thread : m_threads) {
        thread->quit();
        thread->wait();
        delete thread;
    }
    m_threads.clear();
    m_workers.clear();
}

void Engine::apply(ScenarioBundlePtr bundle)
{
    if (m_phase != Phase::Running) {
        m_bundle = std::move(bundle);
        Q_EMIT applied(true, m_bundle->version, QString());
        return;
    }
    m_applying = bundle;
    m_appliedCount = 0;
    m_applyFailed = false;
    m_applyError.clear();
    for (Worker* worker : m_workers)
        QMetaObject::invokeMethod(worker, [worker, bundle] { worker->apply(bundle); },
                                  Qt::QueuedConnection);
}

void Engine::onApplied(int, int version, bool ok, const QString& error)
{
    if (!ok) {
        m_applyFailed = true;
        m_applyError = error;
    }
    if (++m_appliedCount < int(m_workers.size()))
        return;
    if (!m_applyFailed)
        m_bundle = m_applying;
    m_applying.reset();
    // A worker that failed keeps running the previous version: nothing running is dropped.
    Q_EMIT applied(!m_applyFailed, version, m_applyError);
    m_applyError.clear();
}

// ---- statistics ----------------------------------------------------------------------------

void Engine::collect()
{
    if (m_phase != Phase::Running)
        return;
    // A worker late with its report (a script running into its timeout) does not hold the
    // others back: its figures are merged into the next interval.
    if (m_sequence > 0 && m_reported >= 0)
        finishInterval();
    ++m_sequence;
    m_reported = 0;
    const quint64 sequence = m_sequence;
    for (Worker* worker : m_workers)
        QMetaObject::invokeMethod(worker, [worker, sequence] { worker->collect(sequence); },
                                  Qt::QueuedConnection);
}

void Engine::onStatsReady(const WorkerStats& stats)
{
    m_merger.add(stats);
    if (stats.sequence == m_sequence && m_reported >= 0
        && ++m_reported == int(m_workers.size()) && m_phase == Phase::Running)
        finishInterval();
}

void Engine::finishInterval()
{
    const QStringList messages = m_merger.closeInterval(m_clock.elapsed(), target());
    m_reported = -1; // this interval is closed; late reports go into the next one
    Q_EMIT statsUpdated(m_merger.snapshot());
    if (!messages.isEmpty()) Q_EMIT errorMessages(messages);
}

StatsSnapshot Engine::liveSnapshot() const
{
    StatsSnapshot s = m_merger.snapshot();
    if (m_phase != Phase::Running || m_workers.empty())
        return s;
    s.current.fill(0);
    for (const Worker* worker : m_workers)
        for (int i = 0; i < kStateCount; ++i)
            s.current[size_t(i)] += worker->stats().live(i);
    s.connections = 0;
    for (qint64 n : s.current)
        s.connections += int(n);
    s.peakConnections = qMax(s.peakConnections, s.connections);
    return s;
}

QString Engine::statusText() const
{
    return formatStatus(liveSnapshot(), target(), m_phase == Phase::Stopped);
}

} // namespace swarm
