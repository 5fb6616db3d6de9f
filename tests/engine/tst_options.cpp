#include "run/OptionTable.h"
#include "run/Options.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

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
    void defaults_data();
    void defaults();
    void ranges_data();
    void ranges();
    void listenAddresses_data();
    void listenAddresses();
    void lastValueWinsAndRepeatsAdd();
    void rampPacesConnectsUnlessSpreadGiven();
    void everyRowIsInTheHelp();
    void metricsAreBoundLikeTheConsole();
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
    if (ok) QCOMPARE(got, ms);
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
        QStringLiteral("127.0.0.1:9000"), QStringLiteral("-r"), QStringLiteral("localhost:6379"),
        QStringLiteral("-s"), QStringLiteral("x.yml"), QStringLiteral("-p"), QStringLiteral("dir"),
        QStringLiteral("--connect-spread"), QStringLiteral("1-20"), QStringLiteral("--threshold"),
        QStringLiteral("p99<5ms"), QStringLiteral("--threshold"), QStringLiteral("errors<1%")};
    QCOMPARE(parseOptions(args, &o, &message), ParseOutcome::Run);
    QCOMPARE(o.console.port, quint16(9000));
    QCOMPARE(o.serverHost, QStringLiteral("localhost"));
    QCOMPARE(o.serverPort, quint16(6379));
    QCOMPARE(o.script, QStringLiteral("x.yml"));
    QCOMPARE(o.protocolDir, QStringLiteral("dir"));
    QCOMPARE(o.engine.connectSpreadMinMs, qint64(1000));
    QCOMPARE(o.engine.connectSpreadMaxMs, qint64(20000));
    QCOMPARE(o.thresholds.size(), 2);
    QCOMPARE(o.thresholds[0].text(), QStringLiteral("p99<5ms")); // parsed once, kept
    QVERIFY(o.engine.threads >= 1);
}

void TstOptions::rejects_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("server port") << QStringList {QStringLiteral("-r"), QStringLiteral("h:70000")}
                                 << "--server";
    QTest::newRow("threads") << QStringList {QStringLiteral("--threads"), QStringLiteral("0")}
                             << "--threads";
    QTest::newRow("spread") << QStringList {QStringLiteral("--connect-spread"),
        QStringLiteral("5-1")}
                            << "--connect-spread";
    QTest::newRow("unknown") << QStringList {QStringLiteral("--nope")} << "nope";
    QTest::newRow("positional") << QStringList {QStringLiteral("extra")} << "extra";
    QTest::newRow("io") << QStringList {QStringLiteral("--io"), QStringLiteral("kqueue")} << "--io";
    QTest::newRow("ramp") << QStringList {QStringLiteral("--ramp"), QStringLiteral("-3")}
                          << "--ramp";
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

// The default each option's --help shows comes from a default Options (the member initializers
// of Options, EngineConfig, SocketOptions, ConsoleOptions), so help and behaviour agree.
void TstOptions::defaults_data()
{
    QTest::addColumn<QString>("option");
    QTest::addColumn<QString>("shown");
    QTest::newRow("listen") << "listen"
                            << "127.0.0.1:8411";
    QTest::newRow("connect-spread") << "connect-spread"
                                    << "1";
    QTest::newRow("connect-timeout") << "connect-timeout"
                                     << "3s";
    QTest::newRow("reply-timeout") << "reply-timeout"
                                   << "30s";
    QTest::newRow("script-timeout") << "script-timeout"
                                    << "1s";
    QTest::newRow("reconnect-max") << "reconnect-max"
                                   << "30s";
    QTest::newRow("max-reply-bytes") << "max-reply-bytes"
                                     << "16MiB";
    QTest::newRow("rcvbuf") << "rcvbuf"
                            << "128";
    QTest::newRow("sndbuf") << "sndbuf"
                            << "1024";
    QTest::newRow("status-interval") << "status-interval"
                                     << "10s";
    QTest::newRow("io") << "io"
                        << "auto"; // the best this build has, chosen at start (resolveIo)
}

