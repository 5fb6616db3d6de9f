// Every console command over a real TCP session to the swarm binary (headless), against a real
// redis-server the test starts on a free loopback port. What the commands did is checked with
// the server's own view: CLIENT LIST ids (redis numbers every accepted connection, so an
// unchanged id set means nothing reconnected), INFO commandstats (which commands ran).
#include "TestServers.h"

#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <sys/resource.h>

using namespace swarm::test;

namespace {

constexpr int kTimeout = 15000;

QStringList redisArgs(quint16 port, const QString& scenario)
{
    return {QStringLiteral("-r"), QStringLiteral("127.0.0.1:%1").arg(port), QStringLiteral("-s"),
        scenario, QStringLiteral("-p"), sourcePath(QStringLiteral("protocols")),
        QStringLiteral("--connect-spread"), QStringLiteral("0"),
        QStringLiteral("--status-interval"), QStringLiteral("0")};
}

// The ids redis gave swarm's connections (CLIENT LIST without the asking connection).
QSet<qint64> clientIds(const RedisServer& redis)
{
    QSet<qint64> ids;
    static const QRegularExpression re(QStringLiteral(R"(^id=(\d+) .* cmd=(\S+))"));
    for (const QByteArray& line : redis.command("CLIENT LIST").split('\n')) {
        const QRegularExpressionMatch m = re.match(QString::fromUtf8(line));
        if (m.hasMatch() && m.captured(2) != QLatin1String("client|list"))
            ids.insert(m.captured(1).toLongLong());
    }
    return ids;
}

bool writeFile(const QString& path, const QByteArray& text)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(text) == text.size();
}

QByteArray onlyCommand(const char* command)
{
    return QByteArray("protocol: redis\nactions:\n  - command: ") + command
        + "\n    rounds: 1\n    sleep_between_rounds: 0\n    sleep_after_action: 0.01\n";
}

// Open connections of each worker, from `status connections`.
QList<int> perWorker(const QString& status)
{
    QList<int> open;
    static const QRegularExpression re(QStringLiteral(R"(Worker \d+: (\d+) open)"));
    auto it = re.globalMatch(status);
    while (it.hasNext())
        open << it.next().captured(1).toInt();
    return open;
}

// Starts redis-server, swarm against it with `scenario` and `extra` options, and one console
// session (banner read): the setup of most tests here.
bool startRun(RedisServer& redis, SwarmProcess& swarm, ConsoleClient& console,
    const QString& scenario, const QStringList& extra, QString* error)
{
    if (!redis.start(error) || !swarm.start(redisArgs(redis.port(), scenario) + extra, error))
        return false;
    if (!console.connectTo(swarm.consolePort())) {
        *error = QStringLiteral("cannot open a console session");
        return false;
    }
    console.readAll();
    return true;
}

} // namespace

class TstConsole : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void decrPicksAtRandomOrByAge();
    void reloadAppliesNewScenarioWithoutReconnecting();
    void targetAndRampChangeTheLoad();
    void focusedStatusViews();
    void watchRepeatsUntilAKey();
    void helpAndBadInput();
    void targetAboveTheOpenFilesLimitIsRefused(); // last: lowers this process's hard limit
};

