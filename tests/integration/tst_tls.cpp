// TLS on the connections (--tls), on both transports, against real servers started here on free
// loopback ports: redis-server from Debian with its TLS port, `openssl s_server` requiring SNI,
// and two hostile servers (garbage, silence). Certificates are made by each run with the
// openssl CLI: a trusted CA, an untrusted one, a server certificate for localhost, 127.0.0.1
// and sni.test, and a client certificate.
#include "TestCerts.h"
#include "TestServers.h"
#include "core/Engine.h"
#include "net/Platform.h"
#include "net/QtSslContextShare.h"
#include "net/QtTransport.h"
#include "net/TlsConfig.h"
#include "net/TlsKeyCheck.h"
#include "scenario/BundleLoader.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <functional>

using namespace swarm;
using namespace swarm::test;

namespace {

// A TCP server that accepts, then either writes garbage at once or says nothing at all.
class HostileServer : public QObject
{
public:
    QByteArray greeting; // empty: silent
    int accepted = 0;
    int open = 0; // accepted sockets the client has not closed yet

    bool listen()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* s = m_server.nextPendingConnection()) {
                ++accepted;
                ++open;
                connect(s, &QTcpSocket::disconnected, this, [this, s] {
                    --open;
                    s->deleteLater();
                });
                if (!greeting.isEmpty()) s->write(greeting);
            }
        });
        return m_server.listen(QHostAddress::LocalHost, 0);
    }
    quint16 port() const { return m_server.serverPort(); }

private:
    QTcpServer m_server;
};

ScenarioBundlePtr pingBundle()
{
    const BundleLoader::Result r
        = BundleLoader::load(sourcePath(QStringLiteral("scripts/ping.yml")),
            sourcePath(QStringLiteral("protocols")), 2000);
    if (!r.ok()) qWarning().noquote() << formatDiagnostics(r.diagnostics);
    return r.bundle;
}

int openDescriptors()
{
    return int(QDir(QStringLiteral("/proc/self/fd"))
                   .entryList(QDir::NoDotAndDotDot | QDir::AllEntries)
                   .size());
}

} // namespace

class TstTls : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void trustedCountsMatch_data() { ioRows(); }
    void trustedCountsMatch();
    void untrustedCa_data() { ioRows(); }
    void untrustedCa();
    void badFilesExit2();
    void keyCheckByHandshake();
    void mutualTls_data();
    void mutualTls();
    void versions_data() { ioRows(); }
    void versions();
    void sniRequired_data() { ioRows(); }
    void sniRequired();
    void hostileHandshakes_data() { ioRows(); }
    void hostileHandshakes();
    void handshakeStorm_data() { ioRows(); }
    void handshakeStorm();
    void qtSharesContext();

private:
    void ioRows()
    {
        QTest::addColumn<QString>("io");
        for (const QString& io : transports())
            QTest::newRow(qPrintable(io)) << io;
    }
    bool startRedis(RedisServer* redis, quint16* tlsPort, const QStringList& extra = {});
    EngineConfig config(const QString& io, quint16 port) const;
    // Runs `connections` connections until `until` holds (at most 15 s), then stops.
    StatsSnapshot runEngine(const EngineConfig& c, int connections,
        const std::function<bool(const StatsSnapshot&)>& until);
    TestCerts m_certs;
};

void TstTls::initTestCase()
{
    QString error;
    QVERIFY2(m_certs.make(&error), qPrintable(error));
}

bool TstTls::startRedis(RedisServer* redis, quint16* tlsPort, const QStringList& extra)
{
    // The TLS port is chosen here, free a moment ago: another process may take it before redis
    // binds it, so a failed start tries again with another.
    QString error;
    for (int attempt = 0; attempt < 3; ++attempt) {
        *tlsPort = freePort();
        const QStringList args {QStringLiteral("--tls-port"), QString::number(*tlsPort),
            QStringLiteral("--tls-cert-file"), m_certs.path(QStringLiteral("server.pem")),
            QStringLiteral("--tls-key-file"), m_certs.path(QStringLiteral("server.key")),
            QStringLiteral("--tls-ca-cert-file"), m_certs.path(QStringLiteral("ca.pem")),
            QStringLiteral("--tls-auth-clients"), QStringLiteral("no")};
        if (redis->start(&error, args + extra)) return true;
    }
    qWarning().noquote() << error;
    return false;
}

