#pragma once

#include "console/ConsoleInterpreter.h"
#include "run/Options.h"
#include "scenario/ScenarioBundle.h"
#include "stats/Report.h"
#include "stats/StatsSnapshot.h"

#include <QJsonArray>
#include <QObject>

#include <memory>

namespace swarm {

class LoadDriver;
class RunController;

// The window's run, driven exactly as headless mode drives it: a RunController (demo server,
// Engine, console interpreter and telnet console) built from the command-line options. One run
// at a time; when it finishes (Stop, or `stop` on the console) its figures stay readable until
// the user starts the next one, which gets a new RunController and a listening console again.
// Every load change goes through the console interpreter as the session "gui".
class RunSession : public QObject
{
    Q_OBJECT
public:
    enum class State {
        NotStarted, // no run yet (or it could not start)
        Starting, // resolving the server or starting the workers
        Ready, // the engine runs; the console listens; connections come and go with incr/decr
        Stopping, // closing every connection
        Finished, // stopped; the final figures stay until the next run
    };
    Q_ENUM(State)

    explicit RunSession(const Options& options, QObject* parent = nullptr);
    ~RunSession() override;

    State state() const { return m_state; }
    const Options& options() const { return m_options; }

    // The run's figures as plain values (empty before the first run): what the widgets show.
    // Once the run is finished, its figures of "now" (connections, states, rates) are 0.
    bool hasRun() const { return bool(m_controller); }
    StatsSnapshot snapshot() const;
    const TimeSeries& timeSeries() const; // valid until the next runReplaced()
    RunInfo runInfo() const;
    quint16 consolePort() const; // 0 while no console listens

    // The parts, for tests that check them directly; widgets use the calls above.
    RunController* controller() const { return m_controller.get(); }
    LoadDriver* engine() const;

    // Starts a new run of `bundle` (the edited scenario and module), replacing a finished or
    // idle one. False when it cannot start; the reasons went out through error().
    bool startRun(ScenarioBundlePtr bundle, const QString& scenarioFile, const QString& moduleFile);
    // Starts again with the same files (a changed server or console address, or a new run).
    bool restart();
    void stop();
    // Why the last run could not start (the RunController's messages), or empty.
    QString startError() const { return m_startError; }

    // A console command, typed in the window or sent by a control: returns the reply.
    QString execute(const QString& line);
    // The same, with all the interpreter says (`watch`: the interval).
    ConsoleInterpreter::Result executeCommand(const QString& line);
    // The status block now (`watch` in the console pane), or empty without a run.
    QString statusBlock() const;
    void incr(int count);
    void decr(int count);
    void setTarget(int target);
    int target() const;
    bool hasLoad() const; // connections asked for, or still open
    // --ramp: for the running load at once (the console's `ramp R`) and for the next runs.
    void setRamp(double perSecond);
    // --connect-timeout and --reply-timeout, for the next run.
    void setTimeouts(int connectMs, int replyMs);
    // --duration (0: until stopped), counted from the run's first connection, and --threshold:
    // for the run going now (a duration already over stops it) and the next ones.
    void setDuration(qint64 ms);
    qint64 duration() const { return m_durationMs; }
    void setThresholds(const QList<Threshold>& thresholds);
    const QList<Threshold>& thresholds() const { return m_options.thresholds; }
    // Each threshold's {threshold, passed, actual}: the final verdict once the run ended, before
    // that on the figures of this moment; empty without thresholds.
    QJsonArray thresholdResults() const;
    bool isLive() const; // starting, running or stopping: closing the window must stop it
    // Ready (the console listens) but no connection was asked for yet: the run's clock has not
    // started, and there is nothing to stop.
    bool isIdle() const;

    // The server (empty: the embedded demo server) and the console address. They can change
    // only while no connection runs; *why says why not.
    bool setServer(const QString& text, QString* why);
    bool setListen(const QString& text, QString* why);
    QString serverText() const { return m_options.server; }
    // TLS to the server (the window's TLS dialog): same rule as the server; the settings the
    // window sets win over the scenario's tls: block, as the command line's do.
    bool setTls(const TlsConfig& tls, QString* why);
    const TlsConfig& tls() const { return m_options.engine.socket.tls; }
    QString listenText() const;
    QString serverDescription() const; // where connections go, demo server included
    QString consoleDescription() const; // where the console listens now, or why not

    // Sends a changed, valid scenario or module to the running load (nothing is dropped: each
    // connection picks it up at its next iteration). Outcome: applied().
    void apply(ScenarioBundlePtr bundle);
    // The bundle the next run (or the idle engine) should use: applied at once while no
    // connection runs, so a following `incr` runs what the editor shows.
    void offerBundle(ScenarioBundlePtr bundle);
    ScenarioBundlePtr runningBundle() const;
    bool isApplying() const { return bool(m_applying); }
    static bool sameContent(const ScenarioBundlePtr& a, const ScenarioBundlePtr& b);

Q_SIGNALS:
    void stateChanged(swarm::RunSession::State state);
    // A new RunController, or the idle run's clock restarting at its first connection: the
    // figures shown so far are gone.
    void runReplaced();
    // A run that had connections is about to be replaced by the next: its figures are still
    // readable (the run history keeps them).
    void runEnding();
    void statsUpdated(const swarm::StatsSnapshot& snapshot);
    void transcript(const QString& peer, const QString& command, const QString& reply);
    void sessionEvent(const QString& peer, const QString& event);
    // A later answer for the window's own session ("gui"): the outcome of a `reload`.
    void followUp(const QString& text);
    void output(const QString& text);
    void error(const QString& text);
    void applied(bool ok, int version, const QString& error);
    void targetChanged(int target);

private:
    bool launch();
    void setState(State state);
    void sendApply(ScenarioBundlePtr bundle, bool quiet);

    Options m_options;
    std::unique_ptr<RunController> m_controller;
    State m_state = State::NotStarted;
    ScenarioBundlePtr m_bundle; // what the next run starts with
    ScenarioBundlePtr m_applying;
    ScenarioBundlePtr m_deferred; // to apply once the engine has started
    bool m_quietApply = false;
    QString m_scenarioFile;
    QString m_moduleFile;
    QString m_resolvedHost;
    QString m_startError;
    qint64 m_durationMs = 0;
    int m_version = 1;
    int m_runs = 0;
    int m_lookupId = -1;
};

} // namespace swarm
