// The fleet across hosts (#11's multi-host test): NetnsLab's 5 hosts — 3 agents (hosts 1..3,
// each its own network namespace and address), redis-server (host 4), the controller (host 5,
// its console driven from inside host 5). Controller `incr 300`: redis counts 100 from each
// agent's address; `kill -9` one: lost within 5 s and 150 on each other; started again: 100
// each. As root the hosts are namespaces; elsewhere the lab falls back to 127.0.0.2... and says so.
#include "NetnsLab.h"
#include "TestServers.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace swarm::test;

namespace {

const char kToken[] = "fleet-lab-token";
constexpr int kAgents = 3;
constexpr int kRedisHost = 4;
constexpr int kControllerHost = 5;
constexpr int kSettleMs = 30000; // processes starting on a busy machine, a poll, a reconnect

// Peer addresses of redis' clients, asked with redis-cli on the redis host.
QMap<QString, int> clientsByHost(const NetnsLab& lab, quint16 port)
{
    QByteArray out;
    lab.run(kRedisHost, QStringLiteral("redis-cli"),
        {QStringLiteral("-h"), lab.address(kRedisHost), QStringLiteral("-p"), QString::number(port),
            QStringLiteral("CLIENT"), QStringLiteral("LIST")},
        &out);
    QMap<QString, int> by;
    for (const QByteArray& line : out.split('\n')) {
        if (!line.contains("addr=") || line.contains("cmd=client")) continue;
        const QByteArray addr = line.mid(line.indexOf("addr=") + 5).split(' ').first();
        ++by[QString::fromUtf8(addr.left(addr.lastIndexOf(':')))];
    }
    return by;
}

QMap<QString, int> expect(const NetnsLab& lab, const QList<int>& hosts, int each)
{
    QMap<QString, int> want;
    for (int h : hosts)
        want[lab.address(h)] = each;
    return want;
}

} // namespace

class TstFleetNetns : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void killedAgentIsLostAndItsShareMoves();
};