EngineConfig TstTls::config(const QString& io, quint16 port) const
{
    EngineConfig c;
    c.server = {QHostAddress::LocalHost, port};
    QString error;
    if (!parseIo(io, &c.io, &error)) qFatal("%s", qPrintable(error));
    c.threads = 1;
    c.connectSpreadMinMs = c.connectSpreadMaxMs = 0;
    c.connectTimeoutMs = 2000;
    c.replyTimeoutMs = 2000;
    c.reconnectBaseMs = 50;
    c.reconnectMaxMs = 400;
    c.statsIntervalMs = 100;
    c.socket.tls.enabled = true;
    c.socket.tls.serverHost = QStringLiteral("127.0.0.1");
    c.socket.tls.caFile = m_certs.path(QStringLiteral("ca.pem"));
    return c;
}

StatsSnapshot TstTls::runEngine(
    const EngineConfig& c, int connections, const std::function<bool(const StatsSnapshot&)>& until)
{
    Engine engine(c, pingBundle());
    QSignalSpy started(&engine, &Engine::started);
    engine.start();
    if (!started.wait(10000)) return {};
    engine.incr(connections);
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < 15000 && !until(engine.snapshot()))
        QTest::qWait(50);
    QSignalSpy stopped(&engine, &Engine::stopped);
    engine.stop();
    stopped.wait(10000);
    const StatsSnapshot s = engine.snapshot();
    qInfo().noquote() << engine.statusText();
    return s;
}

void TstTls::trustedCountsMatch()
{
    QFETCH(QString, io);
    RedisServer redis;
    quint16 tlsPort = 0;
    QVERIFY(startRedis(&redis, &tlsPort));
    QTemporaryDir dir;
    const QString report = dir.filePath(QStringLiteral("r.json"));
    const QString csv = dir.filePath(QStringLiteral("c.csv"));
    const qint64 before = redis.commandsProcessed();
    SwarmProcess swarm;
    QString error;
    QVERIFY2(
        swarm.start(
            {QStringLiteral("-r"), QStringLiteral("127.0.0.1:%1").arg(tlsPort),
                QStringLiteral("-s"), sourcePath(QStringLiteral("scripts/ping.yml")),
                QStringLiteral("-p"), sourcePath(QStringLiteral("protocols")),
                QStringLiteral("--status-interval"), QStringLiteral("0"), QStringLiteral("--io"),
                io, QStringLiteral("--threads"), QStringLiteral("2"), QStringLiteral("--tls-ca"),
                m_certs.path(QStringLiteral("ca.pem")), QStringLiteral("--connections"),
                QStringLiteral("20"), QStringLiteral("--duration"), QStringLiteral("3s"),
                QStringLiteral("--report"), report, QStringLiteral("--csv"), csv},
            &error),
        qPrintable(error));
    QCOMPARE(swarm.waitForExit(30000), 0);
    QVERIFY2(
        swarm.output().contains(QLatin1String("TLS: TLS 1.2+, CA ")), qPrintable(swarm.output()));
    // The INFO that read `before` is counted in the delta too.
    const qint64 served = redis.commandsProcessed() - before - 1;
    QFile f(report);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonObject r = QJsonDocument::fromJson(f.readAll()).object();
    const qint64 requests = r[QStringLiteral("totals")][QStringLiteral("requests")].toInteger();
    const QJsonObject conns = r[QStringLiteral("connections")].toObject();
    qInfo() << "served" << served << "requests" << requests;
    QVERIFY2(served > 500, qPrintable(swarm.output() + swarm.errors()));
    // Every request completed was served; those in flight at the stop were served but not
    // completed: at most one per connection (20).
    QVERIFY(served >= requests && served - requests <= 20);
    QCOMPARE(r[QStringLiteral("totals")][QStringLiteral("errors")].toInteger(), qint64(0));
    // One handshake per connection, each timed.
    QCOMPARE(
        conns[QStringLiteral("tls_handshake_us")][QStringLiteral("count")].toInteger(), qint64(20));
    QCOMPARE(r[QStringLiteral("tls")][QStringLiteral("verified")].toBool(), true);
    QFile c(csv);
    QVERIFY(c.open(QIODevice::ReadOnly));
    QVERIFY(c.readLine().contains("handshaking"));
}

