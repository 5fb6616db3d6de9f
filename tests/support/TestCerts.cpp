#include "TestCerts.h"

#include <QFile>
#include <QProcess>
#include <QStandardPaths>

namespace swarm::test {

bool TestCerts::make(QString* error)
{
    return run({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                   "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj",
                   "/CN=swarm test CA"},
               error)
        && run({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                   "-nodes", "-keyout", "rogue.key", "-out", "rogue.pem", "-days", "2", "-subj",
                   "/CN=someone else"},
            error)
        && signed_("server", "DNS:localhost,DNS:sni.test,IP:127.0.0.1", error)
        && signed_("client", "DNS:client.test", error);
}

bool TestCerts::signed_(const QString& name, const QString& san, QString* error)
{
    QFile ext(path(name + QStringLiteral(".ext")));
    if (!ext.open(QIODevice::WriteOnly)) return false;
    ext.write(QStringLiteral("subjectAltName=%1\n").arg(san).toUtf8());
    ext.close();
    const QByteArray n = name.toUtf8();
    return run({"req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                   "-keyout", n + ".key", "-out", n + ".csr", "-subj", "/CN=" + n},
               error)
        && run({"x509", "-req", "-in", n + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                   "-CAcreateserial", "-out", n + ".pem", "-days", "2", "-extfile", n + ".ext"},
            error);
}

bool TestCerts::run(const QList<QByteArray>& args, QString* error)
{
    const QString exe = QStandardPaths::findExecutable(QStringLiteral("openssl"));
    if (exe.isEmpty()) {
        *error = QStringLiteral("openssl is not installed (./make.sh deps installs it)");
        return false;
    }
    QStringList a;
    for (const QByteArray& b : args)
        a << QString::fromUtf8(b);
    QProcess p;
    p.setWorkingDirectory(m_dir.path());
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(exe, a);
    if (!p.waitForFinished(30000) || p.exitCode() != 0) {
        *error = QStringLiteral("openssl %1: %2").arg(a.join(' '), p.readAll());
        return false;
    }
    return true;
}

} // namespace swarm::test
