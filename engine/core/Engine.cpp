#include "core/Engine.h"

#include "core/PostTo.h"

#include "core/Worker.h"
#include "scenario/DataSetLoader.h"
#include "stats/StatusText.h"

#include <QRandomGenerator>
#include <QThread>

#include <algorithm>
#include <cmath>

namespace swarm {

namespace {
constexpr int kRampTickMs = 20;
}

Engine::Engine(const EngineConfig& config, ScenarioBundlePtr bundle, QObject* parent)
    : LoadDriver(parent)
    , m_config(config)
    , m_bundle(std::move(bundle))
{
    qRegisterMetaType<swarm::WorkerStats>();
    qRegisterMetaType<swarm::StatsSnapshot>();
    if (m_config.threads < 1) m_config.threads = 1;
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
    if (m_phase != Phase::Idle) return;
    m_phase = Phase::Starting;
    m_clock.start();
    const int n = m_config.threads;
    m_open.assign(size_t(n), {});
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
        postTo(worker, [worker] { worker->initialize(); });
    }
}

void Engine::onInitialized(int, bool ok, const QString& error)
{
    if (!ok && m_applyError.isEmpty()) m_applyError = error;
    if (++m_initialized < int(m_workers.size())) return;
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
    for (const auto& ids : m_open)
        total += int(ids.size());
    return total;
}

void Engine::incr(int count)
{
    if (count <= 0 || m_phase == Phase::Stopping || m_phase == Phase::Stopped) return;
    if (!m_loadStarted) startLoadClock();
    if (m_pendingRamp == 0) {
        m_rampCredit = 1; // the first connection of a ramp goes at once
        m_rampClock.start();
        m_rampLastNs = 0;
    }
    m_pendingRamp += count;
    releaseRamp();
    m_merger.setTarget(target()); // what the console reports must not lag a command
}

// The run starts with its first connection: what came before (workers starting, an idle console
// waiting for `incr`) was no load, and counting it would halve the run's average rate. The
// samples so far held only zeros; the open interval's late reports land in the new one.
void Engine::startLoadClock()
{
    m_loadStarted = true;
    m_clock.restart();
    m_merger = StatsMerger();
    m_merger.start(0);
    Q_EMIT loadStarted();
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
        if (!m_rampTimer.isActive()) m_rampTimer.start();
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
            if (m_open[w].size() + size_t(add[w]) < m_open[least].size() + size_t(add[least]))
                least = w;
        ++add[least];
    }
    sendPacing(count); // before the new connections start: they take their share of the rate
    for (size_t w = 0; w < m_workers.size(); ++w) {
        if (!add[w]) continue;
        const quint64 first = m_nextId;
        m_nextId += quint64(add[w]);
        std::vector<qint64> seats;
        seats.reserve(size_t(add[w]));
        for (quint64 id = first; id < m_nextId; ++id) {
            m_open[w].push_back(id);
            seats.push_back(m_seats.take());
            m_seatOf[id] = seats.back();
        }
        Worker* worker = m_workers[w];
        const int n = add[w];
        postTo(worker, [worker, n, first, seats = std::move(seats)] {
            worker->addConnections(n, first, seats);
        });
    }
}

int Engine::decr(int count, CloseOrder order)
{
    if (count <= 0) return 0;
    // Connections still waiting for the ramp are not open: dropping them only lowers the target.
    const int fromRamp = qMin(count, m_pendingRamp);
    m_pendingRamp -= fromRamp;
    std::vector<std::vector<quint64>> picked(m_workers.size());
    pickToClose(count - fromRamp, order, &picked);
    int closed = fromRamp;
    for (size_t w = 0; w < m_workers.size(); ++w) {
        if (picked[w].empty()) continue;
        closed += int(picked[w].size());
        for (quint64 id : picked[w]) { // free at once: a new connection may take it now
            const auto seat = m_seatOf.find(id);
            if (seat != m_seatOf.end()) {
                m_seats.give(seat->second);
                m_seatOf.erase(seat);
            }
        }
        Worker* worker = m_workers[w];
        postTo(worker, [worker, ids = std::move(picked[w])] { worker->removeConnections(ids); });
    }
    if (closed > fromRamp) sendPacing();
    m_merger.setTarget(target());
    return closed;
}