void TstTls::untrustedCa()
{
    QFETCH(QString, io);
    RedisServer redis;
    quint16 tlsPort = 0;
    QVERIFY(startRedis(&redis, &tlsPort));
    SwarmProcess swarm;
    QString error;
    QVERIFY2(swarm.start(
                 {QStringLiteral("-r"), QStringLiteral("127.0.0.1:%1").arg(tlsPort),
                     QStringLiteral("-s"), sourcePath(QStringLiteral("scripts/ping.yml")),
                     QStringLiteral("-p"), sourcePath(QStringLiteral("protocols")),
                     QStringLiteral("--status-interval"), QStringLiteral("0"),
                     QStringLiteral("--io"), io, QStringLiteral("--tls-ca"),
                     m_certs.path(QStringLiteral("rogue.pem")), QStringLiteral("--connect-spread"),
                     QStringLiteral("0"), QStringLiteral("--connections"), QStringLiteral("10")},
                 &error),
        qPrintable(error));
    QTest::qWait(3000);
    ConsoleClient console;
    QVERIFY(console.connectTo(swarm.consolePort()));
    // A retry may be under way at the instant asked (about 1 ms in each second or more): ask
    // again a few times.
    QString status;
    for (int i = 0; i < 5; ++i) {
        status = console.send("status");
        if (status.contains(QLatin1String("Realtime: total: 10, tls_error: 10"))) break;
        QTest::qWait(100);
    }
    qInfo().noquote() << status;
    // Every connection is waiting out its backoff after a tls error, none got further.
    QVERIFY2(
        status.contains(QLatin1String("Realtime: total: 10, tls_error: 10")), qPrintable(status));
    QVERIFY(status.contains(QLatin1String("certificate rejected")));
    QVERIFY(!status.contains(QLatin1String("acting")));
    // The backoff holds: the first retry waits 50-100 ms, each next one up to twice as long
    // (at least half its ceiling: 100, 200, 400, 800, 1600, 3200 ms). At the shortest waits a
    // connection's attempts start at 0, 0.05, 0.15, 0.35, 0.75, 1.55, 3.15 and 6.35 s: within
    // the ~5 s this test takes to ask (3 s, then up to 5 tries), at most 7 each, 70 for 10.
    // Without the backoff it would be thousands.
    const QRegularExpression aggregate(QStringLiteral("Aggregates: .*tls_error: (\\d+)"));
    const qint64 errors = aggregate.match(status).captured(1).toLongLong();
    QVERIFY2(errors >= 10 && errors <= 70, qPrintable(QString::number(errors)));
    QVERIFY(redis.command("PING").startsWith("+PONG"));
    console.send("stop");
    QCOMPARE(swarm.waitForExit(15000), 0);
}

