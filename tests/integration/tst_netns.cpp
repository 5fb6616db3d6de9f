// NetnsLab (tests/support/): hosts with their own addresses on one machine, for multi-host tests.
// A lab of 3 hosts: redis-server on host 3, a real swarm agent on host 1 (its console on host 1's
// address, with a token), its console driven from host 2; redis sees the connections come from
// host 1's address. Afterwards neither a namespace nor a process of the lab remains, even when
// the test using it fails halfway. A host can have its own /etc/hosts, changed while its programs
// run. As root (CI, this machine) the hosts are network namespaces; elsewhere the lab falls back
// to 127.0.0.2... and the test says so.
#include "NetnsLab.h"
#include "TestServers.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTest>

#include <csignal>
#include <unistd.h>

using namespace swarm::test;

class TstNetns : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void agentOnOneHostLoadsServerOnAnother_data();
    void agentOnOneHostLoadsServerOnAnother();
    void leavesNothingWhenATestFailsHalfway();
    void hostsFileIsTheHostsOwn();
};

namespace {

const char kToken[] = "lab-token-7f3a";

bool processGone(qint64 pid)
{
    return ::kill(pid_t(pid), 0) != 0 && errno == ESRCH;
}

// Root must get namespaces: a silent fallback there would test loopback and call it a lab.
bool labAsExpected(const NetnsLab& lab, QString* why)
{
    if (!lab.isUp()) {
        *why = lab.error();
        return false;
    }
    if (!lab.usesNamespaces()) {
        if (::geteuid() == 0) {
            *why = QStringLiteral("root, yet no namespaces: ") + lab.fallbackReason();
            return false;
        }
        qInfo("NetnsLab: %s; the same test runs on 127.0.0.2, 127.0.0.3, ... instead",
            qPrintable(lab.fallbackReason()));
    } else {
        qInfo("NetnsLab: namespaces %s-1..3, hosts at 198.18.0.1..3", qPrintable(lab.prefix()));
    }
    return true;
}

// The machine's own namespace has no link and no address of the lab (ip -o link, ip -o addr).
bool ownNamespaceUntouched(const QString& prefix, QString* own)
{
    for (const QString& object : {QStringLiteral("link"), QStringLiteral("addr")}) {
        QProcess ip;
        ip.start(QStringLiteral("ip"), {QStringLiteral("-o"), object});
        if (!ip.waitForFinished(5000)) return false;
        *own = QString::fromUtf8(ip.readAllStandardOutput());
        if (own->contains(prefix) || own->contains(QStringLiteral("198.18."))) return false;
    }
    return true;
}

// redis CLIENT LIST asked on host 3 (redis-cli runs there): the peer address of each client but
// the asking one.
QStringList redisClients(const NetnsLab& lab, quint16 port)
{
    QByteArray out;
    lab.run(3, QStringLiteral("redis-cli"),
        {QStringLiteral("-h"), lab.address(3), QStringLiteral("-p"), QString::number(port),
            QStringLiteral("CLIENT"), QStringLiteral("LIST")},
        &out);
    QStringList peers;
    for (const QByteArray& line : out.split('\n')) {
        if (!line.contains("addr=") || line.contains("cmd=client")) continue;
        const QByteArray addr = line.mid(line.indexOf("addr=") + 5).split(' ').first();
        peers << QString::fromUtf8(addr.left(addr.lastIndexOf(':')));
    }
    return peers;
}

// A "failing test": makes a lab, starts a process on host 2 and gives up halfway, as a QVERIFY
// would, without any cleanup of its own.
bool failHalfway(QString* prefix, qint64* pid)
{
    NetnsLab lab(3);
    *prefix = lab.prefix();
    QString error;
    *pid = lab.start(2, QStringLiteral("sleep"), {QStringLiteral("60")}, &error);
    if (*pid == 0) qWarning("%s", qPrintable(error));
    return false;
}

} // namespace

void TstNetns::agentOnOneHostLoadsServerOnAnother_data()
{
    QTest::addColumn<QString>("io");
    for (const QString& io : transports())
        QTest::newRow(qPrintable(io)) << io;
}

