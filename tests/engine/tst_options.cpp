#include "run/Options.h"

#include <QtTest>

using namespace swarm;

class TstOptions : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void durations_data();
    void durations();
    void sizes();
    void hostPort();
    void addressRanges();
    void parsesTheOriginalsOptions();
    void rejects_data();
    void rejects();
};

void TstOptions::durations_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("ms");
    QTest::newRow("seconds") << "30s" << qint64(30000);
    QTest::newRow("plain seconds") << "2.5" << qint64(2500);
    QTest::newRow("minutes") << "5m" << qint64(300000);
    QTest::newRow("milliseconds") << "250ms" << qint64(250);
    QTest::newRow("combined") << "1h30m" << qint64(5400000);
    QTest::newRow("zero") << "0" << qint64(0);
    QTest::newRow("garbage") << "soon" << qint64(-1);
    QTest::newRow("negative") << "-5s" << qint64(-1);
    QTest::newRow("unit only") << "s" << qint64(-1);
    QTest::newRow("trailing junk") << "5sx" << qint64(-1);
}

void TstOptions::durations()
{
    QFETCH(QString, text);
    QFETCH(qint64, ms);
    qint64 got = -1;
    const bool ok = parseDurationMs(text, &got);
    QCOMPARE(ok, ms >= 0);
    if (ok)
        QCOMPARE(got, ms);
}

void TstOptions::sizes()
{
    qint64 b = 0;
    QVERIFY(parseByteSize(QStringLiteral("16MiB"), &b));
    QCOMPARE(b, qint64(16) << 20);
    QVERIFY(parseByteSize(QStringLiteral("64k"), &b));
    QCOMPARE(b, qint64(65536));
    QVERIFY(parseByteSize(QStringLiteral("1000"), &b));
    QCOMPARE(b, qint64(1000));
    QVERIFY(!parseByteSize(QStringLiteral("lots"), &b));
}

void TstOptions::hostPort()
{
    QString host;
    quint16 port = 0;
    QVERIFY(parseHostPort(QStringLiteral("127.0.0.1:6379"), &host, &port, false));
    QCOMPARE(host, QStringLiteral("127.0.0.1"));
    QCOMPARE(port, quint16(6379));
    QVERIFY(parseHostPort(QStringLiteral("[::1]:80"), &host, &port, false));
    QCOMPARE(host, QStringLiteral("::1"));
    QVERIFY(!parseHostPort(QStringLiteral("127.0.0.1:70000"), &host, &port, false));
    QVERIFY(!parseHostPort(QStringLiteral("127.0.0.1:0"), &host, &port, false));
    QVERIFY(parseHostPort(QStringLiteral("127.0.0.1:0"), &host, &port, true));
    QVERIFY(!parseHostPort(QStringLiteral("nocolon"), &host, &port, false));
}

void TstOptions::addressRanges()
{
    QList<QHostAddress> a;
    QString error;
    QVERIFY(parseAddressRange(QStringLiteral("127.0.0.1-127.0.0.8"), &a, &error));
    QCOMPARE(a.size(), 8);
    QCOMPARE(a.last(), QHostAddress(QStringLiteral("127.0.0.8")));
    QVERIFY(!parseAddressRange(QStringLiteral("127.0.0.8-127.0.0.1"), &a, &error));
    QVERIFY(!parseAddressRange(QStringLiteral("not-an-ip"), &a, &error));
}

void TstOptions::parsesTheOriginalsOptions()
{
    Options o;
    QString message;
    const QStringList args {QStringLiteral("swarm"), QStringLiteral("-l"),
                            QStringLiteral("127.0.0.1:9000"), QStringLiteral("-r"),
                            QStringLiteral("localhost:6379"), QStringLiteral("-s"),
                            QStringLiteral("x.yml"), QStringLiteral("-p"), QStringLiteral("dir"),
                            QStringLiteral("--connect-spread"), QStringLiteral("1-20"),
                            QStringLiteral("--threshold"), QStringLiteral("p99<5ms"),
                            QStringLiteral("--threshold"), QStringLiteral("errors<1%")};
    QCOMPARE(parseOptions(args, &o, &message), ParseOutcome::Run);
    QCOMPARE(o.listenPort, quint16(9000));
    QCOMPARE(o.serverHost, QStringLiteral("localhost"));
    QCOMPARE(o.serverPort, quint16(6379));
    QCOMPARE(o.script, QStringLiteral("x.yml"));
    QCOMPARE(o.protocolDir, QStringLiteral("dir"));
    QCOMPARE(o.connectSpreadMinMs, qint64(1000));
    QCOMPARE(o.connectSpreadMaxMs, qint64(20000));
    QCOMPARE(o.thresholds.size(), 2);
    QVERIFY(o.threads >= 1);
}

void TstOptions::rejects_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("server port") << QStringList {QStringLiteral("-r"), QStringLiteral("h:70000")} << "--server";
    QTest::newRow("threads") << QStringList {QStringLiteral("--threads"), QStringLiteral("0")} << "--threads";
    QTest::newRow("spread") << QStringList {QStringLiteral("--connect-spread"), QStringLiteral("5-1")} << "--connect-spread";
    QTest::newRow("unknown") << QStringList {QStringLiteral("--nope")} << "nope";
    QTest::newRow("positional") << QStringList {QStringLiteral("extra")} << "extra";
    QTest::newRow("io") << QStringList {QStringLiteral("--io"), QStringLiteral("kqueue")} << "--io";
    QTest::newRow("ramp") << QStringList {QStringLiteral("--ramp"), QStringLiteral("-3")} << "--ramp";
}

void TstOptions::rejects()
{
    QFETCH(QStringList, args);
    QFETCH(QString, mentions);
    Options o;
    QString message;
    QCOMPARE(parseOptions(QStringList {QStringLiteral("swarm")} + args, &o, &message),
             ParseOutcome::Error);
    QVERIFY2(message.contains(mentions), qPrintable(message));
    QVERIFY(!message.contains(QLatin1Char('\n')));
}

QTEST_GUILESS_MAIN(TstOptions)
#include "tst_options.moc"
