#include "run/OptionTable.h"
#include "run/Options.h"

namespace swarm {

namespace {

using Kind = OptionRow::Kind;

bool parseMin(const QString& value, Options& o, QString* error)
{
    return parseTlsVersion(value, &o.engine.socket.tls.minVersion, error);
}

QString showMin(const Options& o)
{
    return o.engine.socket.tls.minVersion == 13 ? QStringLiteral("1.3") : QStringLiteral("1.2");
}

bool parseAlpn(const QString& value, Options& o, QString* error)
{
    QStringList protocols;
    for (const QString& p : value.split(QLatin1Char(','))) {
        const QString name = p.trimmed();
        if (name.isEmpty() || name.toUtf8().size() > 255) {
            *error = QStringLiteral("'%1' is not a comma-separated list of protocol names (each "
                                    "1 to 255 bytes), e.g. h2,http/1.1")
                         .arg(value);
            return false;
        }
        protocols << name;
    }
    o.engine.socket.tls.alpn = protocols;
    return true;
}

} // namespace

// Every --tls-... option turns TLS on (Options.cpp), as --tls does.
QList<OptionRow> tlsOptionRows()
{
    return {
        {"tls", nullptr, Kind::Flag,
            +[](Options& o) -> bool& { return o.engine.socket.tls.enabled; }, 0, 0,
            "Speak TLS on every connection (scripts still see plaintext)."},
        {"tls-ca", "file", Kind::Text,
            +[](Options& o) -> QString& { return o.engine.socket.tls.caFile; }, 0, 0,
            "PEM certificates to trust (default: the system's store)."},
        {"tls-cert", "file", Kind::Text,
            +[](Options& o) -> QString& { return o.engine.socket.tls.certFile; }, 0, 0,
            "Client certificate (PEM) for mutual TLS; needs --tls-key."},
        {"tls-key", "file", Kind::Text,
            +[](Options& o) -> QString& { return o.engine.socket.tls.keyFile; }, 0, 0,
            "Private key (PEM, unencrypted) of --tls-cert."},
        {"tls-sni", "name", Kind::Text,
            +[](Options& o) -> QString& { return o.engine.socket.tls.sni; }, 0, 0,
            "Server name to ask for and verify (default: the --server host name)."},
        {"tls-insecure", nullptr, Kind::Flag,
            +[](Options& o) -> bool& { return o.engine.socket.tls.insecure; }, 0, 0,
            "Do not verify the server's certificate (said in the banner, status and report)."},
        {"tls-min", "1.2|1.3", Kind::Custom, {}, 0, 0, "Lowest TLS version accepted (default %1).",
            parseMin, showMin},
        {"tls-alpn", "list", Kind::Custom, {}, 0, 0,
            "Protocols offered by ALPN, comma-separated, e.g. h2,http/1.1.", parseAlpn},
        {"tls-session-reuse", nullptr, Kind::Flag,
            +[](Options& o) -> bool& { return o.engine.socket.tls.sessionReuse; }, 0, 0,
            "Resume the last TLS session on reconnect (cheaper handshakes)."},
    };
}

} // namespace swarm
