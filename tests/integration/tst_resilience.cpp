// Reliability over time, against a real redis-server: the server going down and coming back
// under 2,000 connections, and a minute of random incr/decr bursts from several console sessions
// while the server kills connections.
#include "TestServers.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace swarm::test;

namespace {

QStringList argsFor(quint16 port)
{
    QFETCH(QString, io); // every test here runs on each transport
    return {QStringLiteral("--io"), io, QStringLiteral("-r"),
        QStringLiteral("127.0.0.1:%1").arg(port), QStringLiteral("-s"),
        sourcePath(QStringLiteral("scripts/redis-idle.yml")), QStringLiteral("-p"),
        sourcePath(QStringLiteral("protocols")), QStringLiteral("--connect-spread"),
        QStringLiteral("0"), QStringLiteral("--status-interval"), QStringLiteral("0")};
}

int targetOf(ConsoleClient& console)
{
    const QJsonDocument doc
        = QJsonDocument::fromJson(console.send("stats json").trimmed().toUtf8());
    return doc[QStringLiteral("connections")][QStringLiteral("target")].toInt(-1);
}

} // namespace

class TstResilience : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void manyConnectionsAtOnce_data() { transportRows(); }
    void manyConnectionsAtOnce();
    // Both transports. On qt the CPU while the server is down once depended on how many local
    // ports were in TIME_WAIT (QTcpSocket bound each socket to port 0 before connecting, and the
    // kernel searched a port free for every destination: 31–46 % of a core after
    // manyConnectionsAtOnce left 16,000–24,000 there); it now binds through the platform seam
    // with IP_BIND_ADDRESS_NO_PORT, as epoll does.
    void serverDownAndBack_data() { transportRows(); }
    void serverDownAndBack();
    // Both transports: the counts agree at every quiet point on each, and memory back at 1,000
    // connections is where it was (see the references in the test).
    void churnSoak_data() { transportRows(); }
    void churnSoak();

private:
    static void transportRows()
    {
        QTest::addColumn<QString>("io");
        // Both transports.
        for (const QString& io : transports())
            QTest::newRow(qPrintable(io)) << io;
    }
};

// 8,000 connections asked for at once from one worker: past 6,000 the worker picks local ports
// itself; none is falsely timed out while the others are still being opened.
void TstResilience::manyConnectionsAtOnce()
{
    RedisServer redis;
    QString error;
    QVERIFY2(redis.start(&error), qPrintable(error));
    SwarmProcess swarm;
    QTemporaryDir dir;
    const QString report = dir.filePath(QStringLiteral("many.json"));
    QVERIFY2(swarm.start(argsFor(redis.port())
                     + QStringList {QStringLiteral("--threads"), QStringLiteral("1"),
                         QStringLiteral("--connect-timeout"), QStringLiteral("2s"),
                         QStringLiteral("--report"), report},
                 &error),
        qPrintable(error));
    ConsoleClient console;
    QVERIFY(console.connectTo(swarm.consolePort()));
    console.readAll();
    QElapsedTimer t;
    t.start();
    console.send("incr 8000");
    QTRY_COMPARE_WITH_TIMEOUT(redis.connectedClients(), qint64(8000), 30000);
    qInfo("8,000 connections from one worker open in %lld ms", t.elapsed());
    console.send("stop");
    QCOMPARE(swarm.waitForExit(20000), 0);
    QFile f(report);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonObject r = QJsonDocument::fromJson(f.readAll()).object();
    QCOMPARE(r[QStringLiteral("totals")][QStringLiteral("errors")].toInt(), 0);
    QCOMPARE(r[QStringLiteral("connections")][QStringLiteral("peak")].toInt(), 8000);
}

