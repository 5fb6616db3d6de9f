// The fleet controller's wire format (`stats snapshot`): what an agent writes comes back exact,
// and a controller merging the differences of its agents' readings gets the very figures one
// merger fed every worker's report would — histograms bucket for bucket, so the percentiles too.
#include "AgentStateTestUtil.h"

#include "scenario/ScenarioBundle.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTest>

#include <functional>
#include <random>

using namespace swarm;
using namespace swarm::test;

class TstAgentState : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTripIsExact();
    void largeCountersTravelAsStrings();
    void histogramSubtractIsExact();
    void controllerMergeEqualsDirectMerge();
    void restartedAgentCountsFromZero();
    void bundleDigestFollowsTheTexts();
};

namespace {

const CommandDelta* commandNamed(const WorkerStats& w, const QString& name)
{
    for (const CommandDelta& c : w.commands)
        if (c.name == name) return &c;
    return nullptr;
}

// Two histograms, part by part: the first difference is named.
void compareHistograms(const LatencyHistogram& got, const LatencyHistogram& want)
{
    QCOMPARE(got.count(), want.count());
    QCOMPARE(got.sum(), want.sum());
    QCOMPARE(got.min(), want.min());
    QCOMPARE(got.max(), want.max());
    for (int b = 0; b < LatencyHistogram::bucketCount(); ++b)
        QCOMPARE(got.countAt(b), want.countAt(b));
    QVERIFY(got == want);
}

// Every total of two snapshots, histograms bucket for bucket and the whole run's percentiles.
void compareTotals(const StatsSnapshot& got, const StatsSnapshot& want)
{
    QCOMPARE(got.transitions, want.transitions);
    QCOMPARE(got.current, want.current);
    QCOMPARE(got.connections, want.connections);
    QCOMPARE(got.requests, want.requests);
    QCOMPARE(got.requestErrors, want.requestErrors);
    QCOMPARE(got.errors(), want.errors());
    QCOMPARE(got.actionsCompleted, want.actionsCompleted);
    QCOMPARE(got.bytesSent, want.bytesSent);
    QCOMPARE(got.bytesReceived, want.bytesReceived);
    QCOMPARE(got.messagesReceived, want.messagesReceived);
    QCOMPARE(got.messagesSent, want.messagesSent);
    QCOMPARE(got.arrivals, want.arrivals);
    QCOMPARE(got.askedRate, want.askedRate);
    QCOMPARE(got.backlog, want.backlog);
    compareHistograms(got.latency, want.latency);
    compareHistograms(got.corrected, want.corrected);
    compareHistograms(got.connectTime, want.connectTime);
    compareHistograms(got.tlsHandshake, want.tlsHandshake);
    for (double p : {50.0, 99.0, 99.9})
        QCOMPARE(got.latency.percentile(p), want.latency.percentile(p));
    QCOMPARE(got.commands.size(), want.commands.size());
    for (const CommandTotals& w : want.commands) {
        const CommandTotals* g = got.command(w.name);
        QVERIFY2(g, qPrintable(w.name));
        QCOMPARE(g->requests, w.requests);
        QCOMPARE(g->errors, w.errors);
        QCOMPARE(g->bytesSent, w.bytesSent);
        QCOMPARE(g->bytesReceived, w.bytesReceived);
        QCOMPARE(g->messagesReceived, w.messagesReceived);
        QCOMPARE(g->messagesSent, w.messagesSent);
        compareHistograms(g->latency, w.latency);
        compareHistograms(g->corrected, w.corrected);
        for (double p : {50.0, 99.0, 99.9})
            QCOMPARE(g->latency.percentile(p), w.latency.percentile(p));
    }
    // Error rows: the same counts by kind and command (the last message is each agent's last).
    QCOMPARE(got.errorTotals.size(), want.errorTotals.size());
    for (const ErrorTotals& w : want.errorTotals) {
        auto g = std::find_if(got.errorTotals.begin(), got.errorTotals.end(),
            [&](const ErrorTotals& e) { return e.kind == w.kind && e.command == w.command; });
        QVERIFY(g != got.errorTotals.end());
        QCOMPARE(g->count, w.count);
    }
}

} // namespace

