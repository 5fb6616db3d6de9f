#include "run/RunController.h"

#include "stats/HtmlReport.h"

#include "console/ConsoleInterpreter.h"
#include "core/Engine.h"
#include "fleet/FleetEngine.h"
#include "metrics/MetricFamilies.h"
#include "metrics/MetricsServer.h"
#include "net/Platform.h"
#include "net/TransportFactory.h"
#include "run/DemoServer.h"
#include "run/SaveFile.h"
#include "run/TlsSetup.h"
#include "scenario/DataSetLoader.h"
#include "stats/StatusText.h"
#include "stats/Threshold.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostInfo>
#include <QJsonArray>
#include <QJsonDocument>

#include <cstdlib>

namespace swarm {

namespace {
constexpr int kErrorLinesShown = 10; // of one interval's distinct error messages
// Descriptors swarm needs besides its connections: the console and its sessions, the demo
// server, epoll, the signal pipe, Qt's own, files written at the end.
constexpr qint64 kReservedDescriptors = 64;
} // namespace

RunController::RunController(const Options& options, QObject* parent)
    : QObject(parent)
    , m_options(options)
{
    m_statusTimer.setTimerType(Qt::CoarseTimer);
    connect(&m_statusTimer, &QTimer::timeout, this, &RunController::printStatus);
    m_durationTimer.setSingleShot(true);
    m_durationTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_durationTimer, &QTimer::timeout, this, [this] {
        Q_EMIT output(QStringLiteral("--duration %1 reached: stopping")
                          .arg(formatElapsed(m_options.durationMs)));
        stop();
    });
}

RunController::~RunController()
{
    delete m_metrics; // its scrapes read the engine
    m_metrics = nullptr;
    m_console.reset();
    m_engine.reset();
    m_demo.reset();
}

void RunController::handleStopSignals()
{
    platform::ignoreBrokenPipeAndHangup();
    m_signals = new platform::StopSignals(this);
    m_signals->catchHangup();
    connect(m_signals, &platform::StopSignals::received, this, [this](int signal) {
        if (platform::StopSignals::isHangup(signal)) {
            Q_EMIT output(QStringLiteral("Got SIGHUP: reloading the scenario and its module"));
            reload();
            return;
        }
        if (++m_signalCount > 1) {
            Q_EMIT error(QStringLiteral("signal %1 again: exiting now").arg(signal));
            std::_Exit(130);
        }
        Q_EMIT output(
            QStringLiteral("Got signal %1: closing every connection and stopping").arg(signal));
        stop();
    });
}

bool RunController::resolveServer(Endpoint* endpoint, QString* description)
{
    if (m_options.server.isEmpty()) {
        m_demo = std::make_unique<DemoServer>();
        QString why;
        if (!m_demo->start(QHostAddress::LocalHost, 0, &why)) {
            Q_EMIT error(
                QStringLiteral("swarm: cannot start the embedded demo server: %1").arg(why));
            return false;
        }
        endpoint->address = QHostAddress::LocalHost;
        endpoint->port = m_demo->port();
        *description = QStringLiteral("%1 (no --server given: the embedded demo server, durian "
                                      "protocol)")
                           .arg(endpoint->toString());
        return true;
    }
    QHostAddress address;
    if (!address.setAddress(m_options.serverHost)) {
        // Headless: blocking is fine. The window resolves without blocking and hands the
        // address over (RunSession), so a run looks its server up once.
        const QHostInfo info = QHostInfo::fromName(m_options.serverHost);
        address = preferredAddress(info.addresses());
        if (address.isNull()) {
            Q_EMIT error(QStringLiteral("swarm: --server: cannot resolve '%1': %2")
                             .arg(m_options.serverHost, info.errorString()));
            return false;
        }
    }
    endpoint->address = address;
    endpoint->port = m_options.serverPort;
    *description = endpoint->toString();
    return true;
}

void RunController::useBundle(
    ScenarioBundlePtr bundle, const QString& scenarioFile, const QString& moduleFile)
{
    m_bundle = std::move(bundle);
    m_options.script = scenarioFile;
    m_moduleFile = moduleFile;
}

