// Unattended runs as a CI job would use them: --connections, --duration, --report, --csv,
// --threshold, --ramp; the figures reconciled with redis-server's and memcached's own counters.
#include "TestServers.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QMap>
#include <QTemporaryDir>
#include <QTest>

using namespace swarm::test;

namespace {

QStringList baseArgs(quint16 port, const QString& scenario)
{
    return {QStringLiteral("-r"), QStringLiteral("127.0.0.1:%1").arg(port), QStringLiteral("-s"),
        sourcePath(scenario), QStringLiteral("-p"), sourcePath(QStringLiteral("protocols")),
        QStringLiteral("--status-interval"), QStringLiteral("0")};
}

QJsonObject readJson(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

} // namespace

class TstUnattended : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void reportMatchesTheServer();
    void thresholdsPass();
    void thresholdsFailWithExitOne();
    void rampHoldsItsRate();
    void memcachedCountsMatch_data();
    void memcachedCountsMatch();

private:
    RedisServer m_redis;
};

void TstUnattended::initTestCase()
{
    QString error;
    QVERIFY2(m_redis.start(&error), qPrintable(error));
}

void TstUnattended::reportMatchesTheServer()
{
    QTemporaryDir dir;
    const QString report = dir.filePath(QStringLiteral("out.json"));
    const QString csv = dir.filePath(QStringLiteral("out.csv"));
    const qint64 before = m_redis.commandsProcessed();
    SwarmProcess swarm;
    QString error;
    QVERIFY2(swarm.start(baseArgs(m_redis.port(), QStringLiteral("scripts/redis.yml"))
                     + QStringList {QStringLiteral("--connections"), QStringLiteral("20"),
                         QStringLiteral("--duration"), QStringLiteral("5s"),
                         QStringLiteral("--report"), report, QStringLiteral("--csv"), csv},
                 &error),
        qPrintable(error));
    QCOMPARE(swarm.waitForExit(30000), 0);
    // The INFO that read `before` is counted in the delta too.
    const qint64 served = m_redis.commandsProcessed() - before - 1;
    const QJsonObject r = readJson(report);
    QVERIFY2(!r.isEmpty(), qPrintable(swarm.output() + swarm.errors()));
    const qint64 requests = r[QStringLiteral("totals")][QStringLiteral("requests")].toInteger();
    QVERIFY2(served > 1000, qPrintable(QString::number(served)));
    // Every request swarm completed was served (it has the reply, and there were no errors);
    // requests still in flight when the run stopped were served but not completed: at most one
    // per connection, 20.
    QVERIFY2(served >= requests && served - requests <= 20,
        qPrintable(QStringLiteral("swarm %1, redis %2").arg(requests).arg(served)));
    QVERIFY(qAbs(r[QStringLiteral("duration_s")].toDouble() - 5.0) < 1.0);
    QCOMPARE(r[QStringLiteral("connections")][QStringLiteral("peak")].toInt(), 20);
    const QJsonObject commands = r[QStringLiteral("commands")].toObject();
    QVERIFY(commands.contains(QStringLiteral("set")) && commands.contains(QStringLiteral("get"))
        && commands.contains(QStringLiteral("ping")));
    qint64 sum = 0;
    for (const QString& name : commands.keys())
        sum += commands[name][QStringLiteral("count")].toInteger();
    QCOMPARE(sum, requests);
    QCOMPARE(r[QStringLiteral("totals")][QStringLiteral("errors")].toInt(), 0);
    QVERIFY(r[QStringLiteral("totals")][QStringLiteral("latency_us")][QStringLiteral("p50")].toInt()
        > 0);

    QFile f(csv);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QStringList rows = QString::fromUtf8(f.readAll()).trimmed().split(QLatin1Char('\n'));
    QVERIFY2(rows.size() >= 5, qPrintable(QString::number(rows.size())));
    QVERIFY(rows[0].startsWith(QLatin1String("elapsed_s,connections")));
}

void TstUnattended::thresholdsPass()
{
    QTemporaryDir dir;
    const QString report = dir.filePath(QStringLiteral("pass.json"));
    SwarmProcess swarm;
    QString error;
    QStringList args = baseArgs(m_redis.port(), QStringLiteral("scripts/redis.yml"));
    args << QStringLiteral("--connections") << QStringLiteral("5") << QStringLiteral("--duration")
         << QStringLiteral("2s") << QStringLiteral("--report") << report;
    for (const char* t : {"p99<10s", "p50<=10s", "max<60s", "errors<1%", "errors<=0", "rps>10",
             "requests>100", "ping.p99<10s", "set.rps>1"})
        args << QStringLiteral("--threshold") << QString::fromLatin1(t);
    QVERIFY2(swarm.start(args, &error), qPrintable(error));
    QCOMPARE(swarm.waitForExit(30000), 0);
    const QJsonArray results = readJson(report)[QStringLiteral("thresholds")].toArray();
    QCOMPARE(results.size(), 9);
    for (const QJsonValue& v : results)
        QVERIFY2(v[QStringLiteral("passed")].toBool(),
            qPrintable(v[QStringLiteral("threshold")].toString()));
}

