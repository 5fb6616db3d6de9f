// The fleet controller as a user runs it: real agent processes (the swarm binary, headless, each
// with its console on its own loopback port and a token, each connecting from its own source
// address 127.0.0.x so redis tells them apart by peer address) against a real redis-server, and
// a real controller process (`swarm --fleet ...`) driven through its own console.
#include "TestServers.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <functional>
#include <memory>

#include <signal.h>

using namespace swarm::test;

namespace {

const QByteArray kToken = "fleet-test-token";
// Every wait is bounded: processes on a shared, busy machine start in a second or two; the
// fleet settles within a poll (1 s) and an agent's ramp (all at once here).
constexpr int kSettleMs = 30000;

// PING every 50 ms per connection: steady, light traffic.
const char kScenario[] = "protocol: redis\n"
                         "actions:\n"
                         "  - command: ping\n"
                         "    rounds: 1\n"
                         "    sleep_between_rounds: 0\n"
                         "    sleep_after_action: 0.05\n";

struct Agent
{
    std::unique_ptr<SwarmProcess> process;
    quint16 port = 0;
    QString source; // 127.0.0.x
    QStringList args;
};

QStringList agentArgs(quint16 redisPort, const QString& scenario, quint16 consolePort,
    const QString& source, const QByteArray& token)
{
    return {QStringLiteral("-r"), QStringLiteral("127.0.0.1:%1").arg(redisPort),
        QStringLiteral("-s"), scenario, QStringLiteral("-p"),
        sourcePath(QStringLiteral("protocols")), QStringLiteral("--listen"),
        QStringLiteral("127.0.0.1:%1").arg(consolePort), QStringLiteral("--console-token"),
        QString::fromUtf8(token), QStringLiteral("--source-ip"), source,
        QStringLiteral("--threads"), QStringLiteral("1"), QStringLiteral("--connect-spread"),
        QStringLiteral("0"), QStringLiteral("--status-interval"), QStringLiteral("0")};
}

bool startAgent(Agent* a, QString* error)
{
    a->process = std::make_unique<SwarmProcess>();
    return a->process->start(a->args, error);
}

// n agents connecting from 127.0.0.2, 127.0.0.3, ..., each with its console on a free port;
// extra(i): more options for agent i.
bool startAgents(std::vector<Agent>* agents, int n, quint16 redisPort, const QString& scenario,
    QString* error, const std::function<QStringList(int)>& extra = {})
{
    agents->resize(size_t(n));
    for (int i = 0; i < n; ++i) {
        Agent& a = (*agents)[size_t(i)];
        a.port = freePort();
        a.source = QStringLiteral("127.0.0.%1").arg(i + 2);
        a.args = agentArgs(redisPort, scenario, a.port, a.source, kToken);
        if (extra) a.args << extra(i);
        if (!startAgent(&a, error)) return false;
    }
    return true;
}

// Connections redis holds from each source address.
QMap<QString, int> clientsBySource(const RedisServer& redis)
{
    QMap<QString, int> by;
    for (const QString& addr : redis.clientAddresses())
        ++by[addr.section(QLatin1Char(':'), 0, 0)];
    return by;
}

QString fleetSpec(const std::vector<quint16>& ports)
{
    QStringList entries;
    for (quint16 p : ports)
        entries << QStringLiteral("127.0.0.1:%1").arg(p);
    return entries.join(QLatin1Char(','));
}

QString fleetSpec(const std::vector<Agent>& agents)
{
    std::vector<quint16> ports;
    for (const Agent& a : agents)
        ports.push_back(a.port);
    return fleetSpec(ports);
}

// The controller's command line: the fleet, the token, no periodic status, and `extra`.
QStringList controllerArgs(const QString& spec, const QStringList& extra = {})
{
    return QStringList {QStringLiteral("--fleet"), spec, QStringLiteral("--console-token"),
               QString::fromUtf8(kToken), QStringLiteral("--status-interval"), QStringLiteral("0")}
    + extra;
}

// The controller's console, authenticated.
bool openConsole(ConsoleClient* c, quint16 port)
{
    if (!c->connectTo(port)) return false;
    c->readAll();
    return c->send("auth " + kToken).contains(QLatin1String("OK: authenticated"));
}

// The line of `status agents` about this agent.
QString agentLine(ConsoleClient* c, quint16 agentPort)
{
    const QString text = c->send("status agents", 200);
    for (const QString& line : text.split(QLatin1Char('\n')))
        if (line.contains(QStringLiteral("127.0.0.1:%1 ").arg(agentPort))) return line.trimmed();
    return QString();
}

QJsonObject statsJson(ConsoleClient* c)
{
    const QString text = c->sendUntil("stats json", QStringLiteral("}"));
    const qsizetype start = text.indexOf(QLatin1Char('{'));
    return QJsonDocument::fromJson(text.mid(start).trimmed().toUtf8()).object();
}

bool countsAre(const RedisServer& redis, const QMap<QString, int>& want)
{
    QMap<QString, int> got = clientsBySource(redis);
    got.remove(QStringLiteral("127.0.0.1")); // the asking connection, the consoles
    return got == want;
}

} // namespace