ScenarioBundlePtr RunController::loadFromDisk(QString* problem) const
{
    const QString script
        = m_options.script.isEmpty() ? BundleLoader::defaultScenario() : m_options.script;
    const BundleLoader::Result loaded
        = BundleLoader::load(script, m_options.protocolDir, m_options.engine.scriptTimeoutMs);
    if (!loaded.ok()) {
        *problem = formatDiagnostics(loaded.diagnostics);
        return nullptr;
    }
    return loaded.bundle;
}

void RunController::reload()
{
    if (!m_interpreter) return;
    // Through the interpreter, as the console's `reload`: the same checks, the same replies.
    const ConsoleInterpreter::Result r
        = m_interpreter->executeLine(QStringLiteral("SIGHUP"), QStringLiteral("reload"));
    if (r.reply.startsWith(QLatin1String("ERROR")))
        Q_EMIT error(r.reply);
    else
        Q_EMIT output(r.reply);
}

void RunController::apply(ScenarioBundlePtr bundle)
{
    m_bundle = bundle;
    if (m_engine) m_engine->apply(std::move(bundle));
}

bool RunController::start()
{
    const QString script
        = m_options.script.isEmpty() ? BundleLoader::defaultScenario() : m_options.script;
    if (!m_bundle && !loadBundle(script)) return fail();
    if (!prepareTls()) return fail();
    if (m_options.check) {
        Q_EMIT output(checkText(script));
        m_finished = true;
        QTimer::singleShot(0, this, [this] { Q_EMIT finished(0); });
        return true;
    }
    if (!outputFilesWritable()) return fail();
    if (!isFleet() && !dataFitsStart()) return fail();
    const QString problem = m_options.console.securityProblem();
    if (!problem.isEmpty()) {
        Q_EMIT error(QStringLiteral("swarm: --listen: ") + problem);
        return fail();
    }
    const QString metricsProblem = m_options.metrics.problem();
    if (!metricsProblem.isEmpty()) {
        Q_EMIT error(QStringLiteral("swarm: --metrics: ") + metricsProblem);
        return fail();
    }
    const platform::FileLimit limit = platform::raiseOpenFilesLimit();
    EngineConfig config = m_options.engine;
    QString serverText;
    if (isFleet())
        serverText = QStringLiteral("none: this swarm controls the fleet %1 (rebalance %2)")
                         .arg(m_options.fleet, m_options.fleetRebalance ? "on" : "off");
    else if (!resolveServer(&config.server, &serverText))
        return fail();

    m_info.server
        = isFleet() ? QStringLiteral("fleet ") + m_options.fleet : config.server.toString();
    m_info.scenario = script;
    m_info.protocol = m_bundle->scenario.protocol;
    m_info.startedAt = QDateTime::currentDateTime();
    m_info.threads = config.threads;
    config.io = resolveIo(config.io, &m_info.ioFallback);
    m_info.io = QLatin1String(ioName(config.io));
    m_info.rate = config.rate;
    m_info.arrivals = QLatin1String(arrivalKindName(config.arrivals));
    m_info.connections = m_options.connections;
    m_info.durationMs = m_options.durationMs;
    m_info.ramp = config.ramp;

    makeEngine(config, limit);
    connect(m_interpreter, &ConsoleInterpreter::followUp, this,
        [this](const QString& peer, const QString& text) {
            if (peer != QLatin1String("SIGHUP")) return;
            if (text.contains(QLatin1String("ERROR")))
                Q_EMIT error(text);
            else
                Q_EMIT output(text);
        });
    if (!startConsole() || !startMetrics()) return fail();
    connectEngine();
    Q_EMIT output(startText(serverText, limit));
    m_engine->start();
    return true;
}

// The scenario's tls: block under the command line's options, then every file loaded as the
// transport will load it: a bad one stops the run here, before anything connects.
bool RunController::prepareTls()
{
    QString why;
    if (!applyScenarioTls(m_bundle->scenario, &m_options, &why)) {
        Q_EMIT error(QStringLiteral("swarm: ") + why);
        return false;
    }
    TlsConfig& tls = m_options.engine.socket.tls;
    if (!tls.enabled) return true;
    if (m_options.server.isEmpty() && !m_options.check) {
        Q_EMIT error(QStringLiteral("swarm: --tls needs --server: the embedded demo server speaks "
                                    "plain TCP"));
        return false;
    }
    // The host as the user wrote it (the window hands over an address it resolved instead).
    quint16 port = 0;
    if (!parseHostPort(m_options.server, &tls.serverHost, &port, false))
        tls.serverHost = m_options.serverHost;
    QString fallback;
    if (!checkTls(tls, resolveIo(m_options.engine.io, &fallback), &why)) {
        Q_EMIT error(QStringLiteral("swarm: ") + why);
        return false;
    }
    m_info.tls = tls.describe();
    m_info.tlsInsecure = tls.insecure;
    return true;
}

