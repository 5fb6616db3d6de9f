#include "core/ConnectionState.h"

namespace swarm {

const char* stateName(ConnState state)
{
    switch (state) {
    case ConnState::Started:
        return "started";
    case ConnState::Connecting:
        return "connecting";
    case ConnState::Handshaking:
        return "handshaking";
    case ConnState::Acting:
        return "acting";
    case ConnState::Standby:
        return "standby";
    case ConnState::TimedOut:
        return "timedout";
    case ConnState::Refused:
        return "refused";
    case ConnState::Reset:
        return "reset";
    case ConnState::Closed:
        return "closed";
    case ConnState::ProtocolError:
        return "protocol_error";
    case ConnState::ScriptError:
        return "script_error";
    case ConnState::SocketError:
        return "socket_error";
    case ConnState::TlsError:
        return "tls_error";
    }
    return "unknown";
}

bool isErrorState(ConnState state)
{
    return int(state) >= int(ConnState::TimedOut);
}

} // namespace swarm