void TstTls::badFilesExit2()
{
    const QString ca = m_certs.path(QStringLiteral("ca.pem"));
    QList<QPair<QStringList, QString>> cases = {
        {{QStringLiteral("--tls-ca"), QStringLiteral("/nonexistent/ca.pem")},
            QStringLiteral("--tls-ca /nonexistent/ca.pem: no such file")},
        {{QStringLiteral("--tls-ca"), m_certs.path(QStringLiteral("server.key"))},
            QStringLiteral("no PEM certificate")},
        {{QStringLiteral("--tls-cert"), m_certs.path(QStringLiteral("client.pem"))},
            QStringLiteral("needs --tls-key")},
        {{QStringLiteral("--tls-min"), QStringLiteral("1.1")},
            QStringLiteral("--tls-min: '1.1' is not 1.2 or 1.3")},
    };
    // A key that is not the certificate's, told before anything connects: by OpenSSL where the
    // build has it, by a loopback handshake with Qt's TLS where not (SWARM_PORTABLE).
    cases.append({{QStringLiteral("--tls-ca"), ca, QStringLiteral("--tls-cert"),
                      m_certs.path(QStringLiteral("server.pem")), QStringLiteral("--tls-key"),
                      m_certs.path(QStringLiteral("client.key"))},
        QStringLiteral("is not the key of --tls-cert")});
    for (const auto& [args, message] : cases) {
        QProcess p;
        p.start(swarmBinary(),
            QStringList {
                QStringLiteral("--headless"), QStringLiteral("-r"), QStringLiteral("127.0.0.1:1")}
                + args);
        QVERIFY(p.waitForFinished(20000));
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(p.exitCode() == 2 && err.contains(message), qPrintable(err));
        // Nothing connected: the console never listened.
        QVERIFY(!p.readAllStandardOutput().contains("Console: listening"));
    }
    // The scenario's tls: block, with its file, line and key.
    QTemporaryDir dir;
    QFile yaml(dir.filePath(QStringLiteral("s.yml")));
    QVERIFY(yaml.open(QIODevice::WriteOnly));
    yaml.write("protocol: redis\ntls:\n  ca: missing.pem\nactions:\n  - command: ping\n");
    yaml.close();
    QProcess p;
    p.start(swarmBinary(),
        {QStringLiteral("--headless"), QStringLiteral("-r"), QStringLiteral("127.0.0.1:1"),
            QStringLiteral("-s"), yaml.fileName(), QStringLiteral("-p"),
            sourcePath(QStringLiteral("protocols"))});
    QVERIFY(p.waitForFinished(20000));
    const QString err = QString::fromUtf8(p.readAllStandardError());
    QVERIFY2(p.exitCode() == 2 && err.contains(QLatin1String("s.yml:3:3: tls.ca: "))
            && err.contains(QLatin1String("missing.pem: no such file")),
        qPrintable(err));
}

// The check builds without OpenSSL of their own make (SWARM_PORTABLE, so the plain build tests it
// here directly): a certificate with its own key completes a loopback handshake, with another
// certificate's key it does not, and the reason is the backend's.
void TstTls::keyCheckByHandshake()
{
    const auto configFor = [this](const QString& cert, const QString& key) {
        TlsConfig tls;
        tls.enabled = true;
        tls.certFile = m_certs.path(cert);
        tls.keyFile = m_certs.path(key);
        QSslConfiguration c;
        QString error;
        if (!makeSslConfiguration(tls, &c, &error)) qWarning("%s", qPrintable(error));
        return c;
    };
    QString why;
    QVERIFY2(keyFitsCertificateByHandshake(
                 configFor(QStringLiteral("client.pem"), QStringLiteral("client.key")), &why),
        qPrintable(why));
    why.clear();
    QVERIFY(!keyFitsCertificateByHandshake(
        configFor(QStringLiteral("server.pem"), QStringLiteral("client.key")), &why));
    qInfo().noquote() << "mismatch:" << why;
    QVERIFY(!why.isEmpty());
}

void TstTls::mutualTls_data()
{
    QTest::addColumn<QString>("io");
    QTest::addColumn<QString>("version");
    for (const QString& io : transports())
        for (const char* version : {"TLSv1.2", "TLSv1.3"})
            QTest::addRow("%s %s", qPrintable(io), version) << io << QString::fromLatin1(version);
}