// The data files against this agent's share and --connections, before anything starts.
bool RunController::dataFitsStart()
{
    const Fleet fleet = m_options.engine.fleet;
    for (const DataSetPtr& set : m_bundle->data) {
        if (set && set->localRows(fleet) == 0) {
            Q_EMIT error(
                QStringLiteral("swarm: data '%1' (%2) has %3 rows: none for agent %4 of %5")
                    .arg(set->source().name, set->source().file)
                    .arg(set->rowCount())
                    .arg(fleet.index)
                    .arg(fleet.count));
            return false;
        }
    }
    const QString shortage
        = DataSetLoader::shortage(m_bundle->data, fleet, qint64(m_options.connections));
    if (!shortage.isEmpty())
        Q_EMIT error(
            QStringLiteral("swarm: --connections %1: %2").arg(m_options.connections).arg(shortage));
    return shortage.isEmpty();
}

bool RunController::fail()
{
    m_exitCode = 2;
    return false;
}

bool RunController::loadBundle(const QString& script)
{
    const BundleLoader::Result loaded
        = BundleLoader::load(script, m_options.protocolDir, m_options.engine.scriptTimeoutMs);
    if (!loaded.ok()) {
        // One problem, one line (a missing file); several: each, then how many.
        Q_EMIT error(formatDiagnostics(loaded.diagnostics));
        if (loaded.diagnostics.size() > 1)
            Q_EMIT error(QStringLiteral("swarm: %1 errors; nothing was started")
                             .arg(loaded.diagnostics.size()));
        return false;
    }
    m_bundle = loaded.bundle;
    m_moduleFile = loaded.moduleFile;
    // Warnings do not stop a run (nor --check): code that works, likely not as meant.
    const Diagnostics warnings = warningsOf(loaded.diagnostics);
    if (!warnings.isEmpty()) Q_EMIT error(formatDiagnostics(warnings));
    return true;
}

QString RunController::checkText(const QString& script) const
{
    const Scenario& scenario = m_bundle->scenario;
    QStringList lines;
    lines << QStringLiteral("OK: %1 (protocol %2 from %3), %4 action%5:")
                 .arg(script, scenario.protocol, m_moduleFile)
                 .arg(scenario.actions.size())
                 .arg(scenario.actions.size() == 1 ? "" : "s");
    int i = 0;
    for (const Action& a : scenario.actions) {
        QStringList args;
        for (const ActionArg& arg : a.args)
            args << arg.name + QLatin1Char('=') + arg.value.toString();
        lines << QStringLiteral("  %1. %2(%3) rounds %4, sleep_between_rounds %5, "
                                "sleep_after_action %6")
                     .arg(++i)
                     .arg(a.command, args.join(QStringLiteral(", ")), a.rounds.toYaml(),
                         a.sleepBetweenRounds.toYaml(), a.sleepAfterAction.toYaml())
                + (a.rate > 0 ? QStringLiteral(", rate %1/s").arg(a.rate) : QString());
    }
    for (const DataSetPtr& set : m_bundle->data) {
        const DataSource& d = set->source();
        lines << QStringLiteral("  data %1: %2 (%3, %4%5), %6 rows, columns %7; %8 MB in memory, "
                                "loaded in %9 ms")
                     .arg(d.name, d.file, QLatin1String(DataSource::formatName(d.format)),
                         QLatin1String(DataSource::orderName(d.order)),
                         d.wrap ? QStringLiteral(", wrap") : QString())
                     .arg(set->rowCount())
                     .arg(set->columns().join(QStringLiteral(", ")))
                     .arg(double(set->memoryBytes()) / 1e6, 0, 'f', 1)
                     .arg(set->loadMs());
    }
    return lines.join(QLatin1Char('\n'));
}

