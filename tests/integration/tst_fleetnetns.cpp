// The fleet across hosts (#11's multi-host tests): NetnsLab's 5 hosts — 3 agents (hosts 1..3,
// each its own network namespace and address), redis-server (host 4), the controller (host 5,
// its console driven from inside host 5).
// - Controller `incr 300`: redis counts 100 from each agent's address; `kill -9` one: lost within
//   5 s and 150 on each other; started again: 100 each. As root the hosts are namespaces;
//   elsewhere the lab falls back to 127.0.0.2... and says so.
// - `--fleet dns:agents.swarm.test:PORT`, the name in host 5's own /etc/hosts: an address taken
//   out of the name leaves the fleet within a re-resolution and its agent, still running, goes
//   to 0 (150 on each other); put back, 100 each.
#include "NetnsLab.h"
#include "TestServers.h"

#include <QElapsedTimer>
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
// The controller's (FleetEngine::Settings::resolveMs, AgentLink::kPollMs): a change to the
// name is seen at the next lookup, at most one re-resolution later; an agent that joins is up at
// its first answer, which the link asks for as soon as it is connected, and the agent's console
// answers within a poll.
constexpr int kResolveMs = 5000;
constexpr int kPollMs = 1000;
const char kName[] = "agents.swarm.test";

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

// host 5's /etc/hosts: kName is every listed agent host's address.
QByteArray hostsFile(const NetnsLab& lab, const QList<int>& agentHosts)
{
    QByteArray text = "127.0.0.1 localhost\n";
    for (int h : agentHosts)
        text += lab.address(h).toUtf8() + ' ' + kName + '\n';
    return text;
}

// The lab's processes: redis-server on host 4, an agent on each of hosts 1..3 (`extra`: more
// options for each), the controller on host 5 driven through its console.
class FleetLab
{
public:
    NetnsLab lab {5};
    QTemporaryDir dir;
    quint16 redisPort = 0;
    std::vector<quint16> ports; // the agents' consoles
    std::vector<QStringList> args;
    std::vector<qint64> agents;
    quint16 controlPort = 0;
    ConsoleClient console;

    // Root must get namespaces: a silent fallback there would test loopback and call it a lab.
    bool check(QString* error)
    {
        if (!lab.isUp()) *error = lab.error();
        if (lab.isUp() && !lab.usesNamespaces() && ::geteuid() == 0)
            *error = QStringLiteral("root, yet no namespaces: ") + lab.fallbackReason();
        if (!error->isEmpty()) return false;
        if (lab.usesNamespaces())
            qInfo("NetnsLab: namespaces %s-1..5, hosts at 198.18.0.1..5", qPrintable(lab.prefix()));
        else
            qInfo("NetnsLab: %s; the same test on 127.0.0.2... instead",
                qPrintable(lab.fallbackReason()));
        return true;
    }
    bool ns() const { return lab.usesNamespaces(); } // in namespaces every host has every port

    bool startRedis(QString* error)
    {
        redisPort = ns() ? 6379 : freePort();
        const qint64 redis = lab.start(kRedisHost, QStringLiteral("redis-server"),
            {QStringLiteral("--bind"), lab.address(kRedisHost), QStringLiteral("--port"),
                QString::number(redisPort), QStringLiteral("--protected-mode"),
                QStringLiteral("no"), QStringLiteral("--save"), QString(), QStringLiteral("--dir"),
                dir.path()},
            error);
        if (redis && lab.waitForOutput(redis, QStringLiteral("Ready to accept connections"), 10000))
            return true;
        *error += lab.output(redis);
        return false;
    }

