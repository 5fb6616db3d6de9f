#pragma once

#include <QString>
#include <array>

namespace swarm {

// The states a connection passes through. The error states are where a connection waits before
// it reconnects, so a status line shows at a glance why connections are not working
// ("refused: 2000" while the server is down).
enum class ConnState : quint8 {
    Started, // created, waiting for its connect slot (--connect-spread)
    Connecting,
    Handshaking, // TCP connected, TLS handshake under way (--tls)
    Acting, // running a command or waiting for its reply
    Standby, // sleeping between rounds or after an action
    TimedOut, // connect or reply timeout
    Refused, // connection refused
    Reset, // connection reset by the server
    Closed, // closed by the server
    ProtocolError, // the reply parser rejected a reply, or a reply was too large
    ScriptError, // the protocol module threw, or ran past --script-timeout
    SocketError, // any other socket failure (no route, address in use, ...)
    TlsError, // certificate rejected, handshake failure, TLS alert received (--tls)
};

constexpr int kStateCount = int(ConnState::TlsError) + 1;

using StateCounts = std::array<qint64, kStateCount>;

// The name users see in status lines, reports and charts.
const char* stateName(ConnState state);
inline const char* stateName(int state)
{
    return stateName(ConnState(state));
}
bool isErrorState(ConnState state);

} // namespace swarm