class TstFleet : public QObject
{
    Q_OBJECT
    // Each test's own redis-server and scenario file, made fresh by init().
    std::unique_ptr<RedisServer> m_redis;
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_scenario;

private Q_SLOTS:
    void init();
    void cleanup();
    void splitsLosesAndRebalances();
    void faultsShowAndNeverHang();
    void malformedSpecExitsTwo_data();
    void malformedSpecExitsTwo();
    void durationReportSumsTheAgents();
    void frozenAgentWithRebalanceOff();
    void dnsEntryJoinsEveryAddress();
    void rampIsCutAmongTheAgentsUp();
};

void TstFleet::init()
{
    m_redis = std::make_unique<RedisServer>();
    QString error;
    QVERIFY2(m_redis->start(&error), qPrintable(error));
    m_dir = std::make_unique<QTemporaryDir>();
    m_scenario = writeFile(*m_dir, QStringLiteral("ping.yml"), kScenario);
}

void TstFleet::cleanup()
{
    m_redis.reset(); // stopped by the PID it started
    m_dir.reset();
}

// incr 300 over 3 agents: 100 each at the server; kill -9 one: lost within 5 s and 150 on each
// of the two others; the agent again on its port: 100 each. Then the controller dies: the agents
// keep their connections, and a new controller takes the fleet's target as the sum of theirs.
void TstFleet::splitsLosesAndRebalances()
{
    RedisServer& redis = *m_redis;
    const QString scenario = m_scenario;
    QString error;
    std::vector<Agent> agents;
    QVERIFY2(startAgents(&agents, 3, redis.port(), scenario, &error), qPrintable(error));
    const QStringList args = controllerArgs(fleetSpec(agents));
    auto controller = std::make_unique<SwarmProcess>();
    QVERIFY2(controller->start(args, &error), qPrintable(error));
    ConsoleClient console;
    QVERIFY(openConsole(&console, controller->consolePort()));
    QTRY_VERIFY_WITH_TIMEOUT(
        console.send("status agents").contains(QLatin1String("3 up of 3")), kSettleMs);

    QVERIFY(console.send("incr 300").contains(QLatin1String("OK")));
    const QMap<QString, int> even {{QStringLiteral("127.0.0.2"), 100},
        {QStringLiteral("127.0.0.3"), 100}, {QStringLiteral("127.0.0.4"), 100}};
    QTRY_VERIFY_WITH_TIMEOUT(countsAre(redis, even), kSettleMs);

    // kill -9 the second agent: the controller must show it lost within 5 s.
    QElapsedTimer lost;
    agents[1].process->process().kill(); // SIGKILL, by the PID this test started
    lost.start();
    while (!agentLine(&console, agents[1].port).contains(QLatin1String(" lost "))
        && lost.elapsed() < 10000)
        QTest::qWait(50);
    const qint64 lostMs = lost.elapsed();
    qInfo("agent killed -9: shown lost after %lld ms", lostMs);
    QVERIFY2(lostMs < 5000, qPrintable(agentLine(&console, agents[1].port)));
    const QMap<QString, int> onTwo {
        {QStringLiteral("127.0.0.2"), 150}, {QStringLiteral("127.0.0.4"), 150}};
    QTRY_VERIFY_WITH_TIMEOUT(countsAre(redis, onTwo), kSettleMs);
    qInfo("back at 300 on two agents after %lld ms", lost.elapsed());

    // The agent again, on the same port: it gets its share back.
    QVERIFY2(startAgent(&agents[1], &error), qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(countsAre(redis, even), kSettleMs);

    // Merged figures: the agents' connections summed, one entry per agent.
    const QJsonObject json = statsJson(&console);
    QCOMPARE(json.value(QStringLiteral("agents")).toArray().size(), 3);
    QTRY_COMPARE_WITH_TIMEOUT(statsJson(&console)
                                  .value(QStringLiteral("connections"))
                                  .toObject()
                                  .value(QStringLiteral("current"))
                                  .toInt(),
        300, kSettleMs);
    QVERIFY(json.value(QStringLiteral("totals"))
                .toObject()
                .value(QStringLiteral("requests"))
                .toInteger()
        > 0);

    // The controller dies: the agents keep their connections (two polls' time later: still 300).
    controller->process().kill();
    QVERIFY(controller->process().waitForFinished(5000));
    QTest::qWait(2500);
    QVERIFY(countsAre(redis, even));
    // A new controller picks the fleet up: its target is the sum of the agents'.
    auto second = std::make_unique<SwarmProcess>();
    QVERIFY2(second->start(args, &error), qPrintable(error));
    ConsoleClient console2;
    QVERIFY(openConsole(&console2, second->consolePort()));
    QTRY_COMPARE_WITH_TIMEOUT(statsJson(&console2)
                                  .value(QStringLiteral("connections"))
                                  .toObject()
                                  .value(QStringLiteral("target"))
                                  .toInt(),
        300, kSettleMs);
    QVERIFY(countsAre(redis, even));
    // And drives it: decr 30 is 10 fewer on each.
    QVERIFY(console2.send("decr 30").contains(QLatin1String("OK")));
    const QMap<QString, int> less {{QStringLiteral("127.0.0.2"), 90},
        {QStringLiteral("127.0.0.3"), 90}, {QStringLiteral("127.0.0.4"), 90}};
    QTRY_VERIFY_WITH_TIMEOUT(countsAre(redis, less), kSettleMs);
}

// One controller, four entries: a good agent, one running another scenario, one with another
// token, a port where nothing listens. Each shows as such; only the good one gets connections;
// the controller answers at once all along.
void TstFleet::faultsShowAndNeverHang()
{
    RedisServer& redis = *m_redis;
    QTemporaryDir& dir = *m_dir;
    const QString scenario = m_scenario;
    QString error;
    QByteArray otherText = kScenario;
    otherText.replace("0.05", "0.07");
    const QString other = writeFile(dir, QStringLiteral("other.yml"), otherText);
    Agent good, mismatch, wrongToken;
    good.port = freePort();
    good.args = agentArgs(redis.port(), scenario, good.port, QStringLiteral("127.0.0.2"), kToken);
    mismatch.port = freePort();
    mismatch.args
        = agentArgs(redis.port(), other, mismatch.port, QStringLiteral("127.0.0.3"), kToken);
    wrongToken.port = freePort();
    wrongToken.args = agentArgs(
        redis.port(), scenario, wrongToken.port, QStringLiteral("127.0.0.4"), "another-token");
    for (Agent* a : {&good, &mismatch, &wrongToken})
        QVERIFY2(startAgent(a, &error), qPrintable(error));
    const quint16 nothing = freePort();
    SwarmProcess controller;
    const QString spec = fleetSpec({good.port, mismatch.port, wrongToken.port, nothing});
    QVERIFY2(controller.start(controllerArgs(spec,
                                  {QStringLiteral("-s"), scenario, QStringLiteral("-p"),
                                      sourcePath(QStringLiteral("protocols"))}),
                 &error),
        qPrintable(error));
    ConsoleClient console;
    QVERIFY(openConsole(&console, controller.consolePort()));
    QTRY_VERIFY_WITH_TIMEOUT(
        agentLine(&console, good.port).contains(QLatin1String(" up ")), kSettleMs);
    QTRY_VERIFY_WITH_TIMEOUT(
        agentLine(&console, mismatch.port).contains(QLatin1String(" mismatch ")), kSettleMs);
    QTRY_VERIFY_WITH_TIMEOUT(
        agentLine(&console, wrongToken.port).contains(QLatin1String(" auth failed ")), kSettleMs);
    QTRY_VERIFY_WITH_TIMEOUT(
        agentLine(&console, nothing).contains(QLatin1String(" unreachable ")), kSettleMs);
    qInfo("%s", qPrintable(console.send("status agents")));

    QVERIFY(console.send("incr 12").contains(QLatin1String("OK")));
    QTRY_VERIFY_WITH_TIMEOUT(countsAre(redis, {{QStringLiteral("127.0.0.2"), 12}}), kSettleMs);
    // Never hangs: with three bad agents retrying, a command is answered well within a second.
    for (int i = 0; i < 5; ++i) {
        QElapsedTimer t;
        t.start();
        QVERIFY(console.sendUntil("status", QStringLiteral("Agents:"), 2000)
                    .contains(QLatin1String("Agents:")));
        QVERIFY2(t.elapsed() < 1000, qPrintable(QString::number(t.elapsed())));
        QTest::qWait(300);
    }
    QVERIFY(countsAre(redis, {{QStringLiteral("127.0.0.2"), 12}}));
}

void TstFleet::malformedSpecExitsTwo_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("why");
    QTest::newRow("no port") << QStringLiteral("127.0.0.1") << QStringLiteral("expected host:port");
    QTest::newRow("port 0") << QStringLiteral("127.0.0.1:0") << QStringLiteral("port from 1");
    QTest::newRow("empty entry") << QStringLiteral("127.0.0.1:7000,,127.0.0.1:7001")
                                 << QStringLiteral("empty entry");
    QTest::newRow("dns of an address")
        << QStringLiteral("dns:10.0.0.1:7000") << QStringLiteral("not a name to resolve");
    QTest::newRow("twice") << QStringLiteral("a:1,a:1") << QStringLiteral("listed twice");
    QTest::newRow("bad name") << QStringLiteral("no_such host!:7000")
                              << QStringLiteral("neither an IP address nor a host name");
}

