// The bundled MQTT 3.1.1 module (protocols/mqtt.js, scripts/mqtt.yml) against a real mosquitto
// broker from Debian, on both transports: swarm's counts reconciled with the broker's own $SYS
// counters and its log (every connection said DISCONNECT when the run ended, even to a broker
// that was frozen while swarm stopped, plain and over TLS).
#include "TestCerts.h"
#include "TestServers.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace swarm::test;

namespace {

QJsonObject readJson(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

qint64 number(const QJsonObject& o, const QString& path)
{
    QJsonValue v = o;
    for (const QString& key : path.split(QLatin1Char('.')))
        v = v.toObject().value(key);
    return v.toInteger(-1);
}

int countMatches(const QString& text, const QString& pattern)
{
    int n = 0;
    auto it = QRegularExpression(pattern, QRegularExpression::MultilineOption).globalMatch(text);
    while (it.hasNext()) {
        it.next();
        ++n;
    }
    return n;
}

// What the broker's log (read once it has stopped) says of swarm's clients: which said
// DISCONNECT, and its lines about the others (what happened instead).
struct Goodbyes
{
    QSet<QString> said;
    QStringList others;
};

Goodbyes goodbyesIn(const QString& log)
{
    Goodbyes g;
    const QRegularExpression clean(QStringLiteral(R"(^\d+: Client (swarm-\S+) disconnected\.$)"),
        QRegularExpression::MultilineOption);
    for (auto it = clean.globalMatch(log); it.hasNext();)
        g.said.insert(it.next().captured(1));
    const QRegularExpression client(QStringLiteral(R"(swarm-[^\s,]+)"));
    for (const QString& line : log.split(QLatin1Char('\n'))) {
        const QString id = client.match(line).captured(0);
        if (!id.isEmpty() && !g.said.contains(id)) g.others << line;
    }
    return g;
}

// On a mismatch: the count and the broker's lines about the clients that did not say DISCONNECT
// (short: QtTest cuts long messages).
QString shortfall(const Goodbyes& g, int connections, const QString& swarmOutput)
{
    return QStringLiteral("%1 of %2 clients said DISCONNECT; the broker on the others:\n%3"
                          "\nswarm: %4")
        .arg(g.said.size())
        .arg(connections)
        .arg(g.others.mid(0, 12).join(QLatin1Char('\n')), swarmOutput.right(600));
}

QStringList swarmArgs(quint16 port, const QString& io, int connections, const QString& duration)
{
    return {QStringLiteral("-r"), QStringLiteral("127.0.0.1:%1").arg(port), QStringLiteral("-s"),
        sourcePath(QStringLiteral("scripts/mqtt.yml")), QStringLiteral("-p"),
        sourcePath(QStringLiteral("protocols")), QStringLiteral("--io"), io,
        QStringLiteral("--threads"), QStringLiteral("2"), QStringLiteral("--connections"),
        QString::number(connections), QStringLiteral("--connect-spread"), QStringLiteral("0"),
        QStringLiteral("--duration"), duration, QStringLiteral("--status-interval"),
        QStringLiteral("0")};
}

} // namespace

class TstMqtt : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void checkPasses();
    void brokerCountsMatch_data();
    void brokerCountsMatch();
    void goodbyeOutlastsAFrozenBroker_data();
    void goodbyeOutlastsAFrozenBroker();
};

void TstMqtt::checkPasses()
{
    SwarmProcess swarm;
    QString error;
    QVERIFY2(swarm.start({QStringLiteral("--check"), QStringLiteral("-s"),
                             sourcePath(QStringLiteral("scripts/mqtt.yml")), QStringLiteral("-p"),
                             sourcePath(QStringLiteral("protocols"))},
                 &error),
        qPrintable(error));
    QCOMPARE(swarm.waitForExit(20000), 0);
    QVERIFY2(swarm.output().contains(QLatin1String("OK: ")),
        qPrintable(swarm.output() + swarm.errors()));
}

