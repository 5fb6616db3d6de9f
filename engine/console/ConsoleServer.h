#pragma once

#include "console/ConsoleOptions.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QObject>
#include <QTimer>

#include <map>

class QTcpServer;
class QTcpSocket;

namespace swarm {

class ConsoleInterpreter;

// The telnet console: a QTcpServer whose sessions send lines to the ConsoleInterpreter. Guards:
// loopback only unless a token (or --console-insecure) is given; a session limit; idle sessions
// closed; binary bytes, over-long lines and floods of invalid commands cut the session off; wrong
// tokens are counted, logged with the peer address and answered slowly.
class ConsoleServer : public QObject
{
    Q_OBJECT
public:
    ConsoleServer(ConsoleInterpreter* interpreter, const ConsoleOptions& options,
                  QObject* parent = nullptr);
    ~ConsoleServer() override;

    bool listen(QString* error);
    quint16 port() const;
    QHostAddress address() const;
    int sessionCount() const { return int(m_sessions.size()); }
    quint64 failedAuthentications() const { return m_failedAuth; }

Q_SIGNALS:
    // A line for the operator's log (stderr in headless mode, the GUI's console pane).
    void logMessage(const QString& line);

private:
    struct Session
    {
        QTcpSocket* socket = nullptr;
        QString peer;
        QByteArray line;
        QElapsedTimer idle;
        bool authenticated = false;
        bool closing = false;
        bool sawCarriageReturn = false;
        int telnetSkip = 0; // bytes of a telnet command still to skip
        bool inSubnegotiation = false;
        bool afterIac = false;
        int invalidInARow = 0;
    };

    void onNewConnection();
    void onReadyRead(QTcpSocket* socket);
    void handleLine(Session& s);
    void send(Session& s, const QString& text);
    void cutOff(Session& s, const QString& why);
    void closeSession(Session& s, const QString& event);
    void checkIdle();

    ConsoleInterpreter* m_interpreter;
    ConsoleOptions m_options;
    QTcpServer* m_server = nullptr;
    std::map<QTcpSocket*, Session> m_sessions;
    QTimer m_idleTimer;
    quint64 m_failedAuth = 0;
};

} // namespace swarm