void TstTls::mutualTls()
{
    QFETCH(QString, io);
    QFETCH(QString, version);
    RedisServer redis;
    quint16 tlsPort = 0;
    // TLS 1.2: the server's refusal comes inside the handshake, as an alert. TLS 1.3: the
    // server checks the client's certificate after the client's side of the handshake is done
    // and refuses one round trip later (an alert, then it closes): swarm waits for that verdict
    // before it counts the handshake (TlsVerdictWait).
    QVERIFY(startRedis(&redis, &tlsPort,
        {QStringLiteral("--tls-auth-clients"), QStringLiteral("yes"),
            QStringLiteral("--tls-protocols"), version}));
    EngineConfig c = config(io, tlsPort);
    qint64 before = redis.commandsProcessed();
    // Without a client certificate: each attempt is a TLS error that names the alert, never a
    // plain closed or reset, never a handshake in the histogram, and nothing reaches redis.
    StatsSnapshot s = runEngine(c, 3,
        [](const StatsSnapshot& s) { return s.transitions[size_t(ConnState::TlsError)] >= 9; });
    const QString errors = s.recentErrors.join('\n');
    QVERIFY2(s.transitions[size_t(ConnState::TlsError)] >= 9, qPrintable(errors));
    QCOMPARE(s.transitions[size_t(ConnState::Closed)], qint64(0));
    QCOMPARE(s.transitions[size_t(ConnState::Reset)], qint64(0));
    QCOMPARE(s.tlsHandshake.count(), quint64(0));
    QCOMPARE(s.requests, quint64(0));
    QVERIFY2(errors.contains(QLatin1String("alert received")), qPrintable(errors));
    if (version == QLatin1String("TLSv1.3"))
        QVERIFY2(errors.contains(QLatin1String("certificate required")), qPrintable(errors));
    QCOMPARE(redis.commandsProcessed() - before, qint64(1)); // the INFO that read `before`
    // With one: served, and redis counts what swarm did.
    c.socket.tls.certFile = m_certs.path(QStringLiteral("client.pem"));
    c.socket.tls.keyFile = m_certs.path(QStringLiteral("client.key"));
    before = redis.commandsProcessed();
    s = runEngine(c, 3,
        [](const StatsSnapshot& s) { return s.requests > 300 && s.tlsHandshake.count() >= 3; });
    const qint64 served = redis.commandsProcessed() - before - 1;
    QVERIFY(s.requests > 300);
    QCOMPARE(s.errors(), quint64(0));
    QCOMPARE(s.tlsHandshake.count(), quint64(3));
    // Every request completed was served; one per connection may have been in flight at the stop.
    QVERIFY2(served >= qint64(s.requests) && served - qint64(s.requests) <= 3,
        qPrintable(QStringLiteral("served %1, requests %2").arg(served).arg(s.requests)));
}

void TstTls::versions()
{
    QFETCH(QString, io);
    RedisServer redis12;
    quint16 port12 = 0;
    QVERIFY(startRedis(
        &redis12, &port12, {QStringLiteral("--tls-protocols"), QStringLiteral("TLSv1.2")}));
    EngineConfig c = config(io, port12);
    StatsSnapshot s = runEngine(c, 2, [](const StatsSnapshot& s) { return s.requests > 200; });
    QVERIFY(s.requests > 200);
    QCOMPARE(s.errors(), quint64(0));
    // A server that speaks only 1.2 to a client that asks for 1.3 at least: a TLS error.
    c.socket.tls.minVersion = 13;
    s = runEngine(c, 2,
        [](const StatsSnapshot& s) { return s.transitions[size_t(ConnState::TlsError)] >= 2; });
    QVERIFY2(
        s.transitions[size_t(ConnState::TlsError)] >= 2, qPrintable(s.recentErrors.join('\n')));
    QCOMPARE(s.tlsHandshake.count(), quint64(0));
    RedisServer redis13;
    quint16 port13 = 0;
    QVERIFY(startRedis(
        &redis13, &port13, {QStringLiteral("--tls-protocols"), QStringLiteral("TLSv1.3")}));
    s = runEngine(config(io, port13), 2, [](const StatsSnapshot& s) { return s.requests > 200; });
    QVERIFY(s.requests > 200);
    QCOMPARE(s.errors(), quint64(0));
}