// Takes up to `count` ids out of m_open into picked[worker], each list ascending.
void Engine::pickToClose(int count, CloseOrder order, std::vector<std::vector<quint64>>* picked)
{
    if (order == CloseOrder::Random) {
        pickAtRandom(count, picked);
        return;
    }
    // Newest: the largest ids left, from the ends of the workers' lists; oldest: the smallest,
    // from their fronts (erased at once at the end, not one by one).
    std::vector<size_t> front(m_open.size(), 0);
    for (int i = 0; i < count; ++i) {
        int best = -1;
        for (size_t w = 0; w < m_open.size(); ++w) {
            if (front[w] >= m_open[w].size()) continue;
            const quint64 id = order == CloseOrder::Newest ? m_open[w].back() : m_open[w][front[w]];
            const quint64 bestId = best < 0   ? 0
                : order == CloseOrder::Newest ? m_open[size_t(best)].back()
                                              : m_open[size_t(best)][front[size_t(best)]];
            if (best < 0 || (order == CloseOrder::Newest ? id > bestId : id < bestId))
                best = int(w);
        }
        if (best < 0) break;
        auto& ids = m_open[size_t(best)];
        if (order == CloseOrder::Newest) {
            (*picked)[size_t(best)].push_back(ids.back());
            ids.pop_back();
        } else {
            (*picked)[size_t(best)].push_back(ids[front[size_t(best)]++]);
        }
    }
    for (size_t w = 0; w < m_open.size(); ++w) {
        m_open[w].erase(m_open[w].begin(), m_open[w].begin() + qsizetype(front[w]));
        std::sort((*picked)[w].begin(), (*picked)[w].end());
    }
}

// Selection sampling (Knuth's algorithm S) over every worker's list in turn: each open
// connection is kept or picked with the probability that leaves every subset of `count`
// equally likely, in one pass and in order.
void Engine::pickAtRandom(int count, std::vector<std::vector<quint64>>* picked)
{
    size_t left = 0;
    for (const auto& ids : m_open)
        left += ids.size();
    size_t wanted = size_t(qMax(0, count));
    QRandomGenerator* rng = QRandomGenerator::global();
    for (size_t w = 0; w < m_open.size() && wanted > 0; ++w) {
        std::vector<quint64> kept;
        kept.reserve(m_open[w].size());
        for (quint64 id : m_open[w]) {
            if (wanted > 0 && rng->bounded(quint64(left)) < wanted) {
                (*picked)[w].push_back(id);
                --wanted;
            } else {
                kept.push_back(id);
            }
            --left;
        }
        m_open[w].swap(kept);
    }
}

QString Engine::rowShortage(qint64 count) const
{
    return DataSetLoader::shortage(m_bundle->data, m_config.fleet, count);
}

int Engine::setTarget(int count)
{
    const int change = qMax(0, count) - target();
    if (change > 0)
        incr(change);
    else if (change < 0)
        decr(-change, CloseOrder::Random);
    return change;
}

void Engine::setRamp(double perSecond)
{
    // What the old rate has earned so far goes out first; from now on the new rate counts.
    releaseRamp();
    m_config.ramp = qMax(0.0, perSecond);
    if (m_pendingRamp > 0 && m_phase == Phase::Running) {
        if (!m_rampClock.isValid()) {
            m_rampClock.start();
            m_rampLastNs = 0;
        }
        releaseRamp();
    }
}

void Engine::setRate(double perSecond)
{
    m_config.rate = qMax(0.0, perSecond);
    if (m_phase == Phase::Running) sendPacing();
}

