#include "net/Transport.h"

#include <cerrno>

namespace swarm {

QString Endpoint::toString() const
{
    if (address.protocol() == QAbstractSocket::IPv6Protocol)
        return QStringLiteral("[%1]:%2").arg(address.toString()).arg(port);
    return QStringLiteral("%1:%2").arg(address.toString()).arg(port);
}

SocketFailure failureFromErrno(int error)
{
    switch (error) {
    case ECONNREFUSED:
        return SocketFailure::Refused;
    case ETIMEDOUT:
        return SocketFailure::TimedOut;
    case ECONNRESET:
    case EPIPE:
    case ECONNABORTED:
        return SocketFailure::Reset;
    default:
        return SocketFailure::Other;
    }
}

} // namespace swarm