    bool startAgents(const QStringList& extra, QString* error)
    {
        const QString scenario = writeFile(dir, QStringLiteral("ping.yml"),
            "protocol: redis\nactions:\n  - command: ping\n    sleep_after_action: 0.05\n");
        // One port on every agent's address, as the pods behind a Service have (dns:NAME:PORT).
        const quint16 port = ns() ? 8411 : freePort();
        for (int h = 1; h <= kAgents; ++h) {
            ports.push_back(port);
            QStringList a {QStringLiteral("--headless"), QStringLiteral("--listen"),
                QStringLiteral("%1:%2").arg(lab.address(h)).arg(ports.back()),
                QStringLiteral("--console-token"), QLatin1String(kToken),
                QStringLiteral("--server"),
                QStringLiteral("%1:%2").arg(lab.address(kRedisHost)).arg(redisPort),
                QStringLiteral("-s"), scenario, QStringLiteral("-p"),
                sourcePath(QStringLiteral("protocols")), QStringLiteral("--connect-spread"),
                QStringLiteral("0"), QStringLiteral("--status-interval"), QStringLiteral("0")};
            if (!ns()) a << QStringLiteral("--source-ip") << lab.address(h);
            args.push_back(a + extra);
            agents.push_back(lab.start(h, swarmBinary(), args.back(), error));
            if (!agents.back()) return false;
        }
        for (qint64 pid : agents)
            if (!lab.waitForOutput(pid, QStringLiteral("Console: listening on"), 15000)) {
                *error = lab.output(pid);
                return false;
            }
        return true;
    }

    QString agentSpec(int host) const
    {
        return QStringLiteral("%1:%2").arg(lab.address(host)).arg(ports[size_t(host - 1)]);
    }

    // The controller on host 5 for `spec`, and its console, authenticated.
    bool startController(const QString& spec, QString* error)
    {
        controlPort = ns() ? 8411 : freePort();
        const qint64 controller = lab.start(kControllerHost, swarmBinary(),
            {QStringLiteral("--headless"), QStringLiteral("--listen"),
                QStringLiteral("%1:%2").arg(lab.address(kControllerHost)).arg(controlPort),
                QStringLiteral("--console-token"), QLatin1String(kToken), QStringLiteral("--fleet"),
                spec, QStringLiteral("--status-interval"), QStringLiteral("0")},
            error);
        if (!controller
            || !lab.waitForOutput(controller, QStringLiteral("Console: listening on"), 15000)) {
            *error += lab.output(controller);
            return false;
        }
        bool connected = false;
        lab.inHost(kControllerHost, [&] {
            connected = console.connectTo(QHostAddress(lab.address(kControllerHost)), controlPort);
        });
        if (!connected) {
            *error = console.socket()->errorString();
            return false;
        }
        return console.sendUntil(QByteArray("auth ") + kToken, QStringLiteral("OK: authenticated"))
            .contains(QLatin1String("OK: authenticated"));
    }

    QString agentsStatus() { return console.send("status agents", 100); }
};

} // namespace

class TstFleetNetns : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void killedAgentIsLostAndItsShareMoves();
    void vanishedAddressLeavesAndComesBack_data();
    void vanishedAddressLeavesAndComesBack();
};

