#include "stats/StatsMerger.h"

#include <QTest>

using namespace swarm;

// The merge of the workers' interval reports into one snapshot, without an engine: what every
// output (status, stats json, report, CSV, charts) reads.
class TstStatsMerger : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void totalsAddUpAcrossWorkers();
    void ratesAreOverTheClosedInterval();
    void connectionsAreEachWorkersLatest();
    void peakBetweenReportsCounts();
    void intervalPercentilesStartAfresh();
    void errorMessagesBelongToTheirInterval();
    void eachIntervalIsOneSample();
    void openModelFiguresMerge();
};

namespace {

CommandDelta command(const char* name, quint64 requests, quint64 errors, quint64 latencyUs)
{
    CommandDelta d;
    d.name = QString::fromLatin1(name);
    d.requests = requests;
    d.errors = errors;
    d.bytesSent = requests * 10;
    d.bytesReceived = requests * 20;
    for (quint64 i = 0; i < requests; ++i)
        d.latency.record(latencyUs);
    return d;
}

WorkerStats report(int worker, int connections = 0)
{
    WorkerStats w;
    w.worker = worker;
    w.connections = connections;
    w.current[size_t(ConnState::Standby)] = connections;
    return w;
}

} // namespace

void TstStatsMerger::totalsAddUpAcrossWorkers()
{
    StatsMerger m;
    WorkerStats a = report(0);
    a.commands = {command("get", 3, 1, 100), command("set", 2, 0, 200)};
    a.transitions[size_t(ConnState::Refused)] = 4;
    a.actionsCompleted = 5;
    a.bytesSent = 50;
    WorkerStats b = report(1);
    b.commands = {command("set", 5, 0, 300), command("del", 1, 1, 400)};
    b.actionsCompleted = 1;
    b.bytesSent = 7;
    m.add(a);
    m.add(b);
    const StatsSnapshot& s = m.snapshot();
    QCOMPARE(s.requests, quint64(11));
    QCOMPARE(s.requestErrors, quint64(2));
    QCOMPARE(s.actionsCompleted, quint64(6));
    QCOMPARE(s.bytesSent, quint64(57));
    QCOMPARE(s.transitions[size_t(ConnState::Refused)], qint64(4));
    QCOMPARE(s.latency.count(), quint64(11));
    // One row per command, in the order first seen, summed over the workers.
    QCOMPARE(int(s.commands.size()), 3);
    QCOMPARE(s.commands[0].name, QStringLiteral("get"));
    QCOMPARE(s.commands[1].name, QStringLiteral("set"));
    QCOMPARE(s.commands[1].requests, quint64(7));
    QCOMPARE(s.commands[1].bytesReceived, quint64(140));
    QCOMPARE(s.commands[1].latency.count(), quint64(7));
    QCOMPARE(s.commands[2].errors, quint64(1));
}

void TstStatsMerger::ratesAreOverTheClosedInterval()
{
    StatsMerger m;
    m.start(1000);
    WorkerStats a = report(0);
    a.commands = {command("get", 100, 0, 100)};
    a.transitions[size_t(ConnState::TimedOut)] = 6;
    a.transitions[size_t(ConnState::Acting)] = 1000; // not an error state
    a.bytesReceived = 4000;
    m.add(a);
    m.closeInterval(3000, 0); // two seconds
    const StatsSnapshot& s = m.snapshot();
    QCOMPARE(s.intervalMs, qint64(2000));
    QCOMPARE(s.elapsedMs, qint64(3000));
    QCOMPARE(s.rps, 50.0);
    QCOMPARE(s.errorsPerSecond, 3.0);
    QCOMPARE(s.bytesReceivedPerSecond, 2000.0);
    QCOMPARE(s.commands[0].rps, 50.0);
    // A quiet interval: no rate, the totals stay.
    m.closeInterval(4000, 0);
    QCOMPARE(m.snapshot().rps, 0.0);
    QCOMPARE(m.snapshot().commands[0].rps, 0.0);
    QCOMPARE(m.snapshot().requests, quint64(100));
    QCOMPARE(m.snapshot().averageRps(), 25.0); // 100 over the 4 s the run has lasted
}

void TstStatsMerger::connectionsAreEachWorkersLatest()
{
    StatsMerger m;
    m.add(report(0, 10));
    m.add(report(1, 5));
    m.closeInterval(1000, 20);
    QCOMPARE(m.snapshot().connections, 15);
    QCOMPARE(m.snapshot().target, 20);
    QCOMPARE(m.snapshot().current[size_t(ConnState::Standby)], qint64(15));
    // Worker 0 reports 3 now; worker 1 is late: its last figure stands.
    m.add(report(0, 3));
    m.closeInterval(2000, 20);
    QCOMPARE(m.snapshot().connections, 8);
    QCOMPARE(m.snapshot().peakConnections, 15);
    m.setTarget(4);
    QCOMPARE(m.snapshot().target, 4);
}

// Connections opened and closed again between two reports (8,000 opened and stopped within a
// second: tst_resilience) make the peak through each worker's own peak of the interval.
void TstStatsMerger::peakBetweenReportsCounts()
{
    StatsMerger m;
    WorkerStats a = report(0, 0);
    a.peakConnections = 8000;
    m.add(a);
    m.closeInterval(1000, 0);
    QCOMPARE(m.snapshot().connections, 0);
    QCOMPARE(m.snapshot().peakConnections, 8000);
    // Two workers' peaks of one interval add up (an incr splits over them at once); a later,
    // lower interval leaves the peak as it was.
    WorkerStats b = report(0, 10);
    b.peakConnections = 300;
    WorkerStats c = report(1, 10);
    c.peakConnections = 7900;
    m.add(b);
    m.add(c);
    m.closeInterval(2000, 20);
    QCOMPARE(m.snapshot().peakConnections, 8200);
    m.add(report(0, 5));
    m.add(report(1, 5));
    m.closeInterval(3000, 10);
    QCOMPARE(m.snapshot().connections, 10);
    QCOMPARE(m.snapshot().peakConnections, 8200);
}