void TstTls::sniRequired()
{
    QFETCH(QString, io);
    // s_server answers the name sni.test only (a fatal alert for any other, or none).
    const quint16 port = freePort();
    auto server = std::make_unique<QProcess>();
    server->setProcessChannelMode(QProcess::MergedChannels);
    const QString cert = m_certs.path(QStringLiteral("server.pem"));
    const QString key = m_certs.path(QStringLiteral("server.key"));
    server->start(QStandardPaths::findExecutable(QStringLiteral("openssl")),
        {QStringLiteral("s_server"), QStringLiteral("-accept"),
            QStringLiteral("127.0.0.1:%1").arg(port), QStringLiteral("-cert"), cert,
            QStringLiteral("-key"), key, QStringLiteral("-cert2"), cert, QStringLiteral("-key2"),
            key, QStringLiteral("-servername"), QStringLiteral("sni.test"),
            QStringLiteral("-servername_fatal"), QStringLiteral("-quiet")});
    QVERIFY(server->waitForStarted(5000));
    const auto stopServer = qScopeGuard([&server] { stopProcess(server); });
    const auto listening = [port] {
        QTcpSocket probe;
        probe.connectToHost(QHostAddress::LocalHost, port);
        return probe.waitForConnected(200);
    };
    QTRY_VERIFY_WITH_TIMEOUT(listening(), 5000);
    EngineConfig c = config(io, port);
    c.replyTimeoutMs = 60000; // s_server does not speak redis: the connection stays acting
    c.socket.tls.sni = QStringLiteral("other.test");
    StatsSnapshot s = runEngine(c, 1,
        [](const StatsSnapshot& s) { return s.transitions[size_t(ConnState::TlsError)] >= 1; });
    QVERIFY2(s.transitions[size_t(ConnState::TlsError)] >= 1, qPrintable(server->readAll()));
    QVERIFY2(s.recentErrors.join(' ').contains(QLatin1String("alert")),
        qPrintable(s.recentErrors.join('\n')));
    c.socket.tls.sni = QStringLiteral("sni.test");
    s = runEngine(c, 1, [](const StatsSnapshot& s) { return s.tlsHandshake.count() >= 1; });
    QCOMPARE(s.tlsHandshake.count(), quint64(1));
    QCOMPARE(s.transitions[size_t(ConnState::TlsError)], qint64(0));
}

void TstTls::hostileHandshakes()
{
    QFETCH(QString, io);
    const int descriptors = openDescriptors();
    HostileServer garbage;
    garbage.greeting = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n";
    QVERIFY(garbage.listen());
    EngineConfig c = config(io, garbage.port());
    StatsSnapshot s = runEngine(c, 5,
        [](const StatsSnapshot& s) { return s.transitions[size_t(ConnState::TlsError)] >= 15; });
    QVERIFY(s.transitions[size_t(ConnState::TlsError)] >= 15);
    QVERIFY2(s.recentErrors.join(' ').contains(QLatin1String("handshake failure")),
        qPrintable(s.recentErrors.join('\n')));
    QTRY_COMPARE_WITH_TIMEOUT(garbage.open, 0, 5000); // every socket closed by swarm

    HostileServer silent;
    QVERIFY(silent.listen());
    c = config(io, silent.port());
    c.connectTimeoutMs = 300;
    s = runEngine(c, 5,
        [](const StatsSnapshot& s) { return s.transitions[size_t(ConnState::TimedOut)] >= 10; });
    QVERIFY(s.transitions[size_t(ConnState::TimedOut)] >= 10);
    QVERIFY2(
        s.recentErrors.join(' ').contains(QLatin1String("TLS handshake timed out after 300 ms")),
        qPrintable(s.recentErrors.join('\n')));
    QCOMPARE(s.transitions[size_t(ConnState::Acting)], qint64(0));
    QTRY_COMPARE_WITH_TIMEOUT(silent.open, 0, 5000);
    // No descriptor kept: the servers' listening sockets are the only new ones (two).
    QTRY_VERIFY_WITH_TIMEOUT(openDescriptors() <= descriptors + 2, 5000);
}

