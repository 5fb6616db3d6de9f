// --metrics as a user runs it: the swarm binary, headless, driven through its telnet console
// against a real redis-server the test starts; /metrics is read over HTTP (Qt's client) and its
// figures reconciled with the server's own counts (INFO clients, INFO commandstats).
#include "MetricsClient.h"
#include "TestServers.h"

#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace swarm::test;

namespace {

constexpr int kConnections = 40;

// PING with a short sleep: steady traffic that leaves the shared test machine some CPU.
const char kScenario[] = "protocol: redis\n"
                         "actions:\n"
                         "  - command: ping\n"
                         "    rounds: 1\n"
                         "    sleep_between_rounds: 0\n"
                         "    sleep_after_action: 0.01\n";

QString writeScenario(const QTemporaryDir& dir)
{
    const QString path = dir.filePath(QStringLiteral("ping.yml"));
    QFile f(path);
    if (f.open(QIODevice::WriteOnly)) f.write(kScenario);
    return path;
}

QStringList runArgs(quint16 redisPort, const QString& scenario, const QString& io)
{
    return {QStringLiteral("-r"), QStringLiteral("127.0.0.1:%1").arg(redisPort),
        QStringLiteral("-s"), scenario, QStringLiteral("-p"),
        sourcePath(QStringLiteral("protocols")), QStringLiteral("--io"), io,
        QStringLiteral("--threads"), QStringLiteral("2"), QStringLiteral("--connect-spread"),
        QStringLiteral("0"), QStringLiteral("--status-interval"), QStringLiteral("0")};
}

// Connected means through the handshake: acting (a request out) or standby (sleeping).
double connectedIn(const QByteArray& text)
{
    return sampleValue(text, QStringLiteral("swarm_connections{state=\"acting\"}"))
        + sampleValue(text, QStringLiteral("swarm_connections{state=\"standby\"}"));
}

double pingsIn(const QByteArray& text)
{
    return sampleValue(text, QStringLiteral("swarm_requests_total{command=\"ping\"}"));
}

} // namespace

class TstMetrics : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void figuresMatchRedis_data();
    void figuresMatchRedis();
    void bearerToken();
    void tokenFromAFile();
    void refusedStarts_data();
    void refusedStarts();
    void portInUseExitsTwo();
#ifdef SWARM_WITH_GUI // a build without the window (SWARM_BUILD_GUI=OFF) has no such case
    void windowServesMetrics();
#endif
};

void TstMetrics::figuresMatchRedis_data()
{
    QTest::addColumn<QString>("io");
    for (const QString& io : transports())
        QTest::newRow(qPrintable(io)) << io;
}

void TstMetrics::figuresMatchRedis()
{
    QFETCH(QString, io);
    QString error;
    RedisServer redis;
    QVERIFY2(redis.start(&error), qPrintable(error));
    QTemporaryDir dir;
    SwarmProcess swarm;
    QStringList args = runArgs(redis.port(), writeScenario(dir), io);
    args << QStringLiteral("--metrics") << QStringLiteral("127.0.0.1:0");
    QVERIFY2(swarm.start(args, &error), qPrintable(error));
    const QUrl url = metricsUrl(swarm.output());
    QVERIFY2(url.isValid() && url.port() > 0, qPrintable(swarm.output()));

    HttpReply reply = httpGet(url);
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.contentType, QByteArray("text/plain; version=0.0.4; charset=utf-8"));
    QCOMPARE(connectedIn(reply.body), 0.0);
    QVERIFY(reply.body.contains("swarm_connections{state=\"refused\"} 0"));

    ConsoleClient console;
    QVERIFY(console.connectTo(swarm.consolePort()));
    QVERIFY(console.send("incr " + QByteArray::number(kConnections)).contains("OK"));
    // The metrics come from the snapshot merged once a second: they catch up within a couple.
    QTRY_COMPARE_WITH_TIMEOUT(redis.connectedClients(), qint64(kConnections), 15000);
    QTRY_COMPARE_WITH_TIMEOUT(connectedIn(httpGet(url).body), double(kConnections), 10000);
    // Both at once: redis' own count of its clients is what swarm says is connected.
    QCOMPARE(connectedIn(httpGet(url).body), double(redis.connectedClients()));
    QCOMPARE(sampleValue(httpGet(url).body, QStringLiteral("swarm_target_connections")),
        double(kConnections));
    QTRY_VERIFY_WITH_TIMEOUT(pingsIn(httpGet(url).body) > 10 * kConnections, 15000);

    // Freeze the load, then compare the totals. The closed loop has one request per connection
    // at a time, so the two can differ by the one in flight on each connection when `decr`
    // closed it (answered by redis but cut off before swarm read the reply, or counted failed by
    // swarm before redis read it): at most kConnections either way.
    QVERIFY(console.send("decr " + QByteArray::number(kConnections)).contains("OK"));
    QTRY_COMPARE_WITH_TIMEOUT(redis.connectedClients(), qint64(0), 10000);
    // Settled: no connection left and the same total across a merge (they come once a second).
    double pings = -1;
    for (int i = 0; i < 15; ++i) {
        const QByteArray text = httpGet(url).body;
        if (connectedIn(text) == 0 && pingsIn(text) == pings) break;
        pings = pingsIn(text);
        QTest::qWait(1200);
    }
    QCOMPARE(pingsIn(httpGet(url).body), pings);
    // Less the PING with which RedisServer::start saw redis answer.
    const qint64 served = redis.commandCalls(QStringLiteral("ping")) - 1;
    qInfo("redis answered %lld PINGs, swarm_requests_total says %.0f", served, pings);
    QVERIFY2(std::abs(double(served) - pings) <= kConnections,
        qPrintable(
            QStringLiteral("redis answered %1 PINGs, swarm counts %2").arg(served).arg(pings)));
    // The histogram holds the answered ones: all but those cut off by `decr` (one per connection).
    const double timed = sampleValue(httpGet(url).body,
        QStringLiteral("swarm_request_duration_seconds_count{command=\"ping\"}"));
    QVERIFY2(timed <= pings && timed >= pings - kConnections, qPrintable(QString::number(timed)));
    swarm.terminate();
    QCOMPARE(swarm.waitForExit(15000), 0);
}

