#pragma once

#include <QHostAddress>
#include <QString>

namespace swarm {

// Where and how the telnet console listens (--listen, --console-token, --console-insecure) and
// the guards every session is held to.
struct ConsoleOptions
{
    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 8411; // 0: any free port
    QString token; // sessions must send `auth TOKEN` first when set
    bool insecure = false; // allow a non-loopback address without a token
    int maxSessions = 16;
    int idleTimeoutMs = 15 * 60 * 1000;
    int maxLineBytes = 4096;
    int maxInvalidCommands = 20; // in a row, then the session is cut off

    // Why these options must not be used, or an empty string: a console on a non-loopback
    // address needs --console-token or an explicit --console-insecure.
    QString securityProblem() const;
};

} // namespace swarm