void TstAgentState::roundTripIsExact()
{
    const StatsSnapshot s = snapshotOf(3, 6, 42);
    QVERIFY(s.commands.size() == 3 && s.errorTotals.size() >= 2 && s.tlsHandshake.count() > 0);
    QVERIFY(s.latency.min() <= 2 && s.latency.max() == LatencyHistogram::kMaxValue);
    AgentState a;
    QString error;
    QVERIFY2(overTheWire(s, identity(1), &a, &error), qPrintable(error));
    QCOMPARE(a.identity.version, identity().version);
    QCOMPARE(a.identity.scenario, identity().scenario);
    QCOMPARE(a.identity.protocol, identity().protocol);
    QCOMPARE(a.identity.io, identity().io);
    QCOMPARE(a.identity.bundleDigest, identity().bundleDigest);
    QCOMPARE(a.identity.agentIndex, 1);
    QCOMPARE(a.identity.agentCount, 2);
    QCOMPARE(a.elapsedMs, s.elapsedMs);
    QCOMPARE(a.target, s.target);
    // The reading, merged alone into a fresh merger, is the snapshot again.
    StatsMerger m;
    m.add(agentDelta(nullptr, a, 0));
    m.closeInterval(1000, 0);
    compareTotals(m.snapshot(), s);
    QCOMPARE(a.errorTotals.size(), s.errorTotals.size());
    for (size_t i = 0; i < s.errorTotals.size(); ++i) {
        QCOMPARE(a.errorTotals[i].kind, s.errorTotals[i].kind);
        QCOMPARE(a.errorTotals[i].command, s.errorTotals[i].command);
        QCOMPARE(a.errorTotals[i].count, s.errorTotals[i].count);
        QCOMPARE(a.errorTotals[i].lastMessage, s.errorTotals[i].lastMessage);
        QCOMPARE(a.errorTotals[i].lastAtMs, s.errorTotals[i].lastAtMs);
    }
    // The parsed totals themselves, command by command.
    for (const CommandTotals& c : s.commands) {
        const CommandDelta* d = commandNamed(a.totals, c.name);
        QVERIFY(d);
        compareHistograms(d->latency, c.latency);
        compareHistograms(d->corrected, c.corrected);
        QCOMPARE(d->requests, c.requests);
    }
    compareHistograms(a.totals.connectTime, s.connectTime);
    compareHistograms(a.totals.tlsHandshake, s.tlsHandshake);
}

// Counters past 2^53 would be rounded by a JSON reader that holds numbers as doubles: they go as
// strings, and a number above 2^53 is refused rather than trusted.
void TstAgentState::largeCountersTravelAsStrings()
{
    StatsSnapshot s;
    s.bytesSent = ~quint64(0) - 6; // 18446744073709551609: no double holds it
    s.bytesReceived = (quint64(1) << 53) + 1;
    s.actionsCompleted = quint64(1) << 53; // the largest sent as a number
    CommandTotals c;
    c.name = QStringLiteral("get");
    c.requests = (quint64(1) << 60) + 3;
    s.commands.push_back(c);
    const QByteArray line
        = QJsonDocument(agentStateJson(s, identity())).toJson(QJsonDocument::Compact);
    QVERIFY2(line.contains("\"bytes_sent\":\"18446744073709551609\""), line.constData());
    QVERIFY2(line.contains("\"bytes_received\":\"9007199254740993\""), line.constData());
    QVERIFY2(line.contains("\"actions_completed\":9007199254740992"), line.constData());
    AgentState a;
    QString error;
    QVERIFY2(
        parseAgentState(QJsonDocument::fromJson(line).object(), &a, &error), qPrintable(error));
    QCOMPARE(a.totals.bytesSent, s.bytesSent);
    QCOMPARE(a.totals.bytesReceived, s.bytesReceived);
    QCOMPARE(a.totals.actionsCompleted, s.actionsCompleted);
    QCOMPARE(a.totals.commands.at(0).requests, c.requests);
    // The same value written as a number: refused, naming the key.
    QByteArray asNumber = line;
    asNumber.replace(
        "\"bytes_received\":\"9007199254740993\"", "\"bytes_received\":9007199254740993");
    QVERIFY(!parseAgentState(QJsonDocument::fromJson(asNumber).object(), &a, &error));
    QVERIFY2(error.contains(QLatin1String("'bytes_received'")) && error.contains("2^53"),
        qPrintable(error));
}

void TstAgentState::histogramSubtractIsExact()
{
    std::mt19937_64 random(7);
    LatencyHistogram before;
    for (int i = 0; i < 1000; ++i)
        before.record(1000 + random() % 5000);
    LatencyHistogram later = before;
    LatencyHistogram between;
    for (quint64 v : {quint64(3), quint64(900000), quint64(2500)}) {
        later.record(v);
        between.record(v);
    }
    LatencyHistogram delta = later;
    QVERIFY(delta.subtract(before));
    QCOMPARE(delta.count(), between.count());
    QCOMPARE(delta.sum(), between.sum());
    QCOMPARE(delta.min(), quint64(3)); // new extremes are exact
    QCOMPARE(delta.max(), quint64(900000));
    LatencyHistogram rebuilt = before;
    rebuilt.add(delta);
    QVERIFY(rebuilt == later);
    // Nothing new: empty. Not an earlier state: refused, unchanged.
    LatencyHistogram same = later;
    QVERIFY(same.subtract(later));
    QVERIFY(same.isEmpty());
    LatencyHistogram unchanged = before;
    QVERIFY(!unchanged.subtract(later));
    QVERIFY(unchanged == before);
    // Extremes that were not recorded in between stay within the bucket that gained.
    LatencyHistogram inner = later;
    inner.record(3000);
    QVERIFY(inner.subtract(later));
    QCOMPARE(inner.count(), quint64(1));
    for (int b = 0; b < LatencyHistogram::bucketCount(); ++b)
        QCOMPARE(inner.countAt(b), quint64(b == LatencyHistogram::bucketOf(3000) ? 1 : 0));
    QVERIFY(LatencyHistogram::bucketOf(inner.min()) == LatencyHistogram::bucketOf(3000));
    QVERIFY(LatencyHistogram::bucketOf(inner.max()) == LatencyHistogram::bucketOf(3000));
}