// Thousands of connections opened at once on one worker thread, with the default deadline: the
// handshakes beyond what the thread finishes in one deadline must wait for their turn, not all
// start at once and time out (issue 12: on --io qt, 1,000 at once gave 751 time-outs in 20 s).
void TstTls::handshakeStorm()
{
    QFETCH(QString, io);
    // 2,000 at once: unpaced, Qt's sockets progress together and finish together, after about
    // 2,000 x 1.5-3 ms = 3-6 s, past the default 3 s deadline (built without the cap, this
    // failed on qt with 428 time-outs). Epoll's finish in the server's order, spread out: this
    // row passed without the cap too on a busy machine (it had 22 time-outs in a swarm process
    // at load 7), and checks that the cap costs nothing there. Paced (kMaxTlsHandshakes, 64
    // under way), each handshake takes about 64 x 1.5-3 ms = 0.1-0.2 s from its start, a
    // fifteenth of the deadline: none may time out, even on a busy machine.
    const int n = 2000;
    const platform::FileLimit limit = platform::raiseOpenFilesLimit();
    QVERIFY2(limit.now < 0 || limit.now > n + 100,
        qPrintable(QStringLiteral("open files limit %1 < %2").arg(limit.now).arg(n + 100)));
    RedisServer redis;
    quint16 tlsPort = 0;
    QVERIFY(startRedis(&redis, &tlsPort, {QStringLiteral("--maxclients"), QStringLiteral("4000")}));
    EngineConfig c = config(io, tlsPort);
    c.connectTimeoutMs = EngineConfig().connectTimeoutMs; // the default deadline
    c.replyTimeoutMs = EngineConfig().replyTimeoutMs;
    const BundleLoader::Result idle
        = BundleLoader::load(sourcePath(QStringLiteral("scripts/redis-idle.yml")),
            sourcePath(QStringLiteral("protocols")), 2000);
    QVERIFY(idle.ok());
    Engine engine(c, idle.bundle);
    QSignalSpy started(&engine, &Engine::started);
    engine.start();
    QVERIFY(started.wait(10000));
    engine.incr(n);
    QElapsedTimer t;
    t.start();
    // Bounded: 2,000 handshakes at even 100 a second take 20 s.
    while (t.elapsed() < 60000 && engine.snapshot().tlsHandshake.count() < quint64(n))
        QTest::qWait(100);
    const StatsSnapshot s = engine.snapshot();
    qInfo().noquote() << io << n << "handshakes in" << t.elapsed() << "ms";
    QSignalSpy stopped(&engine, &Engine::stopped);
    engine.stop();
    stopped.wait(20000);
    QCOMPARE(s.transitions[size_t(ConnState::TimedOut)], qint64(0));
    QCOMPARE(s.transitions[size_t(ConnState::TlsError)], qint64(0));
    // One handshake per connection: none was retried.
    QCOMPARE(s.tlsHandshake.count(), quint64(n));
}

// --io qt: the sockets of a worker share one TLS context (one SSL_CTX), a new one after every
// QtTransport::kContextUses sockets, instead of one each (Qt's public API).
void TstTls::qtSharesContext()
{
    QVERIFY2(qtssl::canShare(),
        "built without Qt's private network headers (Debian: qt6-base-private-dev, which "
        "make.sh installs): the Qt transport's sockets cannot share a TLS context");
    RedisServer redis;
    quint16 tlsPort = 0;
    QVERIFY(startRedis(&redis, &tlsPort));
    struct Handler : TransportHandler
    {
        int secured = 0;
        int failed = 0;
        QString why;
        void socketConnected(quint32) override { }
        void socketSecured(quint32) override { ++secured; }
        void socketReadable(quint32) override { }
        void socketWritable(quint32) override { }
        void socketFailed(quint32, SocketFailure, const QString& detail) override
        {
            ++failed;
            why = detail;
        }
    } handler;
    SocketOptions options;
    options.tls = config(QStringLiteral("qt"), tlsPort).socket.tls;
    QtTransport transport(&handler, options);
    QVERIFY2(transport.tlsError().isEmpty(), qPrintable(transport.tlsError()));
    // 300 sockets: the first 256 share the context the first made, the other 44 the one the
    // 257th made. Without sharing there would be 300.
    const int n = 300;
    for (int slot = 0; slot < n; ++slot) {
        QString error;
        QVERIFY2(transport.open(quint32(slot), {QHostAddress::LocalHost, tlsPort}, {}, &error),
            qPrintable(error));
    }
    QTRY_VERIFY_WITH_TIMEOUT(handler.secured + handler.failed == n, 30000);
    QVERIFY2(handler.failed == 0, qPrintable(handler.why));
    QCOMPARE(transport.tlsContextsMade(), 2);
    QCOMPARE(transport.tlsContextsInUse(), 2);
}

QTEST_GUILESS_MAIN(TstTls)
#include "tst_tls.moc"