void TstConsole::decrPicksAtRandomOrByAge()
{
    RedisServer redis;
    SwarmProcess swarm;
    ConsoleClient console;
    QString error;
    QVERIFY2(startRun(redis, swarm, console, sourcePath(QStringLiteral("scripts/redis-idle.yml")),
                 QStringList {QStringLiteral("--threads"), QStringLiteral("2")}, &error),
        qPrintable(error));

    // Two batches of 100, one after the other: batch A is older than batch B.
    QVERIFY(console.send("incr 100").contains(QLatin1String("OK")));
    QTRY_COMPARE_WITH_TIMEOUT(redis.connectedClients(), 100, kTimeout);
    const QSet<qint64> a = clientIds(redis);
    QVERIFY(console.send("incr 100").contains(QLatin1String("OK")));
    QTRY_COMPARE_WITH_TIMEOUT(redis.connectedClients(), 200, kTimeout);
    const QSet<qint64> b = clientIds(redis) - a;
    QCOMPARE(b.size(), 100);

    // Random: 100 of 200 chosen uniformly, so batch A loses a hypergeometric number (mean 50,
    // sd 3.5); 30..70 is beyond 5.6 sd, false failure ~1e-8. Newest-first would take all of
    // B and none of A. The same holds for each worker's share (100 each, 2 workers).
    const QString reply = console.send("decr 100");
    QVERIFY2(reply.contains(QLatin1String("OK: closing 100 random connections (target 100)")),
        qPrintable(reply));
    QTRY_COMPARE_WITH_TIMEOUT(redis.connectedClients(), 100, kTimeout);
    const QSet<qint64> left = clientIds(redis);
    const int lostA = int((a - left).size());
    QVERIFY2(lostA >= 30 && lostA <= 70, qPrintable(QString::number(lostA)));
    QCOMPARE(int((b - left).size()), 100 - lostA);
    const QList<int> workers = perWorker(console.send("status connections"));
    QCOMPARE(workers.size(), 2);
    for (int n : workers)
        QVERIFY2(n >= 30 && n <= 70, qPrintable(QString::number(n)));

    // A third batch C; then "oldest" closes what is left of A first, "newest" takes from C.
    console.send("incr 50");
    QTRY_COMPARE_WITH_TIMEOUT(redis.connectedClients(), 150, kTimeout);
    const QSet<qint64> c = clientIds(redis) - left;
    const QSet<qint64> leftA = a & left;
    const QSet<qint64> leftB = b & left;
    QVERIFY(console.send("decr 40 oldest").contains(QLatin1String("closing 40 oldest")));
    QTRY_COMPARE_WITH_TIMEOUT(redis.connectedClients(), 110, kTimeout);
    const QSet<qint64> afterOldest = clientIds(redis);
    const int fromA = qMin(40, int(leftA.size()));
    QCOMPARE(int((leftA - afterOldest).size()), fromA);
    QCOMPARE(int((leftB - afterOldest).size()), 40 - fromA);
    QCOMPARE(int((c - afterOldest).size()), 0);
    QVERIFY(console.send("decr 20 NEWEST").contains(QLatin1String("closing 20 newest")));
    QTRY_COMPARE_WITH_TIMEOUT(redis.connectedClients(), 90, kTimeout);
    const QSet<qint64> afterNewest = clientIds(redis);
    QCOMPARE(int((c - afterNewest).size()), 20);
    QCOMPARE(afterOldest - c, afterNewest - c);

    console.send("stop");
    QCOMPARE(swarm.waitForExit(kTimeout), 0);
}

