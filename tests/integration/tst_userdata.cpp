// Distinct users: client.id, client.iteration, client.data, ${...} argument templates and data
// files, run by the swarm binary against a real redis-server (and, for the demo scenario, a
// durian server made here), checked by what the server saw: its keys, its CLIENT LIST names.
#include "TestServers.h"

#include <QFile>
#include <QMap>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

using namespace swarm::test;

namespace {

constexpr int kTimeout = 15000;

bool writeFile(const QString& path, const QByteArray& text)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(text) == text.size();
}

// name,pw with `rows` rows: user000,pw000 ...
QByteArray users(int rows)
{
    QByteArray text = "name,pw\n";
    for (int i = 0; i < rows; ++i)
        text += "user" + QByteArray::number(i).rightJustified(3, '0') + ",pw"
            + QByteArray::number(i) + '\n';
    return text;
}

QString userName(int row)
{
    return QStringLiteral("user%1").arg(row, 3, 10, QLatin1Char('0'));
}

// A scenario on the bundled redis module: each connection SETs user:<its row's name> to its id.
QByteArray setScenario(const char* order, bool wrap)
{
    return QByteArray("protocol: redis\n"
                      "data:\n"
                      "  users:\n"
                      "    file: users.csv\n"
                      "    order: ")
        + order + "\n" + (wrap ? "    wrap: true\n" : "")
        + "actions:\n"
          "  - command: set\n"
          "    args:\n"
          "      key: \"user:${row.users.name}\"\n"
          "      value: \"${id}\"\n"
          "    rounds: 1\n"
          "    sleep_between_rounds: 0\n"
          "    sleep_after_action: 0.2\n";
}

// A module that shows the identity to redis: its name in CLIENT LIST, its iteration in a key.
const QByteArray kIdentModule
    = "const LINE = swarm.crlf();\n"
      "function hello(client) {\n"
      "    client.send_for_reply(`CLIENT SETNAME c${client.id}-${client.data.users.name}\\r\\n`, "
      "LINE);\n"
      "    client.send_for_reply(`SET iter:${client.id} ${client.iteration}\\r\\n`, LINE);\n"
      "}\n";

QByteArray identScenario(const char* order, bool wrap)
{
    return QByteArray("protocol: ident\n"
                      "data:\n"
                      "  users: {file: users.csv, order: ")
        + order + (wrap ? ", wrap: true" : "")
        + "}\n"
          "actions:\n"
          "  - command: hello\n"
          "    rounds: 1\n"
          "    sleep_between_rounds: 0\n"
          "    sleep_after_action: 0.1\n";
}

QStringList swarmArgs(quint16 port, const QString& scenario, const QString& protocols,
    const QString& io, int connections)
{
    return {QStringLiteral("-r"), QStringLiteral("127.0.0.1:%1").arg(port), QStringLiteral("-s"),
        scenario, QStringLiteral("-p"), protocols, QStringLiteral("--io"), io,
        QStringLiteral("--threads"), QStringLiteral("2"), QStringLiteral("--connect-spread"),
        QStringLiteral("0"), QStringLiteral("--status-interval"), QStringLiteral("0"),
        QStringLiteral("--connections"), QString::number(connections)};
}

// The names swarm's connections gave themselves (CLIENT LIST), sorted.
QStringList clientNames(const RedisServer& redis)
{
    QStringList names;
    static const QRegularExpression re(QStringLiteral(R"( name=(\S+) )"));
    for (const QByteArray& line : redis.command("CLIENT LIST").split('\n')) {
        const QRegularExpressionMatch m = re.match(QString::fromUtf8(line));
        if (m.hasMatch()) names << m.captured(1);
    }
    names.sort();
    return names;
}

qint64 dbSize(const RedisServer& redis)
{
    const QByteArray r = redis.command("DBSIZE").trimmed();
    return r.startsWith(':') ? r.mid(1).toLongLong() : -1;
}

QString get(const RedisServer& redis, const QString& key)
{
    const QByteArray r = redis.command("GET " + key.toUtf8());
    const qsizetype eol = r.indexOf("\r\n");
    return r.startsWith('$') && eol > 0 ? QString::fromUtf8(r.mid(eol + 2).trimmed()) : QString();
}

