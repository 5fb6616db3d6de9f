#include "console/ConsoleInterpreter.h"

#include "console/ConsoleHelp.h"
#include "console/StatusViews.h"
#include "core/LoadDriver.h"
#include "scenario/DataSetLoader.h"
#include "stats/AgentState.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

namespace swarm {

namespace {

QString plural(qint64 n, const char* word)
{
    return QStringLiteral("%1 %2%3").arg(n).arg(QLatin1String(word)).arg(n == 1 ? "" : "s");
}

QString rateText(double perSecond)
{
    return perSecond > 0 ? QStringLiteral("%1 per second").arg(perSecond)
                         : QStringLiteral("off (all at once)");
}

} // namespace

ConsoleInterpreter::ConsoleInterpreter(LoadDriver* engine, const RunInfo& info, QObject* parent)
    : QObject(parent)
    , m_engine(engine)
    , m_info(info)
{
    connect(m_engine, &LoadDriver::applied, this, &ConsoleInterpreter::onApplied);
}

void ConsoleInterpreter::setConnectionLimit(qint64 limit, const QString& why)
{
    m_connectionLimit = limit;
    m_limitWhy = why;
}

QString ConsoleInterpreter::statusBlock() const
{
    return m_engine->statusText();
}

QString ConsoleInterpreter::banner()
{
    return QStringLiteral("===============================\n"
                          "Welcome to Swarm Remote Console\n"
                          "===============================");
}

QString ConsoleInterpreter::usage()
{
    return ConsoleHelp::usage();
}

ConsoleInterpreter::Result ConsoleInterpreter::executeLine(const QString& peer, const QString& line)
{
    return execute(peer, parseConsoleLine(line.toUtf8()));
}

void ConsoleInterpreter::note(const QString& peer, const QString& event)
{
    Q_EMIT sessionEvent(peer, event);
}

ConsoleInterpreter::Result ConsoleInterpreter::execute(
    const QString& peer, const ConsoleCommand& command)
{
    using Kind = ConsoleCommand::Kind;
    Result r;
    switch (command.kind) {
    case Kind::Empty:
        return r;
    case Kind::Incr:
        r.reply = incr(command.amount);
        break;
    case Kind::Decr:
        r.reply = decr(command);
        break;
    case Kind::Target:
        r.reply = target(command.amount);
        break;
    case Kind::Ramp:
        r.reply = ramp(command.rate);
        break;
    case Kind::Rate:
        r.reply = rate(command.rate);
        break;
    case Kind::Reload:
        r.reply = reload(peer);
        break;
    case Kind::Status:
        r.reply = status(command.view);
        break;
    case Kind::Watch:
        r.watchSeconds = command.amount;
        r.reply = QStringLiteral("Watching: the status block every %1 s; press any key (or "
                                 "Enter) to stop\n%2")
                      .arg(command.amount)
                      .arg(m_engine->statusText());
        break;
    case Kind::StatsJson:
        r.reply = statsJson();
        break;
    case Kind::StatsSnapshot:
        r.reply
            = QString::fromUtf8(QJsonDocument(agentStateJson(m_engine->liveSnapshot(), m_identity))
                                    .toJson(QJsonDocument::Compact));
        break;
    case Kind::Stop:
        r.reply = QStringLiteral("OK: closing every connection and stopping");
        Q_EMIT transcript(peer, command.text, r.reply);
        m_engine->stop();
        return r;
    case Kind::Quit:
        r.reply = QStringLiteral("Bye");
        r.closeSession = true;
        break;
    case Kind::Help:
        r.reply = command.argument.isEmpty() ? usage() : ConsoleHelp::explain(command.argument);
        break;
    case Kind::Auth:
        r.reply = QStringLiteral("OK: this console needs no token");
        break;
    case Kind::Invalid:
        r.reply = QStringLiteral("ERROR: ") + command.error;
        break;
    }
    Q_EMIT transcript(peer, command.text, r.reply);
    return r;
}

QString ConsoleInterpreter::statsJson() const
{
    QJsonObject json = reportJson(m_engine->liveSnapshot(), m_info);
    const QJsonArray agents = m_engine->agentsJson();
    if (!agents.isEmpty()) json[QStringLiteral("agents")] = agents;
    return QString::fromUtf8(QJsonDocument(json).toJson(QJsonDocument::Compact));
}

QString ConsoleInterpreter::refuseAboveLimit(const QString& what, qint64 wanted) const
{
    if (m_connectionLimit <= 0 || wanted <= m_connectionLimit) return QString();
    return QStringLiteral("ERROR: '%1' would ask for %2 connections, above the limit of %3 (%4)")
        .arg(what)
        .arg(wanted)
        .arg(m_connectionLimit)
        .arg(m_limitWhy);
}

QString ConsoleInterpreter::incr(int count)
{
    if (m_engine->phase() == LoadDriver::Phase::Stopping
        || m_engine->phase() == LoadDriver::Phase::Stopped)
        return QStringLiteral("ERROR: swarm is stopping");
    const QString refused = refuseAboveLimit(
        QStringLiteral("incr %1").arg(count), qint64(m_engine->target()) + count);
    if (!refused.isEmpty()) return refused;
    const QString noRows = m_engine->rowShortage(qint64(m_engine->target()) + count);
    if (!noRows.isEmpty())
        return QStringLiteral("ERROR: incr %1 refused: %2").arg(count).arg(noRows);
    m_engine->incr(count);
    return QStringLiteral("OK: %1 more connection%2 (target %3)")
        .arg(count)
        .arg(count == 1 ? "" : "s")
        .arg(m_engine->target());
}

QString ConsoleInterpreter::decr(const ConsoleCommand& command)
{
    static const char* const orders[] = {"random", "newest", "oldest"};
    const char* order = orders[int(command.order)];
    const int closed = m_engine->decr(command.amount, LoadDriver::CloseOrder(int(command.order)));
    if (closed < command.amount)
        return QStringLiteral("OK: closing all %1 (asked for %2, only %3 existed; target 0)")
            .arg(plural(closed, "connection"))
            .arg(command.amount)
            .arg(closed);
    return QStringLiteral("OK: closing %1 %2 connection%3 (target %4)")
        .arg(closed)
        .arg(QLatin1String(order))
        .arg(closed == 1 ? "" : "s")
        .arg(m_engine->target());
}

QString ConsoleInterpreter::target(int count)
{
    const int before = m_engine->target();
    if (count > before
        && (m_engine->phase() == LoadDriver::Phase::Stopping
            || m_engine->phase() == LoadDriver::Phase::Stopped))
        return QStringLiteral("ERROR: swarm is stopping");
    const QString refused = refuseAboveLimit(QStringLiteral("target %1").arg(count), count);
    if (!refused.isEmpty()) return refused;
    const QString noRows = count > before ? m_engine->rowShortage(count) : QString();
    if (!noRows.isEmpty())
        return QStringLiteral("ERROR: target %1 refused: %2").arg(count).arg(noRows);
    const int change = m_engine->setTarget(count);
    if (change == 0) return QStringLiteral("OK: target stays %1").arg(before);
    return QStringLiteral("OK: target %1 (was %2): %3")
        .arg(m_engine->target())
        .arg(before)
        .arg(change > 0
                ? plural(change, "more connection")
                : QStringLiteral("closing %1 at random").arg(plural(-change, "connection")));
}

QString ConsoleInterpreter::ramp(double perSecond)
{
    const double before = m_engine->ramp();
    m_engine->setRamp(perSecond);
    const int waiting = m_engine->pendingRamp();
    QString reply
        = QStringLiteral("OK: ramp %1 (was %2)").arg(rateText(perSecond), rateText(before));
    if (waiting > 0 && perSecond > 0)
        reply += QStringLiteral("; %1 waiting to open, about %2 s")
                     .arg(plural(waiting, "connection"))
                     .arg(std::ceil(waiting / perSecond));
    else if (waiting == 0)
        reply += QStringLiteral("; no connection is waiting");
    return reply;
}

QString ConsoleInterpreter::rate(double perSecond)
{
    const auto text = [](double r) {
        return r > 0 ? QStringLiteral("%1 rounds per second").arg(r)
                     : QStringLiteral("off (the closed loop: the scenario's sleeps)");
    };
    const double before = m_engine->rate();
    m_engine->setRate(perSecond);
    QString reply = QStringLiteral("OK: rate %1 (was %2)").arg(text(perSecond), text(before));
    const int n = m_engine->target();
    if (perSecond > 0 && n > 0)
        reply += QStringLiteral(" over %1, each about %2 per second, %3 arrivals")
                     .arg(plural(n, "connection"))
                     .arg(perSecond / n, 0, 'g', 3)
                     .arg(QLatin1String(arrivalKindName(m_engine->config().arrivals)));
    else if (perSecond > 0)
        reply += QStringLiteral("; no connection yet: 'incr N' opens some");
    return reply;
}

QString ConsoleInterpreter::reload(const QString& peer)
{
    if (!m_reloader) return QStringLiteral("ERROR: 'reload' is not available here");
    if (m_engine->phase() == LoadDriver::Phase::Stopping
        || m_engine->phase() == LoadDriver::Phase::Stopped)
        return QStringLiteral("ERROR: swarm is stopping");
    if (m_engine->isApplying())
        return QStringLiteral("ERROR: a change is being applied already; try again in a moment");
    QString problem;
    ScenarioBundlePtr loaded = m_reloader(&problem);
    if (!loaded)
        return QStringLiteral("ERROR: reload: the files have errors; the load keeps running "
                              "version %1:\n%2")
            .arg(m_engine->bundle()->version)
            .arg(problem);
    const QString noRows
        = DataSetLoader::shortage(loaded->data, m_engine->config().fleet, m_engine->target());
    if (!noRows.isEmpty())
        return QStringLiteral("ERROR: reload: the load keeps running version %1: %2")
            .arg(m_engine->bundle()->version)
            .arg(noRows);
    auto bundle = std::make_shared<ScenarioBundle>(*loaded);
    bundle->version = m_engine->bundle()->version + 1;
    const QString what
        = QStringLiteral("%1 (protocol %2 from %3)")
              .arg(bundle->scenario.file, bundle->scenario.protocol, bundle->module.file);
    if (m_engine->phase() != LoadDriver::Phase::Running) {
        m_engine->apply(bundle);
        return QStringLiteral("OK: reloaded %1 as version %2; connections will run it")
            .arg(what)
            .arg(bundle->version);
    }
    m_reloads.emplace_back(bundle->version, peer);
    m_engine->apply(bundle);
    return QStringLiteral("OK: reloading %1 as version %2; each connection picks it up at its "
                          "next iteration")
        .arg(what)
        .arg(bundle->version);
}

void ConsoleInterpreter::onApplied(bool ok, int version, const QString& error)
{
    for (auto it = m_reloads.begin(); it != m_reloads.end();) {
        if (it->first != version && ok) {
            ++it;
            continue;
        }
        const QString text = ok
            ? QStringLiteral("reload: version %1 is running (every worker compiled it)")
                  .arg(version)
            : QStringLiteral("reload: ERROR: version %1 failed in a worker: %2; the load keeps "
                             "running version %3")
                  .arg(it->first)
                  .arg(error)
                  .arg(m_engine->bundle()->version);
        const QString peer = it->second;
        it = m_reloads.erase(it);
        Q_EMIT followUp(peer, text);
        Q_EMIT sessionEvent(peer, text);
    }
}

QString ConsoleInterpreter::status(ConsoleCommand::View view) const
{
    switch (view) {
    case ConsoleCommand::View::Summary:
        break;
    case ConsoleCommand::View::Errors:
        return StatusViews::errors(m_engine->liveSnapshot());
    case ConsoleCommand::View::Commands:
        return StatusViews::commands(m_engine->liveSnapshot());
    case ConsoleCommand::View::Connections:
        return StatusViews::connections(m_engine->liveSnapshot(), *m_engine);
    case ConsoleCommand::View::Agents: {
        const QString agents = m_engine->agentsText();
        return agents.isEmpty() ? QStringLiteral("No agents: this swarm is not a fleet controller "
                                                 "(--fleet)")
                                : agents;
    }
    }
    return m_engine->statusText();
}

} // namespace swarm