namespace {

// Two agents (each a merger of its own two workers) and one merger fed every worker's report
// directly; the controller merges the agents' readings' differences.
struct TwoAgents
{
    std::mt19937_64 random {2024};
    StatsMerger agents[2];
    StatsMerger direct;
    StatsMerger controller;
    AgentState previous[2];
    bool read[2] = {false, false};
    qint64 agentClock[2] = {0, 0};

    void interval(int i, qint64 nowMs)
    {
        for (int agent = 0; agent < 2; ++agent) {
            for (int w = 0; w < 2; ++w) {
                WorkerStats report = workerReport(random, w, i);
                agents[agent].add(report);
                report.worker = agent * 2 + w;
                direct.add(report);
            }
            agentClock[agent] += 1000;
            agents[agent].closeInterval(agentClock[agent], 0);
            AgentState now;
            QString error;
            QVERIFY2(overTheWire(agents[agent].snapshot(), identity(agent), &now, &error),
                qPrintable(error));
            controller.add(agentDelta(read[agent] ? &previous[agent] : nullptr, now, agent));
            previous[agent] = std::move(now);
            read[agent] = true;
        }
        direct.closeInterval(nowMs, 0);
        controller.closeInterval(nowMs, 0);
    }
};

} // namespace

void TstAgentState::controllerMergeEqualsDirectMerge()
{
    TwoAgents fleet;
    for (int i = 0; i < 8; ++i) {
        fleet.interval(i, 1000 * (i + 1));
        if (QTest::currentTestFailed()) return;
        compareTotals(fleet.controller.snapshot(), fleet.direct.snapshot());
        if (QTest::currentTestFailed()) return;
    }
    QVERIFY(fleet.direct.snapshot().requests > 1000);
    // A second reading with nothing new in between is an empty report.
    const WorkerStats none = agentDelta(&fleet.previous[0], fleet.previous[0], 0);
    QVERIFY(none.commands.empty());
    QCOMPARE(none.actionsCompleted, quint64(0));
    QVERIFY(none.connectTime.isEmpty() && none.errorSamples.empty());
}

void TstAgentState::restartedAgentCountsFromZero()
{
    TwoAgents fleet;
    for (int i = 0; i < 5; ++i)
        fleet.interval(i, 1000 * (i + 1));
    const quint64 before = fleet.controller.snapshot().requests;
    // Agent 1 starts again: a fresh merger and clock, small counts. The direct merger simply
    // goes on adding its workers' reports, which is what the controller must match.
    fleet.agents[1] = StatsMerger();
    fleet.agentClock[1] = 0;
    for (int i = 5; i < 8; ++i) {
        fleet.interval(i, 1000 * (i + 1));
        compareTotals(fleet.controller.snapshot(), fleet.direct.snapshot());
        if (QTest::currentTestFailed()) return;
    }
    QVERIFY(fleet.controller.snapshot().requests > before);
}
// The identity's digest: the same texts give the same digest, a change to either text another,
// and text moved from the scenario's end to the module's start is a change too.
void TstAgentState::bundleDigestFollowsTheTexts()
{
    const auto digest = [](const char* scenario, const char* module) {
        ScenarioBundle b;
        b.scenarioSource = scenario;
        b.module.source = QString::fromUtf8(module);
        return b.digest();
    };
    const QString d = digest("protocol: redis\n", "function ping(c) {}\n");
    QCOMPARE(d.size(), 16);
    QVERIFY(QRegularExpression(QStringLiteral("^[0-9a-f]{16}$")).match(d).hasMatch());
    QCOMPARE(digest("protocol: redis\n", "function ping(c) {}\n"), d);
    QVERIFY(digest("protocol: redis \n", "function ping(c) {}\n") != d);
    QVERIFY(digest("protocol: redis\n", "function ping(c) { }\n") != d);
    QVERIFY(digest("ab", "c") != digest("a", "bc"));
}

QTEST_GUILESS_MAIN(TstAgentState)
#include "tst_agentstate.moc"