QStringList expectedNames(int connections, int rows)
{
    QStringList names;
    for (int id = 0; id < connections; ++id)
        names << QStringLiteral("c%1-%2").arg(id).arg(userName(id % rows));
    names.sort();
    return names;
}

} // namespace

class TstUserData : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void distinctUsersAtTheServer_data();
    void distinctUsersAtTheServer();
    void identityIsStableAcrossReconnects_data();
    void identityIsStableAcrossReconnects();
    void uniqueRowsRunOutAtIncr();
    void wrapSharesRows();
    void sequentialGoesRoundRobin();
    void fleetAgentsShareNothing();
    void swarmAgentInJavaScript_data();
    void swarmAgentInJavaScript();
    void checkNamesFileLineColumn_data();
    void checkNamesFileLineColumn();
    void badDataFileNeverStopsARunningLoad();
    void demoLogsInDistinctUsers();
};

void TstUserData::distinctUsersAtTheServer_data()
{
    QTest::addColumn<QString>("io");
    for (const QString& io : transports())
        QTest::newRow(qPrintable(io)) << io;
}

// 40 connections over 2 threads, unique rows: 40 keys at the server, user:userNNN = NNN (the
// connection with client.id N has row N: both are the lowest free when it opened).
void TstUserData::distinctUsersAtTheServer()
{
    QFETCH(QString, io);
    RedisServer redis;
    QString error;
    QVERIFY2(redis.start(&error), qPrintable(error));
    QTemporaryDir dir;
    QVERIFY(writeFile(dir.filePath("users.csv"), users(100)));
    QVERIFY(writeFile(dir.filePath("users.yml"), setScenario("unique", false)));
    SwarmProcess swarm;
    QVERIFY2(swarm.start(swarmArgs(redis.port(), dir.filePath("users.yml"),
                             sourcePath(QStringLiteral("protocols")), io, 40),
                 &error),
        qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT(dbSize(redis), qint64(40), kTimeout);
    for (int i = 0; i < 40; ++i)
        QCOMPARE(get(redis, QStringLiteral("user:") + userName(i)), QString::number(i));
    QTest::qWait(500); // many iterations later, still the same 40 users
    QCOMPARE(dbSize(redis), qint64(40));
    swarm.terminate();
    QCOMPARE(swarm.waitForExit(kTimeout), 0);
}

void TstUserData::identityIsStableAcrossReconnects_data()
{
    distinctUsersAtTheServer_data();
}

// client.id, client.data and client.iteration in JavaScript; after the server drops every
// connection, each reconnects as the same id with the same row, and its iteration count goes on.
void TstUserData::identityIsStableAcrossReconnects()
{
    QFETCH(QString, io);
    RedisServer redis;
    QString error;
    QVERIFY2(redis.start(&error), qPrintable(error));
    QTemporaryDir dir;
    QVERIFY(writeFile(dir.filePath("users.csv"), users(30)));
    QVERIFY(writeFile(dir.filePath("ident.js"), kIdentModule));
    QVERIFY(writeFile(dir.filePath("ident.yml"), identScenario("unique", false)));
    SwarmProcess swarm;
    QVERIFY2(
        swarm.start(swarmArgs(redis.port(), dir.filePath("ident.yml"), dir.path(), io, 20), &error),
        qPrintable(error));
    const QStringList expected = expectedNames(20, 30);
    QTRY_COMPARE_WITH_TIMEOUT(clientNames(redis), expected, kTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(get(redis, "iter:0").toInt() >= 3, kTimeout);
    const QSet<qint64> before = [&] {
        QSet<qint64> ids;
        for (int id = 0; id < 20; ++id)
            ids << get(redis, QStringLiteral("iter:%1").arg(id)).toLongLong();
        return ids;
    }();
    QVERIFY(!before.contains(0));
    const QByteArray killed = redis.command("CLIENT KILL TYPE normal SKIPME yes");
    QVERIFY2(killed.startsWith(":"), killed.constData());
    QTRY_COMPARE_WITH_TIMEOUT(clientNames(redis), expected, kTimeout);
    // Every connection went on counting from where it was: none restarted at 1.
    const qint64 floor = *std::min_element(before.cbegin(), before.cend());
    QTRY_VERIFY_WITH_TIMEOUT(get(redis, "iter:19").toLongLong() > floor, kTimeout);
    for (int id = 0; id < 20; ++id)
        QVERIFY(get(redis, QStringLiteral("iter:%1").arg(id)).toLongLong() >= floor);
    swarm.terminate();
    QCOMPARE(swarm.waitForExit(kTimeout), 0);
}

// Ten unique rows serve ten connections at a time: more is refused at incr (and target, and
// --connections) with a clear message; rows of closed connections serve new ones.
void TstUserData::uniqueRowsRunOutAtIncr()
{
    RedisServer redis;
    QString error;
    QVERIFY2(redis.start(&error), qPrintable(error));
    QTemporaryDir dir;
    QVERIFY(writeFile(dir.filePath("users.csv"), users(10)));
    QVERIFY(writeFile(dir.filePath("users.yml"), setScenario("unique", false)));
    const QString yml = dir.filePath("users.yml");
    const QString protocols = sourcePath(QStringLiteral("protocols"));
    {
        SwarmProcess tooMany;
        tooMany.start(swarmArgs(redis.port(), yml, protocols, "auto", 11), &error);
        QCOMPARE(tooMany.waitForExit(kTimeout), 2);
        QVERIFY2(tooMany.errors().contains("--connections 11: data 'users' (users.csv, order: "
                                           "unique) has 10 rows"),
            qPrintable(tooMany.errors()));
    }
    SwarmProcess swarm;
    QVERIFY2(
        swarm.start(swarmArgs(redis.port(), yml, protocols, "auto", 8), &error), qPrintable(error));
    // --connections 8 is applied once the workers are up (the console listens before that):
    // the 8 are in place before the incr that asks for 13.
    QTRY_COMPARE_WITH_TIMEOUT(redis.connectedClients(), qint64(8), kTimeout);
    ConsoleClient console;
    QVERIFY(console.connectTo(swarm.consolePort()));
    console.readAll();
    const QString refused = console.send("incr 5");
    QVERIFY2(refused.contains("ERROR: incr 5 refused: data 'users' (users.csv, order: unique) "
                              "has 10 rows and each connection needs its own: 13 connections "
                              "need 13 rows"),
        qPrintable(refused));
    QVERIFY2(console.send("target 11").contains("ERROR: target 11 refused"), "target");
    QVERIFY(console.send("incr 2").contains("OK"));
    QTRY_COMPARE_WITH_TIMEOUT(dbSize(redis), qint64(10), kTimeout);
    QVERIFY(console.send("decr 3").contains("OK"));
    QTRY_COMPARE_WITH_TIMEOUT(redis.connectedClients(), qint64(7), kTimeout);
    QCOMPARE(redis.command("FLUSHALL").trimmed(), QByteArray("+OK"));
    // The three freed rows serve three new connections: all ten users again, and no row past
    // the tenth (which would be a connection without a row: a script error).
    const QString again = console.send("incr 3");
    QVERIFY2(again.contains("OK"), qPrintable(again));
    QTRY_COMPARE_WITH_TIMEOUT(dbSize(redis), qint64(10), kTimeout);
    for (int i = 0; i < 10; ++i)
        QVERIFY2(
            !get(redis, QStringLiteral("user:") + userName(i)).isEmpty(), qPrintable(userName(i)));
    QVERIFY2(!(swarm.output() + swarm.errors()).contains("script_error"),
        qPrintable(swarm.output() + swarm.errors()));
    swarm.terminate();
    QCOMPARE(swarm.waitForExit(kTimeout), 0);
}

// wrap: true: 12 connections over 5 rows, each connection its own id, rows shared in turn.
void TstUserData::wrapSharesRows()
{
    RedisServer redis;
    QString error;
    QVERIFY2(redis.start(&error), qPrintable(error));
    QTemporaryDir dir;
    QVERIFY(writeFile(dir.filePath("users.csv"), users(5)));
    QVERIFY(writeFile(dir.filePath("ident.js"), kIdentModule));
    QVERIFY(writeFile(dir.filePath("ident.yml"), identScenario("unique", true)));
    SwarmProcess swarm;
    QVERIFY2(swarm.start(swarmArgs(redis.port(), dir.filePath("ident.yml"), dir.path(), "auto", 12),
                 &error),
        qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT(clientNames(redis), expectedNames(12, 5), kTimeout);
    swarm.terminate();
    QCOMPARE(swarm.waitForExit(kTimeout), 0);
}

// sequential: every iteration takes the next row, over all connections and both threads, so
// four rows are used equally: each INCR seq:<name> count is within the number of connections
// of the mean (at the stop, each connection may have taken a row it never sent for).
void TstUserData::sequentialGoesRoundRobin()
{
    RedisServer redis;
    QString error;
    QVERIFY2(redis.start(&error), qPrintable(error));
    QTemporaryDir dir;
    QVERIFY(writeFile(dir.filePath("users.csv"), users(4)));
    QVERIFY(writeFile(dir.filePath("seq.yml"),
        "protocol: redis\n"
        "data:\n  users: users.csv\n"
        "actions:\n  - command: incr\n    args:\n      key: seq:${row.users.name}\n"
        "    rounds: 1\n    sleep_between_rounds: 0\n    sleep_after_action: 0.01\n"));
    SwarmProcess swarm;
    QStringList args = swarmArgs(
        redis.port(), dir.filePath("seq.yml"), sourcePath(QStringLiteral("protocols")), "auto", 8);
    args << QStringLiteral("--duration") << QStringLiteral("2s");
    QVERIFY2(swarm.start(args, &error), qPrintable(error));
    QCOMPARE(swarm.waitForExit(kTimeout), 0);
    QList<qint64> counts;
    qint64 total = 0;
    for (int i = 0; i < 4; ++i) {
        counts << get(redis, QStringLiteral("seq:") + userName(i)).toLongLong();
        total += counts.last();
    }
    QVERIFY2(total > 100, qPrintable(QString::number(total)));
    for (qint64 c : counts)
        QVERIFY2(
            qAbs(c - total / 4) <= 8, qPrintable(QStringLiteral("%1 of %2").arg(c).arg(total)));
}

// Two agents of a fleet (--agent-index 0/2 and 1/2) on one file of 20 unique rows: agent 0 has
// the ids and rows 0, 2, 4, ..., agent 1 the odd ones; together all 20 users, none twice, and
// each agent refuses an eleventh connection.
void TstUserData::fleetAgentsShareNothing()
{
    RedisServer redis;
    QString error;
    QVERIFY2(redis.start(&error), qPrintable(error));
    QTemporaryDir dir;
    QVERIFY(writeFile(dir.filePath("users.csv"), users(20)));
    QVERIFY(writeFile(dir.filePath("users.yml"), setScenario("unique", false)));
    const QString protocols = sourcePath(QStringLiteral("protocols"));
    SwarmProcess agents[2];
    for (int a = 0; a < 2; ++a) {
        QStringList args
            = swarmArgs(redis.port(), dir.filePath("users.yml"), protocols, "auto", 10);
        args << QStringLiteral("--agent-index") << QStringLiteral("%1/2").arg(a);
        QVERIFY2(agents[a].start(args, &error), qPrintable(error));
    }
    QTRY_COMPARE_WITH_TIMEOUT(dbSize(redis), qint64(20), kTimeout);
    for (int i = 0; i < 20; ++i)
        QCOMPARE(get(redis, QStringLiteral("user:") + userName(i)), QString::number(i));
    ConsoleClient console;
    QVERIFY(console.connectTo(agents[1].consolePort()));
    console.readAll();
    const QString refused = console.send("incr 1");
    QVERIFY2(refused.contains("has 10 rows (agent 1 of 2 takes one row in 2: 10 of the file's 20)"),
        qPrintable(refused));
    for (SwarmProcess& agent : agents) {
        agent.terminate();
        QCOMPARE(agent.waitForExit(kTimeout), 0);
    }
}

void TstUserData::swarmAgentInJavaScript_data()
{
    distinctUsersAtTheServer_data();
}

// swarm.agent in JavaScript says what --agent-index says, at the module's top level and in a
// command, frozen; client.id and the row a connection takes are those of the fleet split
// (agent 2 of 3: ids and rows 2, 5, 8, ...), as ${id} and ${row...} see them.
void TstUserData::swarmAgentInJavaScript()
{
    QFETCH(QString, io);
    RedisServer redis;
    QString error;
    QVERIFY2(redis.start(&error), qPrintable(error));
    QTemporaryDir dir;
    QVERIFY(writeFile(dir.filePath("users.csv"), users(30)));
    QVERIFY(writeFile(dir.filePath("ident.js"),
        "const LINE = swarm.crlf();\n"
        "const TOP = `${swarm.agent.index}/${swarm.agent.count}`;\n"
        "function hello(client) {\n"
        "    const a = swarm.agent;\n"
        "    client.send_for_reply(`SET agent:${client.id} ${a.index}/${a.count}/${TOP}/`\n"
        "        + `${client.data.users.name}/${Object.isFrozen(a)}\\r\\n`, LINE);\n"
        "}\n"));
    QVERIFY(writeFile(dir.filePath("ident.yml"), identScenario("unique", false)));
    SwarmProcess swarm;
    QStringList args = swarmArgs(redis.port(), dir.filePath("ident.yml"), dir.path(), io, 5);
    args << QStringLiteral("--agent-index") << QStringLiteral("2/3");
    QVERIFY2(swarm.start(args, &error), qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT(dbSize(redis), qint64(5), kTimeout);
    for (int n = 0; n < 5; ++n) {
        const int id = n * 3 + 2; // agent 2 of 3: the ids 2, 5, 8, 11, 14 and the same rows
        QCOMPARE(get(redis, QStringLiteral("agent:%1").arg(id)),
            QStringLiteral("2/3/2/3/%1/true").arg(userName(id)));
    }
    swarm.terminate();
    QCOMPARE(swarm.waitForExit(kTimeout), 0);
}

void TstUserData::checkNamesFileLineColumn_data()
{
    QTest::addColumn<QByteArray>("scenario");
    QTest::addColumn<QByteArray>("csv");
    QTest::addColumn<QString>("expected");
    const QByteArray head = "protocol: redis\ndata:\n  users:\n    file: users.csv\n"
                            "actions:\n  - command: set\n    args:\n";
    QTest::newRow("unknown name")
        << head + "      key: \"user:${idd}\"\n"
        << users(3)
        << "s.yml:8:20: action 1, 'key': template \"user:${idd}\": unknown name 'idd'; did you "
           "mean 'id'?";
    QTest::newRow("unknown column")
        << head + "      key: user:${row.users.nmae}\n"
        << users(3)
        << "s.yml:8:29: action 1, 'key': template \"user:${row.users.nmae}\": data file 'users' "
           "has no column 'nmae'; did you mean 'name'? (columns: name, pw)";
    QTest::newRow("unknown data")
        << head + "      value: \"${row.user.name}\"\n"
        << users(3)
        << "s.yml:8:21: action 1, 'value': template \"${row.user.name}\": no data file 'user'; "
           "did you mean 'users'?";
    QTest::newRow("bad syntax")
        << head + "      key: \"${id +}\"\n"
        << users(3)
        << "s.yml:8:18: action 1, 'key': template \"${id +}\": '+' must be followed by a whole "
           "number";
    QTest::newRow("malformed row") << head + "      key: k\n"
                                   << QByteArray("name,pw\na,1\nb,2,3\n")
                                   << "users.csv:3:5: data 'users': 3 fields in this row, the "
                                      "header has 2 (name, pw)";
    QTest::newRow("missing file") << QByteArray(
        "protocol: redis\ndata:\n  users:\n    file: nope.csv\nactions:\n"
        "  - command: ping\n") << users(3)
                                  << "s.yml:4:11: 'users': cannot read the data file: no such file";
    QTest::newRow("unknown key") << QByteArray(
        "protocol: redis\ndata:\n  users:\n    file: users.csv\n"
        "    oder: unique\nactions:\n  - command: ping\n")
                                 << users(3)
                                 << "s.yml:5:5: 'oder': unknown key; did you mean 'order'?";
}

// --check loads the data files and checks every template: errors name the file, line and column.
void TstUserData::checkNamesFileLineColumn()
{
    QFETCH(QByteArray, scenario);
    QFETCH(QByteArray, csv);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    QVERIFY(writeFile(dir.filePath("users.csv"), csv));
    QVERIFY(writeFile(dir.filePath("s.yml"), scenario));
    QProcess p;
    p.setWorkingDirectory(dir.path());
    p.start(swarmBinary(),
        {QStringLiteral("--check"), QStringLiteral("-s"), QStringLiteral("s.yml"),
            QStringLiteral("-p"), sourcePath(QStringLiteral("protocols"))});
    QVERIFY(p.waitForFinished(20000));
    const QString err = QString::fromUtf8(p.readAllStandardError());
    QCOMPARE(p.exitCode(), 2);
    QVERIFY2(err.contains(expected), qPrintable(err));
}

// A running load is never stopped by a bad data file: `reload` (what the window's Apply does
// too) refuses it with file:line:column and the connections go on.
void TstUserData::badDataFileNeverStopsARunningLoad()
{
    RedisServer redis;
    QString error;
    QVERIFY2(redis.start(&error), qPrintable(error));
    QTemporaryDir dir;
    QVERIFY(writeFile(dir.filePath("users.csv"), users(10)));
    QVERIFY(writeFile(dir.filePath("users.yml"), setScenario("unique", false)));
    SwarmProcess swarm;
    QVERIFY2(swarm.start(swarmArgs(redis.port(), dir.filePath("users.yml"),
                             sourcePath(QStringLiteral("protocols")), "auto", 5),
                 &error),
        qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT(dbSize(redis), qint64(5), kTimeout);
    QVERIFY(writeFile(dir.filePath("users.csv"), "name,pw\nuser000,1\nuser001,\"2\n"));
    ConsoleClient console;
    QVERIFY(console.connectTo(swarm.consolePort()));
    console.readAll();
    const QString reply = console.send("reload", 1000);
    QVERIFY2(reply.contains("ERROR")
            && reply.contains("users.csv:3:9: data 'users': a quoted "
                              "field is never closed"),
        qPrintable(reply));
    const qint64 calls = redis.commandsProcessed();
    QTRY_VERIFY_WITH_TIMEOUT(redis.commandsProcessed() > calls + 20, kTimeout);
    QCOMPARE(redis.connectedClients(), qint64(5));
    swarm.terminate();
    QCOMPARE(swarm.waitForExit(kTimeout), 0);
}

// The bundled demo scenario logs in distinct users from the bundled users.csv: a durian server
// made here records every user.login's uid and password.
void TstUserData::demoLogsInDistinctUsers()
{
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost));
    QMap<QString, QString> logins; // uid -> password
    QObject::connect(&server, &QTcpServer::newConnection, &server, [&] {
        while (QTcpSocket* s = server.nextPendingConnection()) {
            QObject::connect(s, &QTcpSocket::readyRead, s, [s, &logins] {
                while (s->canReadLine()) {
                    const QList<QByteArray> f = s->readLine().trimmed().split('|');
                    if (f.size() < 4) continue;
                    if (f[1] == "user.login") {
                        const QUrlQuery q(QString::fromUtf8(f.mid(3).join('|')));
                        logins.insert(q.queryItemValue("uid"), q.queryItemValue("password"));
                        s->write("SR|user.login|0|token=t" + f[3].left(12) + "\r\n");
                    } else {
                        s->write("SR|" + f[1] + "|0|ok\r\n");
                    }
                }
            });
        }
    });
    SwarmProcess swarm;
    QString error;
    QVERIFY2(
        swarm.start({QStringLiteral("-r"), QStringLiteral("127.0.0.1:%1").arg(server.serverPort()),
                        QStringLiteral("--connect-spread"), QStringLiteral("0"),
                        QStringLiteral("--connections"), QStringLiteral("25")},
            &error),
        qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT(logins.size(), 25, kTimeout);
    for (int i = 0; i < 25; ++i)
        QCOMPARE(logins.value(QString::number(100000 + i)),
            QStringLiteral("secret%1").arg(i, 5, 10, QLatin1Char('0')));
    swarm.terminate();
    QCOMPARE(swarm.waitForExit(kTimeout), 0);
}

QTEST_GUILESS_MAIN(TstUserData)
#include "tst_userdata.moc"