void TstUnattended::thresholdsFailWithExitOne()
{
    SwarmProcess swarm;
    QString error;
    QStringList args = baseArgs(m_redis.port(), QStringLiteral("scripts/redis.yml"));
    args << QStringLiteral("--connections") << QStringLiteral("5") << QStringLiteral("--duration")
         << QStringLiteral("2s");
    const QStringList failing {QStringLiteral("p99<1us"), QStringLiteral("errors>5%"),
        QStringLiteral("rps>100000000"), QStringLiteral("ping.p50<1us"),
        QStringLiteral("nosuch.p99<1s")};
    for (const QString& t : failing)
        args << QStringLiteral("--threshold") << t;
    args << QStringLiteral("--threshold") << QStringLiteral("p99<10s"); // this one holds
    QVERIFY2(swarm.start(args, &error), qPrintable(error));
    QCOMPARE(swarm.waitForExit(30000), 1);
    const QString err = swarm.errors();
    for (const QString& t : failing)
        QVERIFY2(err.contains(QStringLiteral("threshold %1: failed").arg(t)), qPrintable(err));
    QVERIFY2(!err.contains(QLatin1String("p99<10s")), qPrintable(err));
}

void TstUnattended::rampHoldsItsRate()
{
    // 300 connections at 100 per second: about 3 s; measured by the server's accepted count.
    SwarmProcess swarm;
    QString error;
    QVERIFY2(swarm.start(baseArgs(m_redis.port(), QStringLiteral("scripts/redis-idle.yml"))
                     + QStringList {QStringLiteral("--connections"), QStringLiteral("300"),
                         QStringLiteral("--ramp"), QStringLiteral("100")},
                 &error),
        qPrintable(error));
    QElapsedTimer t;
    t.start();
    QTRY_VERIFY_WITH_TIMEOUT(m_redis.connectedClients() >= 100, 10000);
    const qint64 at100 = t.elapsed();
    QTRY_VERIFY_WITH_TIMEOUT(m_redis.connectedClients() >= 300, 10000);
    const qint64 at300 = t.elapsed();
    // 200 connections between the two marks at 100/s: 2 s, within 10 % (polling adds jitter).
    const double rate = 200.0 * 1000.0 / double(at300 - at100);
    QVERIFY2(rate > 90 && rate < 110, qPrintable(QStringLiteral("%1 connections/s").arg(rate)));
    QTest::qWait(300);
    QCOMPARE(m_redis.connectedClients(), qint64(300)); // no more than asked for
    swarm.terminate();
    QCOMPARE(swarm.waitForExit(15000), 0);
}

void TstUnattended::memcachedCountsMatch_data()
{
    QTest::addColumn<QString>("io");
#ifdef SWARM_HAVE_EPOLL
    QTest::newRow("epoll") << QStringLiteral("epoll");
#endif
    QTest::newRow("qt") << QStringLiteral("qt");
}

// The `threads` benchmark's workload (bench/memcached.yml: a set, then 99 gets) with two worker
// threads against a real memcached: what swarm reports is what memcached served.
void TstUnattended::memcachedCountsMatch()
{
    QFETCH(QString, io);
    Memcached memcached;
    QString error;
    QVERIFY2(memcached.start(&error), qPrintable(error));
    const auto served = [&memcached] {
        const QMap<QString, QString> s = memcached.stats();
        return s.value(QStringLiteral("cmd_get")).toLongLong()
            + s.value(QStringLiteral("cmd_set")).toLongLong();
    };
    QTemporaryDir dir;
    const QString report = dir.filePath(QStringLiteral("out.json"));
    SwarmProcess swarm;
    QVERIFY2(
        swarm.start(
            {QStringLiteral("-r"), QStringLiteral("127.0.0.1:%1").arg(memcached.port()),
                QStringLiteral("-s"), sourcePath(QStringLiteral("bench/memcached.yml")),
                QStringLiteral("-p"), sourcePath(QStringLiteral("bench")),
                QStringLiteral("--status-interval"), QStringLiteral("0"), QStringLiteral("--io"),
                io, QStringLiteral("--threads"), QStringLiteral("2"),
                QStringLiteral("--connections"), QStringLiteral("20"), QStringLiteral("--duration"),
                QStringLiteral("3s"), QStringLiteral("--report"), report},
            &error),
        qPrintable(error));
    QCOMPARE(swarm.waitForExit(30000), 0);
    const QJsonObject r = readJson(report);
    QVERIFY2(!r.isEmpty(), qPrintable(swarm.output() + swarm.errors()));
    const qint64 requests = r[QStringLiteral("totals")][QStringLiteral("requests")].toInteger();
    QCOMPARE(r[QStringLiteral("totals")][QStringLiteral("errors")].toInt(), 0);
    QCOMPARE(r[QStringLiteral("connections")][QStringLiteral("peak")].toInt(), 20);
    // As with redis: served >= completed, and at most one request per connection in flight.
    const qint64 count = served();
    QVERIFY2(requests > 1000 && count >= requests && count - requests <= 20,
        qPrintable(QStringLiteral("swarm %1, memcached %2").arg(requests).arg(count)));
    // Each connection stores the key before it reads it: every get found the value.
    const QMap<QString, QString> s = memcached.stats();
    QCOMPARE(s.value(QStringLiteral("get_misses")), QStringLiteral("0"));
    QVERIFY(s.value(QStringLiteral("get_hits")).toLongLong() > 0);
}

QTEST_GUILESS_MAIN(TstUnattended)
#include "tst_unattended.moc"