bool RunController::outputFilesWritable()
{
    for (const QString& path : {m_options.reportFile, m_options.csvFile, m_options.htmlFile}) {
        if (path.isEmpty()) continue;
        const QFileInfo dir(QFileInfo(path).absolutePath());
        if (!dir.isDir() || !dir.isWritable()) {
            Q_EMIT error(QStringLiteral("swarm: cannot write %1: directory %2 is missing or not "
                                        "writable")
                             .arg(path, dir.filePath()));
            return false;
        }
    }
    return true;
}

// The local engine (with `reload` and the open-files limit), or the fleet's: the agents check
// their own limits and reload their own files.
void RunController::makeEngine(const EngineConfig& config, const platform::FileLimit& limit)
{
    if (isFleet()) {
        FleetEngine::Settings settings;
        settings.token = m_options.console.token;
        settings.rebalance = m_options.fleetRebalance;
        m_engine = std::make_unique<FleetEngine>(m_options.fleetEntries, settings, config,
            m_options.script.isEmpty() ? nullptr : m_bundle);
        m_interpreter = new ConsoleInterpreter(m_engine.get(), m_info, this);
        return;
    }
    m_engine = std::make_unique<Engine>(config, m_bundle);
    m_interpreter = new ConsoleInterpreter(m_engine.get(), m_info, this);
    m_interpreter->setReloader([this](QString* problem) { return loadFromDisk(problem); });
    m_interpreter->setIdentity(agentIdentity());
    if (limit.now > kReservedDescriptors)
        m_interpreter->setConnectionLimit(limit.now - kReservedDescriptors,
            QStringLiteral("the open-files limit is %1 and swarm keeps %2 descriptors for itself")
                .arg(limit.now)
                .arg(kReservedDescriptors));
}

bool RunController::startConsole()
{
    m_console = std::make_unique<ConsoleServer>(m_interpreter, m_options.console);
    connect(m_console.get(), &ConsoleServer::logMessage, this, &RunController::error);
    QString why;
    if (!m_console->listen(&why)) {
        Q_EMIT error(QStringLiteral("swarm: console: ") + why);
        return false;
    }
    return true;
}

// GET /metrics renders the engine's last merged snapshot (once a second) when asked: a scrape
// costs the main thread a few hundred lines of text and the workers nothing.
bool RunController::startMetrics()
{
    if (!m_options.metrics.enabled) return true;
    m_metrics = new MetricsServer(
        m_options.metrics,
        [this] { return metricsText(metricFamilies(m_engine->snapshot(), m_info)); }, this);
    QString why;
    if (!m_metrics->listen(&why)) {
        Q_EMIT error(QStringLiteral("swarm: --metrics: ") + why);
        return false;
    }
    return true;
}

AgentIdentity RunController::agentIdentity() const
{
    AgentIdentity a;
    a.version = QStringLiteral(SWARM_VERSION);
    a.scenario = m_info.scenario;
    a.io = m_info.io;
    const ScenarioBundlePtr running = m_engine ? m_engine->bundle() : m_bundle;
    a.protocol = running->scenario.protocol;
    a.bundleDigest = running->digest();
    a.agentIndex = m_options.engine.fleet.index;
    a.agentCount = m_options.engine.fleet.count;
    return a;
}

void RunController::connectEngine()
{
    connect(m_engine.get(), &LoadDriver::started, this, &RunController::onEngineStarted);
    connect(m_engine.get(), &LoadDriver::startFailed, this, [this](const QString& e) {
        Q_EMIT error(QStringLiteral("swarm: the scenario failed to start: ") + e);
        m_exitCode = 2;
        m_finished = true;
        Q_EMIT finished(m_exitCode);
    });
    connect(m_engine.get(), &LoadDriver::stopped, this, &RunController::onEngineStopped);
    // `stats snapshot` names the version running: a reload or the window's apply changes it.
    connect(m_engine.get(), &LoadDriver::applied, this, [this](bool ok) {
        if (ok && !isFleet()) m_interpreter->setIdentity(agentIdentity());
    });
    connect(m_engine.get(), &LoadDriver::loadStarted, this, [this] {
        // The report's start is the run's: its first connection, as its elapsed time.
        m_info.startedAt = QDateTime::currentDateTime();
        m_interpreter->setRunInfo(m_info);
        m_loadClock.start();
        if (m_durationFromLoad) armDuration();
    });
    connect(m_engine.get(), &LoadDriver::errorMessages, this, [this](const QStringList& lines) {
        // Already at most a few distinct messages per worker and interval.
        const int shown = qMin(int(lines.size()), kErrorLinesShown);
        for (int i = 0; i < shown; ++i)
            Q_EMIT error(QStringLiteral("error: ") + lines[i]);
        if (lines.size() > shown)
            Q_EMIT error(QStringLiteral("error: ... and %1 more").arg(lines.size() - shown));
    });
}

