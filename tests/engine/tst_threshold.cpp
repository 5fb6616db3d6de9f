#include "stats/Threshold.h"

#include <QTest>

using namespace swarm;

namespace {

// 1,000 requests of 1..1000 ms over 10 s, 10 errors of which 4 belong to the command.
StatsSnapshot sample()
{
    StatsSnapshot s;
    s.elapsedMs = 10000;
    CommandTotals c;
    c.name = QStringLiteral("heartbeat");
    for (quint64 ms = 1; ms <= 1000; ++ms)
        c.latency.record(ms * 1000);
    c.requests = 1000;
    c.errors = 4;
    s.commands.push_back(c);
    s.latency = c.latency;
    s.requests = 1000;
    s.requestErrors = 4;
    s.transitions[size_t(ConnState::Refused)] = 6;
    s.transitions[size_t(ConnState::ScriptError)] = 4;
    return s;
}

} // namespace

class TstThreshold : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void evaluates_data();
    void evaluates();
    void rejectsMalformed_data();
    void rejectsMalformed();
    void unknownCommandFails();
    void intendedLatencyIsTheOpenModels();
};

void TstThreshold::evaluates_data()
{
    QTest::addColumn<QString>("expr");
    QTest::addColumn<bool>("passed");
    // p99 is ~990 ms, p50 ~500 ms, max 1 s, rps 100, errors 10 (ratio 10 / 1006).
    QTest::newRow("p99 below") << "p99<1s" << true;
    QTest::newRow("p99 above") << "p99<900ms" << false;
    QTest::newRow("p50 in us") << "p50<=600000us" << true;
    QTest::newRow("p999 form") << "p999>=990ms" << true;
    QTest::newRow("p99.9 form") << "p99.9<990ms" << false;
    QTest::newRow("max") << "max<=1000ms" << true;
    QTest::newRow("mean") << "mean>600ms" << false;
    QTest::newRow("rps above") << "rps>99" << true;
    QTest::newRow("rps below") << "rps>100.5" << false;
    QTest::newRow("requests") << "requests>=1000" << true;
    QTest::newRow("errors count") << "errors<10" << false;
    QTest::newRow("errors count ok") << "errors<=10" << true;
    QTest::newRow("error ratio ok") << "errors<1%" << true;
    QTest::newRow("error ratio fails") << "errors<0.5%" << false;
    QTest::newRow("per command p99") << "heartbeat.p99<1s" << true;
    QTest::newRow("per command p99 fails") << "heartbeat.p99<20ms" << false;
    QTest::newRow("per command error ratio") << "heartbeat.errors<0.5%" << true;
    QTest::newRow("per command rps") << "heartbeat.rps>=100" << true;
    QTest::newRow("blanks") << " p90 < 950 ms " << true;
}

void TstThreshold::evaluates()
{
    QFETCH(QString, expr);
    QFETCH(bool, passed);
    Threshold t;
    QString error;
    QVERIFY2(Threshold::parse(expr, &t, &error), qPrintable(error));
    const Threshold::Outcome o = t.evaluate(sample());
    QVERIFY2(o.passed == passed, qPrintable(o.message));
    QVERIFY(o.message.contains(passed ? QLatin1String("passed") : QLatin1String("failed")));
    QVERIFY(!o.actual.isEmpty());
}

void TstThreshold::rejectsMalformed_data()
{
    QTest::addColumn<QString>("expr");
    QTest::newRow("double operator") << "p99<<5ms";
    QTest::newRow("no value") << "p99<";
    QTest::newRow("unknown metric") << "latency<5ms";
    QTest::newRow("percent latency") << "p99<5%";
    QTest::newRow("unit on rps") << "rps>5ms";
    QTest::newRow("percentile over 100") << "p101<5ms";
    QTest::newRow("empty") << "";
    QTest::newRow("negative") << "p99<-5ms";
}

void TstThreshold::rejectsMalformed()
{
    QFETCH(QString, expr);
    Threshold t;
    QString error;
    QVERIFY(!Threshold::parse(expr, &t, &error));
    QVERIFY(!error.isEmpty());
}

void TstThreshold::unknownCommandFails()
{
    Threshold t;
    QString error;
    QVERIFY(Threshold::parse(QStringLiteral("nosuch.p99<1s"), &t, &error));
    const Threshold::Outcome o = t.evaluate(sample());
    QVERIFY(!o.passed);
    QVERIFY2(o.message.contains(QLatin1String("no command 'nosuch'")), qPrintable(o.message));
}

// intended_p99 reads the latency from the intended start: here ten times the service time.
void TstThreshold::intendedLatencyIsTheOpenModels()
{
    Threshold t;
    QString error;
    QVERIFY2(Threshold::parse(QStringLiteral("heartbeat.intended_p99<2s"), &t, &error),
        qPrintable(error));
    // Closed loop: nothing paced, and the message says why instead of passing on nothing.
    Threshold::Outcome o = t.evaluate(sample());
    QVERIFY(!o.passed);
    QVERIFY2(o.message.contains(QLatin1String("nothing was paced")), qPrintable(o.message));
    StatsSnapshot s = sample();
    for (quint64 ms = 1; ms <= 1000; ++ms)
        s.commands[0].corrected.record(ms * 10000);
    s.corrected = s.commands[0].corrected;
    o = t.evaluate(s);
    QVERIFY2(!o.passed, qPrintable(o.message)); // p99 from the intended start is 9.9 s
    QVERIFY(Threshold::parse(QStringLiteral("intended_p50<6s"), &t, &error));
    QVERIFY2(t.evaluate(s).passed, qPrintable(t.evaluate(s).message));
    QVERIFY(Threshold::parse(QStringLiteral("p99<1s"), &t, &error));
    QVERIFY(t.evaluate(s).passed); // the service time is unchanged
    QVERIFY(Threshold::parse(QStringLiteral("intended_rps>1"), &t, &error));
    QVERIFY(t.evaluate(s).message.contains(QLatin1String("latencies only")));
}

QTEST_GUILESS_MAIN(TstThreshold)
#include "tst_threshold.moc"