void TstMqtt::brokerCountsMatch_data()
{
    QTest::addColumn<QString>("io");
#ifdef SWARM_HAVE_EPOLL
    QTest::newRow("epoll") << QStringLiteral("epoll");
#endif
    QTest::newRow("qt") << QStringLiteral("qt");
}

void TstMqtt::brokerCountsMatch()
{
    QFETCH(QString, io);
    constexpr int kConnections = 20;
    Mosquitto broker; // a fresh one per transport: its counters start at zero
    QString error;
    QVERIFY2(broker.start(&error), qPrintable(error));
    QTemporaryDir dir;
    const QString report = dir.filePath(QStringLiteral("mqtt.json"));
    SwarmProcess swarm;
    QVERIFY2(swarm.start(swarmArgs(broker.port(), io, kConnections, QStringLiteral("3s"))
                     + QStringList {QStringLiteral("--report"), report},
                 &error),
        qPrintable(error));
    QCOMPARE(swarm.waitForExit(30000), 0);
    const QJsonObject r = readJson(report);
    QVERIFY2(!r.isEmpty(), qPrintable(swarm.output() + swarm.errors()));
    QCOMPARE(number(r, QStringLiteral("totals.errors")), qint64(0));
    QCOMPARE(number(r, QStringLiteral("commands.connect.count")), qint64(kConnections));
    QCOMPARE(number(r, QStringLiteral("commands.subscribe.count")), qint64(kConnections));
    QCOMPARE(number(r, QStringLiteral("commands.disconnect.count")), qint64(kConnections));
    const qint64 publishes = number(r, QStringLiteral("commands.publish.count"));
    const qint64 pushed = number(r, QStringLiteral("totals.messages_received"));
    const qint64 acks = number(r, QStringLiteral("totals.messages_sent"));
    QVERIFY2(publishes > 200, qPrintable(QString::number(publishes)));
    QVERIFY(number(r, QStringLiteral("commands.ping.count")) > 100);

    // $SYS is published every second (sys_interval 1): after 2.5 s it includes the whole run.
    QTest::qWait(2500);
    const qint64 received = broker.sys(QStringLiteral("broker/publish/messages/received"));
    const qint64 sent = broker.sys(QStringLiteral("broker/publish/messages/sent"));
    QVERIFY2(received >= 0 && sent >= 0, "mosquitto_sub could not read $SYS");
    // Every PUBLISH swarm counted reached the broker. The broker may have one more per
    // connection: a QoS 1 publish in flight when the run stopped (received, its PUBACK never read,
    // so not counted by swarm).
    QVERIFY2(received >= publishes && received - publishes <= kConnections,
        qPrintable(
            QStringLiteral("broker received %1, swarm published %2").arg(received).arg(publishes)));
    // Every message pushed back was sent by the broker; each connection may leave unread at the
    // stop at most the two it published in its last iteration (one at QoS 0, one at QoS 1).
    QVERIFY2(sent >= pushed && sent - pushed <= 2 * kConnections,
        qPrintable(QStringLiteral("broker sent %1, swarm received %2").arg(sent).arg(pushed)));
    // Half the pushes are QoS 1 and were acknowledged, as messages, not requests.
    QVERIFY2(acks > 0 && acks <= pushed && qAbs(2 * acks - pushed) <= 2 * kConnections,
        qPrintable(QStringLiteral("acks %1, pushed %2").arg(acks).arg(pushed)));

    // on_close: every connection said DISCONNECT when --duration ended the run; none just vanished.
    broker.stop();
    const QString log = broker.log();
    const Goodbyes goodbyes = goodbyesIn(log);
    QVERIFY2(goodbyes.said.size() == kConnections,
        qPrintable(shortfall(goodbyes, kConnections, swarm.output())));
    QCOMPARE(countMatches(log, QStringLiteral(R"(Client swarm-\S+ closed its connection)")), 0);
}