void TstFleet::malformedSpecExitsTwo()
{
    QFETCH(QString, spec);
    QFETCH(QString, why);
    QProcess p;
    p.start(swarmBinary(), {QStringLiteral("--headless"), QStringLiteral("--fleet"), spec});
    QVERIFY(p.waitForFinished(20000));
    QCOMPARE(p.exitCode(), 2);
    const QString err = QString::fromUtf8(p.readAllStandardError());
    QVERIFY2(err.contains(QStringLiteral("--fleet")) && err.contains(spec) && err.contains(why),
        qPrintable(err));
}

// --connections, --duration and --report on the controller: the report's requests are the sum
// of the agents' own (each agent's --report, written when the controller's stop ends it).
void TstFleet::durationReportSumsTheAgents()
{
    RedisServer& redis = *m_redis;
    QTemporaryDir& dir = *m_dir;
    const QString scenario = m_scenario;
    QString error;
    std::vector<Agent> agents;
    QVERIFY2(startAgents(&agents, 2, redis.port(), scenario, &error,
                 [&dir](int i) {
                     return QStringList {QStringLiteral("--report"),
                         dir.filePath(QStringLiteral("agent%1.json").arg(i))};
                 }),
        qPrintable(error));
    const QString report = dir.filePath(QStringLiteral("fleet.json"));
    const QString csv = dir.filePath(QStringLiteral("fleet.csv"));
    SwarmProcess controller;
    // Thresholds on the merged figures: one that holds, one that cannot (a million requests a
    // second from 40 connections): the run's verdict is exit 1.
    QVERIFY2(
        controller.start(controllerArgs(fleetSpec(agents),
                             {QStringLiteral("--connections"), QStringLiteral("40"),
                                 QStringLiteral("--duration"), QStringLiteral("8s"),
                                 QStringLiteral("--report"), report, QStringLiteral("--csv"), csv,
                                 QStringLiteral("--threshold"), QStringLiteral("errors<1%"),
                                 QStringLiteral("--threshold"), QStringLiteral("rps>1000000")}),
            &error),
        qPrintable(error));
    // 8 s of load, up to 15 s of draining (FleetEngine::kDrainMs) and the agents' own stop.
    QCOMPARE(controller.waitForExit(60000), 1);
    quint64 sum = 0;
    for (int i = 0; i < 2; ++i) {
        QCOMPARE(agents[size_t(i)].process->waitForExit(20000), 0);
        QFile f(dir.filePath(QStringLiteral("agent%1.json").arg(i)));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const quint64 n = quint64(QJsonDocument::fromJson(f.readAll())
                                      .object()["totals"]
                                      .toObject()["requests"]
                                      .toInteger());
        QVERIFY(n > 0);
        sum += n;
    }
    QFile f(report);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonObject fleet = QJsonDocument::fromJson(f.readAll()).object();
    const quint64 merged = quint64(fleet["totals"].toObject()["requests"].toInteger());
    qInfo("fleet report: %llu requests; the agents' reports: %llu", merged, sum);
    // Exact: the controller stops its agents in two steps — target 0, then, once every agent
    // has held no connection for 2.5 s (an agent counts a request at its next 1 s merge, the
    // controller polls every 1 s), its last snapshot is merged and only then `stop` is sent. No
    // request can happen between that snapshot and the agent's own final report.
    QCOMPARE(merged, sum);
    QCOMPARE(fleet["connections"].toObject()["peak"].toInt(), 40);
    const QJsonArray thresholds = fleet["thresholds"].toArray();
    QCOMPARE(thresholds.size(), 2);
    QCOMPARE(thresholds[0].toObject()["passed"].toBool(), true);
    QCOMPARE(thresholds[1].toObject()["passed"].toBool(), false);
    // The CSV is the merged time series: a row a second, and a second with all 40 connections
    // (the two agents' 20 each, merged).
    QFile series(csv);
    QVERIFY(series.open(QIODevice::ReadOnly));
    const QList<QByteArray> rows = series.readAll().trimmed().split('\n');
    QVERIFY2(rows.size() >= 1 + 6, rows.join('\n').constData()); // header + most of 8 s
    QVERIFY(rows[0].startsWith("elapsed_s,connections,"));
    int most = 0;
    for (qsizetype r = 1; r < rows.size(); ++r)
        most = qMax(most, rows[r].split(',').value(1).toInt());
    QCOMPARE(most, 40);
}