void TstNetns::agentOnOneHostLoadsServerOnAnother()
{
    QFETCH(QString, io);
    QString prefix;
    QList<qint64> pids;
    {
        NetnsLab lab(3);
        QString error;
        QVERIFY2(labAsExpected(lab, &error), qPrintable(error));
        prefix = lab.prefix();
        QString own;
        QVERIFY2(!lab.usesNamespaces() || ownNamespaceUntouched(prefix, &own), qPrintable(own));
        // In namespaces every host has every port; on 127.0.0.x they share this machine's.
        const quint16 redisPort = lab.usesNamespaces() ? 6379 : freePort();
        const quint16 consolePort = lab.usesNamespaces() ? 8411 : freePort();
        QTemporaryDir redisDir;
        const qint64 redis = lab.start(3, QStringLiteral("redis-server"),
            {QStringLiteral("--bind"), lab.address(3), QStringLiteral("--port"),
                QString::number(redisPort), QStringLiteral("--protected-mode"),
                QStringLiteral("no"), QStringLiteral("--save"), QString(),
                QStringLiteral("--appendonly"), QStringLiteral("no"), QStringLiteral("--dir"),
                redisDir.path()},
            &error);
        QVERIFY2(redis, qPrintable(error));
        pids << redis;
        QVERIFY2(lab.waitForOutput(redis, QStringLiteral("Ready to accept connections"), 10000),
            qPrintable(lab.output(redis)));

        QStringList agentArgs {QStringLiteral("--headless"), QStringLiteral("--listen"),
            QStringLiteral("%1:%2").arg(lab.address(1)).arg(consolePort),
            QStringLiteral("--console-token"), QLatin1String(kToken), QStringLiteral("--server"),
            QStringLiteral("%1:%2").arg(lab.address(3)).arg(redisPort), QStringLiteral("--script"),
            sourcePath(QStringLiteral("scripts/redis-idle.yml")), QStringLiteral("--io"), io,
            QStringLiteral("--status-interval"), QStringLiteral("0")};
        if (!lab.usesNamespaces()) agentArgs << QStringLiteral("--source-ip") << lab.address(1);
        const qint64 agent = lab.start(1, swarmBinary(), agentArgs, &error);
        QVERIFY2(agent, qPrintable(error));
        pids << agent;
        QVERIFY2(lab.waitForOutput(agent, QStringLiteral("Console: listening on"), 15000),
            qPrintable(lab.output(agent)));

        // The console, from host 2: the test's own socket, made inside host 2's namespace.
        ConsoleClient console;
        bool connected = false;
        QVERIFY(lab.inHost(
            2, [&] { connected = console.connectTo(QHostAddress(lab.address(1)), consolePort); }));
        QVERIFY2(connected, qPrintable(console.socket()->errorString()));
        const QString auth
            = console.sendUntil(QByteArray("auth ") + kToken, QStringLiteral("OK: authenticated"));
        QVERIFY2(auth.contains(QStringLiteral("OK: authenticated")), qPrintable(auth));
        console.send("incr 50");
        // 50 connections after at most the default 1 s connect spread; 20 s bounds a slow machine.
        QTRY_COMPARE_WITH_TIMEOUT(redisClients(lab, redisPort).size(), 50, 20000);
        const QStringList peers = redisClients(lab, redisPort);
        QCOMPARE(peers.count(lab.address(1)), 50); // every one from host 1
        QVERIFY2(lab.isRunning(agent), qPrintable(lab.output(agent)));
    }
    // The lab is gone: its namespaces, and every process it started.
    QCOMPARE(NetnsLab::namespacesWithPrefix(prefix + QLatin1Char('-')), QStringList());
    for (qint64 pid : pids)
        QVERIFY2(processGone(pid), qPrintable(QString::number(pid)));
}

void TstNetns::leavesNothingWhenATestFailsHalfway()
{
    QString prefix;
    qint64 pid = 0;
    QVERIFY(!failHalfway(&prefix, &pid));
    QVERIFY(pid != 0);
    QCOMPARE(NetnsLab::namespacesWithPrefix(prefix + QLatin1Char('-')), QStringList());
    QVERIFY2(processGone(pid), qPrintable(QString::number(pid)));
}

// A host's own /etc/hosts (NetnsLab::setHostsFile): what the programs on that host resolve, and
// only they; rewritten, it changes for a program already running there (the bind mount shows the
// file's new text); gone with the lab.
void TstNetns::hostsFileIsTheHostsOwn()
{
    QString prefix;
    {
        NetnsLab lab(2);
        QString error;
        QVERIFY2(labAsExpected(lab, &error), qPrintable(error));
        prefix = lab.prefix();
        QVERIFY2(lab.setHostsFile(2, "198.18.0.1 lab.swarm.test\n", &error), qPrintable(error));
        // One shell, started once, resolving the name every 0.2 s for at most 20 s.
        const qint64 shell = lab.start(2, QStringLiteral("sh"),
            {QStringLiteral("-c"),
                QStringLiteral("for i in $(seq 100); do getent hosts lab.swarm.test; "
                               "echo .; sleep 0.2; done")},
            &error);
        QVERIFY2(shell, qPrintable(error));
        QVERIFY2(lab.waitForOutput(shell, QStringLiteral("198.18.0.1 "), 10000),
            qPrintable(lab.output(shell)));
        QVERIFY2(lab.setHostsFile(2, "198.18.0.2 lab.swarm.test\n", &error), qPrintable(error));
        QVERIFY2(lab.waitForOutput(shell, QStringLiteral("198.18.0.2 "), 10000),
            qPrintable(lab.output(shell)));
        QByteArray out;
        QCOMPARE(lab.run(1, QStringLiteral("getent"),
                     {QStringLiteral("hosts"), QStringLiteral("lab.swarm.test")}, &out),
            2); // getent: not found (host 1 has the machine's /etc/hosts)
        if (lab.usesNamespaces())
            QVERIFY(QFile::exists(QStringLiteral("/etc/netns/%1-2/hosts").arg(prefix)));
    }
    QVERIFY(!QFile::exists(QStringLiteral("/etc/netns/%1-2").arg(prefix)));
}

QTEST_GUILESS_MAIN(TstNetns)
#include "tst_netns.moc"