void TstFleetNetns::killedAgentIsLostAndItsShareMoves()
{
    FleetLab f;
    QString error;
    QVERIFY2(f.check(&error), qPrintable(error));
    QVERIFY2(f.startRedis(&error), qPrintable(error));
    QVERIFY2(f.startAgents({}, &error), qPrintable(error));
    QStringList spec;
    for (int h = 1; h <= kAgents; ++h)
        spec << f.agentSpec(h);
    QVERIFY2(f.startController(spec.join(QLatin1Char(',')), &error), qPrintable(error));
    NetnsLab& lab = f.lab;
    QTRY_VERIFY_WITH_TIMEOUT(f.agentsStatus().contains(QLatin1String("3 up of 3")), kSettleMs);
    QVERIFY(f.console.send("incr 300").contains(QLatin1String("OK")));
    QTRY_COMPARE_WITH_TIMEOUT(
        clientsByHost(lab, f.redisPort), expect(lab, {1, 2, 3}, 100), kSettleMs);

    lab.kill(f.agents[1]); // SIGKILL host 2's agent
    QElapsedTimer t;
    t.start();
    const QString lostLine = spec[1] + QLatin1Char(' ');
    const auto shownLost = [&] {
        for (const QString& line : f.agentsStatus().split(QLatin1Char('\n')))
            if (line.contains(lostLine) && line.contains(QLatin1String(" lost "))) return true;
        return false;
    };
    while (!shownLost() && t.elapsed() < 10000)
        QTest::qWait(50);
    qInfo("agent on host 2 killed -9: shown lost after %lld ms", t.elapsed());
    QVERIFY(t.elapsed() < 5000);
    QTRY_COMPARE_WITH_TIMEOUT(clientsByHost(lab, f.redisPort), expect(lab, {1, 3}, 150), kSettleMs);
    qInfo("300 on hosts 1 and 3 after %lld ms", t.elapsed());

    f.agents[1] = lab.start(2, swarmBinary(), f.args[1], &error);
    QVERIFY2(f.agents[1], qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT(
        clientsByHost(lab, f.redisPort), expect(lab, {1, 2, 3}, 100), kSettleMs);
}

void TstFleetNetns::vanishedAddressLeavesAndComesBack_data()
{
    QTest::addColumn<QString>("io"); // the agents' transport
    for (const QString& io : transports())
        QTest::newRow(qPrintable(io)) << io;
}

// dns:NAME:PORT with NAME in the controller's own /etc/hosts (NetnsLab::setHostsFile: host 5's
// namespace's, or without root a mount namespace of the controller's), changed while the fleet
// runs, as a headless Service's records change when a pod leaves its endpoints: no resolver of
// swarm's own, the system's (glibc) answers.
void TstFleetNetns::vanishedAddressLeavesAndComesBack()
{
    QFETCH(QString, io);
    FleetLab f;
    QString error;
    QVERIFY2(f.check(&error), qPrintable(error));
    NetnsLab& lab = f.lab;
    QVERIFY2(
        lab.setHostsFile(kControllerHost, hostsFile(lab, {1, 2, 3}), &error), qPrintable(error));
    QVERIFY2(f.startRedis(&error), qPrintable(error));
    QVERIFY2(f.startAgents({QStringLiteral("--io"), io}, &error), qPrintable(error));
    QVERIFY2(f.startController(
                 QStringLiteral("dns:%1:%2").arg(QLatin1String(kName)).arg(f.ports[0]), &error),
        qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(f.agentsStatus().contains(QLatin1String("3 up of 3")), kSettleMs);
    QVERIFY(f.console.send("incr 300").contains(QLatin1String("OK")));
    QTRY_COMPARE_WITH_TIMEOUT(
        clientsByHost(lab, f.redisPort), expect(lab, {1, 2, 3}, 100), kSettleMs);

    // Host 2's address leaves the name; its agent runs on. Within a re-resolution (the lookup
    // itself reads a local file: milliseconds) and a poll, the controller counts two agents.
    const QString gone = f.agentSpec(2) + QLatin1Char(' ');
    QVERIFY2(lab.setHostsFile(kControllerHost, hostsFile(lab, {1, 3}), &error), qPrintable(error));
    QElapsedTimer t;
    t.start();
    QString status;
    while (t.elapsed() < 3 * kResolveMs) {
        status = f.agentsStatus();
        if (status.contains(QLatin1String("2 up of 2")) && !status.contains(gone)) break;
        QTest::qWait(50);
    }
    qInfo("host 2's address out of the name: the controller counts 2 agents after %lld ms",
        t.elapsed());
    QVERIFY2(t.elapsed() < kResolveMs + kPollMs, qPrintable(status));
    // Its share moved to the others, and it was told to go to 0: the fleet stays at 300.
    QTRY_COMPARE_WITH_TIMEOUT(clientsByHost(lab, f.redisPort), expect(lab, {1, 3}, 150), kSettleMs);
    qInfo("150 on hosts 1 and 3, none from host 2, after %lld ms", t.elapsed());
    QVERIFY2(lab.isRunning(f.agents[1]), "host 2's agent was to go to 0, not to end");

    // Back in the name: it joins again and gets its share back.
    QVERIFY2(
        lab.setHostsFile(kControllerHost, hostsFile(lab, {1, 2, 3}), &error), qPrintable(error));
    t.restart();
    while (!f.agentsStatus().contains(QLatin1String("3 up of 3")) && t.elapsed() < 3 * kResolveMs)
        QTest::qWait(50);
    qInfo("host 2's address back in the name: 3 agents up after %lld ms", t.elapsed());
    QVERIFY2(t.elapsed() < kResolveMs + kPollMs, qPrintable(f.agentsStatus()));
    QTRY_COMPARE_WITH_TIMEOUT(
        clientsByHost(lab, f.redisPort), expect(lab, {1, 2, 3}, 100), kSettleMs);
    qInfo("100 on each host after %lld ms", t.elapsed());
}

QTEST_GUILESS_MAIN(TstFleetNetns)
#include "tst_fleetnetns.moc"
