// `stats snapshot` as a fleet controller reads it: the swarm binary, headless, driven through its
// telnet console against a real redis-server the test starts. The reply is parsed with the
// controller's reader (parseAgentState) and reconciled with redis' own count of the commands
// (INFO commandstats); the agent's identity follows a `reload` of a changed module.
#include "TestServers.h"

#include "scenario/BundleLoader.h"
#include "stats/AgentState.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace swarm;
using namespace swarm::test;

namespace {

constexpr int kConnections = 20;
constexpr int kTimeout = 15000;

// SET then PING, with short sleeps: steady traffic that leaves the shared machine some CPU.
const char kScenario[] = "protocol: redis\n"
                         "actions:\n"
                         "  - command: set\n"
                         "    sleep_between_rounds: 0\n"
                         "    sleep_after_action: 0.01\n"
                         "  - command: ping\n"
                         "    sleep_between_rounds: 0\n"
                         "    sleep_after_action: 0.01\n";

bool writeFile(const QString& path, const QByteArray& text)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(text) == text.size();
}

QByteArray readFile(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// One `stats snapshot`, parsed as the controller parses it; *raw keeps the line.
bool snapshot(ConsoleClient& console, AgentState* state, QString* error)
{
    const QString line = console.sendUntil("stats snapshot", QStringLiteral("\r\n"), kTimeout);
    if (line.count(QLatin1Char('\n')) != 1 || !line.endsWith(QLatin1String("\r\n"))) {
        *error = QStringLiteral("not one line: ") + line.left(200);
        return false;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(line.trimmed().toUtf8(), &parseError);
    if (!doc.isObject()) {
        *error = QStringLiteral("not JSON: %1: %2").arg(parseError.errorString(), line.left(200));
        return false;
    }
    return parseAgentState(doc.object(), state, error);
}

quint64 requestsOf(const AgentState& s, const QString& name)
{
    for (const CommandDelta& c : s.totals.commands)
        if (c.name == name) return c.requests;
    return 0;
}

QString digestOf(const QString& scenario)
{
    const BundleLoader::Result loaded = BundleLoader::load(scenario, QString());
    return loaded.ok() ? loaded.bundle->digest() : QStringLiteral("(does not load)");
}

} // namespace

class TstStatsSnapshot : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void agentStateMatchesRedis_data();
    void agentStateMatchesRedis();
};

void TstStatsSnapshot::agentStateMatchesRedis_data()
{
    QTest::addColumn<QString>("io");
    for (const QString& io : transports())
        QTest::newRow(qPrintable(io)) << io;
}