void TstResilience::serverDownAndBack()
{
    RedisServer redis;
    QString error;
    QVERIFY2(redis.start(&error), qPrintable(error));
    const quint16 port = redis.port();
    SwarmProcess swarm;
    QVERIFY2(swarm.start(argsFor(port)
                     + QStringList {QStringLiteral("--connections"), QStringLiteral("2000"),
                         QStringLiteral("--reconnect-max"), QStringLiteral("3s")},
                 &error),
        qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT(redis.connectedClients(), qint64(2000), 30000);

    redis.stop();
    QTest::qWait(2000); // every connection has noticed and backs off
    const qint64 cpuBefore = cpuTimeMs(swarm.pid());
    QElapsedTimer t;
    t.start();
    QTest::qWait(5000);
    const double cpuShare = double(cpuTimeMs(swarm.pid()) - cpuBefore) / double(t.elapsed());
    qInfo("swarm's CPU while the server was down, 2,000 connections: %.1f %% of one core",
        cpuShare * 100.0);
    QVERIFY2(swarm::test::kSanitized || cpuShare < 0.15, qPrintable(QString::number(cpuShare)));

    QVERIFY2(redis.start(&error, {}, port), qPrintable(error));
    QElapsedTimer back;
    back.start();
    QTRY_COMPARE_WITH_TIMEOUT(redis.connectedClients(), qint64(2000), 20000);
    qInfo("all 2,000 connections back %lld ms after the server returned", back.elapsed());
    ConsoleClient console;
    QVERIFY(console.connectTo(swarm.consolePort()));
    console.readAll();
    const QString status = console.send("status");
    QVERIFY2(status.contains(QLatin1String("refused")), qPrintable(status));
    console.send("stop");
    QCOMPARE(swarm.waitForExit(20000), 0);
}

void TstResilience::churnSoak()
{
    RedisServer redis;
    QString error;
    QVERIFY2(redis.start(&error), qPrintable(error));
    SwarmProcess swarm;
    QVERIFY2(swarm.start(argsFor(redis.port())
                     + QStringList {QStringLiteral("--reconnect-max"), QStringLiteral("1s")},
                 &error),
        qPrintable(error));
    ConsoleClient sessions[3];
    for (ConsoleClient& s : sessions) {
        QVERIFY(s.connectTo(swarm.consolePort()));
        s.readAll();
    }
    // The references: RSS at 1,000 connections before any churn (cold), and at 1,000 again
    // after one visit to 5,000, above the churn's peak (under 5,000: it only adds while the
    // target is under 3,000, at most 2,000 at a time). Memory the allocator got for 4,000 more
    // connections stays in the process when they close on qt (freed, reused, not given back:
    // QTcpSocket's small allocations interleave with the survivors', 3.9 KiB a connection of
    // high-water mark), so only the warm reference can tell a leak from that mark on qt; epoll
    // must also stay near the cold one.
    sessions[0].send("incr 1000");
    QTRY_COMPARE_WITH_TIMEOUT(redis.connectedClients(), qint64(1000), 20000);
    QTest::qWait(1000);
    const qint64 rssCold = residentKiB(swarm.pid());
    sessions[0].send("incr 4000");
    QTRY_COMPARE_WITH_TIMEOUT(redis.connectedClients(), qint64(5000), 30000);
    sessions[0].send("decr 4000");
    QTRY_COMPARE_WITH_TIMEOUT(redis.connectedClients(), qint64(1000), 30000);
    QTest::qWait(1000);
    const qint64 rssWarm = residentKiB(swarm.pid());

    QRandomGenerator rng(20261128);
    int target = 1000;
    QElapsedTimer soak;
    soak.start();
    int quietPoints = 0;
    while (soak.elapsed() < 60000) {
        // A burst: a few random commands from random sessions, while the server drops clients.
        for (int i = 0; i < 4; ++i) {
            ConsoleClient& s = sessions[rng.bounded(3)];
            const bool up = target < 500 || (target < 3000 && rng.bounded(2) == 0);
            const int n = 1 + int(rng.bounded(up ? 2000u : quint32(target)));
            if (up) {
                QVERIFY(s.sendUntil("incr " + QByteArray::number(n), QStringLiteral("OK"))
                            .contains(QLatin1String("OK")));
                target += n;
            } else {
                QVERIFY(s.sendUntil("decr " + QByteArray::number(n), QStringLiteral("OK"))
                            .contains(QLatin1String("OK")));
                target -= qMin(n, target);
            }
            if (rng.bounded(3) == 0) redis.command("CLIENT KILL TYPE normal SKIPME yes");
            QTest::qWait(int(rng.bounded(300u)));
        }
        // A quiet point: once everything has reconnected, the server sees what we say we have.
        QCOMPARE(targetOf(sessions[0]), target);
        QTRY_COMPARE_WITH_TIMEOUT(redis.connectedClients(), qint64(target), 30000);
        ++quietPoints;
    }
    qInfo("churn: %d quiet points, counts agreed at each", quietPoints);

    // Back to 1,000: memory returns to where it was (no leak).
    if (target > 1000)
        sessions[1].send("decr " + QByteArray::number(target - 1000));
    else if (target < 1000)
        sessions[1].send("incr " + QByteArray::number(1000 - target));
    QTRY_COMPARE_WITH_TIMEOUT(redis.connectedClients(), qint64(1000), 30000);
    QTest::qWait(1500);
    const qint64 rssAfter = residentKiB(swarm.pid());
    qInfo("RSS at 1,000 connections: %lld KiB cold, %lld KiB after a visit to 5,000, %lld KiB "
          "after the churn",
        rssCold, rssWarm, rssAfter);
    QFETCH(QString, io);
    // A leak grows with the churn's minute of reconnects and bursts: 10 % of ~40 MB is 4 MB,
    // about a thousand connections' sockets on qt, far fewer than the churn opened.
    QVERIFY2(swarm::test::kSanitized || rssAfter <= rssWarm * 11 / 10,
        qPrintable(QStringLiteral("warm %1 KiB -> %2 KiB").arg(rssWarm).arg(rssAfter)));
    QVERIFY2(
        swarm::test::kSanitized || io != QLatin1String("epoll") || rssAfter <= rssCold * 11 / 10,
        qPrintable(QStringLiteral("cold %1 KiB -> %2 KiB").arg(rssCold).arg(rssAfter)));
    sessions[2].send("stop");
    QCOMPARE(swarm.waitForExit(20000), 0);
    QTRY_COMPARE_WITH_TIMEOUT(redis.connectedClients(), qint64(0), 5000);
}

QTEST_GUILESS_MAIN(TstResilience)
#include "tst_resilience.moc"