// A frozen agent (SIGSTOP: its connections stay open, it answers nothing) is shown lost by the
// poll's timeout (2.5 s, polls every 1 s: within 3.5 s of its last answer); with --fleet-rebalance
// off the other agent keeps its share. Thawed, it is up again and nothing moved.
void TstFleet::frozenAgentWithRebalanceOff()
{
    RedisServer& redis = *m_redis;
    const QString scenario = m_scenario;
    QString error;
    std::vector<Agent> agents;
    QVERIFY2(startAgents(&agents, 2, redis.port(), scenario, &error), qPrintable(error));
    SwarmProcess controller;
    QVERIFY2(controller.start(controllerArgs(fleetSpec(agents),
                                  {QStringLiteral("--fleet-rebalance"), QStringLiteral("off")}),
                 &error),
        qPrintable(error));
    ConsoleClient console;
    QVERIFY(openConsole(&console, controller.consolePort()));
    QTRY_VERIFY_WITH_TIMEOUT(
        console.send("status agents").contains(QLatin1String("2 up of 2")), kSettleMs);
    QVERIFY(console.send("incr 20").contains(QLatin1String("OK")));
    const QMap<QString, int> even {
        {QStringLiteral("127.0.0.2"), 10}, {QStringLiteral("127.0.0.3"), 10}};
    QTRY_VERIFY_WITH_TIMEOUT(countsAre(redis, even), kSettleMs);

    const qint64 frozen = agents[1].process->pid();
    QCOMPARE(::kill(pid_t(frozen), SIGSTOP), 0);
    QElapsedTimer t;
    t.start();
    while (!agentLine(&console, agents[1].port).contains(QLatin1String(" lost "))
        && t.elapsed() < 10000)
        QTest::qWait(100);
    qInfo("agent frozen (SIGSTOP): shown lost after %lld ms", t.elapsed());
    const bool shownLost = t.elapsed() < 5000;
    QTest::qWait(1500); // rebalance off: nothing moves to the other agent
    const bool kept = countsAre(redis, even);
    QCOMPARE(::kill(pid_t(frozen), SIGCONT), 0);
    QVERIFY(shownLost);
    QVERIFY(kept);
    QTRY_VERIFY_WITH_TIMEOUT(
        agentLine(&console, agents[1].port).contains(QLatin1String(" up ")), kSettleMs);
    QVERIFY(countsAre(redis, even));
}