QString RunController::startText(const QString& serverText, const platform::FileLimit& limit) const
{
    const Scenario& scenario = m_bundle->scenario;
    QStringList lines;
    if (isFleet() && m_options.script.isEmpty())
        lines << QStringLiteral("swarm %1: fleet controller; the first agent up sets the scenario "
                                "the fleet runs (--script sets it)")
                     .arg(QStringLiteral(SWARM_VERSION));
    else
        lines << QStringLiteral("swarm %1: scenario %2 (protocol %3 from %4, %5 actions)")
                     .arg(QStringLiteral(SWARM_VERSION), m_info.scenario, scenario.protocol,
                         m_moduleFile)
                     .arg(scenario.actions.size());
    lines << QStringLiteral("Server: %1").arg(serverText);
    if (limit.error.isEmpty() || limit.now >= 0)
        lines << QStringLiteral("Open files limit: soft %1, hard %2; now %3")
                     .arg(limit.soft)
                     .arg(limit.hard)
                     .arg(limit.now);
    else
        lines << QStringLiteral("Open files limit: %1").arg(limit.error);
    if (!isFleet())
        lines << QStringLiteral("Workers: %1 thread%2, %3 sockets%4")
                     .arg(m_info.threads)
                     .arg(m_info.threads == 1 ? "" : "s")
                     .arg(m_info.io)
                     .arg(m_info.ioFallback.isEmpty()
                             ? QString()
                             : QStringLiteral(" (%1)").arg(m_info.ioFallback));
    if (!m_info.tls.isEmpty()) lines << QStringLiteral("TLS: %1").arg(m_info.tls);
    if (m_info.tlsInsecure)
        lines << QStringLiteral("WARNING: --tls-insecure: the server's certificate is NOT "
                                "verified; anyone in the path can read and change the traffic");
    const QString address = m_console->address().toString();
    lines << QStringLiteral("Console: listening on %1:%2 (nc %1 %2), commands: incr N, decr N, "
                            "target N, status, reload, stop; help lists them all")
                 .arg(address)
                 .arg(m_console->port());
    if (m_metrics)
        lines << QStringLiteral("Metrics: %1 (Prometheus%2)")
                     .arg(m_metrics->url(),
                         m_options.metrics.token.isEmpty()
                             ? QString()
                             : QStringLiteral("; Authorization: Bearer from --metrics-token"));
    const int n = m_options.connections;
    if (n > 0)
        lines << QStringLiteral("Opening %1 connection%2%3")
                     .arg(n)
                     .arg(n == 1 ? "" : "s")
                     .arg(m_options.engine.ramp > 0
                             ? QStringLiteral(" at %1 per second").arg(m_options.engine.ramp)
                             : QString());
    else
        lines << QStringLiteral("Nothing connects until told: type incr N on the console");
    if (m_options.engine.rate > 0)
        lines << QStringLiteral("Open model: %1 rounds per second over all connections, %2 "
                                "arrivals (the console's rate R changes it)")
                     .arg(m_options.engine.rate)
                     .arg(m_info.arrivals);
    return lines.join(QLatin1Char('\n'));
}

void RunController::onEngineStarted()
{
    if (m_options.statusIntervalMs > 0) m_statusTimer.start(m_options.statusIntervalMs);
    if (m_options.connections > 0) m_engine->incr(m_options.connections);
    if (m_options.durationMs > 0)
        m_durationTimer.start(int(qMin<qint64>(m_options.durationMs, INT_MAX)));
}

void RunController::printStatus()
{
    if (m_engine && m_engine->phase() == Engine::Phase::Running)
        Q_EMIT output(m_engine->statusText());
}

