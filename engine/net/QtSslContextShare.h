#pragma once

#include <memory>

class QSslContext; // Qt's TLS context (the OpenSSL backend's SSL_CTX), opaque here
class QSslSocket;

namespace swarm::qtssl {

// Hands one QSslSocket's TLS context to the next sockets, so that they share one SSL_CTX (its CA
// store, certificate, key, verification settings) instead of each making its own.
//
// Qt 6.4's public API has no way to do it: QSslSocket makes a context per socket from its
// QSslConfiguration at the start of each handshake (QSslContext::sharedFromConfiguration: a new
// SSL_CTX, every CA certificate added to its store again), which took most of the client's CPU
// of a handshake and 8 KiB per idle connection. Qt shares contexts itself only between the
// sockets of a QHttpNetworkConnection, through QSslSocketPrivate::checkSettingSslContext and
// QSslSocketPrivate::sslContext, exported as Qt's private API (Qt6::NetworkPrivate, Debian:
// qt6-base-private-dev). Built without those headers (Qt from other sources, macOS, Windows),
// canShare() is false and each socket makes its own context, as before.
bool canShare();
// The context a socket uses: set once its handshake started (startClientEncryption); empty
// before, or without the private API.
std::shared_ptr<QSslContext> contextOf(QSslSocket* socket);
// Makes a socket whose handshake has not started use `context` (ignored if it has one).
void useContext(QSslSocket* socket, const std::shared_ptr<QSslContext>& context);

} // namespace swarm::qtssl
