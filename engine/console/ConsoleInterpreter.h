#pragma once

#include "console/ConsoleCommand.h"
#include "scenario/ScenarioBundle.h"
#include "stats/AgentState.h"
#include "stats/Report.h"

#include <QObject>
#include <QString>

#include <functional>
#include <vector>

namespace swarm {

class LoadDriver;

// The one command interpreter of the console. Telnet sessions and the GUI's console pane are its
// clients; every command and its reply is also published (transcript) so the GUI can mirror
// other sessions. Runs no code and reads no file itself: it drives the Engine facade, and
// `reload` asks the loader its owner gave it (setReloader) for the files' new version.
class ConsoleInterpreter : public QObject
{
    Q_OBJECT
public:
    struct Result
    {
        QString reply; // may be several lines, without a final newline
        bool closeSession = false;
        // `watch`: the session should print the status block every this many seconds until
        // the user sends anything; 0: no watch.
        int watchSeconds = 0;
    };
    // Reads the scenario and its module from disk again: the checked bundle, or null and
    // *problem with every error (file:line: key: message).
    using Reloader = std::function<ScenarioBundlePtr(QString* problem)>;

    ConsoleInterpreter(LoadDriver* engine, const RunInfo& info, QObject* parent = nullptr);

    void setReloader(Reloader reloader) { m_reloader = std::move(reloader); }
    void setRunInfo(const RunInfo& info) { m_info = info; } // what `stats json` says of the run
    // Who this swarm is, in `stats snapshot` (its owner keeps the digest current after reloads).
    void setIdentity(const AgentIdentity& identity) { m_identity = identity; }
    const AgentIdentity& identity() const { return m_identity; }
    // The most connections a target may ask for (from the open-files limit); <= 0: no limit.
    void setConnectionLimit(qint64 limit, const QString& why);
    qint64 connectionLimit() const { return m_connectionLimit; }

    // Executes a parsed command for the session `peer` ("127.0.0.1:53211", "gui").
    Result execute(const QString& peer, const ConsoleCommand& command);
    // Parses and executes one line.
    Result executeLine(const QString& peer, const QString& line);

    // Publishes a session event ("connected", "closed: idle") without a command.
    void note(const QString& peer, const QString& event);

    // The status block, for `watch` (not a command: no transcript).
    QString statusBlock() const;

    static QString banner();
    static QString usage();

Q_SIGNALS:
    // A command and its reply, as they happen: the GUI's mirror pane shows these.
    void transcript(const QString& peer, const QString& command, const QString& reply);
    void sessionEvent(const QString& peer, const QString& event);
    // What a command that finishes later (reload) came to, for the session that gave it.
    void followUp(const QString& peer, const QString& text);

private:
    QString incr(int count);
    QString decr(const ConsoleCommand& command);
    QString target(int count);
    QString ramp(double perSecond);
    QString rate(double perSecond);
    QString reload(const QString& peer);
    QString status(ConsoleCommand::View view) const;
    QString statsJson() const;
    QString refuseAboveLimit(const QString& what, qint64 wanted) const;
    void onApplied(bool ok, int version, const QString& error);

    LoadDriver* m_engine;
    RunInfo m_info;
    AgentIdentity m_identity;
    Reloader m_reloader;
    qint64 m_connectionLimit = 0;
    QString m_limitWhy;
    std::vector<std::pair<int, QString>> m_reloads; // version being applied, and who asked
};

} // namespace swarm