void TstOptions::defaults()
{
    QFETCH(QString, option);
    QFETCH(QString, shown);
    const OptionRow* row = findOption(option);
    QVERIFY(row);
    QCOMPARE(row->defaultText(), shown);
    QVERIFY2(row->helpText().contains(QStringLiteral("default %1").arg(shown))
            || row->helpText().contains(QStringLiteral("default here: %1").arg(shown)),
        qPrintable(row->helpText()));
    // What the help shows is itself a valid value of the option.
    Options parsed;
    QString message;
    QCOMPARE(parseOptions({QStringLiteral("swarm"), QStringLiteral("--") + option, shown}, &parsed,
                 &message),
        ParseOutcome::Run);
}

// Each bound of each ranged option: the bound is taken, one past it is refused with a message
// naming the option and the range.
void TstOptions::ranges_data()
{
    QTest::addColumn<QString>("option");
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("accepted");
    const auto row = [](const char* option, const char* value, bool accepted) {
        QTest::addRow("--%s %s", option, value)
            << QString::fromLatin1(option) << QString::fromLatin1(value) << accepted;
    };
    row("threads", "1", true);
    row("threads", "0", false);
    row("threads", "256", true);
    row("threads", "257", false);
    row("threads", "two", false);
    row("connect-timeout", "1ms", true);
    row("connect-timeout", "0", false);
    row("connect-timeout", "1h", true);
    row("connect-timeout", "61m", false);
    row("script-timeout", "10ms", true);
    row("script-timeout", "9ms", false);
    row("reply-timeout", "1d", true);
    row("reply-timeout", "25h", false);
    row("status-interval", "0", true);
    row("duration", "0", false);
    row("duration", "365d", true);
    row("duration", "366d", false);
    row("max-reply-bytes", "1", true);
    row("max-reply-bytes", "0", false);
    row("max-reply-bytes", "4GiB", true);
    row("max-reply-bytes", "5GiB", false);
    row("rcvbuf", "0", true);
    row("rcvbuf", "67108864", true);
    row("rcvbuf", "67108865", false);
    row("connections", "1000000", true);
    row("connections", "1000001", false);
    row("ramp", "0.5", true);
    row("ramp", "0", false);
    row("ramp", "10000000", true);
    row("ramp", "10000001", false);
    row("connect-spread", "0.5-2", true);
    row("connect-spread", "2-1", false);
    row("listen", "*:0", true);
    row("listen", "example.org:1", false);
    row("source-ip", "127.0.0.1-127.0.0.3", true);
    row("source-ip", "127.0.0.3-127.0.0.1", false);
    row("threshold", "p99<5ms", true);
    row("threshold", "p99<<5ms", false);
}

void TstOptions::ranges()
{
    QFETCH(QString, option);
    QFETCH(QString, value);
    QFETCH(bool, accepted);
    Options o;
    QString message;
    const QStringList args {QStringLiteral("swarm"), QStringLiteral("--") + option, value};
    QCOMPARE(parseOptions(args, &o, &message), accepted ? ParseOutcome::Run : ParseOutcome::Error);
    if (!accepted) {
        QVERIFY2(message.startsWith(QStringLiteral("--") + option + QLatin1Char(':')),
            qPrintable(message));
        QVERIFY2(message.contains(value), qPrintable(message));
    }
}

void TstOptions::listenAddresses_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("address"); // empty: refused
    QTest::addColumn<int>("port");
    QTest::newRow("ipv4") << "127.0.0.1:9000"
                          << "127.0.0.1" << 9000;
    QTest::newRow("every interface") << "*:8411"
                                     << "0.0.0.0" << 8411;
    QTest::newRow("localhost") << "localhost:0"
                               << "127.0.0.1" << 0;
    QTest::newRow("ipv6") << "[::1]:7"
                          << "::1" << 7;
    QTest::newRow("host name") << "example.org:1"
                               << "" << 0;
    QTest::newRow("no port") << "127.0.0.1"
                             << "" << 0;
    QTest::newRow("port too big") << "127.0.0.1:65536"
                                  << "" << 0;
}

// The command line and the window's console field share this parser.
void TstOptions::listenAddresses()
{
    QFETCH(QString, text);
    QFETCH(QString, address);
    QFETCH(int, port);
    QHostAddress got;
    quint16 gotPort = 0;
    QString error;
    QCOMPARE(parseListenAddress(text, &got, &gotPort, &error), !address.isEmpty());
    if (address.isEmpty()) {
        QVERIFY2(error.contains(text.section(QLatin1Char(':'), 0, 0)), qPrintable(error));
        return;
    }
    QCOMPARE(got, QHostAddress(address));
    QCOMPARE(int(gotPort), port);
}

