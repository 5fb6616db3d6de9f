// The window's TLS settings: the dialog's fields make the configuration (keeping what it does not
// show), and a session given TLS by the window runs its connections over TLS (a server that does
// not speak it makes every one a tls_error, with --tls-insecure said in the run's description).
#include "TestServers.h"
#include "run/RunSession.h"
#include "run/TlsDialog.h"
#include "scenario/BundleLoader.h"

#include <QCheckBox>
#include <QLineEdit>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace swarm;

class TstTlsDialog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void dialogMakesTheConfiguration();
    void sessionRunsWithTheWindowsTls();
};

void TstTlsDialog::dialogMakesTheConfiguration()
{
    TlsConfig current;
    current.certFile = QStringLiteral("/certs/client.pem"); // from the command line: kept
    current.minVersion = 13;
    TlsDialog dialog(current);
    auto* enabled = dialog.findChild<QCheckBox*>(QStringLiteral("tlsEnabled"));
    auto* ca = dialog.findChild<QLineEdit*>(QStringLiteral("tlsCa"));
    auto* sni = dialog.findChild<QLineEdit*>(QStringLiteral("tlsSni"));
    auto* insecure = dialog.findChild<QCheckBox*>(QStringLiteral("tlsInsecure"));
    QVERIFY(enabled && ca && sni && insecure);
    QVERIFY(!ca->isEnabled()); // off: nothing else to set
    enabled->setChecked(true);
    QVERIFY(ca->isEnabled() && sni->isEnabled() && insecure->isEnabled());
    ca->setText(QStringLiteral(" /certs/ca.pem "));
    sni->setText(QStringLiteral("cache.test"));
    insecure->setChecked(true);
    const TlsConfig c = dialog.config();
    QVERIFY(c.enabled);
    QCOMPARE(c.caFile, QStringLiteral("/certs/ca.pem"));
    QCOMPARE(c.sni, QStringLiteral("cache.test"));
    QVERIFY(c.insecure);
    QCOMPARE(c.certFile, current.certFile);
    QCOMPARE(c.minVersion, 13);
}

void TstTlsDialog::sessionRunsWithTheWindowsTls()
{
    // Answers every connection with text that is not TLS.
    QTcpServer server;
    connect(&server, &QTcpServer::newConnection, &server, [&server] {
        while (QTcpSocket* s = server.nextPendingConnection()) {
            s->write("not TLS\r\n");
            connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
        }
    });
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    Options o;
    o.server = QStringLiteral("127.0.0.1:%1").arg(server.serverPort());
    o.serverHost = QStringLiteral("127.0.0.1");
    o.serverPort = server.serverPort();
    o.console.port = 0;
    o.engine.connectSpreadMinMs = o.engine.connectSpreadMaxMs = 0;
    RunSession session(o);
    const BundleLoader::Result b
        = BundleLoader::load(swarm::test::sourcePath(QStringLiteral("scripts/ping.yml")),
            swarm::test::sourcePath(QStringLiteral("protocols")), 1000);
    QVERIFY(b.ok());
    QVERIFY(session.startRun(
        b.bundle, swarm::test::sourcePath(QStringLiteral("scripts/ping.yml")), b.moduleFile));
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), RunSession::State::Ready, 15000);
    TlsConfig tls = session.tls();
    tls.enabled = true;
    tls.insecure = true;
    QString why;
    QVERIFY2(session.setTls(tls, &why), qPrintable(why));
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), RunSession::State::Ready, 15000);
    QVERIFY(session.runInfo().tls.contains(QLatin1String("NOT VERIFIED")));
    session.incr(2);
    QTRY_VERIFY_WITH_TIMEOUT(
        session.snapshot().transitions[size_t(ConnState::TlsError)] >= 2, 15000);
    QCOMPARE(session.snapshot().requests, quint64(0));
    session.stop();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), RunSession::State::Finished, 15000);
}

QTEST_MAIN(TstTlsDialog)
#include "tst_tlsdialog.moc"
