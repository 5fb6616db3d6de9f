// --source-ip spreads connections over local addresses: the server sees them as the peers.
#include "TestServers.h"

#include <QMap>
#include <QTest>

using namespace swarm::test;

class TstSources : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void spreadsOverSourceAddresses_data();
    void spreadsOverSourceAddresses();
    void unusableSourceIsAnError();
};

void TstSources::spreadsOverSourceAddresses_data()
{
    QTest::addColumn<QString>("io");
    for (const QString& io : transports())
        QTest::newRow(qPrintable(io)) << io;
}

void TstSources::spreadsOverSourceAddresses()
{
    QFETCH(QString, io);
    RedisServer redis;
    QString error;
    QVERIFY2(redis.start(&error), qPrintable(error));
    SwarmProcess swarm;
    QVERIFY2(
        swarm.start(
            {QStringLiteral("-r"), QStringLiteral("127.0.0.1:%1").arg(redis.port()),
                QStringLiteral("-s"), sourcePath(QStringLiteral("scripts/redis-idle.yml")),
                QStringLiteral("-p"), sourcePath(QStringLiteral("protocols")),
                QStringLiteral("--connect-spread"), QStringLiteral("0"),
                QStringLiteral("--source-ip"), QStringLiteral("127.0.0.2-127.0.0.4"),
                QStringLiteral("--source-ip"), QStringLiteral("127.0.0.9"), QStringLiteral("--io"),
                io, QStringLiteral("--connections"), QStringLiteral("80")},
            &error),
        qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT(redis.connectedClients(), qint64(80), 10000);
    QMap<QString, int> byAddress;
    for (const QString& a : redis.clientAddresses())
        ++byAddress[a];
    byAddress.remove(QStringLiteral("127.0.0.1")); // the test's own INFO connection
    QCOMPARE(byAddress.keys(),
        (QStringList {QStringLiteral("127.0.0.2"), QStringLiteral("127.0.0.3"),
            QStringLiteral("127.0.0.4"), QStringLiteral("127.0.0.9")}));
    for (int n : byAddress)
        QCOMPARE(n, 20); // round-robin
    swarm.terminate();
    QCOMPARE(swarm.waitForExit(15000), 0);
}

void TstSources::unusableSourceIsAnError()
{
    RedisServer redis;
    QString error;
    QVERIFY2(redis.start(&error), qPrintable(error));
    SwarmProcess swarm;
    // 192.0.2.1 (TEST-NET-1) is not an address of this machine: binding to it fails.
    QVERIFY2(
        swarm.start({QStringLiteral("-r"), QStringLiteral("127.0.0.1:%1").arg(redis.port()),
                        QStringLiteral("-s"), sourcePath(QStringLiteral("scripts/redis-idle.yml")),
                        QStringLiteral("-p"), sourcePath(QStringLiteral("protocols")),
                        QStringLiteral("--connect-spread"), QStringLiteral("0"),
                        QStringLiteral("--status-interval"), QStringLiteral("1s"),
                        QStringLiteral("--source-ip"), QStringLiteral("192.0.2.1"),
                        QStringLiteral("--connections"), QStringLiteral("5")},
            &error),
        qPrintable(error));
    QVERIFY2(swarm.waitForOutput(QStringLiteral("cannot bind source address 192.0.2.1"), 10000),
        qPrintable(swarm.output() + swarm.errors()));
    QVERIFY(swarm.waitForOutput(QStringLiteral("socket_error"), 5000));
    QCOMPARE(redis.connectedClients(), qint64(0));
    swarm.terminate();
    QCOMPARE(swarm.waitForExit(15000), 0);
}

QTEST_GUILESS_MAIN(TstSources)
#include "tst_sources.moc"