void TstOptions::lastValueWinsAndRepeatsAdd()
{
    Options o;
    QString message;
    const QStringList args {"swarm", "--rcvbuf", "64", "--rcvbuf", "256", "--source-ip",
        "127.0.0.2", "--source-ip", "127.0.0.3-127.0.0.4", "--headless"};
    QCOMPARE(parseOptions(args, &o, &message), ParseOutcome::Run);
    QCOMPARE(o.engine.socket.receiveBuffer, 256);
    QCOMPARE(o.engine.sourceAddresses.size(), 3);
    QVERIFY(o.headless);
    QVERIFY(!o.check);
}

void TstOptions::rampPacesConnectsUnlessSpreadGiven()
{
    Options paced;
    QString message;
    QCOMPARE(parseOptions({"swarm", "--ramp", "100"}, &paced, &message), ParseOutcome::Run);
    QCOMPARE(paced.engine.ramp, 100.0);
    QCOMPARE(paced.engine.connectSpreadMaxMs, qint64(0));
    Options spread;
    QCOMPARE(parseOptions({"swarm", "--ramp", "100", "--connect-spread", "2"}, &spread, &message),
        ParseOutcome::Run);
    QCOMPARE(spread.engine.connectSpreadMaxMs, qint64(2000));
}

void TstOptions::everyRowIsInTheHelp()
{
    Options o;
    QString help;
    QCOMPARE(parseOptions({"swarm", "--help"}, &o, &help), ParseOutcome::Exit);
    for (const OptionRow& row : optionTable()) {
        QVERIFY2(help.contains(QStringLiteral("--") + row.longName()), qPrintable(row.longName()));
        QVERIFY2(!row.helpText().contains(QLatin1String("%1")), row.names);
    }
    QVERIFY(help.simplified().contains(QStringLiteral("default 128, as the original"))); // wrapped
}

// Off by default; loopback needs nothing; any other address a token (or a file holding it) or
// --metrics-insecure; a token without --metrics is a mistake worth saying.
void TstOptions::metricsAreBoundLikeTheConsole()
{
    QString message;
    Options off;
    QCOMPARE(parseOptions({"swarm"}, &off, &message), ParseOutcome::Run);
    QVERIFY(!off.metrics.enabled);
    QVERIFY(off.metrics.problem().isEmpty());
    Options local;
    QCOMPARE(parseOptions({"swarm", "--metrics", "localhost:9464"}, &local, &message),
        ParseOutcome::Run);
    QVERIFY(local.metrics.enabled);
    QCOMPARE(local.metrics.address, QHostAddress(QHostAddress::LocalHost));
    QCOMPARE(local.metrics.port, quint16(9464));
    QVERIFY(local.metrics.problem().isEmpty());
    Options open;
    QCOMPARE(parseOptions({"swarm", "--metrics", "*:9464"}, &open, &message), ParseOutcome::Run);
    QVERIFY(open.metrics.problem().contains(QLatin1String("--metrics-token")));
    open.metrics.insecure = true;
    QVERIFY(open.metrics.problem().isEmpty());
    Options token;
    QCOMPARE(
        parseOptions({"swarm", "--metrics", "0.0.0.0:1", "--metrics-token", "t"}, &token, &message),
        ParseOutcome::Run);
    QVERIFY(token.metrics.problem().isEmpty());
    Options stray;
    QCOMPARE(parseOptions({"swarm", "--metrics-insecure"}, &stray, &message), ParseOutcome::Run);
    QVERIFY(stray.metrics.problem().contains(QLatin1String("need --metrics")));

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("token"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("  secret-from-file  \nsecond line\n");
    file.close();
    Options fromFile;
    QCOMPARE(parseOptions(
                 {"swarm", "--metrics", "*:1", "--metrics-token-file", path}, &fromFile, &message),
        ParseOutcome::Run);
    QCOMPARE(fromFile.metrics.token, QStringLiteral("secret-from-file"));
    Options empty;
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write("\n");
    file.close();
    QCOMPARE(parseOptions({"swarm", "--metrics-token-file", path}, &empty, &message),
        ParseOutcome::Error);
    QVERIFY2(message.startsWith(QStringLiteral("--metrics-token-file: ")) && message.contains(path),
        qPrintable(message));
}

QTEST_GUILESS_MAIN(TstOptions)
#include "tst_options.moc"
