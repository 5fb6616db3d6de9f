// How an unattended run ends (issue #18 items 8 and 9): the final status gives the run's rate,
// not the last few milliseconds'; TCP connect has its own row; a --duration run that never
// connected exits 3 with the reason, unless --allow-no-connection.
#include "TestServers.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace swarm::test;

namespace {

// A --duration run against a loopback port nobody listens on.
QStringList unreachableRun(quint16 port)
{
    return {QStringLiteral("-r"), QStringLiteral("127.0.0.1:%1").arg(port), QStringLiteral("-s"),
        sourcePath(QStringLiteral("scripts/redis.yml")), QStringLiteral("-p"),
        sourcePath(QStringLiteral("protocols")), QStringLiteral("--connections"),
        QStringLiteral("3"), QStringLiteral("--connect-spread"), QStringLiteral("0"),
        QStringLiteral("--duration"), QStringLiteral("1s"), QStringLiteral("--status-interval"),
        QStringLiteral("0")};
}

} // namespace

class TstRunEnd : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void finalStatusGivesTheRunsRate();
    void neverConnectedExitsThree();
    void neverConnectedAllowed();
};

void TstRunEnd::finalStatusGivesTheRunsRate()
{
    RedisServer redis;
    QString error;
    QVERIFY2(redis.start(&error), qPrintable(error));
    QTemporaryDir dir;
    const QString report = dir.filePath(QStringLiteral("r.json"));
    SwarmProcess swarm;
    QVERIFY2(swarm.start({QStringLiteral("-r"), QStringLiteral("127.0.0.1:%1").arg(redis.port()),
                             QStringLiteral("-s"), sourcePath(QStringLiteral("scripts/redis.yml")),
                             QStringLiteral("-p"), sourcePath(QStringLiteral("protocols")),
                             QStringLiteral("--connections"), QStringLiteral("5"),
                             QStringLiteral("--duration"), QStringLiteral("2s"),
                             QStringLiteral("--status-interval"), QStringLiteral("0"),
                             QStringLiteral("--report"), report},
                 &error),
        qPrintable(error));
    QCOMPARE(swarm.waitForExit(30000), 0);
    const QString out = swarm.output();
    QFile f(report);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonObject r = QJsonDocument::fromJson(f.readAll()).object();
    const double seconds = r[QStringLiteral("duration_s")].toDouble();
    const qint64 requests = r[QStringLiteral("totals")][QStringLiteral("requests")].toInteger();
    QVERIFY(requests > 100);

    static const QRegularExpression line(
        QStringLiteral(R"(requests: (\d+) \(([\d.]+)/s over the run\))"));
    const QRegularExpressionMatch m = line.match(out);
    QVERIFY2(m.hasMatch(), qPrintable(out));
    QCOMPARE(m.captured(1).toLongLong(), requests);
    // The status rounds to 0.1/s and the report's duration to 1 ms: 0.2/s covers both.
    const double expected = double(requests) / seconds;
    QVERIFY2(qAbs(m.captured(2).toDouble() - expected) <= 0.2 + expected * 0.001,
        qPrintable(QStringLiteral("%1 vs %2").arg(m.captured(2)).arg(expected)));

    // TCP connect is its own row, named so that no command can be taken for it.
    static const QRegularExpression connectRow(
        QStringLiteral(R"(^\[tcp connect\]\s+(\d+)\s)"), QRegularExpression::MultilineOption);
    const QRegularExpressionMatch c = connectRow.match(out);
    QVERIFY2(c.hasMatch(), qPrintable(out));
    QCOMPARE(c.captured(1).toInt(), 5);
}

void TstRunEnd::neverConnectedExitsThree()
{
    const quint16 port = freePort(); // nobody listens there
    SwarmProcess swarm;
    QString error;
    QVERIFY2(swarm.start(unreachableRun(port), &error), qPrintable(error));
    QCOMPARE(swarm.waitForExit(30000), 3);
    const QString err = swarm.errors();
    QVERIFY2(err.contains(QStringLiteral("swarm: no connection to 127.0.0.1:%1 succeeded during "
                                         "the run (refused: ")
                              .arg(port)),
        qPrintable(err));
    QVERIFY2(err.contains(QLatin1String("--allow-no-connection")), qPrintable(err));
}

void TstRunEnd::neverConnectedAllowed()
{
    SwarmProcess swarm;
    QString error;
    QVERIFY2(
        swarm.start(unreachableRun(freePort()) << QStringLiteral("--allow-no-connection"), &error),
        qPrintable(error));
    QCOMPARE(swarm.waitForExit(30000), 0);
    QVERIFY2(!swarm.errors().contains(QLatin1String("no connection")), qPrintable(swarm.errors()));
}

QTEST_GUILESS_MAIN(TstRunEnd)
#include "tst_runend.moc"
