#include "console/ConsoleInterpreter.h"

#include "core/Engine.h"

#include <QJsonDocument>

namespace swarm {

ConsoleInterpreter::ConsoleInterpreter(Engine* engine, const RunInfo& info, QObject* parent)
    : QObject(parent)
    , m_engine(engine)
    , m_info(info)
{
}

QString ConsoleInterpreter::banner()
{
    return QStringLiteral("===============================\n"
                          "Welcome to Swarm Remote Console\n"
                          "===============================");
}

QString ConsoleInterpreter::usage()
{
    return QStringLiteral("Usage:\n"
                          "incr 1000   -- start 1000 new connections\n"
                          "decr 100    -- close 100 connections (the newest first)\n"
                          "status      -- print the counters now\n"
                          "stats json  -- the run's figures as one line of JSON\n"
                          "stop        -- close every connection and stop swarm\n"
                          "quit        -- close this console session\n"
                          "help        -- this text");
}

ConsoleInterpreter::Result ConsoleInterpreter::executeLine(const QString& peer, const QString& line)
{
    return execute(peer, parseConsoleLine(line.toUtf8()));
}

void ConsoleInterpreter::note(const QString& peer, const QString& event)
{
    Q_EMIT sessionEvent(peer, event);
}

ConsoleInterpreter::Result ConsoleInterpreter::execute(const QString& peer,
                                                       const ConsoleCommand& command)
{
    Result r;
    switch (command.kind) {
    case ConsoleCommand::Kind::Empty:
        return r;
    case ConsoleCommand::Kind::Incr:
        if (m_engine->phase() == Engine::Phase::Stopping
            || m_engine->phase() == Engine::Phase::Stopped) {
            r.reply = QStringLiteral("ERROR: swarm is stopping");
            break;
        }
        m_engine->incr(command.amount);
        r.reply = QStringLiteral("OK: %1 more connection%2 (target %3)")
                      .arg(command.amount)
                      .arg(command.amount == 1 ? "" : "s")
                      .arg(m_engine->target());
        break;
    case ConsoleCommand::Kind::Decr: {
        const int closed = m_engine->decr(command.amount);
        if (closed < command.amount)
            r.reply = QStringLiteral("OK: closing all %1 connection%2 (asked for %3, only %1 "
                                     "existed; target 0)")
                          .arg(closed)
                          .arg(closed == 1 ? "" : "s")
                          .arg(command.amount);
        else
            r.reply = QStringLiteral("OK: closing %1 connection%2 (target %3)")
                          .arg(closed)
                          .arg(closed == 1 ? "" : "s")
                          .arg(m_engine->target());
        break;
    }
    case ConsoleCommand::Kind::Stop:
        r.reply = QStringLiteral("OK: closing every connection and stopping");
        Q_EMIT transcript(peer, command.text, r.reply);
        m_engine->stop();
        return r;
    case ConsoleCommand::Kind::Quit:
        r.reply = QStringLiteral("Bye");
        r.closeSession = true;
        break;
    case ConsoleCommand::Kind::Help:
        r.reply = usage();
        break;
    case ConsoleCommand::Kind::Status:
        r.reply = m_engine->statusText();
        break;
    case ConsoleCommand::Kind::StatsJson:
        r.reply = QString::fromUtf8(
            QJsonDocument(reportJson(m_engine->liveSnapshot(), m_info)).toJson(QJsonDocument::Compact));
        break;
    case ConsoleCommand::Kind::Auth:
        r.reply = QStringLiteral("OK: this console needs no token");
        break;
    case ConsoleCommand::Kind::Invalid:
        r.reply = QStringLiteral("ERROR: %1\n%2").arg(command.error, usage());
        break;
    }
    Q_EMIT transcript(peer, command.text, r.reply);
    return r;
}

} // namespace swarm