// The rate is shared by the connections handed to the workers (not those waiting for their
// ramp): each runs at rate / connections.
void Engine::sendPacing(int adding)
{
    int connections = adding;
    for (const auto& ids : m_open)
        connections += int(ids.size());
    const double rate = m_config.rate;
    for (Worker* worker : m_workers)
        postTo(worker, [worker, rate, connections] { worker->setPacing(rate, connections); });
}

std::vector<Engine::WorkerLoad> Engine::workerLoads() const
{
    std::vector<WorkerLoad> out(m_open.size());
    for (size_t w = 0; w < m_open.size(); ++w) {
        out[w].assigned = int(m_open[w].size());
        if (w < m_workers.size() && m_phase == Phase::Running)
            for (int i = 0; i < kStateCount; ++i)
                out[w].open += int(m_workers[w]->stats().live(i));
    }
    return out;
}

void Engine::stop()
{
    if (m_phase == Phase::Stopping || m_phase == Phase::Stopped) return;
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
    // Every worker closes its connections (after their on_close goodbyes), then reports a last
    // collection before allClosed, so the final figures are complete.
    ++m_sequence;
    m_reported = 0;
    m_closed = 0;
    const quint64 sequence = m_sequence;
    for (Worker* worker : m_workers) {
        worker->askStop();
        postTo(worker, [worker, sequence] { worker->closeAll(sequence); });
    }
}

void Engine::onAllClosed(int worker)
{
    m_open[size_t(worker)].clear();
    if (++m_closed < int(m_workers.size())) return;
    if (m_reported >= 0) finishInterval();
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
    // Fewer unique rows than connections would leave some without a row: keep what runs.
    const QString noRows = DataSetLoader::shortage(bundle->data, m_config.fleet, target());
    if (!noRows.isEmpty()) {
        Q_EMIT applied(false, 0, noRows);
        return;
    }
    m_applying = bundle;
    m_appliedCount = 0;
    m_applyFailed = false;
    m_applyError.clear();
    for (Worker* worker : m_workers)
        postTo(worker, [worker, bundle] { worker->apply(bundle); });
}

void Engine::onApplied(int, int version, bool ok, const QString& error)
{
    if (!ok) {
        m_applyFailed = true;
        m_applyError = error;
    }
    if (++m_appliedCount < int(m_workers.size())) return;
    if (!m_applyFailed) m_bundle = m_applying;
    m_applying.reset();
    // A worker that failed keeps running the previous version: nothing running is dropped.
    Q_EMIT applied(!m_applyFailed, version, m_applyError);
    m_applyError.clear();
}

// ---- statistics ----------------------------------------------------------------------------

void Engine::collect()
{
    if (m_phase != Phase::Running) return;
    // A worker late with its report (a script running into its timeout) does not hold the
    // others back: its figures are merged into the next interval.
    if (m_sequence > 0 && m_reported >= 0) finishInterval();
    ++m_sequence;
    m_reported = 0;
    const quint64 sequence = m_sequence;
    for (Worker* worker : m_workers)
        postTo(worker, [worker, sequence] { worker->collect(sequence); });
}

void Engine::onStatsReady(const WorkerStats& stats)
{
    m_merger.add(stats);
    if (stats.sequence == m_sequence && m_reported >= 0 && ++m_reported == int(m_workers.size())
        && m_phase == Phase::Running)
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
    if (m_phase != Phase::Running || m_workers.empty()) return s;
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
    QString text = formatStatus(liveSnapshot(), target(), m_phase == Phase::Stopped);
    if (m_config.socket.tls.enabled && m_config.socket.tls.insecure)
        text.replace(QStringLiteral("\n-------------------->"),
            QStringLiteral("\nTLS: SERVER CERTIFICATES NOT VERIFIED (--tls-insecure)"
                           "\n-------------------->"));
    return text;
}

} // namespace swarm
