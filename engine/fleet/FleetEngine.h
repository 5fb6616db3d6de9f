#pragma once

#include "core/LoadDriver.h"
#include "fleet/FleetSpec.h"
#include "fleet/HostLookup.h"
#include "stats/AgentState.h"
#include "stats/StatsMerger.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QTimer>

#include <map>
#include <vector>

namespace swarm {

class AgentLink;

// The fleet controller's "engine" (--fleet): owns the fleet's target and splits it over the
// agents up now (FleetSplit), polls each agent's cumulative figures through an AgentLink and
// merges their differences in one StatsMerger, so every output of a single swarm (status, stats
// json, report, CSV, thresholds, the window's charts) shows the fleet's merged figures. Names in
// the SPEC (`dns:NAME:PORT` and host names) are looked up again every resolveMs, past Qt's cache:
// an address that left the name leaves the fleet at the next lookup. Everything runs on the
// controller's event loop; nothing it does waits for an agent or a resolver.
class FleetEngine : public LoadDriver
{
    Q_OBJECT
public:
    struct Settings
    {
        QString token; // --console-token: the agents' consoles'
        bool rebalance = true; // --fleet-rebalance
        int resolveMs = 5000;
        // Until the first command that sets a target (or this long after the start), the fleet's
        // target is the sum of the agents': a new controller picks up a running fleet as it is.
        int adoptMs = 5000;
    };

    // `expected`: the bundle the agents must run (--script); null: the first agent sets it.
    FleetEngine(const QList<FleetEndpoint>& spec, const Settings& settings,
        const EngineConfig& config, ScenarioBundlePtr expected, QObject* parent = nullptr);
    ~FleetEngine() override;

    void start() override;
    void incr(int count) override;
    int decr(int count, CloseOrder order = CloseOrder::Random) override;
    QString rowShortage(qint64) const override { return QString(); }
    int setTarget(int count) override;
    void setRamp(double perSecond) override;
    double ramp() const override { return m_config.ramp; }
    void setRate(double perSecond) override;
    double rate() const override { return m_config.rate; }
    void stop() override;
    void apply(ScenarioBundlePtr bundle) override;
    bool isApplying() const override { return false; }
    Phase phase() const override { return m_phase; }
    const EngineConfig& config() const override { return m_config; }
    ScenarioBundlePtr bundle() const override { return m_expected; }
    int target() const override { return m_target; }
    int pendingRamp() const override { return 0; }
    bool hasLoadStarted() const override { return m_loadStarted; }
    const StatsSnapshot& snapshot() const override { return m_merger.snapshot(); }
    StatsSnapshot liveSnapshot() const override;
    const TimeSeries& timeSeries() const override { return m_merger.timeSeries(); }
    std::vector<WorkerLoad> workerLoads() const override;
    QString statusText() const override;
    QString agentsText() const override;
    QJsonArray agentsJson() const override;

    // Each agent's share now, in the order of agentsText() (for tests and the window).
    std::vector<int> shares() const;
    const std::vector<AgentLink*>& links() const { return m_links; }

private:
    void resolveAll();
    void onResolved(int entry, const QList<QHostAddress>& addresses);
    QString addLink(const QHostAddress& address, quint16 port);
    void removeLink(AgentLink* link);
    void onSnapshot(AgentLink* link);
    void onStateChanged(AgentLink* link);
    QString identityProblem(const AgentIdentity& identity);
    void endAdoption();
    void rebalance(CloseOrder order = CloseOrder::Random);
    int upCount() const;
    void sendPacing(AgentLink* link);
    int pacingParts() const;
    void closeInterval();
    void startLoadClock();
    void stopStep();

    QList<FleetEndpoint> m_spec;
    Settings m_settings;
    EngineConfig m_config;
    ScenarioBundlePtr m_expected;
    AgentIdentity m_identity; // what every agent must show (version, digest)
    bool m_identityKnown = false;
    Phase m_phase = Phase::Idle;
    std::vector<AgentLink*> m_links; // children, in the order first seen
    std::map<int, std::vector<QString>> m_resolved; // spec entry -> "addr:port" it gave
    std::vector<bool> m_looking; // by spec entry: a lookup is under way
    HostLookup m_lookup;
    std::map<AgentLink*, int> m_sent; // the share last sent to an agent up now
    int m_pacedUp = 0; // agents up when the parts of --ramp and rate were last sent
    std::map<int, AgentState> m_merged; // by slot: the agent's state last merged
    int m_nextSlot = 0;
    int m_target = 0;
    bool m_adopting = true;
    bool m_loadStarted = false;
    QTimer m_resolveTimer;
    QTimer m_intervalTimer;
    QTimer m_stopTimer;
    QElapsedTimer m_adoptClock;
    QElapsedTimer m_stopClock;
    QElapsedTimer m_drainedClock; // since every agent up holds no connection
    QElapsedTimer m_clock;
    StatsMerger m_merger;
};

} // namespace swarm