void TstMqtt::goodbyeOutlastsAFrozenBroker_data()
{
    QTest::addColumn<QString>("io");
    QTest::addColumn<bool>("tls");
    for (const QString& io : transports()) {
        QTest::newRow(qPrintable(io)) << io << false;
        QTest::newRow(qPrintable(io + QStringLiteral(" tls"))) << io << true;
    }
}

// The answers a broker still owes when swarm says goodbye must reach an open socket. The broker
// is frozen (SIGSTOP) while the connections publish and swarm is stopped, so that each
// DISCONNECT waits behind a QoS 1 PUBLISH to the connection's own topic: thawed, the broker
// writes its echo and PUBACK before it reads the DISCONNECT. A socket closed right after the
// goodbye answered the echo with a reset, the PUBACK's write failed and mosquitto dropped the
// client unread ("disconnected due to out of memory": its word for any failed PUBACK write).
// Half-closed and read until the broker's close (within the 1 s goodbye), all of them are said.
// Over TLS the same (the broker's TLS listener; $SYS is read on its plain one): a TLS socket
// closed after the goodbye resets the echo as a plain one does.
void TstMqtt::goodbyeOutlastsAFrozenBroker()
{
    QFETCH(QString, io);
    QFETCH(bool, tls);
    constexpr int kConnections = 20;
    Mosquitto broker;
    TestCerts certs;
    QString error;
    if (tls) {
        QVERIFY2(certs.make(&error), qPrintable(error));
        QVERIFY2(broker.startWithTls(certs, &error), qPrintable(error));
    } else {
        QVERIFY2(broker.start(&error), qPrintable(error));
    }
    QStringList args = swarmArgs(
        tls ? broker.tlsPort() : broker.port(), io, kConnections, QStringLiteral("60s"));
    if (tls)
        args << QStringLiteral("--tls") << QStringLiteral("--tls-ca")
             << certs.path(QStringLiteral("ca.pem"));
    SwarmProcess swarm; // --duration only bounds it: SIGTERM stops it
    QVERIFY2(swarm.start(args, &error), qPrintable(error));
    // Every connection subscribed: all of them are in their publish loop.
    QTRY_VERIFY_WITH_TIMEOUT(
        broker.sys(QStringLiteral("broker/subscriptions/count")) >= kConnections, 20000);
    const pid_t pid = pid_t(broker.pid());
    QVERIFY(pid > 0);
    const auto thaw = qScopeGuard([pid] { ::kill(pid, SIGCONT); }); // whatever fails below
    QCOMPARE(::kill(pid, SIGSTOP), 0);
    // Three times the scenario's 0.1 s sleep: every connection has woken up, published at QoS 0
    // and 1, and waits for a PUBACK (or for an answer it asked before the freeze).
    QTest::qWait(300);
    swarm.terminate();
    QVERIFY2(swarm.waitForOutput(QStringLiteral("Got signal"), 10000), qPrintable(swarm.output()));
    // The goodbyes are written within milliseconds of that line (tens under sanitizers); the
    // broker is thawed well inside their 1 s deadline, which ends swarm's wait for its close.
    QTest::qWait(300);
    QCOMPARE(::kill(pid, SIGCONT), 0);
    QCOMPARE(swarm.waitForExit(30000), 0);
    // A swarm that did not wait for the broker exits before the broker, thawed a moment ago, has
    // read its sockets: stopped now, the broker would log nothing of them, and the test would
    // fail for the wrong reason. Thawed, it takes milliseconds for 20 sockets: 1 s is ample.
    QTest::qWait(1000);
    broker.stop();
    const QString log = broker.log();
    const Goodbyes goodbyes = goodbyesIn(log);
    QVERIFY2(goodbyes.said.size() == kConnections,
        qPrintable(shortfall(goodbyes, kConnections, swarm.output())));
    QCOMPARE(countMatches(log, QStringLiteral("disconnected due to out of memory")), 0);
}

QTEST_GUILESS_MAIN(TstMqtt)
#include "tst_mqtt.moc"