// dns:localhost:PORT: every address of the name is an agent: 127.0.0.1, where the agent
// listens, is up; ::1 (if the name has it), where nothing listens, is unreachable.
void TstFleet::dnsEntryJoinsEveryAddress()
{
    RedisServer& redis = *m_redis;
    const QString scenario = m_scenario;
    QString error;
    Agent a;
    a.port = freePort();
    a.args = agentArgs(redis.port(), scenario, a.port, QStringLiteral("127.0.0.2"), kToken);
    QVERIFY2(startAgent(&a, &error), qPrintable(error));
    SwarmProcess controller;
    QVERIFY2(controller.start(controllerArgs(QStringLiteral("dns:localhost:%1").arg(a.port),
                                  {QStringLiteral("--connections"), QStringLiteral("7")}),
                 &error),
        qPrintable(error));
    ConsoleClient console;
    QVERIFY(openConsole(&console, controller.consolePort()));
    QTRY_VERIFY_WITH_TIMEOUT(
        agentLine(&console, a.port).contains(QLatin1String(" up ")), kSettleMs);
    QTRY_VERIFY_WITH_TIMEOUT(countsAre(redis, {{QStringLiteral("127.0.0.2"), 7}}), kSettleMs);
    qInfo("%s", qPrintable(console.send("status agents")));
}

