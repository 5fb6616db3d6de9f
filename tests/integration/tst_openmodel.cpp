// The open model (--rate, an action's `rate:`, the console's `rate R`) against a real
// redis-server the test starts: the rate is counted by redis itself (INFO commandstats), and a
// server frozen for a second (SIGSTOP / SIGCONT of the redis this test started) must show in
// the latency from the intended start while the service time stays below it. Every test runs
// on each transport.
#include "TestServers.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <csignal>

using namespace swarm::test;

namespace {

constexpr int kTimeout = 20000;

QStringList runArgs(quint16 port, const QString& scenario, const QString& io)
{
    return {QStringLiteral("-r"), QStringLiteral("127.0.0.1:%1").arg(port), QStringLiteral("-s"),
        scenario, QStringLiteral("-p"), sourcePath(QStringLiteral("protocols")),
        QStringLiteral("--connect-spread"), QStringLiteral("0"), QStringLiteral("--io"), io,
        QStringLiteral("--threads"), QStringLiteral("1"), QStringLiteral("--status-interval"),
        QStringLiteral("0")};
}

bool writeFile(const QString& path, const QByteArray& text)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(text) == text.size();
}

// PINGs per second that redis itself counted over `ms` milliseconds.
double measuredRate(const RedisServer& redis, int ms)
{
    QElapsedTimer clock;
    const qint64 before = redis.commandCalls(QStringLiteral("ping"));
    clock.start();
    QThread::msleep(ulong(ms));
    const qint64 after = redis.commandCalls(QStringLiteral("ping"));
    return double(after - before) * 1000.0 / double(clock.elapsed());
}

QJsonObject readJson(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

// SIGSTOP for `ms`, then SIGCONT: the server holds every request sent meanwhile.
void freeze(const RedisServer& redis, int ms)
{
    ::kill(pid_t(redis.pid()), SIGSTOP);
    QThread::msleep(ulong(ms));
    ::kill(pid_t(redis.pid()), SIGCONT);
}

} // namespace

class TstOpenModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rateIsKept_data();
    void rateIsKept();
    void actionRateIsKept_data() { rateIsKept_data(); }
    void actionRateIsKept();
    void freezeCountsFromIntendedStart_data() { rateIsKept_data(); }
    void freezeCountsFromIntendedStart();
    void freezeShowsInTheClosedLoop_data() { rateIsKept_data(); }
    void freezeShowsInTheClosedLoop();
};

void TstOpenModel::rateIsKept_data()
{
    QTest::addColumn<QString>("io");
    for (const QString& io : transports())
        QTest::newRow(qPrintable(io)) << io;
}

