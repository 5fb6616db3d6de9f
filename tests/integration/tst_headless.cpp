// swarm as a user runs it: the binary, headless, driven through its telnet console, against a
// real redis-server that the test starts on a free loopback port. Counts are checked with the
// server's own view (INFO clients, total_commands_processed).
#include "TestServers.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace swarm::test;

namespace {

QStringList redisArgs(
    quint16 port, const QString& scenario = QStringLiteral("scripts/redis-idle.yml"))
{
    return {QStringLiteral("-r"), QStringLiteral("127.0.0.1:%1").arg(port), QStringLiteral("-s"),
        sourcePath(scenario), QStringLiteral("-p"), sourcePath(QStringLiteral("protocols")),
        QStringLiteral("--connect-spread"), QStringLiteral("0"),
        QStringLiteral("--status-interval"), QStringLiteral("0")};
}

} // namespace

class TstHeadless : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void badOptionsExitTwo_data();
    void badOptionsExitTwo();
    void checkValidatesWithoutConnecting();
    void checkReportsErrors();
    void consoleDrivesConnectionsAgainstRedis();
    void sigtermStopsCleanly();
    void garbageOnTheConsoleDoesNotDisturbTheLoad();
    void demoServerByDefault();
};

void TstHeadless::badOptionsExitTwo_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("port out of range")
        << QStringList {QStringLiteral("-r"), QStringLiteral("127.0.0.1:70000")}
        << QStringLiteral("--server");
    QTest::newRow("listen port out of range") << QStringList {QStringLiteral("-l"),
        QStringLiteral("127.0.0.1:99999")} << QStringLiteral("--listen");
    QTest::newRow("missing scenario")
        << QStringList {QStringLiteral("-s"), QStringLiteral("/nonexistent/x.yml")}
        << QStringLiteral("x.yml");
    QTest::newRow("unknown option")
        << QStringList {QStringLiteral("--frobnicate")} << QStringLiteral("frobnicate");
    QTest::newRow("bad threshold") << QStringList {QStringLiteral("--threshold"),
        QStringLiteral("p99<<5")} << QStringLiteral("threshold");
    QTest::newRow("bad duration") << QStringList {QStringLiteral("--duration"),
        QStringLiteral("soon")} << QStringLiteral("--duration");
    QTest::newRow("console off loopback without a token") << QStringList {
        QStringLiteral("-l"), QStringLiteral("0.0.0.0:0")} << QStringLiteral("--console-token");
}

void TstHeadless::badOptionsExitTwo()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    QProcess p;
    p.start(swarmBinary(), QStringList {QStringLiteral("--headless")} + args);
    QVERIFY(p.waitForFinished(20000));
    QCOMPARE(p.exitCode(), 2);
    const QString err = QString::fromUtf8(p.readAllStandardError());
    QVERIFY2(err.contains(message), qPrintable(err));
    QVERIFY2(!err.contains(QLatin1String("Segmentation")), qPrintable(err));
}

void TstHeadless::checkValidatesWithoutConnecting()
{
    QProcess p;
    p.start(swarmBinary(),
        {QStringLiteral("--check"), QStringLiteral("-s"),
            sourcePath(QStringLiteral("scripts/example.yml")), QStringLiteral("-p"),
            sourcePath(QStringLiteral("protocols"))});
    QVERIFY(p.waitForFinished(20000));
    const QString out = QString::fromUtf8(p.readAllStandardOutput());
    QCOMPARE(p.exitCode(), 0);
    QVERIFY2(out.startsWith(QLatin1String("OK")), qPrintable(out));
    QVERIFY2(out.contains(QLatin1String("login")) && out.contains(QLatin1String("heartbeat")),
        qPrintable(out));
}

void TstHeadless::checkReportsErrors()
{
    QTemporaryDir dir;
    QFile yml(dir.filePath(QStringLiteral("bad.yml")));
    QVERIFY(yml.open(QIODevice::WriteOnly));
    yml.write("protocol: durian\nactions:\n  - command: heartbeat\n    sleep_afer_action: 1\n"
              "  - command: create_chatroomz\n");
    yml.close();
    QProcess p;
    p.start(swarmBinary(),
        {QStringLiteral("--check"), QStringLiteral("-s"), yml.fileName(), QStringLiteral("-p"),
            sourcePath(QStringLiteral("protocols"))});
    QVERIFY(p.waitForFinished(20000));
    const QString err = QString::fromUtf8(p.readAllStandardError());
    QCOMPARE(p.exitCode(), 2);
    QVERIFY2(err.contains(QLatin1String("bad.yml:4:")), qPrintable(err));
    QVERIFY2(err.contains(QLatin1String("did you mean 'sleep_after_action'")), qPrintable(err));
}

