// The --fleet SPEC's parser and the split of a fleet's target: pure functions, good and bad
// inputs, the messages a user reads.
#include "fleet/FleetSpec.h"
#include "fleet/FleetSplit.h"

#include <QTest>

using namespace swarm;

class TstFleetSpec : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void goodSpecs();
    void badSpecs_data();
    void badSpecs();
    void evenSplit_data();
    void evenSplit();
    void rebalanceMovesALostShare();
    void rebalanceOffKeepsShares();
};

void TstFleetSpec::goodSpecs()
{
    QList<FleetEndpoint> e;
    QString error;
    QVERIFY2(FleetSpec::parse(QStringLiteral(" 10.0.0.5:7000, dns:agents.swarm.svc:7000,"
                                             "[::1]:7001,agent-0.local:7002"),
                 &e, &error),
        qPrintable(error));
    QCOMPARE(e.size(), 4);
    QVERIFY(!e[0].dns);
    QCOMPARE(e[0].host, QStringLiteral("10.0.0.5"));
    QCOMPARE(e[0].port, quint16(7000));
    QVERIFY(e[1].dns);
    QCOMPARE(e[1].host, QStringLiteral("agents.swarm.svc"));
    QCOMPARE(e[1].text(), QStringLiteral("dns:agents.swarm.svc:7000"));
    QCOMPARE(e[2].host, QStringLiteral("::1"));
    QCOMPARE(e[2].text(), QStringLiteral("[::1]:7001"));
    QCOMPARE(e[3].host, QStringLiteral("agent-0.local"));
}

void TstFleetSpec::badSpecs_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("message");
    QTest::newRow("empty") << QString() << QStringLiteral("the fleet SPEC is empty");
    QTest::newRow("no port") << QStringLiteral(
        "10.0.0.5") << QStringLiteral("'10.0.0.5': entry 1 '10.0.0.5': expected host:port");
    QTest::newRow("port 0") << QStringLiteral("a:1,b:0")
                            << QStringLiteral("entry 2 'b:0': expected host:port");
    QTest::newRow("port too big") << QStringLiteral("a:65536") << QStringLiteral("65535");
    QTest::newRow("empty entry") << QStringLiteral("a:1,,b:2")
                                 << QStringLiteral("entry 2 '': empty entry");
    QTest::newRow("trailing comma") << QStringLiteral("a:1,") << QStringLiteral("empty entry");
    QTest::newRow("dns without port")
        << QStringLiteral("dns:agents") << QStringLiteral("expected dns:NAME:PORT");
    QTest::newRow("dns of an address")
        << QStringLiteral("dns:10.0.0.1:7000")
        << QStringLiteral("'10.0.0.1' is an address, not a name to resolve: write 10.0.0.1:7000");
    QTest::newRow("bad host") << QStringLiteral(
        "ag ent:7000") << QStringLiteral("'ag ent' is neither an IP address nor a host name");
    QTest::newRow("twice") << QStringLiteral("a:1,b:2,a:1")
                           << QStringLiteral("entry 3 'a:1': listed twice");
    QTest::newRow("unbracketed v6")
        << QStringLiteral("::1:7000") << QStringLiteral("expected host:port (or [v6]:port)");
}

void TstFleetSpec::badSpecs()
{
    QFETCH(QString, spec);
    QFETCH(QString, message);
    QList<FleetEndpoint> e;
    QString error;
    QVERIFY(!FleetSpec::parse(spec, &e, &error));
    QVERIFY2(error.contains(message), qPrintable(error));
    if (!spec.isEmpty())
        QVERIFY2(error.startsWith(QLatin1Char('\'') + spec + "':"), qPrintable(error));
}

void TstFleetSpec::evenSplit_data()
{
    QTest::addColumn<int>("total");
    QTest::addColumn<int>("count");
    QTest::addColumn<std::vector<int>>("want");
    QTest::newRow("300 over 3") << 300 << 3 << std::vector<int> {100, 100, 100};
    QTest::newRow("remainder to the first") << 10 << 3 << std::vector<int> {4, 3, 3};
    QTest::newRow("fewer than agents") << 2 << 3 << std::vector<int> {1, 1, 0};
    QTest::newRow("zero") << 0 << 2 << std::vector<int> {0, 0};
    QTest::newRow("no agent") << 5 << 0 << std::vector<int> {};
}

void TstFleetSpec::evenSplit()
{
    QFETCH(int, total);
    QFETCH(int, count);
    QFETCH(std::vector<int>, want);
    QCOMPARE(FleetSplit::even(total, count), want);
}

void TstFleetSpec::rebalanceMovesALostShare()
{
    using M = FleetSplit::Member;
    // All up; the second lost; a never-up (unreachable) third gets nothing either way.
    QCOMPARE(FleetSplit::shares(300, {M {true, true}, M {true, true}, M {true, true}}, true),
        (std::vector<int> {100, 100, 100}));
    QCOMPARE(FleetSplit::shares(300, {M {true, true}, M {false, true}, M {true, true}}, true),
        (std::vector<int> {150, 0, 150}));
    QCOMPARE(FleetSplit::shares(301, {M {true, true}, M {false, true}, M {true, true}}, true),
        (std::vector<int> {151, 0, 150}));
    QCOMPARE(FleetSplit::shares(10, {M {true, true}, M {false, false}}, true),
        (std::vector<int> {10, 0}));
    QCOMPARE(FleetSplit::shares(10, {M {false, true}, M {false, false}}, true),
        (std::vector<int> {0, 0}));
}

void TstFleetSpec::rebalanceOffKeepsShares()
{
    using M = FleetSplit::Member;
    // The lost agent keeps its share (not served until it is back); the never-up one has none.
    QCOMPARE(FleetSplit::shares(300, {M {true, true}, M {false, true}, M {true, true}}, false),
        (std::vector<int> {100, 100, 100}));
    QCOMPARE(FleetSplit::shares(300, {M {true, true}, M {false, false}, M {true, true}}, false),
        (std::vector<int> {150, 0, 150}));
}

QTEST_MAIN(TstFleetSpec)
#include "tst_fleetspec.moc"