// --rate 300 at start, then `rate 1000` on the console: redis counts what arrives.
void TstOpenModel::rateIsKept()
{
    QFETCH(QString, io);
    RedisServer redis;
    SwarmProcess swarm;
    QString error;
    QVERIFY2(redis.start(&error), qPrintable(error));
    QVERIFY2(swarm.start(runArgs(redis.port(), sourcePath(QStringLiteral("scripts/ping.yml")), io)
                     + QStringList {QStringLiteral("--connections"), QStringLiteral("20"),
                         QStringLiteral("--rate"), QStringLiteral("300")},
                 &error),
        qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT(redis.connectedClients(), 20, kTimeout);
    // Fixed arrivals are exact in the long run: the error is the window's edges (two INFO
    // round trips, a millisecond each: a few requests of thousands) and one second's start of
    // each connection's schedule (a random phase within its interval), so 2 % (the issue's
    // bound) is far from what a working schedule misses by. A closed loop would run at
    // tens of thousands per second and miss by orders of magnitude.
    QThread::msleep(1000);
    const double slow = measuredRate(redis, 5000);
    qInfo("%s: --rate 300: redis counted %.1f PINGs/s", qPrintable(io), slow);
    QVERIFY2(qAbs(slow - 300) <= 300 * 0.02, qPrintable(QString::number(slow)));

    ConsoleClient console;
    QVERIFY(console.connectTo(swarm.consolePort()));
    console.readAll();
    const QString reply = console.send("rate 1000");
    QVERIFY2(reply.contains(QLatin1String("OK: rate 1000 rounds per second (was 300 rounds")),
        qPrintable(reply));
    QThread::msleep(1000);
    const double fast = measuredRate(redis, 5000);
    qInfo("%s: rate 1000: redis counted %.1f PINGs/s", qPrintable(io), fast);
    QVERIFY2(qAbs(fast - 1000) <= 1000 * 0.02, qPrintable(QString::number(fast)));

    // swarm says the same: achieved against asked, not behind (a backlog of a few arrivals is a
    // worker thread descheduled for a moment on a busy machine; "NOT keeping up" is more than a
    // tenth of a second's worth).
    const QString status = console.send("status");
    QVERIFY2(status.contains(QLatin1String("of 1000.0/s asked; backlog")), qPrintable(status));
    QVERIFY2(!status.contains(QLatin1String("NOT keeping up")), qPrintable(status));
    QVERIFY2(status.contains(QLatin1String("from the intended start")), qPrintable(status));
    const QJsonObject json
        = QJsonDocument::fromJson(console.send("stats json").trimmed().toUtf8()).object();
    const QJsonObject open = json.value(QStringLiteral("open_model")).toObject();
    QVERIFY2(qAbs(open.value(QStringLiteral("asked_per_s_now")).toDouble() - 1000) < 1,
        qPrintable(console.send("stats json")));
    QVERIFY(json.value(QStringLiteral("totals"))
                .toObject()
                .contains(QStringLiteral("corrected_latency_us")));
    console.send("stop");
    QCOMPARE(swarm.waitForExit(kTimeout), 0);
}

// An action's own `rate:` paces it without --rate.
void TstOpenModel::actionRateIsKept()
{
    QFETCH(QString, io);
    QTemporaryDir dir;
    const QString scenario = dir.filePath(QStringLiteral("paced.yml"));
    QVERIFY(writeFile(scenario,
        "protocol: redis\nactions:\n  - command: ping\n    rounds: 1\n"
        "    sleep_between_rounds: 0\n    sleep_after_action: 0\n    rate: 400\n"));
    RedisServer redis;
    SwarmProcess swarm;
    QString error;
    QVERIFY2(redis.start(&error), qPrintable(error));
    QVERIFY2(swarm.start(runArgs(redis.port(), scenario, io)
                     + QStringList {QStringLiteral("--connections"), QStringLiteral("8")},
                 &error),
        qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT(redis.connectedClients(), 8, kTimeout);
    QThread::msleep(1000);
    const double rate = measuredRate(redis, 5000); // 2 %: as rateIsKept
    qInfo("%s: rate: 400: redis counted %.1f PINGs/s", qPrintable(io), rate);
    QVERIFY2(qAbs(rate - 400) <= 400 * 0.02, qPrintable(QString::number(rate)));
    swarm.terminate();
    QCOMPARE(swarm.waitForExit(kTimeout), 0);
}

namespace {

// Runs `scenario` on 10 connections with `extra` options against a redis that is frozen for
// 1 s after 2 s, stops swarm 2 s later and returns its --report's totals (empty on failure,
// with *error saying why).
QJsonObject totalsAroundAFreeze(
    const QString& io, const QString& scenario, const QStringList& extra, QString* error)
{
    QTemporaryDir dir;
    const QString report = dir.filePath(QStringLiteral("report.json"));
    RedisServer redis;
    SwarmProcess swarm;
    if (!redis.start(error)
        || !swarm.start(runArgs(redis.port(), scenario, io) + extra
                + QStringList {QStringLiteral("--connections"), QStringLiteral("10"),
                    QStringLiteral("--report"), report},
            error))
        return {};
    QElapsedTimer waited;
    waited.start();
    while (redis.connectedClients() < 10 && waited.elapsed() < kTimeout)
        QThread::msleep(50);
    QThread::msleep(2000);
    freeze(redis, 1000);
    QThread::msleep(2000);
    swarm.terminate();
    if (swarm.waitForExit(kTimeout) != 0) {
        *error = QStringLiteral("swarm did not stop cleanly: ") + swarm.errors();
        return {};
    }
    return readJson(report).value(QStringLiteral("totals")).toObject();
}

qint64 percentileOf(const QJsonObject& totals, const char* histogram, const char* percentile)
{
    return totals.value(QLatin1String(histogram))
        .toObject()
        .value(QLatin1String(percentile))
        .toInteger();
}

} // namespace

// 500 rounds/s over 10 connections, redis frozen for 1 s in the middle of ~5 s. Arrivals in the
// freeze's first 100 ms wait at least 900 ms from their intended start: 50 of ~2,500 requests,
// 2 %, so the corrected p99 is at least 900 ms. Service time: only the one request in flight
// per connection (10, 0.4 %) spans the freeze; the ones that waited are served at once after
// it, so the service p99 stays well below.
void TstOpenModel::freezeCountsFromIntendedStart()
{
    QFETCH(QString, io);
    QString error;
    const QJsonObject totals
        = totalsAroundAFreeze(io, sourcePath(QStringLiteral("scripts/ping.yml")),
            {QStringLiteral("--rate"), QStringLiteral("500")}, &error);
    QVERIFY2(!totals.isEmpty(), qPrintable(error));
    const qint64 service = percentileOf(totals, "latency_us", "p99");
    const qint64 corrected = percentileOf(totals, "corrected_latency_us", "p99");
    const QString figures
        = QStringLiteral("service p99 %1 us, corrected p99 %2 us").arg(service).arg(corrected);
    qInfo("%s: open model, 1 s freeze: %s", qPrintable(io), qPrintable(figures));
    QVERIFY2(corrected >= 900000, qPrintable(figures));
    QVERIFY2(service < 900000, qPrintable(figures));
}

// The closed loop (20 ms sleeps, 10 connections: ~500 requests/s) sees the freeze in its
// service time: the 10 requests in flight wait it out, more than 0.1 % of ~2,500, so p99.9 is
// at least 900 ms (the p99 may hide it: coordinated omission, which the open model avoids).
void TstOpenModel::freezeShowsInTheClosedLoop()
{
    QFETCH(QString, io);
    QTemporaryDir dir;
    const QString scenario = dir.filePath(QStringLiteral("closed.yml"));
    QVERIFY(writeFile(scenario,
        "protocol: redis\nactions:\n  - command: ping\n    rounds: 1\n"
        "    sleep_between_rounds: 0\n    sleep_after_action: 0.02\n"));
    QString error;
    const QJsonObject totals = totalsAroundAFreeze(io, scenario, {}, &error);
    QVERIFY2(!totals.isEmpty(), qPrintable(error));
    const qint64 p99 = percentileOf(totals, "latency_us", "p99");
    const qint64 p999 = percentileOf(totals, "latency_us", "p999");
    qInfo("%s: closed loop, 1 s freeze: service p99 %lld us, p99.9 %lld us", qPrintable(io), p99,
        p999);
    QVERIFY2(p999 >= 900000, qPrintable(QString::number(p999)));
    // Nothing is paced: no latency from an intended start is claimed.
    QVERIFY(!totals.contains(QStringLiteral("corrected_latency_us")));
}

QTEST_GUILESS_MAIN(TstOpenModel)
#include "tst_openmodel.moc"
