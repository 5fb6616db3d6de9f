// The bundled MQTT 3.1.1 module (protocols/mqtt.js, scripts/mqtt.yml) against a real mosquitto
// broker from Debian, on both transports: swarm's counts reconciled with the broker's own $SYS
// counters and its log (every connection said DISCONNECT when the run ended).
#include "TestServers.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

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

} // namespace

class TstMqtt : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void checkPasses();
    void brokerCountsMatch_data();
    void brokerCountsMatch();
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
    QVERIFY2(swarm.start({QStringLiteral("-r"), QStringLiteral("127.0.0.1:%1").arg(broker.port()),
                             QStringLiteral("-s"), sourcePath(QStringLiteral("scripts/mqtt.yml")),
                             QStringLiteral("-p"), sourcePath(QStringLiteral("protocols")),
                             QStringLiteral("--io"), io, QStringLiteral("--threads"),
                             QStringLiteral("2"), QStringLiteral("--connections"),
                             QString::number(kConnections), QStringLiteral("--connect-spread"),
                             QStringLiteral("0"), QStringLiteral("--duration"),
                             QStringLiteral("3s"), QStringLiteral("--status-interval"),
                             QStringLiteral("0"), QStringLiteral("--report"), report},
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
    // On a mismatch, the count and the broker's lines about the clients that did not say
    // DISCONNECT tell what happened instead (short: QtTest cuts long messages).
    const QRegularExpression clean(QStringLiteral(R"(^\d+: Client (swarm-\S+) disconnected\.$)"),
        QRegularExpression::MultilineOption);
    QSet<QString> disconnected;
    for (auto it = clean.globalMatch(log); it.hasNext();)
        disconnected.insert(it.next().captured(1));
    QStringList others;
    const QRegularExpression client(QStringLiteral(R"(swarm-[^\s,]+)"));
    for (const QString& line : log.split(QLatin1Char('\n'))) {
        const QString id = client.match(line).captured(0);
        if (!id.isEmpty() && !disconnected.contains(id)) others << line;
    }
    const QString shortfall
        = QStringLiteral("%1 of %2 clients said DISCONNECT; the broker on the others:\n%3"
                         "\nswarm: %4")
              .arg(disconnected.size())
              .arg(kConnections)
              .arg(others.mid(0, 12).join(QLatin1Char('\n')), swarm.output().right(600));
#if defined(__SANITIZE_THREAD__)
    // Quarantined under ThreadSanitizer only, and only the qt row, while issue 15 finds it: in 2
    // of about 8 TSan runs a few of the qt transport's clients were logged by mosquitto as
    // "disconnected due to out of memory" at the end of the run instead of saying DISCONNECT
    // (never in the plain build, where this row always runs). The skip shows in the output with
    // the broker's lines, and tools/skip-allowlist.txt names exactly this message.
    if (io == QLatin1String("qt") && disconnected.size() != kConnections)
        QSKIP(qPrintable(QStringLiteral("under ThreadSanitizer (issue 15): ") + shortfall));
#endif
    QVERIFY2(disconnected.size() == kConnections, qPrintable(shortfall));
    QCOMPARE(countMatches(log, QStringLiteral(R"(Client swarm-\S+ closed its connection)")), 0);
}

QTEST_GUILESS_MAIN(TstMqtt)
#include "tst_mqtt.moc"