void RunController::stop()
{
    if (m_finished) return;
    if (!m_engine) {
        m_finished = true;
        Q_EMIT finished(m_exitCode);
        return;
    }
    m_durationTimer.stop();
    m_engine->stop();
}

void RunController::setDuration(qint64 ms)
{
    m_options.durationMs = ms;
    m_info.durationMs = ms;
    if (m_interpreter) m_interpreter->setRunInfo(m_info);
    m_durationFromLoad = true;
    m_durationTimer.stop();
    if (m_engine && !m_finished && m_engine->hasLoadStarted()) armDuration();
}

void RunController::armDuration()
{
    if (m_options.durationMs <= 0) return;
    const qint64 left = m_options.durationMs - (m_loadClock.isValid() ? m_loadClock.elapsed() : 0);
    m_durationTimer.start(int(qBound(qint64(0), left, qint64(INT_MAX))));
}

// An unattended run (--duration) against a server that was never reachable measured nothing:
// say so and exit 3 rather than 0, unless --allow-no-connection.
void RunController::checkSomethingConnected(const StatsSnapshot& s)
{
    // No connection ever started (none was asked for): none could fail.
    if (m_options.durationMs <= 0 || m_options.allowNoConnection || s.connectTime.count() > 0
        || s.transitions[size_t(ConnState::Started)] == 0)
        return;
    QStringList why;
    for (int i = 0; i < kStateCount; ++i)
        if (isErrorState(ConnState(i)) && s.transitions[size_t(i)] > 0)
            why << QStringLiteral("%1: %2")
                       .arg(QLatin1String(stateName(i)))
                       .arg(s.transitions[size_t(i)]);
    Q_EMIT error(QStringLiteral("swarm: no connection to %1 succeeded during the run (%2); exit "
                                "status 3 (--allow-no-connection accepts this)")
                     .arg(m_info.server,
                         why.isEmpty() ? QStringLiteral("no attempt finished")
                                       : why.join(QStringLiteral(", "))));
    m_exitCode = qMax(m_exitCode, 3);
}

bool RunController::writeFile(const QString& path, const QByteArray& data)
{
    QString why;
    if (!saveFile(path, data, &why)) {
        Q_EMIT error(QStringLiteral("swarm: ") + why);
        return false;
    }
    return true;
}

void RunController::onEngineStopped()
{
    m_statusTimer.stop();
    const StatsSnapshot& s = m_engine->snapshot();
    Q_EMIT output(m_engine->statusText());

    QJsonObject report = reportJson(s, m_info);
    QList<Threshold::Outcome> outcomes;
    const QJsonArray results = Threshold::evaluateAll(m_options.thresholds, s, &outcomes);
    QStringList failed;
    for (const Threshold::Outcome& o : outcomes) {
        if (o.passed)
            Q_EMIT output(QStringLiteral("threshold ") + o.message);
        else
            failed << o.message;
    }
    if (!m_options.thresholds.isEmpty()) report[QStringLiteral("thresholds")] = results;
    m_thresholdResults = results;
    for (const QString& f : failed)
        Q_EMIT error(QStringLiteral("threshold ") + f);
    if (!failed.isEmpty()) m_exitCode = 1;
    checkSomethingConnected(s);

    if (!m_options.reportFile.isEmpty()) {
        if (writeFile(m_options.reportFile, QJsonDocument(report).toJson(QJsonDocument::Indented)))
            Q_EMIT output(QStringLiteral("Report written to %1").arg(m_options.reportFile));
        else
            m_exitCode = qMax(m_exitCode, 1);
    }
    if (!m_options.csvFile.isEmpty()) {
        if (writeFile(m_options.csvFile, timeSeriesCsv(m_engine->timeSeries()).toUtf8()))
            Q_EMIT output(QStringLiteral("Time series written to %1").arg(m_options.csvFile));
        else
            m_exitCode = qMax(m_exitCode, 1);
    }
    if (!m_options.htmlFile.isEmpty()) {
        const QString page = htmlReport(s, m_engine->timeSeries(), m_info, results);
        if (writeFile(m_options.htmlFile, page.toUtf8()))
            Q_EMIT output(QStringLiteral("HTML report written to %1").arg(m_options.htmlFile));
        else
            m_exitCode = qMax(m_exitCode, 1);
    }
    m_finished = true;
    Q_EMIT finished(m_exitCode);
}

} // namespace swarm
