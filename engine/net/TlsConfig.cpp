#include "net/TlsConfig.h"

#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslSocket>

namespace swarm {

namespace {

// The whole file, or false with *error naming the option and why it cannot be read.
bool readFile(const QString& option, const QString& path, QByteArray* data, QString* error)
{
    QFile file(path);
    if (!QFileInfo(path).isFile() || !file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("%1 %2: %3")
                     .arg(option, path,
                         QFileInfo::exists(path) ? QStringLiteral("cannot be read")
                                                 : QStringLiteral("no such file"));
        return false;
    }
    *data = file.readAll();
    return true;
}

bool readCertificates(
    const QString& option, const QString& path, QList<QSslCertificate>* out, QString* error)
{
    QByteArray pem;
    if (!readFile(option, path, &pem, error)) return false;
    *out = QSslCertificate::fromData(pem, QSsl::Pem);
    if (out->isEmpty()) {
        *error = QStringLiteral("%1 %2: no PEM certificate in it (-----BEGIN CERTIFICATE-----)")
                     .arg(option, path);
        return false;
    }
    return true;
}

bool readKey(const QString& path, QSslKey* key, QString* error)
{
    QByteArray pem;
    if (!readFile(QStringLiteral("--tls-key"), path, &pem, error)) return false;
    for (QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec, QSsl::Dsa, QSsl::Dh}) {
        *key = QSslKey(pem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key->isNull()) return true;
    }
    *error
        = QStringLiteral("--tls-key %1: no unencrypted PEM private key (RSA, EC) in it").arg(path);
    return false;
}

} // namespace

QString TlsConfig::sniName() const
{
    if (!sni.isEmpty()) return sni;
    return QHostAddress(serverHost).isNull() ? serverHost : QString();
}

QString TlsConfig::verifyName() const
{
    return sni.isEmpty() ? serverHost : sni;
}

QString TlsConfig::describe() const
{
    QStringList parts;
    parts << QStringLiteral("TLS %1+").arg(minVersion == 13 ? "1.3" : "1.2");
    parts << (caFile.isEmpty() ? QStringLiteral("system CAs") : QStringLiteral("CA ") + caFile);
    if (!certFile.isEmpty()) parts << QStringLiteral("client certificate ") + certFile;
    if (!sniName().isEmpty()) parts << QStringLiteral("SNI ") + sniName();
    if (!alpn.isEmpty()) parts << QStringLiteral("ALPN ") + alpn.join(QLatin1Char(','));
    if (sessionReuse) parts << QStringLiteral("session reuse");
    QString text = parts.join(QStringLiteral(", "));
    if (insecure) text += QStringLiteral("; CERTIFICATES NOT VERIFIED (--tls-insecure)");
    return text;
}

bool parseTlsVersion(const QString& text, int* version, QString* error)
{
    const QString t = text.trimmed();
    if (t == QLatin1String("1.2") || t == QLatin1String("1.3")) {
        *version = t == QLatin1String("1.2") ? 12 : 13;
        return true;
    }
    *error = QStringLiteral("'%1' is not 1.2 or 1.3").arg(text);
    return false;
}

bool makeSslConfiguration(const TlsConfig& tls, QSslConfiguration* out, QString* error)
{
    if (!QSslSocket::supportsSsl()) {
        *error = QStringLiteral("--tls: this Qt has no TLS backend (%1)")
                     .arg(QSslSocket::sslLibraryBuildVersionString());
        return false;
    }
    QSslConfiguration c = QSslConfiguration::defaultConfiguration();
    if (!tls.caFile.isEmpty()) {
        QList<QSslCertificate> cas;
        if (!readCertificates(QStringLiteral("--tls-ca"), tls.caFile, &cas, error)) return false;
        c.setCaCertificates(cas);
    }
    if (tls.certFile.isEmpty() != tls.keyFile.isEmpty()) {
        *error = tls.certFile.isEmpty()
            ? QStringLiteral("--tls-key %1 needs --tls-cert (the certificate it belongs to)")
                  .arg(tls.keyFile)
            : QStringLiteral("--tls-cert %1 needs --tls-key (its private key)").arg(tls.certFile);
        return false;
    }
    if (!tls.certFile.isEmpty()) {
        QList<QSslCertificate> chain;
        if (!readCertificates(QStringLiteral("--tls-cert"), tls.certFile, &chain, error))
            return false;
        QSslKey key;
        if (!readKey(tls.keyFile, &key, error)) return false;
        c.setLocalCertificateChain(chain);
        c.setPrivateKey(key);
    }
    c.setPeerVerifyMode(tls.insecure ? QSslSocket::VerifyNone : QSslSocket::VerifyPeer);
    c.setProtocol(tls.minVersion == 13 ? QSsl::TlsV1_3OrLater : QSsl::TlsV1_2OrLater);
    QList<QByteArray> protocols;
    for (const QString& p : tls.alpn)
        protocols << p.toUtf8();
    c.setAllowedNextProtocols(protocols);
    c.setSslOption(QSsl::SslOptionDisableSessionPersistence, !tls.sessionReuse);
    c.setSslOption(QSsl::SslOptionDisableSessionTickets, !tls.sessionReuse);
    // Sockets that share a context (QtTransport) would otherwise resume its newest session.
    c.setSslOption(QSsl::SslOptionDisableSessionSharing, !tls.sessionReuse);
    *out = c;
    return true;
}

} // namespace swarm