void TstMetrics::bearerToken()
{
    QString error;
    SwarmProcess swarm;
    QVERIFY2(swarm.start({QStringLiteral("--metrics"), QStringLiteral("127.0.0.1:0"),
                             QStringLiteral("--metrics-token"), QStringLiteral("s3cret")},
                 &error),
        qPrintable(error));
    const QUrl url = metricsUrl(swarm.output());
    QVERIFY2(url.isValid(), qPrintable(swarm.output()));
    QCOMPARE(httpGet(url).status, 401);
    QCOMPARE(httpGet(url, "wrong").status, 401);
    QCOMPARE(httpGet(url, "s3cre").status, 401); // a prefix is not the token
    const HttpReply ok = httpGet(url, "s3cret");
    QCOMPARE(ok.status, 200);
    QVERIFY(ok.body.contains("# TYPE swarm_requests_total counter"));
    QUrl other = url;
    other.setPath(QStringLiteral("/"));
    QCOMPARE(httpGet(other, "s3cret").status, 404);
    QCOMPARE(httpGet(url, "s3cret", 5000, "POST").status, 405);
    swarm.terminate();
    QCOMPARE(swarm.waitForExit(15000), 0);
}

// --metrics-token-file: the token stays out of the command line (and so out of `ps`).
void TstMetrics::tokenFromAFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("token"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("from-a-file\n");
    file.close();
    QString error;
    SwarmProcess swarm;
    QVERIFY2(swarm.start({QStringLiteral("--metrics"), QStringLiteral("127.0.0.1:0"),
                             QStringLiteral("--metrics-token-file"), path},
                 &error),
        qPrintable(error));
    const QUrl url = metricsUrl(swarm.output());
    QCOMPARE(httpGet(url).status, 401);
    QCOMPARE(httpGet(url, "from-a-file").status, 200);
    swarm.terminate();
    QCOMPARE(swarm.waitForExit(15000), 0);
}

void TstMetrics::refusedStarts_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("off loopback without a token") << QStringList {QStringLiteral("--metrics"),
        QStringLiteral("*:0")} << QStringLiteral("--metrics-token");
    QTest::newRow("not an address") << QStringList {QStringLiteral("--metrics"),
        QStringLiteral("nowhere")} << QStringLiteral("--metrics: 'nowhere' is not ip:port");
    QTest::newRow("token without --metrics") << QStringList {QStringLiteral("--metrics-token"),
        QStringLiteral("x")} << QStringLiteral("need --metrics");
    QTest::newRow("missing token file")
        << QStringList {QStringLiteral("--metrics"), QStringLiteral("127.0.0.1:0"),
               QStringLiteral("--metrics-token-file"), QStringLiteral("/nonexistent/t")}
        << QStringLiteral("cannot read /nonexistent/t");
}

void TstMetrics::refusedStarts()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    QString error;
    SwarmProcess swarm;
    QVERIFY(!swarm.start(args, &error, 15000));
    QCOMPARE(swarm.waitForExit(5000), 2);
    QVERIFY2(swarm.errors().contains(message), qPrintable(swarm.errors()));
}

void TstMetrics::portInUseExitsTwo()
{
    QTcpServer taken;
    QVERIFY(taken.listen(QHostAddress::LocalHost, 0));
    const QString address = QStringLiteral("127.0.0.1:%1").arg(taken.serverPort());
    QString error;
    SwarmProcess swarm;
    QVERIFY(!swarm.start({QStringLiteral("--metrics"), address}, &error, 15000));
    QCOMPARE(swarm.waitForExit(5000), 2);
    QVERIFY2(swarm.errors().contains(QStringLiteral("--metrics: cannot listen on ") + address),
        qPrintable(swarm.errors()));
}

#ifdef SWARM_WITH_GUI
// The window (no --headless; ctest runs it on the offscreen platform) serves the same /metrics:
// it runs the same RunController. Its banner goes to the window, so the port is chosen here.
void TstMetrics::windowServesMetrics()
{
    const quint16 port = freePort();
    auto window = std::make_unique<QProcess>();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    window->setProcessEnvironment(env);
    window->start(swarmBinary(),
        {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--metrics"),
            QStringLiteral("127.0.0.1:%1").arg(port)});
    QVERIFY(window->waitForStarted(5000));
    const QUrl url(QStringLiteral("http://127.0.0.1:%1/metrics").arg(port));
    HttpReply reply;
    QTRY_VERIFY_WITH_TIMEOUT((reply = httpGet(url, {}, 2000)).status == 200, 30000);
    QVERIFY(reply.body.contains("swarm_connections{state=\"acting\"}"));
    stopProcess(window);
}
#endif

QTEST_GUILESS_MAIN(TstMetrics)
#include "tst_metrics.moc"
