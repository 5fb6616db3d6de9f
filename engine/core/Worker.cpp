#include "core/Worker.h"

#include "core/Clock.h"
#include "core/Connection.h"
#include "net/Platform.h"
#include "net/TransportFactory.h"

#include <QTimerEvent>

#include <algorithm>
#include <cmath>

namespace swarm {

Worker::Worker(int index, const EngineConfig& config, ScenarioBundlePtr bundle)
    : m_index(index)
    , m_config(config)
    , m_bundle(std::move(bundle))
    , m_rng(QRandomGenerator::securelySeeded())
    , m_readBuffer(new char[size_t(kReadBufferSize)])
    , m_rate(config.rate)
{
    m_recordCorrected = m_rate > 0;
}

Worker::~Worker()
{
    // Connections first: they close their sockets through the transport.
    for (auto& c : m_slots)
        if (c) c->shutdown();
    m_slots.clear();
    m_transport.reset();
    m_plan.reset();
    m_runtime.reset();
}

void Worker::initialize()
{
    QString error;
    m_transport = makeTransport(m_config.io, this, m_config.socket, &error);
    m_runtime = std::make_unique<ScriptRuntime>(m_config.scriptTimeoutMs, m_config.fleet);
    const bool ok = m_transport && compile(*m_bundle, &m_plan, &error);
    Q_EMIT initialized(m_index, ok, error);
}

bool Worker::compile(const ScenarioBundle& bundle, PlanPtr* plan, QString* error)
{
    auto compiled = std::make_shared<Plan>();
    ScriptError scriptError;
    if (!m_runtime->compile(bundle, compiled.get(), &scriptError)) {
        *error = scriptError.toString();
        return false;
    }
    for (CompiledAction& a : compiled->actions)
        a.commandId = m_stats.commandId(a.command);
    if (compiled->hasOnClose)
        compiled->onClose.commandId = m_stats.commandId(compiled->onClose.command);
    notePacing(*compiled);
    *plan = std::move(compiled);
    return true;
}

void Worker::notePacing(const Plan& plan)
{
    for (const CompiledAction& a : plan.actions)
        if (a.rate > 0) m_recordCorrected = true;
}

void Worker::setPacing(double rate, int connections)
{
    const bool changed = rate != m_rate;
    m_rate = qMax(0.0, rate);
    m_pacedConnections = qMax(1, connections);
    if (m_rate > 0) m_recordCorrected = true;
    if (!changed) return; // more or fewer connections: each picks it up at its next arrival
    for (quint32 slot : m_live)
        m_slots[slot]->repace();
    armTimer();
}

qint64 Worker::arrivalIntervalUs(const CompiledAction& action) const
{
    const double rate = action.rate > 0 ? action.rate : m_rate;
    if (rate <= 0) return 0;
    // Each connection takes its share: connections / rate seconds between its arrivals.
    return qMax<qint64>(1, qint64(std::llround(double(m_pacedConnections) * 1e6 / rate)));
}

void Worker::apply(ScenarioBundlePtr bundle)
{
    PlanPtr plan;
    QString error;
    const bool ok = compile(*bundle, &plan, &error);
    if (ok) {
        m_bundle = std::move(bundle);
        m_plan = std::move(plan);
    }
    Q_EMIT applied(m_index, ok ? m_plan->version : 0, ok, error);
}

QHostAddress Worker::nextSource()
{
    if (m_config.sourceAddresses.isEmpty()) return QHostAddress();
    const QHostAddress& a
        = m_config.sourceAddresses[m_nextSource % m_config.sourceAddresses.size()];
    m_nextSource = (m_nextSource + 1) % m_config.sourceAddresses.size();
    return a;
}

qint64 Worker::spreadDelayMs()
{
    const qint64 lo = m_config.connectSpreadMinMs;
    const qint64 hi = m_config.connectSpreadMaxMs;
    if (hi <= lo) return lo;
    return lo + qint64(m_rng.bounded(quint64(hi - lo + 1)));
}

void Worker::addConnections(int count, quint64 firstId, const std::vector<qint64>& seats)
{
    for (int i = 0; i < count; ++i) {
        quint32 slot;
        if (!m_freeSlots.empty()) {
            slot = m_freeSlots.back();
            m_freeSlots.pop_back();
        } else {
            slot = quint32(m_slots.size());
            m_slots.emplace_back();
            m_slotIds.emplace_back();
        }
        m_slotIds[slot] = firstId + quint64(i);
        // client.id: 0-based, and interleaved over a fleet's agents so that none repeats.
        const qint64 id
            = qint64(firstId + quint64(i) - 1) * m_config.fleet.count + m_config.fleet.index;
        const qint64 seat = size_t(i) < seats.size() ? seats[size_t(i)] : id;
        m_slots[slot] = std::make_unique<Connection>(*this, slot, id, seat);
        Connection* c = m_slots[slot].get();
        c->livePosition = int(m_live.size());
        m_live.push_back(slot);
        m_peakLive = qMax(m_peakLive, int(m_live.size()));
        c->start(spreadDelayMs());
    }
}

void Worker::unlist(Connection* connection)
{
    const int pos = connection->livePosition;
    if (pos >= 0 && pos < int(m_live.size())) {
        const quint32 last = m_live.back();
        m_live[size_t(pos)] = last;
        m_slots[last]->livePosition = pos;
        m_live.pop_back();
    }
    connection->livePosition = -1;
}

void Worker::release(Connection* connection)
{
    const quint32 slot = connection->slot();
    unlist(connection);
    connection->shutdown();
    m_slots[slot].reset();
    m_freeSlots.push_back(slot);
}

// Takes the connection off the live list; it says its goodbye first when the scenario has one.
void Worker::closeOne(Connection* c)
{
    unlist(c);
    if (c->sayGoodbye())
        ++m_sayingGoodbye;
    else
        release(c);
}

void Worker::goodbyeFinished(quint32 slot)
{
    m_goodbyesDone.push_back(slot);
    if (!m_goodbyesPosted) {
        m_goodbyesPosted = true;
        QMetaObject::invokeMethod(this, &Worker::releaseGoodbyes, Qt::QueuedConnection);
    }
}

// Later than goodbyeFinished(): the connection may be deep in its own call stack there.
void Worker::releaseGoodbyes()
{
    m_goodbyesPosted = false;
    std::vector<quint32> done;
    done.swap(m_goodbyesDone);
    for (quint32 slot : done) {
        if (slot < m_slots.size() && m_slots[slot]) {
            release(m_slots[slot].get());
            --m_sayingGoodbye;
        }
    }
    if (m_closeAllPending && m_sayingGoodbye == 0) finishCloseAll();
}

void Worker::removeConnections(const std::vector<quint64>& ids)
{
    int closed = 0;
    // From the end: release() moves the last live slot into the freed place, and that one has
    // been looked at already.
    for (size_t i = m_live.size(); i-- > 0;) {
        if (i >= m_live.size()) continue;
        const quint32 slot = m_live[i];
        if (std::binary_search(ids.begin(), ids.end(), m_slotIds[slot])) {
            closeOne(m_slots[slot].get());
            ++closed;
        }
    }
    if (m_live.empty() && m_sayingGoodbye == 0) {
        // Nothing runs: give back what the slot tables grew to.
        m_slots.clear();
        m_slotIds.clear();
        m_freeSlots.clear();
        m_ready.clear();
    }
    // Given back once the closed sockets are freed: the Qt transport deletes its sockets later
    // (deleteLater, from this event loop), so a trim here would find their memory still in use;
    // a queued call runs after those deletions, posted before it.
    if (closed >= kTrimAfterClosing)
        QMetaObject::invokeMethod(
            this, [] { platform::releaseFreeMemory(); }, Qt::QueuedConnection);
    armTimer();
}

void Worker::closeAll(quint64 sequence)
{
    m_closeSequence = sequence;
    while (!m_live.empty())
        closeOne(m_slots[m_live.back()].get());
    if (m_sayingGoodbye > 0) {
        m_closeAllPending = true; // finished by releaseGoodbyes() (bounded by the goodbye timeout)
        armTimer();
        return;
    }
    finishCloseAll();
}

void Worker::finishCloseAll()
{
    m_closeAllPending = false;
    // The figures include the goodbyes: reported after them, before allClosed.
    collect(m_closeSequence);
    m_slots.clear();
    m_slotIds.clear();
    m_freeSlots.clear();
    m_ready.clear();
    m_timer.stop();
    m_timerArmedFor = TimerQueue::kNever;
    Q_EMIT allClosed(m_index);
}

void Worker::collect(quint64 sequence)
{
    WorkerStats stats = m_stats.take(m_index, sequence, int(m_live.size()));
    // The most at once since the last report: connections opened and closed again between two
    // reports (8,000 opened and stopped within a second) still make the run's peak.
    stats.peakConnections = qMax(m_peakLive, stats.connections);
    m_peakLive = stats.connections;
    // The open model: what the connections' schedules add up to now, and how far behind they
    // are (arrivals due that have not started).
    const qint64 now = nowUs();
    for (quint32 slot : m_live) {
        const ArrivalSchedule& a = m_slots[slot]->arrivals();
        if (!a.isRunning()) continue;
        stats.askedRate += 1e6 / double(a.intervalUs());
        stats.backlog += a.backlog(now);
    }
    Q_EMIT statsReady(stats);
}

// ---- time ----------------------------------------------------------------------------------

void Worker::schedule(quint32 slot, qint64 deadlineUs)
{
    m_timers.schedule(slot, deadlineUs);
    if (deadlineUs < m_timerArmedFor) armTimer();
}

// One timer for all the worker's connections, armed for the earliest deadline. It is re-armed
// only when an earlier deadline comes in, so a reply timeout pushed back at every request costs
// no timer call; at worst the timer fires early, finds nothing due and re-arms.
void Worker::armTimer()
{
    const qint64 next = m_timers.nextDeadline();
    if (next == TimerQueue::kNever) {
        m_timer.stop();
        m_timerArmedFor = TimerQueue::kNever;
        return;
    }
    const qint64 waitUs = next - nowUs();
    const int ms = waitUs <= 0 ? 0 : int(qMin<qint64>((waitUs + 999) / 1000, 24 * 3600 * 1000));
    m_timer.start(ms, Qt::PreciseTimer, this);
    m_timerArmedFor = next;
}

void Worker::timerEvent(QTimerEvent* event)
{
    if (event->timerId() != m_timer.timerId()) {
        QObject::timerEvent(event);
        return;
    }
    m_timer.stop();
    m_timerArmedFor = TimerQueue::kNever;
    const qint64 now = nowUs();
    quint32 slot;
    // At most a batch per turn: the rest comes after the socket events that arrived meanwhile
    // (armTimer() re-arms at once when deadlines are still due).
    for (int handled = 0; handled < kDeadlinesPerTurn && m_timers.popDue(now, &slot); ++handled) {
        if (slot < m_slots.size() && m_slots[slot]) m_slots[slot]->onDeadline();
    }
    armTimer();
}

void Worker::defer(quint32 slot)
{
    m_ready.push_back(slot);
    if (!m_readyPosted) {
        m_readyPosted = true;
        QMetaObject::invokeMethod(this, &Worker::runReady, Qt::QueuedConnection);
    }
}

void Worker::runReady()
{
    m_readyPosted = false;
    std::vector<quint32> ready;
    ready.swap(m_ready);
    for (quint32 slot : ready)
        if (slot < m_slots.size() && m_slots[slot]) m_slots[slot]->onReady();
}

// ---- socket events -------------------------------------------------------------------------

void Worker::socketConnected(quint32 slot)
{
    if (slot < m_slots.size() && m_slots[slot]) m_slots[slot]->onConnected();
}

void Worker::socketHandshakeStarted(quint32 slot)
{
    if (slot < m_slots.size() && m_slots[slot]) m_slots[slot]->onHandshakeStarted();
}

void Worker::socketSecured(quint32 slot)
{
    if (slot < m_slots.size() && m_slots[slot]) m_slots[slot]->onSecured();
}

void Worker::socketReadable(quint32 slot)
{
    if (slot < m_slots.size() && m_slots[slot]) m_slots[slot]->onReadable();
}

void Worker::socketWritable(quint32 slot)
{
    if (slot < m_slots.size() && m_slots[slot]) m_slots[slot]->onWritable();
}

void Worker::socketFailed(quint32 slot, SocketFailure failure, const QString& detail)
{
    if (slot < m_slots.size() && m_slots[slot]) m_slots[slot]->onSocketFailed(failure, detail);
}

} // namespace swarm