void TstStatsMerger::intervalPercentilesStartAfresh()
{
    StatsMerger m;
    WorkerStats slow = report(0);
    slow.commands = {command("get", 10, 0, 50000)};
    m.add(slow);
    m.closeInterval(1000, 0);
    QVERIFY(m.snapshot().intervalP99 >= 49000);
    WorkerStats fast = report(0);
    fast.commands = {command("get", 10, 0, 100)};
    m.add(fast);
    m.closeInterval(2000, 0);
    // Only this interval's requests (within the histogram's 0.4 % precision).
    QVERIFY2(
        m.snapshot().intervalP99 <= 101, qPrintable(QString::number(m.snapshot().intervalP99)));
    QVERIFY(m.snapshot().latency.percentile(99) >= 49000); // the run's stays
}

void TstStatsMerger::errorMessagesBelongToTheirInterval()
{
    StatsMerger m;
    WorkerStats a = report(0);
    a.errorSamples
        = {{QStringLiteral("script_error"), QString(), QStringLiteral("x.js:4: boom"), 12},
            {QStringLiteral("refused"), QString(), QStringLiteral("connection refused"), 1}};
    WorkerStats b = report(1);
    for (int i = 0; i < 6; ++i)
        b.errorSamples.push_back(
            {QStringLiteral("closed"), QString(), QStringLiteral("n%1").arg(i), 1});
    m.add(a);
    m.add(b);
    const QStringList messages = m.closeInterval(1000, 0);
    QCOMPARE(messages.size(), 8);
    QCOMPARE(messages[0], QStringLiteral("12x script_error: x.js:4: boom"));
    QCOMPARE(messages[1], QStringLiteral("refused: connection refused"));
    QCOMPARE(m.snapshot().recentErrors.size(), 5); // a few, for the status block
    QCOMPARE(m.snapshot().recentErrorsAtMs, qint64(1000));
    // The next interval has none: nothing returned, the last ones stay with their time.
    QVERIFY(m.closeInterval(2000, 0).isEmpty());
    QCOMPARE(m.snapshot().recentErrors.first(), messages.first());
    QCOMPARE(m.snapshot().recentErrorsAtMs, qint64(1000));
}

void TstStatsMerger::eachIntervalIsOneSample()
{
    StatsMerger m;
    for (int second = 1; second <= 3; ++second) {
        WorkerStats a = report(0, second);
        a.commands = {command("get", quint64(second) * 10, 0, 1000)};
        m.add(a);
        m.closeInterval(second * 1000, 0);
    }
    const TimeSeries& t = m.timeSeries();
    QCOMPARE(t.size(), 3);
    QCOMPARE(t.at(0).elapsedMs, qint64(1000));
    QCOMPARE(t.at(2).connections, 3);
    QCOMPARE(t.at(2).rps, 30.0f);
    QCOMPARE(t.at(1).states[size_t(ConnState::Standby)], 2);
    QVERIFY(t.at(2).p50Us >= 990 && t.at(2).p50Us <= 1010); // 0.4 % histogram precision
}

// The open model: latency from the intended start beside the service time, rounds started
// over the interval, and each worker's latest asked rate and backlog (not summed over time).
void TstStatsMerger::openModelFiguresMerge()
{
    StatsMerger m;
    m.start(0);
    WorkerStats a = report(0, 5);
    CommandDelta ping = command("ping", 4, 0, 100);
    for (quint64 us : {100, 100, 900100, 500100})
        ping.corrected.record(us);
    a.commands = {ping};
    a.arrivals = 4;
    a.askedRate = 500;
    a.backlog = 3;
    WorkerStats b = report(1, 5);
    b.arrivals = 6;
    b.askedRate = 500;
    m.add(a);
    m.add(b);
    m.closeInterval(2000, 10);
    StatsSnapshot s = m.snapshot();
    QVERIFY(s.openModel());
    QCOMPARE(s.arrivals, quint64(10));
    QCOMPARE(s.arrivalRate, 5.0); // 10 rounds in 2 s
    QCOMPARE(s.askedRate, 1000.0);
    QCOMPARE(s.backlog, qint64(3));
    QCOMPARE(s.latency.percentile(99), quint64(100));
    QVERIFY(s.corrected.percentile(99) > 890000);
    QCOMPARE(s.commands[0].corrected.count(), quint64(4));
    QVERIFY(s.intervalCorrectedP99 > 890000);
    QCOMPARE(m.timeSeries().last().backlog, 3);
    QVERIFY(m.timeSeries().last().correctedP99Us > 890000);
    // A worker's next report replaces its asked rate and backlog.
    a = report(0, 5);
    a.askedRate = 500;
    m.add(a);
    m.closeInterval(3000, 10);
    s = m.snapshot();
    QCOMPARE(s.backlog, qint64(0));
    QCOMPARE(s.askedRate, 1000.0);
    QCOMPARE(s.arrivals, quint64(10));
    QCOMPARE(s.arrivalRate, 0.0);
    QCOMPARE(s.askedRateOverRun, 1000.0); // 1000/s for 2 s, then for 1 s: 3 s over 3 s
}

QTEST_GUILESS_MAIN(TstStatsMerger)
#include "tst_statsmerger.moc"