void TstConsole::reloadAppliesNewScenarioWithoutReconnecting()
{
    RedisServer redis;
    QString error;
    QVERIFY2(redis.start(&error), qPrintable(error));
    QTemporaryDir dir;
    const QString scenario = dir.filePath(QStringLiteral("load.yml"));
    QVERIFY(writeFile(scenario, onlyCommand("set")));
    SwarmProcess swarm;
    QVERIFY2(swarm.start(redisArgs(redis.port(), scenario)
                     + QStringList {QStringLiteral("--connections"), QStringLiteral("20")},
                 &error),
        qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT(redis.connectedClients(), 20, kTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(redis.commandCalls(QStringLiteral("set")) > 100, kTimeout);
    QCOMPARE(redis.commandCalls(QStringLiteral("get")), 0);
    const QSet<qint64> before = clientIds(redis);
    ConsoleClient console;
    QVERIFY(console.connectTo(swarm.consolePort()));
    console.readAll();

    // SET becomes GET: each connection picks the new version up at its next iteration.
    QVERIFY(writeFile(scenario, onlyCommand("get")));
    QString reply = console.send("reload", 1000);
    QVERIFY2(reply.contains(QLatin1String("OK: reloading")), qPrintable(reply));
    QVERIFY2(reply.contains(QLatin1String("version 2 is running")), qPrintable(reply));
    QTRY_VERIFY_WITH_TIMEOUT(redis.commandCalls(QStringLiteral("get")) > 100, kTimeout);
    // Once every connection is past its iteration (one takes ~10 ms), SET stops for good.
    QTest::qWait(500);
    const qint64 sets = redis.commandCalls(QStringLiteral("set"));
    QTest::qWait(500);
    QCOMPARE(redis.commandCalls(QStringLiteral("set")), sets);
    QCOMPARE(clientIds(redis), before); // no connection was dropped or reopened

    // A file with an error: file, line and key in the reply; the GET load runs on.
    QVERIFY(writeFile(scenario,
        "protocol: redis\nactions:\n  - command: set\n"
        "    sleep_afer_action: 1\n"));
    reply = console.send("reload");
    QVERIFY2(reply.contains(QLatin1String("ERROR")), qPrintable(reply));
    QVERIFY2(reply.contains(scenario + QStringLiteral(":4:")), qPrintable(reply));
    QVERIFY2(reply.contains(QLatin1String("sleep_after_action")), qPrintable(reply));
    QVERIFY2(reply.contains(QLatin1String("keeps running version 2")), qPrintable(reply));
    const qint64 gets = redis.commandCalls(QStringLiteral("get"));
    QTest::qWait(300);
    QVERIFY(redis.commandCalls(QStringLiteral("get")) > gets);
    QCOMPARE(redis.commandCalls(QStringLiteral("set")), sets);

    // SIGHUP does the same as `reload` in headless mode.
    QVERIFY(writeFile(scenario, onlyCommand("ping")));
    ::kill(pid_t(swarm.pid()), SIGHUP);
    QVERIFY2(swarm.waitForOutput(QStringLiteral("version 3 is running"), kTimeout),
        qPrintable(swarm.output() + swarm.errors()));
    QTRY_VERIFY_WITH_TIMEOUT(redis.commandCalls(QStringLiteral("ping")) > 100, kTimeout);
    QCOMPARE(clientIds(redis), before);

    console.send("stop");
    QCOMPARE(swarm.waitForExit(kTimeout), 0);
}

void TstConsole::targetAndRampChangeTheLoad()
{
    RedisServer redis;
    SwarmProcess swarm;
    ConsoleClient console;
    QString error;
    QVERIFY2(startRun(redis, swarm, console, sourcePath(QStringLiteral("scripts/redis-idle.yml")),
                 QStringList {QStringLiteral("--ramp"), QStringLiteral("10")}, &error),
        qPrintable(error));

    QString reply = console.send("target 100");
    QVERIFY2(reply.contains(QLatin1String("OK: target 100 (was 0): 100 more connections")),
        qPrintable(reply));
    // At 10 a second, 100 take 10 s. Raised to 1000 a second, the rest take a fraction of a
    // second; 4 s leaves room for a slow machine and is still well under the 10 s of the old
    // rate (which would have opened at most ~50 by then).
    QTRY_VERIFY_WITH_TIMEOUT(redis.connectedClients() >= 3, kTimeout);
    QElapsedTimer t;
    t.start();
    reply = console.send("ramp 1000");
    QVERIFY2(reply.contains(QLatin1String("OK: ramp 1000 per second (was 10 per second)")),
        qPrintable(reply));
    QVERIFY2(reply.contains(QLatin1String("waiting to open")), qPrintable(reply));
    QTRY_COMPARE_WITH_TIMEOUT(redis.connectedClients(), 100, kTimeout);
    QVERIFY2(t.elapsed() < 4000, qPrintable(QString::number(t.elapsed())));

    reply = console.send("target 40");
    QVERIFY2(
        reply.contains(QLatin1String("OK: target 40 (was 100): closing 60 connections at random")),
        qPrintable(reply));
    QTRY_COMPARE_WITH_TIMEOUT(redis.connectedClients(), 40, kTimeout);
    QVERIFY(console.send("target 40").contains(QLatin1String("OK: target stays 40")));
    reply = console.send("ramp 0");
    QVERIFY2(reply.contains(QLatin1String("OK: ramp off (all at once) (was 1000 per second)")),
        qPrintable(reply));
    QVERIFY(console.send("target 60").contains(QLatin1String("20 more")));
    QTRY_COMPARE_WITH_TIMEOUT(redis.connectedClients(), 60, kTimeout);
    reply = console.send("rate 100");
    QVERIFY2(reply.contains(QLatin1String("OK: rate 100 rounds per second (was off")),
        qPrintable(reply));
    QVERIFY(console.send("rate 0").contains(QLatin1String("OK: rate off")));
    QVERIFY(console.send("rate -1").contains(QLatin1String("from 0 (the closed loop)")));
    QVERIFY(console.send("target -1").contains(QLatin1String("from 0 to 1000000")));
    QCOMPARE(redis.connectedClients(), 60);
    console.send("stop");
    QCOMPARE(swarm.waitForExit(kTimeout), 0);
}

void TstConsole::focusedStatusViews()
{
    RedisServer redis;
    QString error;
    QVERIFY2(redis.start(&error), qPrintable(error));
    QTemporaryDir dir;
    const QString scenario = dir.filePath(QStringLiteral("check.yml"));
    // SET then a GET that expects another value: a script error in get_checked every round.
    QVERIFY(writeFile(scenario,
        "protocol: redis\nactions:\n  - command: set\n"
        "    sleep_after_action: 0\n  - command: get_checked\n"
        "    args:\n      expect: other\n    sleep_after_action: 0.05\n"));
    SwarmProcess swarm;
    QVERIFY2(swarm.start(redisArgs(redis.port(), scenario)
                     + QStringList {QStringLiteral("--connections"), QStringLiteral("5")},
                 &error),
        qPrintable(error));
    ConsoleClient console;
    QVERIFY(console.connectTo(swarm.consolePort()));
    console.readAll();
    QTRY_VERIFY_WITH_TIMEOUT(
        console.send("status errors").contains(QLatin1String("get_checked")), kTimeout);
    const QString errors = console.send("status errors");
    QVERIFY2(errors.contains(QLatin1String("script_error")), qPrintable(errors));
    QVERIFY2(errors.contains(QLatin1String("expected \"other\"")), qPrintable(errors));
    // Every script error followed a GET the server answered: never more errors than GETs.
    static const QRegularExpression row(QStringLiteral(R"(script_error\s+get_checked\s+(\d+))"));
    const qint64 counted = row.match(errors).captured(1).toLongLong();
    QVERIFY2(
        counted >= 1 && counted <= redis.commandCalls(QStringLiteral("get")), qPrintable(errors));

    const QString commands = console.send("status commands");
    QVERIFY2(commands.contains(QLatin1String("p99.9")), qPrintable(commands));
    static const QRegularExpression setRow(QStringLiteral(R"(\nset\s+(\d+))"));
    const qint64 sets = setRow.match(commands).captured(1).toLongLong();
    QVERIFY2(sets >= 1 && sets <= redis.commandCalls(QStringLiteral("set")), qPrintable(commands));
    QVERIFY(commands.contains(QLatin1String("get_checked")));

    const QString connections = console.send("status connections");
    QVERIFY2(connections.contains(QLatin1String("target 5")), qPrintable(connections));
    QVERIFY2(connections.contains(QLatin1String("Worker 0:")), qPrintable(connections));
    QVERIFY2(
        console.send("status").contains(QLatin1String("Realtime: total:")), "status as before");
    console.send("stop");
    QCOMPARE(swarm.waitForExit(kTimeout), 0);
}

void TstConsole::watchRepeatsUntilAKey()
{
    RedisServer redis;
    SwarmProcess swarm;
    ConsoleClient watcher;
    QString error;
    QVERIFY2(startRun(redis, swarm, watcher, sourcePath(QStringLiteral("scripts/redis-idle.yml")),
                 QStringList {QStringLiteral("--connections"), QStringLiteral("3")}, &error),
        qPrintable(error));
    QVERIFY(watcher.send("watch 0").contains(QLatin1String("from 1 to 3600")));
    // The first block at once, then one a second: at least 3 in 2.5 s.
    const QString watched = watcher.send("watch 1", 2500, 2600);
    QVERIFY2(watched.contains(QLatin1String("Watching")), qPrintable(watched));
    QVERIFY2(watched.count(QLatin1String("<----------")) >= 3, qPrintable(watched));

    // Another session is not held up meanwhile.
    ConsoleClient other;
    QVERIFY(other.connectTo(swarm.consolePort()));
    other.readAll();
    QVERIFY(other.send("status").contains(QLatin1String("Realtime: total: 3")));

    // Any input stops it and is not run as a command.
    const QString stopped = watcher.send("incr 5", 300);
    QVERIFY2(stopped.contains(QLatin1String("(watch stopped)")), qPrintable(stopped));
    QVERIFY(watcher.readAll(1500, 1600).isEmpty());
    QCOMPARE(redis.connectedClients(), 3);
    QVERIFY(watcher.send("status").contains(QLatin1String("Realtime")));
    other.send("stop");
    QCOMPARE(swarm.waitForExit(kTimeout), 0);
}

void TstConsole::helpAndBadInput()
{
    SwarmProcess swarm;
    QString error;
    QVERIFY2(swarm.start({QStringLiteral("--connect-spread"), QStringLiteral("0")}, &error),
        qPrintable(error));
    ConsoleClient console;
    QVERIFY(console.connectTo(swarm.consolePort()));
    const QString banner = console.readAll();
    const QString help = console.send("help");
    for (const char* command : {"incr N", "decr N [random|newest|oldest]", "target N", "ramp R",
             "rate R", "reload", "status [errors|commands|connections|agents]", "watch [N]",
             "stats json", "stop", "quit", "help [CMD]"})
        QVERIFY2(help.contains(QLatin1String(command)), command);
    QVERIFY2(banner.contains(QLatin1String("decr N [random|newest|oldest]")), qPrintable(banner));
    QVERIFY(console.send("help decr").contains(QLatin1String("uniformly")));
    QVERIFY(console.send("help reload").contains(QLatin1String("SIGHUP")));
    QVERIFY(console.send("help stats").contains(QLatin1String("lossless")));
    QVERIFY(console.send("help stauts").contains(QLatin1String("did you mean 'status")));

    QString reply = console.send("stauts");
    QVERIFY2(reply.contains(QLatin1String("unknown command 'stauts'")), qPrintable(reply));
    QVERIFY2(reply.contains(QLatin1String("did you mean 'status")), qPrintable(reply));
    reply = console.send("decr 5 newst");
    QVERIFY2(reply.contains(QLatin1String("unknown argument 'newst'")), qPrintable(reply));
    QVERIFY2(reply.contains(QLatin1String("did you mean 'newest'")), qPrintable(reply));
    QVERIFY(console.send("status erors").contains(QLatin1String("did you mean 'errors'")));
    QVERIFY(console.send("incr -5").contains(QLatin1String("from 1 to 1000000")));
    QVERIFY(console.send("ramp -1").contains(QLatin1String("from 0")));
    QVERIFY(console.send("reload now").contains(QLatin1String("takes no argument")));
    QVERIFY(console.isConnected());
    console.send("stop");
    QCOMPARE(swarm.waitForExit(kTimeout), 0);
}

void TstConsole::targetAboveTheOpenFilesLimitIsRefused()
{
    // swarm raises its soft limit to the hard one; a hard limit of 512 (inherited from this
    // process, which cannot raise it again: hence the last test) leaves 512 - 64 = 448.
    struct rlimit limit
    {
        512, 512
    };
    QCOMPARE(::setrlimit(RLIMIT_NOFILE, &limit), 0);
    SwarmProcess swarm;
    QString error;
    QVERIFY2(swarm.start({QStringLiteral("--connect-spread"), QStringLiteral("0")}, &error),
        qPrintable(error));
    ConsoleClient console;
    QVERIFY(console.connectTo(swarm.consolePort()));
    console.readAll();
    QString reply = console.send("target 449");
    QVERIFY2(reply.contains(QLatin1String("above the limit of 448")), qPrintable(reply));
    QVERIFY2(reply.contains(QLatin1String("open-files limit is 512")), qPrintable(reply));
    // (Few connections for real: with the embedded demo server each one costs two descriptors.)
    QVERIFY(console.send("incr 10").contains(QLatin1String("OK")));
    reply = console.send("incr 439");
    QVERIFY2(reply.contains(QLatin1String("would ask for 449 connections")), qPrintable(reply));
    QVERIFY(console.send("target 20").contains(QLatin1String("OK: target 20 (was 10)")));
    console.send("stop");
    QCOMPARE(swarm.waitForExit(kTimeout), 0);
}

QTEST_GUILESS_MAIN(TstConsole)
#include "tst_console.moc"
