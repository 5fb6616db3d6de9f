#pragma once

#include <QList>
#include <QString>
#include <QTemporaryDir>

namespace swarm::test {

// The certificates of a test run, made with the openssl CLI (Debian's `openssl`) in a
// temporary directory: ca.pem/ca.key (a trusted CA), rogue.pem/rogue.key (a CA nobody trusts),
// server.pem/server.key (signed by the CA, for localhost, sni.test and 127.0.0.1) and
// client.pem/client.key (signed by the CA: mutual TLS). All ECDSA P-256.
class TestCerts
{
public:
    bool make(QString* error);
    QString path(const QString& name) const { return m_dir.filePath(name); }

private:
    bool signed_(const QString& name, const QString& san, QString* error);
    bool run(const QList<QByteArray>& args, QString* error);
    QTemporaryDir m_dir;
};

} // namespace swarm::test
