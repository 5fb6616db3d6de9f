#include "net/TransportFactory.h"

#include "net/QtTransport.h"
#ifdef SWARM_HAVE_EPOLL
#include "net/EpollTransport.h"
#endif

namespace swarm {

IoKind resolveIo(IoKind requested, QString* fallback)
{
    fallback->clear();
    if (requested == IoKind::Qt) return IoKind::Qt;
#ifdef SWARM_HAVE_EPOLL
    QString why;
    if (EpollTransport::probe(&why)) return IoKind::Epoll;
    *fallback = QStringLiteral("epoll unavailable (%1): using qt").arg(why);
#endif
    return IoKind::Qt;
}

std::unique_ptr<Transport> makeTransport(
    IoKind io, TransportHandler* handler, const SocketOptions& options, QString* error)
{
#ifdef SWARM_HAVE_EPOLL
    if (io != IoKind::Qt) {
        auto epoll = std::make_unique<EpollTransport>(handler, options);
        if (epoll->isValid()) return epoll;
        if (!epoll->tlsError().isEmpty()) {
            *error = epoll->tlsError();
            return nullptr;
        }
    }
#else
    Q_UNUSED(io);
#endif
    auto qt = std::make_unique<QtTransport>(handler, options);
    if (!qt->tlsError().isEmpty()) {
        *error = qt->tlsError();
        return nullptr;
    }
    return qt;
}

} // namespace swarm
