#include "stats/Report.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace swarm;

class TstReport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void schema();
    void timeSeriesIsBounded();
    void csvHasOneRowPerSample();
    void openModelFields();
};

void TstReport::schema()
{
    StatsSnapshot s;
    s.elapsedMs = 30000;
    s.connections = 100;
    s.peakConnections = 120;
    s.current[size_t(ConnState::Standby)] = 90;
    s.current[size_t(ConnState::Acting)] = 10;
    s.transitions[size_t(ConnState::Reset)] = 3;
    CommandTotals c;
    c.name = QStringLiteral("ping");
    c.requests = 3000;
    c.bytesSent = 18000;
    for (int i = 1; i <= 3000; ++i)
        c.latency.record(quint64(i));
    s.commands.push_back(c);
    s.requests = 3000;
    s.latency = c.latency;
    s.bytesSent = 18000;
    RunInfo info;
    info.server = QStringLiteral("127.0.0.1:6379");
    const QJsonObject r = reportJson(s, info);
    // Round-trips through text as one JSON document.
    const QJsonObject o = QJsonDocument::fromJson(QJsonDocument(r).toJson()).object();
    QCOMPARE(o[QStringLiteral("duration_s")].toDouble(), 30.0);
    const QJsonObject conns = o[QStringLiteral("connections")].toObject();
    QCOMPARE(conns[QStringLiteral("peak")].toInt(), 120);
    QCOMPARE(conns[QStringLiteral("by_state")][QStringLiteral("standby")].toInt(), 90);
    QCOMPARE(conns[QStringLiteral("by_state")].toObject().size(), kStateCount);
    const QJsonObject totals = o[QStringLiteral("totals")].toObject();
    for (const char* key :
        {"requests", "errors", "rps", "bytes_sent", "bytes_received", "latency_us"})
        QVERIFY2(totals.contains(QLatin1String(key)), key);
    QCOMPARE(totals[QStringLiteral("requests")].toInt(), 3000);
    QCOMPARE(totals[QStringLiteral("errors")].toInt(), 3);
    QCOMPARE(totals[QStringLiteral("rps")].toDouble(), 100.0);
    const QJsonObject latency = totals[QStringLiteral("latency_us")].toObject();
    for (const char* key : {"p50", "p90", "p99", "p999", "max"})
        QVERIFY2(latency.contains(QLatin1String(key)), key);
    QCOMPARE(latency[QStringLiteral("max")].toInt(), 3000);
    QVERIFY(qAbs(latency[QStringLiteral("p50")].toInt() - 1500) <= 15);
    const QJsonObject ping = o[QStringLiteral("commands")][QStringLiteral("ping")].toObject();
    for (const char* key : {"count", "errors", "rps", "latency_us"})
        QVERIFY2(ping.contains(QLatin1String(key)), key);
    QCOMPARE(ping[QStringLiteral("count")].toInt(), 3000);
    QCOMPARE(o[QStringLiteral("errors_by_kind")][QStringLiteral("reset")].toInt(), 3);
}

void TstReport::timeSeriesIsBounded()
{
    TimeSeries series;
    TimeSample t;
    for (int i = 0; i < TimeSeries::kCapacity + 500; ++i) {
        t.elapsedMs = i * 1000;
        series.append(t);
    }
    QCOMPARE(series.size(), TimeSeries::kCapacity);
    QCOMPARE(series.dropped(), quint64(500));
    QCOMPARE(series.at(0).elapsedMs, qint64(500) * 1000);
    QCOMPARE(series.last().elapsedMs, qint64(TimeSeries::kCapacity + 499) * 1000);
}

void TstReport::csvHasOneRowPerSample()
{
    TimeSeries series;
    for (int i = 1; i <= 3; ++i) {
        TimeSample t;
        t.elapsedMs = i * 1000;
        t.connections = 10 * i;
        t.rps = float(100 * i);
        t.p99Us = quint32(900 + i);
        t.correctedP99Us = quint32(5000 + i);
        t.askedRate = 1000;
        t.backlog = i;
        series.append(t);
    }
    const QStringList lines = timeSeriesCsv(series).trimmed().split(QLatin1Char('\n'));
    QCOMPARE(lines.size(), 4);
    QVERIFY(lines[0].startsWith(QLatin1String("elapsed_s,connections,started,")));
    const QStringList header = lines[0].split(QLatin1Char(','));
    const QStringList last = lines[3].split(QLatin1Char(','));
    QCOMPARE(last.size(), header.size());
    QCOMPARE(last[header.indexOf(QStringLiteral("connections"))], QStringLiteral("30"));
    QCOMPARE(last[header.indexOf(QStringLiteral("p99_us"))], QStringLiteral("903"));
    QCOMPARE(last[header.indexOf(QStringLiteral("corrected_p99_us"))], QStringLiteral("5003"));
    QCOMPARE(last[header.indexOf(QStringLiteral("asked_per_s"))], QStringLiteral("1000.0"));
    QCOMPARE(last[header.indexOf(QStringLiteral("backlog"))], QStringLiteral("3"));
}

// The open model's figures appear only when something was paced.
void TstReport::openModelFields()
{
    StatsSnapshot s;
    s.elapsedMs = 10000;
    RunInfo info;
    info.rate = 1000;
    info.arrivals = QStringLiteral("poisson");
    QVERIFY(!reportJson(s, info).contains(QStringLiteral("open_model")));
    s.latency.record(100);
    s.corrected.record(2000);
    s.arrivals = 9990;
    s.askedRate = 1000;
    s.arrivalRate = 998.5;
    s.backlog = 2;
    const QJsonObject o = reportJson(s, info);
    const QJsonObject open = o[QStringLiteral("open_model")].toObject();
    QCOMPARE(open[QStringLiteral("rate")].toDouble(), 1000.0);
    QCOMPARE(open[QStringLiteral("arrivals")].toString(), QStringLiteral("poisson"));
    QCOMPARE(open[QStringLiteral("achieved_per_s")].toDouble(), 999.0);
    QCOMPARE(open[QStringLiteral("achieved_per_s_now")].toDouble(), 998.5);
    QCOMPARE(open[QStringLiteral("backlog")].toInt(), 2);
    const QJsonObject totals = o[QStringLiteral("totals")].toObject();
    QCOMPARE(totals[QStringLiteral("corrected_latency_us")][QStringLiteral("max")].toInt(), 2000);
    QCOMPARE(totals[QStringLiteral("latency_us")][QStringLiteral("max")].toInt(), 100);
}

QTEST_GUILESS_MAIN(TstReport)
#include "tst_report.moc"
