#pragma once

#include <QString>
#include <QStringList>

class QSslConfiguration;

namespace swarm {

// TLS on the connections (--tls and the options after it, or the scenario's `tls:` block): plain
// values, copied into every worker's transport. Both transports honour every field: the epoll
// transport with OpenSSL (TlsContext), the Qt one with QSslSocket.
struct TlsConfig
{
    bool enabled = false; // --tls
    QString caFile; // --tls-ca: PEM certificates to trust; empty: the system's store
    QString certFile; // --tls-cert: client certificate (PEM) for mutual TLS
    QString keyFile; // --tls-key: its private key (PEM, not encrypted)
    QString sni; // --tls-sni: the name asked for; empty: the server's host name (none for an IP)
    QString serverHost; // the host of --server as given (set by the run, not an option)
    bool insecure = false; // --tls-insecure: no verification of the server's certificate at all
    int minVersion = 12; // --tls-min 1.2|1.3, as 12 or 13
    QStringList alpn; // --tls-alpn: protocols offered, in order of preference
    bool sessionReuse = false; // --tls-session-reuse: resume the last session on reconnect

    // The name sent as SNI: --tls-sni, else the server's host name unless it is an address.
    QString sniName() const;
    // The name (or address) the server's certificate must be valid for: --tls-sni, else the
    // server's host as given.
    QString verifyName() const;
    // "TLS 1.2+, CA ca.pem, SNI x, ALPN a,b, session reuse; NOT VERIFIED (--tls-insecure)".
    QString describe() const;
};

// "1.2" or "1.3" into 12 or 13; false with *error otherwise.
bool parseTlsVersion(const QString& text, int* version, QString* error);

// A QSslConfiguration for `tls` (the Qt transport uses it; the run checks the files with it
// before anything connects). False with *error naming the option and the file when a file is
// missing, unreadable or not what it should be.
bool makeSslConfiguration(const TlsConfig& tls, QSslConfiguration* out, QString* error);

} // namespace swarm
