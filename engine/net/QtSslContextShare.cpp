#include "net/QtSslContextShare.h"

// SWARM_QT_PRIVATE_SSL: the build found Qt's private network headers (engine/CMakeLists.txt).
#ifdef SWARM_QT_PRIVATE_SSL
// Qt's private headers use the `emit` keyword, which the project turns off (QT_NO_KEYWORDS).
#define emit
#include <QtNetwork/private/qsslsocket_p.h>
#undef emit
#endif

namespace swarm::qtssl {

#ifdef SWARM_QT_PRIVATE_SSL

bool canShare()
{
    return true;
}

std::shared_ptr<QSslContext> contextOf(QSslSocket* socket)
{
    return QSslSocketPrivate::sslContext(socket);
}

void useContext(QSslSocket* socket, const std::shared_ptr<QSslContext>& context)
{
    QSslSocketPrivate::checkSettingSslContext(socket, context);
}

#else

bool canShare()
{
    return false;
}

std::shared_ptr<QSslContext> contextOf(QSslSocket*)
{
    return {};
}

void useContext(QSslSocket*, const std::shared_ptr<QSslContext>&) { }

#endif

} // namespace swarm::qtssl
