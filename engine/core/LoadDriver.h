#pragma once

#include "core/EngineConfig.h"
#include "scenario/ScenarioBundle.h"
#include "stats/StatsSnapshot.h"

#include <QJsonArray>
#include <QObject>
#include <QString>
#include <QStringList>

#include <vector>

namespace swarm {

// What drives a run, as the console, the periodic status, the report and the window see it:
// the local Engine (connections in this process) or the FleetEngine (a controller of agents,
// `--fleet`). Whatever one can do through this facade, the other does with the same commands.
class LoadDriver : public QObject
{
    Q_OBJECT
public:
    enum class Phase { Idle, Starting, Running, Stopping, Stopped };
    // Which open connections decr closes.
    enum class CloseOrder { Random, Newest, Oldest };
    // One share of the load: a worker thread's (Engine) or an agent's (FleetEngine).
    struct WorkerLoad
    {
        int assigned = 0;
        int open = 0;
    };

    using QObject::QObject;

    virtual void start() = 0;
    virtual void incr(int count) = 0;
    virtual int decr(int count, CloseOrder order = CloseOrder::Random) = 0;
    // Why `count` connections cannot all have their own data row, or an empty string.
    virtual QString rowShortage(qint64 count) const = 0;
    virtual int setTarget(int count) = 0;
    virtual void setRamp(double perSecond) = 0;
    virtual double ramp() const = 0;
    virtual void setRate(double perSecond) = 0;
    virtual double rate() const = 0;
    virtual void stop() = 0;
    virtual void apply(ScenarioBundlePtr bundle) = 0;
    virtual bool isApplying() const = 0;
    virtual Phase phase() const = 0;
    virtual const EngineConfig& config() const = 0;
    virtual ScenarioBundlePtr bundle() const = 0;
    virtual int target() const = 0;
    virtual int pendingRamp() const = 0;
    virtual bool hasLoadStarted() const = 0;
    virtual const StatsSnapshot& snapshot() const = 0;
    virtual StatsSnapshot liveSnapshot() const = 0;
    virtual const TimeSeries& timeSeries() const = 0;
    virtual std::vector<WorkerLoad> workerLoads() const = 0;
    virtual QString statusText() const = 0;
    // A fleet's agents, one line each / one object each (`status agents`, `stats json`); a
    // local engine has none.
    virtual QString agentsText() const { return QString(); }
    virtual QJsonArray agentsJson() const { return QJsonArray(); }

Q_SIGNALS:
    void started();
    void loadStarted(); // the first connection was asked for: the run's clock starts again at 0
    void startFailed(const QString& error);
    void statsUpdated(const swarm::StatsSnapshot& snapshot);
    // Errors seen in the last interval, rate-limited: "12x script_error: durian.js:4: ...".
    void errorMessages(const QStringList& lines);
    void applied(bool ok, int version, const QString& error);
    void stopped();
};

} // namespace swarm
