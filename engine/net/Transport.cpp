#include "net/Transport.h"

#include <cerrno>

namespace swarm {

QString Endpoint::toString() const
{
    if (address.protocol() == QAbstractSocket::IPv6Protocol)
        return QStringLiteral("[%1]:%2").arg(address.toString()).arg(port);
    return QStringLiteral("%1:%2").arg(address.toString()).arg(port);
}

const char* ioName(IoKind io)
{
    switch (io) {
    case IoKind::Epoll:
        return "epoll";
    case IoKind::Qt:
        return "qt";
    case IoKind::Auto:
        break;
    }
    return "auto";
}

bool ioAvailable(IoKind io)
{
#ifdef SWARM_HAVE_EPOLL
    Q_UNUSED(io)
    return true;
#else
    return io != IoKind::Epoll;
#endif
}

bool parseIo(const QString& name, IoKind* io, QString* error)
{
    for (IoKind k : {IoKind::Epoll, IoKind::Qt, IoKind::Auto}) {
        if (name != QLatin1String(ioName(k))) continue;
        if (!ioAvailable(k)) {
            *error = QStringLiteral("%1 is not available in this build (use qt)").arg(name);
            return false;
        }
        *io = k;
        return true;
    }
    *error = QStringLiteral("'%1' is not epoll, qt or auto").arg(name);
    return false;
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