void TstStatsSnapshot::agentStateMatchesRedis()
{
    QFETCH(QString, io);
    QString error;
    RedisServer redis;
    QVERIFY2(redis.start(&error), qPrintable(error));
    // The scenario and a copy of the module side by side: the module is found next to the
    // scenario, and the test may change it.
    QTemporaryDir dir;
    const QString scenario = dir.filePath(QStringLiteral("load.yml"));
    const QString module = dir.filePath(QStringLiteral("redis.js"));
    QVERIFY(writeFile(scenario, kScenario));
    QVERIFY(writeFile(module, readFile(sourcePath(QStringLiteral("protocols/redis.js")))));
    SwarmProcess swarm;
    QVERIFY2(swarm.start({QStringLiteral("-r"), QStringLiteral("127.0.0.1:%1").arg(redis.port()),
                             QStringLiteral("-s"), scenario, QStringLiteral("--io"), io,
                             QStringLiteral("--threads"), QStringLiteral("2"),
                             QStringLiteral("--connect-spread"), QStringLiteral("0"),
                             QStringLiteral("--status-interval"), QStringLiteral("0"),
                             QStringLiteral("--agent-index"), QStringLiteral("1/3")},
                 &error),
        qPrintable(error));
    ConsoleClient console;
    QVERIFY(console.connectTo(swarm.consolePort()));
    console.readAll();
    // Before any load: a reading all the same, with nothing counted.
    AgentState idle;
    QVERIFY2(snapshot(console, &idle, &error), qPrintable(error));
    QCOMPARE(idle.totals.connections, 0);
    QVERIFY(idle.totals.commands.empty());
    QVERIFY(console.send("incr " + QByteArray::number(kConnections)).contains("OK"));
    QTRY_COMPARE_WITH_TIMEOUT(redis.connectedClients(), qint64(kConnections), kTimeout);
    QTest::qWait(3000);

    AgentState first;
    AgentState second;
    QVERIFY2(snapshot(console, &first, &error), qPrintable(error));
    QTest::qWait(1100); // the next merge
    QVERIFY2(snapshot(console, &second, &error), qPrintable(error));
    QCOMPARE(first.identity.version, QStringLiteral(SWARM_VERSION));
    QCOMPARE(first.identity.scenario, scenario);
    QCOMPARE(first.identity.protocol, QStringLiteral("redis"));
    QCOMPARE(first.identity.io, io);
    QCOMPARE(first.identity.agentIndex, 1);
    QCOMPARE(first.identity.agentCount, 3);
    QCOMPARE(first.identity.bundleDigest, digestOf(scenario));
    QCOMPARE(second.identity.bundleDigest, first.identity.bundleDigest);
    QCOMPARE(first.target, kConnections);
    QVERIFY2(requestsOf(first, QStringLiteral("set")) > 100, qPrintable(swarm.errors()));
    // Cumulative: the second reading continues the first, and the controller's delta holds
    // exactly what happened in between.
    const WorkerStats delta = agentDelta(&first, second, 0);
    QVERIFY(second.elapsedMs > first.elapsedMs);
    quint64 between = 0;
    for (const CommandDelta& c : delta.commands)
        between += c.requests;
    QCOMPARE(between,
        requestsOf(second, QStringLiteral("set")) + requestsOf(second, QStringLiteral("ping"))
            - requestsOf(first, QStringLiteral("set")) - requestsOf(first, QStringLiteral("ping")));
    QVERIFY(between > 0);

    // A changed module: `reload` runs it, and the digest says so once every worker has it.
    QVERIFY(writeFile(module, readFile(module) + "\n// changed by the test\n"));
    const QString changed = digestOf(scenario);
    QVERIFY(changed != first.identity.bundleDigest);
    QVERIFY(console.sendUntil("reload", QStringLiteral("is running"), kTimeout)
                .contains(QLatin1String("version 2 is running")));
    AgentState reloaded;
    QVERIFY2(snapshot(console, &reloaded, &error), qPrintable(error));
    QCOMPARE(reloaded.identity.bundleDigest, changed);

    // Freeze the load, then compare the totals with redis'. The closed loop has at most one
    // request in flight per connection, so the two can differ by the one in flight on each
    // connection when `decr` closed it (answered by redis but cut off before swarm read the
    // reply, or counted failed by swarm before redis read it): at most kConnections either way.
    QVERIFY(console.send("decr " + QByteArray::number(kConnections)).contains("OK"));
    QTRY_COMPARE_WITH_TIMEOUT(redis.connectedClients(), qint64(0), kTimeout);
    // Settled: no connection left and the same totals across a merge (once a second).
    AgentState settled;
    quint64 total = 0;
    for (int i = 0; i < 15; ++i) {
        QVERIFY2(snapshot(console, &settled, &error), qPrintable(error));
        const quint64 now = requestsOf(settled, QStringLiteral("set"))
            + requestsOf(settled, QStringLiteral("ping"));
        if (settled.totals.connections == 0 && now == total) break;
        total = now;
        QTest::qWait(1100);
    }
    QCOMPARE(settled.totals.connections, 0);
    // Less the PING with which RedisServer::start saw redis answer.
    const qint64 served = redis.commandCalls(QStringLiteral("set"))
        + redis.commandCalls(QStringLiteral("ping")) - 1;
    qInfo("redis served %lld SET and PING, the agent state says %llu", served, total);
    QVERIFY2(std::abs(double(served) - double(total)) <= kConnections,
        qPrintable(
            QStringLiteral("redis served %1, stats snapshot says %2").arg(served).arg(total)));
    swarm.terminate();
    QCOMPARE(swarm.waitForExit(kTimeout), 0);
}

QTEST_GUILESS_MAIN(TstStatsSnapshot)
#include "tst_statssnapshot.moc"
