#pragma once

#include "console/ConsoleServer.h"
#include "net/Transport.h"
#include "run/Options.h"
#include "scenario/BundleLoader.h"
#include "stats/AgentState.h"
#include "stats/Report.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QObject>
#include <QStringList>
#include <QTimer>

#include <memory>

namespace swarm {

class ConsoleInterpreter;
class DemoServer;
class LoadDriver;
class MetricsServer;

namespace platform {
class StopSignals;
struct FileLimit;
} // namespace platform

// Builds and drives one run from the command-line options, the same way for headless mode and
// the window: loads and checks the scenario and module, starts the embedded demo server when no
// --server is given, the engine, the console, the periodic status output, --connections,
// --duration, and at the end the report, the CSV and the thresholds. Output goes through
// signals so the caller decides where it is shown (stdout/stderr, or the GUI).
class RunController : public QObject
{
    Q_OBJECT
public:
    explicit RunController(const Options& options, QObject* parent = nullptr);
    ~RunController() override;

    // Everything up to "listening": false when the run cannot start (exit status 2); the
    // reasons have been sent through error(). With --check, stops after the checks and emits
    // finished(0).
    bool start();
    // Runs this bundle (e.g. the scenario being edited in the window) instead of loading
    // --script; call before start().
    void useBundle(
        ScenarioBundlePtr bundle, const QString& scenarioFile, const QString& moduleFile);
    // Applies a changed scenario or module to the running load (Engine::apply): connections
    // pick it up at their next iteration; nothing running is dropped.
    void apply(ScenarioBundlePtr bundle);
    // Closes every connection and finishes: report, CSV, thresholds, then finished().
    void stop();
    // SIGINT/SIGTERM stop the run (a second one ends the process at once); SIGHUP reloads.
    void handleStopSignals();
    // Reads the scenario file and its module from disk again and applies them to the running
    // load, as the console's `reload` does; errors go to error() and the old version runs on.
    void reload();

    // The window's run panel, for the run going now: a duration counted from the first
    // connection (0: until stopped; one already over stops the run), and the thresholds
    // checked when the run ends.
    void setDuration(qint64 ms);
    void setThresholds(const QList<Threshold>& thresholds) { m_options.thresholds = thresholds; }
    // Once the run ended: each threshold's {threshold, passed, actual}, as in the --report file.
    const QJsonArray& thresholdResults() const { return m_thresholdResults; }

    // The local Engine, or with --fleet the FleetEngine that drives the agents.
    LoadDriver* engine() const { return m_engine.get(); }
    bool isFleet() const { return !m_options.fleetEntries.isEmpty(); }
    ConsoleInterpreter* interpreter() const { return m_interpreter; }
    ConsoleServer* console() const { return m_console.get(); }
    MetricsServer* metrics() const { return m_metrics; } // nullptr without --metrics
    DemoServer* demoServer() const { return m_demo.get(); }
    const Options& options() const { return m_options; }
    const RunInfo& info() const { return m_info; }
    ScenarioBundlePtr bundle() const { return m_bundle; }
    QString moduleFile() const { return m_moduleFile; }
    int exitCode() const { return m_exitCode; }

Q_SIGNALS:
    void output(const QString& text); // for stdout
    void error(const QString& text); // for stderr
    void finished(int exitCode);

private:
    bool fail(); // exit status 2: the run cannot start
    bool dataFitsStart();
    bool loadBundle(const QString& script);
    bool prepareTls();
    QString checkText(const QString& script) const;
    bool outputFilesWritable();
    bool resolveServer(Endpoint* endpoint, QString* description);
    ScenarioBundlePtr loadFromDisk(QString* problem) const;
    bool startConsole();
    void makeEngine(const EngineConfig& config, const platform::FileLimit& limit);
    bool startMetrics();
    void connectEngine();
    AgentIdentity agentIdentity() const; // `stats snapshot`'s, for the bundle running now
    QString startText(const QString& serverText, const platform::FileLimit& limit) const;
    void onEngineStarted();
    void onEngineStopped();
    void printStatus();
    bool writeFile(const QString& path, const QByteArray& data);
    void checkSomethingConnected(const StatsSnapshot& s);
    void armDuration();

    Options m_options;
    RunInfo m_info;
    ScenarioBundlePtr m_bundle;
    QString m_moduleFile;
    std::unique_ptr<DemoServer> m_demo;
    std::unique_ptr<LoadDriver> m_engine;
    ConsoleInterpreter* m_interpreter = nullptr;
    std::unique_ptr<ConsoleServer> m_console;
    MetricsServer* m_metrics = nullptr; // a child
    platform::StopSignals* m_signals = nullptr;
    QTimer m_statusTimer;
    QTimer m_durationTimer;
    QElapsedTimer m_loadClock; // from the first connection
    bool m_durationFromLoad = false; // setDuration(): counted from the first connection
    QJsonArray m_thresholdResults;
    int m_exitCode = 0;
    int m_signalCount = 0;
    bool m_finished = false;
};

} // namespace swarm
