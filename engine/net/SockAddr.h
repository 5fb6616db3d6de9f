#pragma once

// POSIX socket addresses from Qt's, for the transports that call the socket API themselves
// (EpollTransport; Platform's deferred-port socket). Not built where there is no POSIX API.

#include <QHostAddress>
#include <QString>

#include <sys/socket.h>

namespace swarm::net {

// Fills a sockaddr for `address:port`; returns its length, 0 if the address is not IPv4/IPv6.
socklen_t toSockaddr(const QHostAddress& address, quint16 port, sockaddr_storage* out);

// strerror(error) as text.
QString errnoText(int error);

} // namespace swarm::net
