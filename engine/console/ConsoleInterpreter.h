#pragma once

#include "console/ConsoleCommand.h"
#include "stats/Report.h"

#include <QObject>
#include <QString>

namespace swarm {

class Engine;

// The one command interpreter of the console. Telnet sessions and the GUI's console pane are its
// clients; every command and its reply is also published (transcript) so the GUI can mirror
// other sessions. Runs no code and touches no file: it only drives the Engine facade.
class ConsoleInterpreter : public QObject
{
    Q_OBJECT
public:
    struct Result
    {
        QString reply; // may be several lines, without a final newline
        bool closeSession = false;
    };

    ConsoleInterpreter(Engine* engine, const RunInfo& info, QObject* parent = nullptr);

    // Executes a parsed command for the session `peer` ("127.0.0.1:53211", "gui").
    Result execute(const QString& peer, const ConsoleCommand& command);
    // Parses and executes one line.
    Result executeLine(const QString& peer, const QString& line);

    // Publishes a session event ("connected", "closed: idle") without a command.
    void note(const QString& peer, const QString& event);

    static QString banner();
    static QString usage();

Q_SIGNALS:
    // A command and its reply, as they happen: the GUI's mirror pane shows these.
    void transcript(const QString& peer, const QString& command, const QString& reply);
    void sessionEvent(const QString& peer, const QString& event);

private:
    Engine* m_engine;
    RunInfo m_info;
};

} // namespace swarm