// The agent's own ramp, as its `status connections` says it ("Ramp: 50 per second; ...").
QString agentRamp(quint16 agentPort)
{
    ConsoleClient c;
    if (!c.connectTo(agentPort)) return QStringLiteral("(no console)");
    c.readAll();
    if (!c.send("auth " + kToken).contains(QLatin1String("OK: authenticated")))
        return QStringLiteral("(auth failed)");
    const QString text = c.send("status connections");
    for (const QString& line : text.split(QLatin1Char('\n')))
        if (line.trimmed().startsWith(QLatin1String("Ramp:"))) return line.trimmed();
    return text;
}

// `ramp R` on the controller is the fleet's: each agent up opens R / (agents up) a second, and
// when one is lost its part goes to the others, as its share of the target does.
void TstFleet::rampIsCutAmongTheAgentsUp()
{
    QString error;
    std::vector<Agent> agents;
    QVERIFY2(startAgents(&agents, 2, m_redis->port(), m_scenario, &error), qPrintable(error));
    auto controller = std::make_unique<SwarmProcess>();
    QVERIFY2(controller->start(controllerArgs(fleetSpec(agents)), &error), qPrintable(error));
    ConsoleClient console;
    QVERIFY(openConsole(&console, controller->consolePort()));
    QTRY_VERIFY_WITH_TIMEOUT(
        console.send("status agents").contains(QLatin1String("2 up of 2")), kSettleMs);
    QVERIFY(console.send("target 10").contains(QLatin1String("OK")));
    QVERIFY(console.send("ramp 100").contains(QLatin1String("OK")));
    for (const Agent& a : agents)
        QTRY_VERIFY2_WITH_TIMEOUT(agentRamp(a.port).startsWith(QLatin1String("Ramp: 50 per")),
            qPrintable(agentRamp(a.port)), kSettleMs);
    agents[1].process->process().kill(); // SIGKILL, by the PID this test started
    QTRY_VERIFY2_WITH_TIMEOUT(agentRamp(agents[0].port).startsWith(QLatin1String("Ramp: 100 per")),
        qPrintable(agentRamp(agents[0].port)), kSettleMs);
    // Back: halves again.
    QVERIFY2(startAgent(&agents[1], &error), qPrintable(error));
    for (const Agent& a : agents)
        QTRY_VERIFY2_WITH_TIMEOUT(agentRamp(a.port).startsWith(QLatin1String("Ramp: 50 per")),
            qPrintable(agentRamp(a.port)), kSettleMs);
}

QTEST_MAIN(TstFleet)
#include "tst_fleet.moc"