void TstHeadless::consoleDrivesConnectionsAgainstRedis()
{
    RedisServer redis;
    QString error;
    QVERIFY2(redis.start(&error), qPrintable(error));
    SwarmProcess swarm;
    QVERIFY2(swarm.start(redisArgs(redis.port()), &error), qPrintable(error));
    // Like the original: nothing connects at start-up.
    QTest::qWait(300);
    QCOMPARE(redis.connectedClients(), 0);

    ConsoleClient console;
    QVERIFY(console.connectTo(swarm.consolePort()));
    const QString banner = console.readAll();
    QVERIFY2(banner.contains(QLatin1String("Swarm Remote Console")), qPrintable(banner));
    QVERIFY(console.send("incr 200").contains(QLatin1String("OK")));
    QTRY_COMPARE_WITH_TIMEOUT(redis.connectedClients(), 200, 15000);
    QVERIFY(console.send("DECR 50\r").contains(QLatin1String("OK"))); // case and CRLF
    QTRY_COMPARE_WITH_TIMEOUT(redis.connectedClients(), 150, 10000);
    const QString status = console.send("status");
    QVERIFY2(status.contains(QLatin1String("Realtime: total: 150")), qPrintable(status));
    QVERIFY2(status.contains(QLatin1String("Aggregates:")), qPrintable(status));
    const QString json = console.send("stats json");
    const QJsonDocument doc = QJsonDocument::fromJson(json.trimmed().toUtf8());
    QVERIFY2(doc.isObject(), qPrintable(json));
    QCOMPARE(doc[QStringLiteral("connections")][QStringLiteral("current")].toInt(), 150);
    QVERIFY(console.send("bogus").contains(QLatin1String("ERROR")));
    QVERIFY(console.isConnected());
    console.send("stop");
    QCOMPARE(swarm.waitForExit(15000), 0);
    QTRY_COMPARE_WITH_TIMEOUT(redis.connectedClients(), 0, 5000);
}

void TstHeadless::sigtermStopsCleanly()
{
    RedisServer redis;
    QString error;
    QVERIFY2(redis.start(&error), qPrintable(error));
    SwarmProcess swarm;
    QVERIFY2(swarm.start(redisArgs(redis.port())
                     + QStringList {QStringLiteral("--connections"), QStringLiteral("40")},
                 &error),
        qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT(redis.connectedClients(), 40, 10000);
    swarm.terminate();
    QCOMPARE(swarm.waitForExit(15000), 0);
    QVERIFY2(swarm.output().contains(QLatin1String("Got signal")), qPrintable(swarm.output()));
    QTRY_COMPARE_WITH_TIMEOUT(redis.connectedClients(), 0, 5000);
}

void TstHeadless::garbageOnTheConsoleDoesNotDisturbTheLoad()
{
    RedisServer redis;
    QString error;
    QVERIFY2(redis.start(&error), qPrintable(error));
    SwarmProcess swarm;
    QVERIFY2(swarm.start(redisArgs(redis.port(), QStringLiteral("scripts/redis.yml")), &error),
        qPrintable(error));
    ConsoleClient driver;
    QVERIFY(driver.connectTo(swarm.consolePort()));
    driver.readAll();
    driver.send("incr 30");
    QTRY_COMPARE_WITH_TIMEOUT(redis.connectedClients(), 30, 10000);

    ConsoleClient binary;
    QVERIFY(binary.connectTo(swarm.consolePort()));
    binary.readAll();
    binary.write(QByteArray("\x00\x01\x02garbage\xff\xfe", 12));
    const QString cut = binary.readAll();
    QVERIFY2(cut.contains(QLatin1String("closing this session")), qPrintable(cut));
    QVERIFY(binary.waitForDisconnected(3000));

    ConsoleClient flood;
    QVERIFY(flood.connectTo(swarm.consolePort()));
    flood.readAll();
    flood.write(QByteArray(1024 * 1024, 'x')); // a megabyte without a newline
    QVERIFY(flood.waitForDisconnected(5000));

    // The load kept running and the first session still works.
    const qint64 before = redis.commandsProcessed();
    QTest::qWait(500);
    QVERIFY(redis.commandsProcessed() > before + 100);
    QCOMPARE(redis.connectedClients(), 30);
    QVERIFY(driver.send("status").contains(QLatin1String("Realtime: total: 30")));
    driver.send("stop");
    QCOMPARE(swarm.waitForExit(15000), 0);
}

void TstHeadless::demoServerByDefault()
{
    SwarmProcess swarm;
    QString error;
    QVERIFY2(swarm.start({QStringLiteral("--connect-spread"), QStringLiteral("0")}, &error),
        qPrintable(error));
    QVERIFY2(
        swarm.output().contains(QLatin1String("embedded demo server")), qPrintable(swarm.output()));
    ConsoleClient console;
    QVERIFY(console.connectTo(swarm.consolePort()));
    console.readAll();
    console.send("incr 20");
    // The example scenario logs in, chats and heartbeats: actions complete without errors.
    QTRY_VERIFY_WITH_TIMEOUT(
        QJsonDocument::fromJson(console.send("stats json").trimmed().toUtf8())[QStringLiteral(
            "totals")][QStringLiteral("actions_completed")]
                .toInt()
            >= 20,
        15000);
    const QJsonDocument doc
        = QJsonDocument::fromJson(console.send("stats json").trimmed().toUtf8());
    QCOMPARE(doc[QStringLiteral("connections")][QStringLiteral("current")].toInt(), 20);
    QCOMPARE(doc[QStringLiteral("totals")][QStringLiteral("errors")].toInt(), 0);
    console.send("stop");
    QCOMPARE(swarm.waitForExit(15000), 0);
}

QTEST_GUILESS_MAIN(TstHeadless)
#include "tst_headless.moc"
