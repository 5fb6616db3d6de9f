#include "run/RunSession.h"

#include "console/ConsoleCommand.h"
#include "console/ConsoleInterpreter.h"
#include "console/ConsoleServer.h"
#include "core/LoadDriver.h"
#include "run/DemoServer.h"
#include "run/RunController.h"

#include <QHostInfo>
#include <QTimer>

namespace swarm {

RunSession::RunSession(const Options& options, QObject* parent)
    : QObject(parent)
    , m_options(options)
{
    // The window shows the status live; the periodic block would only fill the console pane.
    m_options.statusIntervalMs = 0;
    // The run panel's duration: counted from each run's first connection (setDuration()).
    m_durationMs = options.durationMs;
    m_options.durationMs = 0;
}

RunSession::~RunSession()
{
    if (m_lookupId >= 0) QHostInfo::abortHostLookup(m_lookupId);
    if (m_controller) m_controller->disconnect(this);
    m_controller.reset();
}

LoadDriver* RunSession::engine() const
{
    return m_controller ? m_controller->engine() : nullptr;
}

StatsSnapshot RunSession::snapshot() const
{
    const LoadDriver* e = engine();
    StatsSnapshot s = e ? e->snapshot() : StatsSnapshot();
    if (m_state == State::Finished) {
        // The last interval's figures were "now" while connections ran; nothing runs any more.
        s.current.fill(0);
        s.connections = 0;
        s.target = 0;
        s.rps = s.errorsPerSecond = s.bytesSentPerSecond = s.bytesReceivedPerSecond = 0;
        s.intervalP50 = s.intervalP99 = 0;
        for (CommandTotals& c : s.commands)
            c.rps = c.errorsPerSecond = 0;
    }
    return s;
}

const TimeSeries& RunSession::timeSeries() const
{
    static const TimeSeries none;
    const LoadDriver* e = engine();
    return e ? e->timeSeries() : none;
}

RunInfo RunSession::runInfo() const
{
    return m_controller ? m_controller->info() : RunInfo();
}

quint16 RunSession::consolePort() const
{
    const ConsoleServer* console = m_controller ? m_controller->console() : nullptr;
    return console ? console->port() : 0;
}

void RunSession::setState(State state)
{
    if (state == m_state) return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

bool RunSession::startRun(
    ScenarioBundlePtr bundle, const QString& scenarioFile, const QString& moduleFile)
{
    m_bundle = std::move(bundle);
    m_scenarioFile = scenarioFile;
    m_moduleFile = moduleFile;
    return restart();
}

bool RunSession::restart()
{
    if (!m_bundle) {
        Q_EMIT error(tr("Nothing to run: the scenario or its module has errors (see the YAML and "
                        "Protocol tabs)."));
        return false;
    }
    if (m_state == State::Stopping || m_lookupId >= 0) return false;
    if (engine() && engine()->hasLoadStarted()) Q_EMIT runEnding();
    if (m_controller) {
        // The previous run is over (or idle): its console sessions end with it.
        m_controller->disconnect(this);
        if (m_controller->interpreter()) m_controller->interpreter()->disconnect(this);
        if (engine()) engine()->disconnect(this);
        m_controller.reset();
    }
    m_applying.reset();
    m_deferred.reset();
    Q_EMIT runReplaced();
    QHostAddress literal;
    if (!m_options.server.isEmpty() && !literal.setAddress(m_options.serverHost)) {
        // A host name: resolved here without blocking the window, then run by its address.
        setState(State::Starting);
        m_lookupId
            = QHostInfo::lookupHost(m_options.serverHost, this, [this](const QHostInfo& info) {
                  m_lookupId = -1;
                  const QHostAddress address = preferredAddress(info.addresses());
                  if (address.isNull()) {
                      Q_EMIT error(tr("Cannot resolve the server '%1': %2")
                                       .arg(m_options.serverHost, info.errorString()));
                      setState(State::NotStarted);
                      return;
                  }
                  m_resolvedHost = address.toString();
                  launch();
              });
        return true;
    }
    m_resolvedHost.clear();
    return launch();
}

bool RunSession::launch()
{
    Options o = m_options;
    if (!m_resolvedHost.isEmpty()) o.serverHost = m_resolvedHost;
    if (m_runs > 0) {
        // --connections describes the run the command line started, not the ones the user
        // starts later from the window (the duration is the run panel's, for every run).
        o.connections = 0;
    }
    m_controller = std::make_unique<RunController>(o);
    RunController* c = m_controller.get();
    connect(c, &RunController::output, this, &RunSession::output);
    connect(c, &RunController::error, this, &RunSession::error);
    connect(c, &RunController::finished, this, [this] {
        m_applying.reset();
        setState(State::Finished);
        Q_EMIT targetChanged(0);
    });
    c->useBundle(m_bundle, m_scenarioFile, m_moduleFile);
    m_startError.clear();
    const QMetaObject::Connection collect
        = connect(c, &RunController::error, this, [this](const QString& e) {
              if (!m_startError.isEmpty()) m_startError += QLatin1Char('\n');
              m_startError += e;
          });
    setState(State::Starting);
    const bool started = c->start();
    disconnect(collect);
    if (started) m_startError.clear();
    if (!started) {
        // It said why (error()); what it started (the demo server) goes with it.
        c->disconnect(this);
        m_controller.reset();
        setState(State::NotStarted);
        return false;
    }
    ++m_runs;
    c->setDuration(m_durationMs);
    LoadDriver* e = c->engine();
    connect(e, &LoadDriver::started, this, [this] {
        setState(State::Ready);
        if (m_deferred) {
            ScenarioBundlePtr b = std::move(m_deferred);
            sendApply(b, m_quietApply);
        }
    });
    connect(e, &LoadDriver::statsUpdated, this, &RunSession::statsUpdated);
    connect(e, &LoadDriver::loadStarted, this, [this] {
        Q_EMIT runReplaced(); // the idle samples are gone: the charts start again at 0 s
        Q_EMIT stateChanged(m_state); // idle → running: Stop applies now
    });
    connect(e, &LoadDriver::applied, this, [this](bool ok, int version, const QString& why) {
        const ScenarioBundlePtr sent = std::move(m_applying);
        if (!ok || !m_quietApply) Q_EMIT applied(ok, version, why);
        // An edit made while this one was being applied goes out now.
        if (ok && m_bundle && !hasLoad() && !sameContent(m_bundle, sent)) sendApply(m_bundle, true);
    });
    ConsoleInterpreter* interpreter = c->interpreter();
    connect(interpreter, &ConsoleInterpreter::transcript, this,
        [this](const QString& peer, const QString& command, const QString& reply) {
            Q_EMIT transcript(peer, command, reply);
            Q_EMIT targetChanged(target());
            if (LoadDriver* en = engine(); en && en->phase() == LoadDriver::Phase::Stopping)
                setState(State::Stopping);
        });
    connect(interpreter, &ConsoleInterpreter::sessionEvent, this, &RunSession::sessionEvent);
    connect(interpreter, &ConsoleInterpreter::followUp, this,
        [this](const QString& peer, const QString& text) {
            if (peer == QLatin1String("gui")) Q_EMIT followUp(text);
        });
    Q_EMIT targetChanged(target());
    return true;
}

void RunSession::stop()
{
    if (m_lookupId >= 0) {
        QHostInfo::abortHostLookup(m_lookupId);
        m_lookupId = -1;
        setState(State::NotStarted);
        return;
    }
    if (!m_controller || m_state == State::Finished || m_state == State::NotStarted) return;
    setState(State::Stopping);
    m_controller->stop();
}

QString RunSession::execute(const QString& line)
{
    return executeCommand(line).reply;
}

QString RunSession::statusBlock() const
{
    return m_controller && m_controller->interpreter() ? m_controller->interpreter()->statusBlock()
                                                       : QString();
}

ConsoleInterpreter::Result RunSession::executeCommand(const QString& line)
{
    const ConsoleCommand command = parseConsoleLine(line.toUtf8());
    if (command.kind == ConsoleCommand::Kind::Incr
        && (m_state == State::Finished || m_state == State::NotStarted)) {
        // More load after a finished run means a new run.
        if (!restart())
            return {tr("ERROR: cannot start a new run (see the messages above)"), false, 0};
    }
    if (!m_controller || !m_controller->interpreter())
        return {tr("ERROR: no run: the console starts with the first valid scenario"), false, 0};
    return m_controller->interpreter()->execute(QStringLiteral("gui"), command);
}

void RunSession::incr(int count)
{
    if (count > 0) execute(QStringLiteral("incr %1").arg(count));
}

void RunSession::decr(int count)
{
    if (count > 0) execute(QStringLiteral("decr %1").arg(count));
}

void RunSession::setTarget(int wanted)
{
    const int diff = wanted - target();
    if (diff > 0)
        incr(diff);
    else if (diff < 0)
        decr(-diff);
}

int RunSession::target() const
{
    LoadDriver* e = engine();
    return e && (m_state == State::Ready || m_state == State::Starting) ? e->target() : 0;
}

bool RunSession::isLive() const
{
    return m_lookupId >= 0
        || (m_controller
            && (m_state == State::Starting || m_state == State::Ready
                || m_state == State::Stopping));
}

void RunSession::setRamp(double perSecond)
{
    m_options.engine.ramp = perSecond;
    if (m_state == State::Ready || m_state == State::Starting)
        execute(QStringLiteral("ramp %1").arg(perSecond));
}

void RunSession::setTimeouts(int connectMs, int replyMs)
{
    m_options.engine.connectTimeoutMs = connectMs;
    m_options.engine.replyTimeoutMs = replyMs;
}

void RunSession::setDuration(qint64 ms)
{
    m_durationMs = qMax<qint64>(0, ms);
    if (m_controller && m_state != State::Finished) m_controller->setDuration(m_durationMs);
}

void RunSession::setThresholds(const QList<Threshold>& thresholds)
{
    m_options.thresholds = thresholds;
    if (m_controller && m_state != State::Finished) m_controller->setThresholds(thresholds);
}

QJsonArray RunSession::thresholdResults() const
{
    // Once the run has ended, its verdict; before, the thresholds on the figures of this moment.
    if (m_controller && m_state == State::Finished) return m_controller->thresholdResults();
    return m_options.thresholds.isEmpty()
        ? QJsonArray()
        : Threshold::evaluateAll(m_options.thresholds, snapshot());
}

bool RunSession::isIdle() const
{
    const LoadDriver* e = engine();
    return (m_state == State::Ready || m_state == State::Starting) && e && !e->hasLoadStarted();
}

bool RunSession::hasLoad() const
{
    LoadDriver* e = engine();
    if (!e || (m_state != State::Ready && m_state != State::Starting)) return false;
    return e->target() > 0 || e->snapshot().connections > 0;
}

bool RunSession::setServer(const QString& text, QString* why)
{
    const QString t = text.trimmed();
    if (t == m_options.server) return true;
    if (hasLoad()) {
        *why = tr("The server cannot change while connections run (%1 open against %2): stop the "
                  "run or bring it down to 0 first.")
                   .arg(engine()->snapshot().connections)
                   .arg(serverDescription());
        return false;
    }
    QString host;
    quint16 port = 0;
    if (!t.isEmpty() && !parseHostPort(t, &host, &port, false)) {
        *why = tr("'%1' is not host:port (for example 127.0.0.1:6379)").arg(t);
        return false;
    }
    m_options.server = t;
    m_options.serverHost = host;
    m_options.serverPort = port;
    if (m_state == State::Ready || m_state == State::Starting) restart();
    return true;
}

bool RunSession::setTls(const TlsConfig& tls, QString* why)
{
    TlsConfig& current = m_options.engine.socket.tls;
    if (tls.enabled == current.enabled && tls.caFile == current.caFile && tls.sni == current.sni
        && tls.insecure == current.insecure)
        return true;
    if (hasLoad()) {
        *why = tr("TLS cannot change while connections run: stop the run or bring it down to 0 "
                  "first.");
        return false;
    }
    current = tls;
    for (const char* name : {"tls", "tls-ca", "tls-sni", "tls-insecure"})
        if (!m_options.given.contains(QLatin1String(name))) m_options.given << QLatin1String(name);
    if (m_state == State::Ready || m_state == State::Starting) restart();
    return true;
}

bool RunSession::setListen(const QString& text, QString* why)
{
    const QString t = text.trimmed();
    if (t == listenText()) return true;
    if (hasLoad()) {
        *why = tr("The console address cannot change while connections run: stop the run or "
                  "bring it down to 0 first.");
        return false;
    }
    ConsoleOptions console = m_options.console;
    if (!parseListenAddress(t, &console.address, &console.port, why)) return false;
    if (!console.securityProblem().isEmpty()) {
        *why = console.securityProblem();
        return false;
    }
    m_options.console = console;
    if (m_state == State::Ready || m_state == State::Starting) restart();
    return true;
}

QString RunSession::listenText() const
{
    // Where the console listens now (port 0 picked one), else where it is to listen.
    ConsoleServer* console = m_controller ? m_controller->console() : nullptr;
    if (console && console->port() && (m_state == State::Ready || m_state == State::Starting))
        return formatHostPort(console->address(), console->port());
    return formatHostPort(m_options.console.address, m_options.console.port);
}

QString RunSession::serverDescription() const
{
    if (m_controller && !m_controller->info().server.isEmpty())
        return m_controller->info().server
            + (m_controller->demoServer() ? tr(" (embedded demo server)") : QString());
    return m_options.server.isEmpty() ? tr("the embedded demo server") : m_options.server;
}

QString RunSession::consoleDescription() const
{
    ConsoleServer* console = m_controller ? m_controller->console() : nullptr;
    if (!console || m_state == State::NotStarted) return tr("not listening");
    if (m_state == State::Finished || m_state == State::Stopping)
        return formatHostPort(console->address(), console->port())
            + tr(" (run over: status only, until the next run)");
    const int n = console->sessionCount();
    return formatHostPort(console->address(), console->port())
        + (n ? tr(" (%1 session%2)").arg(n).arg(n == 1 ? "" : "s") : QString());
}

void RunSession::apply(ScenarioBundlePtr bundle)
{
    sendApply(std::move(bundle), false);
}

void RunSession::offerBundle(ScenarioBundlePtr bundle)
{
    if (!bundle) return;
    m_bundle = bundle;
    if (m_state == State::Ready && !hasLoad() && !m_applying
        && !sameContent(bundle, runningBundle()))
        sendApply(bundle, true);
}

void RunSession::sendApply(ScenarioBundlePtr bundle, bool quiet)
{
    if (!bundle) return;
    m_bundle = bundle;
    LoadDriver* e = engine();
    auto versioned = std::make_shared<ScenarioBundle>(*bundle);
    versioned->version = ++m_version;
    m_quietApply = quiet;
    if (!e || m_state == State::Finished || m_state == State::NotStarted
        || m_state == State::Stopping) {
        if (!quiet)
            Q_EMIT applied(false, 0, tr("no run is going; the next run starts with these changes"));
        return;
    }
    if (e->phase() != LoadDriver::Phase::Running) {
        m_deferred = versioned; // the workers are still starting: once they run
        return;
    }
    m_applying = versioned;
    m_controller->apply(versioned);
}

ScenarioBundlePtr RunSession::runningBundle() const
{
    LoadDriver* e = engine();
    return e ? e->bundle() : nullptr;
}

bool RunSession::sameContent(const ScenarioBundlePtr& a, const ScenarioBundlePtr& b)
{
    if (!a || !b) return a == b;
    return a->scenario == b->scenario && a->module.source == b->module.source;
}

} // namespace swarm
