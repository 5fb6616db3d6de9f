#pragma once

#include <QString>

class QSslConfiguration;

namespace swarm {

// Whether the private key of `client` (--tls-key) is the key of its certificate (--tls-cert),
// found with Qt's TLS alone, for builds without OpenSSL of their own (SWARM_PORTABLE: macOS and
// Windows, where Qt's backend may be Secure Transport or Schannel): the pair serves one TLS
// handshake over loopback, which the backend refuses when the key does not fit. Takes a few
// milliseconds, bounded by `timeoutMs`; true when the handshake completes. False with *why (the
// backend's reason) otherwise. A loopback that cannot be opened proves nothing: true.
bool keyFitsCertificateByHandshake(
    const QSslConfiguration& client, QString* why, int timeoutMs = 5000);

} // namespace swarm