void TstFleetNetns::killedAgentIsLostAndItsShareMoves()
{
    NetnsLab lab(5);
    QVERIFY2(lab.isUp(), qPrintable(lab.error()));
    // Root must get namespaces: a silent fallback there would test loopback and call it a lab.
    QVERIFY2(lab.usesNamespaces() || ::geteuid() != 0, qPrintable(lab.fallbackReason()));
    if (lab.usesNamespaces())
        qInfo("NetnsLab: namespaces %s-1..5, hosts at 198.18.0.1..5", qPrintable(lab.prefix()));
    else
        qInfo("NetnsLab: %s; the same test on 127.0.0.2... instead",
            qPrintable(lab.fallbackReason()));
    const bool ns = lab.usesNamespaces(); // in namespaces every host has every port
    const quint16 redisPort = ns ? 6379 : freePort();
    QTemporaryDir dir;
    QString error;
    const qint64 redis = lab.start(kRedisHost, QStringLiteral("redis-server"),
        {QStringLiteral("--bind"), lab.address(kRedisHost), QStringLiteral("--port"),
            QString::number(redisPort), QStringLiteral("--protected-mode"), QStringLiteral("no"),
            QStringLiteral("--save"), QString(), QStringLiteral("--dir"), dir.path()},
        &error);
    QVERIFY2(redis, qPrintable(error));
    QVERIFY2(lab.waitForOutput(redis, QStringLiteral("Ready to accept connections"), 10000),
        qPrintable(lab.output(redis)));
    const QString scenario = dir.filePath(QStringLiteral("ping.yml"));
    QFile f(scenario);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("protocol: redis\nactions:\n  - command: ping\n    sleep_after_action: 0.05\n");
    f.close();

    std::vector<quint16> ports;
    std::vector<QStringList> args;
    std::vector<qint64> agents;
    QStringList spec;
    for (int h = 1; h <= kAgents; ++h) {
        ports.push_back(ns ? 8411 : freePort());
        QStringList a {QStringLiteral("--headless"), QStringLiteral("--listen"),
            QStringLiteral("%1:%2").arg(lab.address(h)).arg(ports.back()),
            QStringLiteral("--console-token"), QLatin1String(kToken), QStringLiteral("--server"),
            QStringLiteral("%1:%2").arg(lab.address(kRedisHost)).arg(redisPort),
            QStringLiteral("-s"), scenario, QStringLiteral("-p"),
            sourcePath(QStringLiteral("protocols")), QStringLiteral("--connect-spread"),
            QStringLiteral("0"), QStringLiteral("--status-interval"), QStringLiteral("0")};
        if (!ns) a << QStringLiteral("--source-ip") << lab.address(h);
        args.push_back(a);
        agents.push_back(lab.start(h, swarmBinary(), a, &error));
        QVERIFY2(agents.back(), qPrintable(error));
        spec << QStringLiteral("%1:%2").arg(lab.address(h)).arg(ports.back());
    }
    for (qint64 pid : agents)
        QVERIFY2(lab.waitForOutput(pid, QStringLiteral("Console: listening on"), 15000),
            qPrintable(lab.output(pid)));
    const quint16 controlPort = ns ? 8411 : freePort();
    const qint64 controller = lab.start(kControllerHost, swarmBinary(),
        {QStringLiteral("--headless"), QStringLiteral("--listen"),
            QStringLiteral("%1:%2").arg(lab.address(kControllerHost)).arg(controlPort),
            QStringLiteral("--console-token"), QLatin1String(kToken), QStringLiteral("--fleet"),
            spec.join(QLatin1Char(',')), QStringLiteral("--status-interval"), QStringLiteral("0")},
        &error);
    QVERIFY2(controller, qPrintable(error));
    QVERIFY2(lab.waitForOutput(controller, QStringLiteral("Console: listening on"), 15000),
        qPrintable(lab.output(controller)));

    ConsoleClient console;
    bool connected = false;
    QVERIFY(lab.inHost(kControllerHost, [&] {
        connected = console.connectTo(QHostAddress(lab.address(kControllerHost)), controlPort);
    }));
    QVERIFY2(connected, qPrintable(console.socket()->errorString()));
    QVERIFY(console.sendUntil(QByteArray("auth ") + kToken, QStringLiteral("OK: authenticated"))
                .contains(QLatin1String("OK: authenticated")));
    QTRY_VERIFY_WITH_TIMEOUT(
        console.send("status agents").contains(QLatin1String("3 up of 3")), kSettleMs);
    QVERIFY(console.send("incr 300").contains(QLatin1String("OK")));
    QTRY_COMPARE_WITH_TIMEOUT(
        clientsByHost(lab, redisPort), expect(lab, {1, 2, 3}, 100), kSettleMs);

    lab.kill(agents[1]); // SIGKILL host 2's agent
    QElapsedTimer t;
    t.start();
    const QString lostLine = spec[1] + QLatin1Char(' ');
    const auto shownLost = [&] {
        for (const QString& line : console.send("status agents", 100).split(QLatin1Char('\n')))
            if (line.contains(lostLine) && line.contains(QLatin1String(" lost "))) return true;
        return false;
    };
    while (!shownLost() && t.elapsed() < 10000)
        QTest::qWait(50);
    qInfo("agent on host 2 killed -9: shown lost after %lld ms", t.elapsed());
    QVERIFY(t.elapsed() < 5000);
    QTRY_COMPARE_WITH_TIMEOUT(clientsByHost(lab, redisPort), expect(lab, {1, 3}, 150), kSettleMs);
    qInfo("300 on hosts 1 and 3 after %lld ms", t.elapsed());

    agents[1] = lab.start(2, swarmBinary(), args[1], &error);
    QVERIFY2(agents[1], qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT(
        clientsByHost(lab, redisPort), expect(lab, {1, 2, 3}, 100), kSettleMs);
}

QTEST_GUILESS_MAIN(TstFleetNetns)
#include "tst_fleetnetns.moc"
