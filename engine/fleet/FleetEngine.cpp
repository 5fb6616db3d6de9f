#include "fleet/FleetEngine.h"

#include "fleet/AgentLink.h"
#include "fleet/FleetSplit.h"
#include "stats/StatusText.h"

namespace swarm {

namespace {
constexpr int kIntervalMs = 1000; // as the Engine: one merged interval a second
// stop: how long the agents get to close their connections before they are told to stop.
constexpr int kDrainMs = 15000;
constexpr int kStopStepMs = 200;
constexpr int kSettleMs = 2500;
} // namespace

FleetEngine::FleetEngine(const QList<FleetEndpoint>& spec, const Settings& settings,
    const EngineConfig& config, ScenarioBundlePtr expected, QObject* parent)
    : LoadDriver(parent)
    , m_spec(spec)
    , m_settings(settings)
    , m_config(config)
    , m_expected(std::move(expected))
    , m_looking(size_t(spec.size()), false)
{
    m_identity.version = QStringLiteral(SWARM_VERSION);
    if (m_expected) {
        m_identity.bundleDigest = m_expected->digest();
        m_identityKnown = true;
    }
    m_resolveTimer.setInterval(m_settings.resolveMs);
    connect(&m_resolveTimer, &QTimer::timeout, this, &FleetEngine::resolveAll);
    m_intervalTimer.setInterval(kIntervalMs);
    connect(&m_intervalTimer, &QTimer::timeout, this, &FleetEngine::closeInterval);
    m_stopTimer.setInterval(kStopStepMs);
    connect(&m_stopTimer, &QTimer::timeout, this, &FleetEngine::stopStep);
}

FleetEngine::~FleetEngine() = default; // the links are children

void FleetEngine::start()
{
    m_phase = Phase::Running;
    m_clock.start();
    m_adoptClock.start();
    m_merger.start(0);
    resolveAll();
    m_resolveTimer.start();
    m_intervalTimer.start();
    // From the event loop, as the Engine's (its workers start first): whoever called start()
    // connects to started() right after.
    QTimer::singleShot(0, this, [this] { Q_EMIT started(); });
}

// Addresses are links at once; names are looked up every resolveMs without blocking and past
// Qt's cache (HostLookup): a headless Service's pods come and go. A name still being looked up
// (a slow resolver) is not asked again until it answers.
void FleetEngine::resolveAll()
{
    for (int i = 0; i < m_spec.size(); ++i) {
        const FleetEndpoint& e = m_spec[i];
        const QHostAddress address(e.host);
        if (!address.isNull()) {
            if (m_resolved.count(i) == 0) onResolved(i, {address});
            continue;
        }
        if (m_looking[size_t(i)]) continue;
        m_looking[size_t(i)] = true;
        m_lookup.lookup(e.host, [this, i](const QHostInfo& info) {
            m_looking[size_t(i)] = false;
            // A failed lookup (the name unknown for now, no answer) keeps what it gave before:
            // a resolver's hiccup must not empty the fleet.
            if (info.error() != QHostInfo::NoError) return;
            onResolved(i, info.addresses());
        });
    }
}

void FleetEngine::onResolved(int entry, const QList<QHostAddress>& addresses)
{
    if (m_phase == Phase::Stopped) return;
    const FleetEndpoint& e = m_spec[entry];
    // A plain host name stands for one agent (its preferred address); dns: for every address.
    QList<QHostAddress> chosen = addresses;
    if (!e.dns && !chosen.isEmpty()) chosen = {chosen.first()};
    std::vector<QString> keys;
    for (const QHostAddress& a : chosen)
        keys.push_back(addLink(a, e.port));
    // Vanished addresses leave, unless another entry still gives them.
    for (const QString& old : m_resolved[entry]) {
        if (std::find(keys.begin(), keys.end(), old) != keys.end()) continue;
        bool elsewhere = false;
        for (const auto& [other, given] : m_resolved)
            if (other != entry && std::find(given.begin(), given.end(), old) != given.end())
                elsewhere = true;
        for (AgentLink* link : std::vector<AgentLink*>(m_links))
            if (!elsewhere && link->address() == old) removeLink(link);
    }
    m_resolved[entry] = keys;
}

// The link for address:port, made if there is none; returns its address text.
QString FleetEngine::addLink(const QHostAddress& address, quint16 port)
{
    const QString key = AgentLink::addressText(address, port);
    for (AgentLink* link : m_links)
        if (link->address() == key) return key;
    auto* link = new AgentLink(address, port, m_settings.token, m_nextSlot++, this);
    connect(link, &AgentLink::snapshotReceived, this, &FleetEngine::onSnapshot);
    connect(link, &AgentLink::stateChanged, this, &FleetEngine::onStateChanged);
    m_links.push_back(link);
    link->start();
    return key;
}

// An address that left its name: the agent is no longer the fleet's. Its share moves to the
// others (rebalance), and if the controller gave it one it is told to close its connections
// (target 0), best effort and bounded (AgentLink::leave): an agent still running behind a
// vanished address (a pod taken out of a Service's endpoints before it is stopped) would
// otherwise keep its old share on top of the fleet's target.
void FleetEngine::removeLink(AgentLink* link)
{
    m_links.erase(std::find(m_links.begin(), m_links.end(), link));
    const bool hadShare = m_sent.erase(link) > 0;
    WorkerStats gone; // its connections leave the merged figures; its totals stay
    gone.worker = link->slot();
    m_merger.add(gone);
    link->disconnect(this);
    link->leave(hadShare);
    rebalance();
}

QString FleetEngine::identityProblem(const AgentIdentity& id)
{
    if (id.version != m_identity.version)
        return QStringLiteral("swarm %1 (the controller is %2)")
            .arg(id.version, m_identity.version);
    if (!m_identityKnown) {
        // No --script: the first agent seen sets what the fleet runs.
        m_identity.bundleDigest = id.bundleDigest;
        m_identity.scenario = id.scenario;
        m_identity.protocol = id.protocol;
        m_identityKnown = true;
    }
    if (id.bundleDigest != m_identity.bundleDigest)
        return QStringLiteral("runs %1 (protocol %2, digest %3); the fleet runs digest %4%5")
            .arg(id.scenario, id.protocol, id.bundleDigest, m_identity.bundleDigest,
                m_expected ? QStringLiteral(" (--script)") : QString());
    return QString();
}

// Merges the difference since the agent's last merged state: its totals grow, its connections
// by state replace its previous ones (a StatsMerger reporter per agent).
void FleetEngine::onSnapshot(AgentLink* link)
{
    const AgentState& now = *link->last();
    link->setMismatch(identityProblem(now.identity));
    if (!link->isUp()) return;
    if (m_adopting) {
        int sum = 0;
        for (AgentLink* l : m_links)
            if (l->isUp()) sum += l->last()->target;
        m_target = sum;
        m_merger.setTarget(sum);
        if (m_target > 0) startLoadClock(); // before merging: it starts the figures afresh
    }
    const auto merged = m_merged.find(link->slot());
    m_merger.add(
        agentDelta(merged == m_merged.end() ? nullptr : &merged->second, now, link->slot()));
    m_merged[link->slot()] = now;
    if (m_adopting) {
        if (m_adoptClock.elapsed() >= m_settings.adoptMs) endAdoption();
        return;
    }
    if (m_sent.count(link) == 0) rebalance(); // up again: its share
}

void FleetEngine::onStateChanged(AgentLink* link)
{
    if (!link->isUp()) {
        m_sent.erase(link);
        WorkerStats gone;
        gone.worker = link->slot();
        m_merger.add(gone);
    }
    rebalance();
}

void FleetEngine::endAdoption()
{
    if (!m_adopting) return;
    m_adopting = false;
    m_adoptClock.invalidate();
}

std::vector<int> FleetEngine::shares() const
{
    std::vector<FleetSplit::Member> members;
    for (AgentLink* l : m_links)
        members.push_back({l->isUp(), l->wasEverUp() && l->state() == AgentLink::State::Lost});
    return FleetSplit::shares(m_target, members, m_settings.rebalance);
}

// Tells each agent up now its share, if it has not been told already. A lower share with an
// order other than random is a `decr` in that order; anything else a `target`.
void FleetEngine::rebalance(CloseOrder order)
{
    if (m_adopting || m_phase != Phase::Running) return;
    static const char* const orders[] = {"random", "newest", "oldest"};
    const std::vector<int> share = shares();
    for (size_t i = 0; i < m_links.size(); ++i) {
        AgentLink* link = m_links[i];
        if (!link->isUp()) continue;
        const auto sent = m_sent.find(link);
        const int before = sent != m_sent.end() ? sent->second : link->last()->target;
        const int now = share[i];
        const bool fresh = sent == m_sent.end();
        if (!fresh && now == before) continue;
        if (now < before && order != CloseOrder::Random)
            link->send(QStringLiteral("decr %1 %2").arg(before - now).arg(orders[int(order)]));
        else if (fresh || now != before)
            link->send(QStringLiteral("target %1").arg(now));
        m_sent[link] = now;
        if (fresh) m_pacedUp = -1; // a newcomer: everyone's part changes
    }
    // --ramp and rate are parts of the fleet's: whenever the agents up change, each gets its new
    // part (an agent lost, its part goes to the others, as its share does).
    const int up = pacingParts();
    if (up == m_pacedUp) return;
    m_pacedUp = up;
    for (AgentLink* link : m_links)
        if (link->isUp()) sendPacing(link);
}

// Into how many parts --ramp and rate are cut: the agents up, or with --fleet-rebalance off every
// agent that has been up (a lost one keeps its part, as it keeps its share).
int FleetEngine::pacingParts() const
{
    if (m_settings.rebalance) return qMax(1, upCount());
    return qMax(1, int(std::count_if(m_links.begin(), m_links.end(), [](AgentLink* l) {
        return l->wasEverUp();
    })));
}

int FleetEngine::upCount() const
{
    return int(
        std::count_if(m_links.begin(), m_links.end(), [](AgentLink* l) { return l->isUp(); }));
}

// --ramp and rate are the fleet's: each agent up gets an even part of them.
void FleetEngine::sendPacing(AgentLink* link)
{
    const int n = pacingParts();
    if (m_config.ramp > 0) link->send(QStringLiteral("ramp %1").arg(m_config.ramp / n));
    if (m_config.rate > 0) link->send(QStringLiteral("rate %1").arg(m_config.rate / n));
}

void FleetEngine::startLoadClock()
{
    if (m_loadStarted) return;
    m_loadStarted = true;
    // The run's clock starts at its first connection, as a single swarm's: what came before
    // was an idle fleet.
    m_clock.restart();
    m_merger = StatsMerger();
    m_merger.start(0);
    Q_EMIT loadStarted();
}

void FleetEngine::incr(int count)
{
    setTarget(m_target + count);
}

int FleetEngine::decr(int count, CloseOrder order)
{
    endAdoption();
    const int closed = qMin(count, m_target);
    m_target -= closed;
    m_merger.setTarget(m_target);
    rebalance(order);
    return closed;
}

int FleetEngine::setTarget(int count)
{
    endAdoption();
    const int change = count - m_target;
    m_target = qMax(0, count);
    m_merger.setTarget(m_target);
    if (m_target > 0) startLoadClock();
    rebalance();
    return change;
}

void FleetEngine::setRamp(double perSecond)
{
    m_config.ramp = perSecond;
    const int n = pacingParts();
    for (AgentLink* link : m_links)
        link->send(QStringLiteral("ramp %1").arg(perSecond / n));
}

void FleetEngine::setRate(double perSecond)
{
    m_config.rate = perSecond;
    const int n = pacingParts();
    for (AgentLink* link : m_links)
        link->send(QStringLiteral("rate %1").arg(perSecond / n));
}

void FleetEngine::apply(ScenarioBundlePtr)
{
    Q_EMIT applied(false, 0,
        QStringLiteral("a fleet controller runs no scenario itself: reload each agent (its "
                       "console's reload, or SIGHUP)"));
}

// stop: the agents close their connections (target 0), the controller merges their last
// figures once they hold none, then tells them to stop: the merged totals are theirs, exactly.
void FleetEngine::stop()
{
    if (m_phase == Phase::Stopping || m_phase == Phase::Stopped) return;
    endAdoption();
    m_target = 0;
    m_merger.setTarget(0);
    rebalance();
    m_phase = Phase::Stopping;
    m_resolveTimer.stop();
    m_stopClock.start();
    m_stopTimer.start();
}

void FleetEngine::stopStep()
{
    bool drained = true;
    for (AgentLink* link : m_links)
        if (link->isUp() && (link->last()->totals.connections > 0 || link->last()->target > 0))
            drained = false;
    if (!drained)
        m_drainedClock.invalidate();
    else if (!m_drainedClock.isValid())
        m_drainedClock.start();
    // An agent counts a request in its figures at its next merge (a second at most) and the
    // controller polls once a second: 2.5 s after the last connection closed, the snapshot
    // merged holds all of the agent's requests.
    const bool settled = drained && m_drainedClock.elapsed() >= kSettleMs;
    if (!settled && m_stopClock.elapsed() < kDrainMs) return;
    m_stopTimer.stop();
    for (AgentLink* link : m_links)
        link->send(QStringLiteral("stop"));
    closeInterval();
    m_phase = Phase::Stopped;
    m_intervalTimer.stop();
    for (AgentLink* link : m_links)
        link->disconnect(this);
    Q_EMIT stopped();
}

void FleetEngine::closeInterval()
{
    const QStringList messages
        = m_merger.closeInterval(m_loadStarted ? m_clock.elapsed() : 0, m_target);
    if (!messages.isEmpty()) Q_EMIT errorMessages(messages);
    if (m_adopting && m_adoptClock.isValid() && m_adoptClock.elapsed() >= m_settings.adoptMs)
        endAdoption();
    Q_EMIT statsUpdated(m_merger.snapshot());
}

StatsSnapshot FleetEngine::liveSnapshot() const
{
    StatsSnapshot s = m_merger.snapshot();
    s.target = m_target;
    return s;
}

std::vector<LoadDriver::WorkerLoad> FleetEngine::workerLoads() const
{
    const std::vector<int> share = shares();
    std::vector<WorkerLoad> out;
    for (size_t i = 0; i < m_links.size(); ++i)
        out.push_back({share[i], m_links[i]->isUp() ? m_links[i]->last()->totals.connections : 0});
    return out;
}

QString FleetEngine::statusText() const
{
    return formatStatus(liveSnapshot(), m_target, m_phase == Phase::Stopped) + QLatin1Char('\n')
        + agentsText();
}

} // namespace swarm
