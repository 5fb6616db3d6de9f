#include "metrics/MetricFamilies.h"
#include "metrics/PrometheusHistogram.h"

#include "MetricsClient.h"

#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTest>

#include <algorithm>
#include <cmath>

using namespace swarm;
using swarm::test::sampleValue;

// The mapping from a merged snapshot to Prometheus' families and the histogram's buckets, alone;
// the format itself is checked by Prometheus' own linter (promtool, Debian prometheus).
class TstMetricFamilies : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void edgesSpanTenMicrosecondsToAMinute();
    void bucketsAreCumulativeAndExactBelow256us();
    void bucketsHoldWithinOneSwarmBucket();
    void everyStateIsAGaugeZeroIncluded();
    void requestFamiliesFollowTheSnapshot();
    void errorsByKindAddUpToTheCommands();
    void promtoolAcceptsTheText();
};

namespace {

StatsSnapshot sampleSnapshot()
{
    StatsSnapshot s;
    s.target = 7;
    s.current[size_t(ConnState::Acting)] = 5;
    s.current[size_t(ConnState::Refused)] = 2;
    s.transitions[size_t(ConnState::Refused)] = 11;
    s.transitions[size_t(ConnState::ScriptError)] = 3;
    s.bytesSent = 1000;
    s.bytesReceived = 2000;
    CommandTotals get;
    get.name = QStringLiteral("get");
    get.requests = 40;
    get.errors = 6;
    for (quint64 v : {15, 150, 1500, 15000})
        get.latency.record(v);
    s.commands.push_back(get);
    s.latency = get.latency;
    s.connectTime.record(300);
    ErrorTotals e;
    e.kind = QStringLiteral("timedout");
    e.command = QStringLiteral("get");
    e.count = 4;
    s.errorTotals.push_back(e);
    e.kind = QStringLiteral("refused"); // a connect error: no command, not a request's
    e.command.clear();
    e.count = 11;
    s.errorTotals.push_back(e);
    return s;
}

QByteArray textOf(const StatsSnapshot& s)
{
    RunInfo info;
    info.scenario = QStringLiteral("scripts/redis.yml");
    info.protocol = QStringLiteral("redis");
    info.io = QStringLiteral("epoll");
    return metricsText(metricFamilies(s, info));
}

// Bucket i of a converted histogram, whose edge is prometheusEdgesUs()[i].
quint64 under(const prometheus::ClientMetric::Histogram& h, size_t i)
{
    return h.bucket.at(i).cumulative_count;
}

} // namespace

void TstMetricFamilies::edgesSpanTenMicrosecondsToAMinute()
{
    const std::vector<quint64>& e = prometheusEdgesUs();
    QCOMPARE(e.size(), size_t(22));
    QCOMPARE(e.front(), quint64(10));
    QCOMPARE(e.back(), quint64(60'000'000));
    QVERIFY(std::is_sorted(e.begin(), e.end()));
    QVERIFY(std::adjacent_find(e.begin(), e.end()) == e.end());
}

void TstMetricFamilies::bucketsAreCumulativeAndExactBelow256us()
{
    LatencyHistogram h;
    for (quint64 v : {5, 10, 11, 20, 21, 49, 50, 51, 200})
        h.record(v);
    h.record(90'000'000); // past the last edge: only +Inf holds it
    const auto p = toPrometheusHistogram(h);
    QCOMPARE(p.bucket.size(), prometheusEdgesUs().size() + 1);
    QCOMPARE(under(p, 0), quint64(2)); // le=10µs: 5, 10 (le is "less or equal")
    QCOMPARE(under(p, 1), quint64(4)); // le=20µs
    QCOMPARE(under(p, 2), quint64(7)); // le=50µs
    QCOMPARE(under(p, 3), quint64(8)); // le=100µs
    QCOMPARE(under(p, 4), quint64(9)); // le=200µs
    QCOMPARE(under(p, prometheusEdgesUs().size() - 1), quint64(9)); // le=60s
    QVERIFY(std::isinf(p.bucket.back().upper_bound));
    QCOMPARE(p.bucket.back().cumulative_count, quint64(10));
    QCOMPARE(p.sample_count, quint64(10));
    QCOMPARE(p.sample_sum, (5 + 10 + 11 + 20 + 21 + 49 + 50 + 51 + 200 + 90'000'000) / 1e6);
    QCOMPARE(p.bucket[0].upper_bound, 1e-5);
    QCOMPARE(p.bucket[21].upper_bound, 60.0);
}

// Over a wide random sample, each cumulative count is at least the values <= the edge and at
// most the values <= edge * (1 + 1/128): a swarm bucket above 256 µs spans 1/128 of its values
// at most, and one straddling an edge counts under it (PrometheusHistogram.h).
void TstMetricFamilies::bucketsHoldWithinOneSwarmBucket()
{
    QRandomGenerator random(42);
    std::vector<quint64> values;
    LatencyHistogram h;
    for (int i = 0; i < 20000; ++i) {
        const quint64 v = quint64(std::exp(random.bounded(std::log(100e6)))); // 1 µs .. 100 s
        values.push_back(v);
        h.record(v);
    }
    std::sort(values.begin(), values.end());
    const auto atMost = [&values](double x) {
        return quint64(std::upper_bound(values.begin(), values.end(), quint64(x)) - values.begin());
    };
    const auto p = toPrometheusHistogram(h);
    for (size_t i = 0; i < prometheusEdgesUs().size(); ++i) {
        const double edge = double(prometheusEdgesUs()[i]);
        QVERIFY2(under(p, i) >= atMost(edge) && under(p, i) <= atMost(edge * (1 + 1.0 / 128)),
            qPrintable(QStringLiteral("le=%1us: %2, exact %3")
                           .arg(edge)
                           .arg(under(p, i))
                           .arg(atMost(edge))));
        if (i > 0) QVERIFY(under(p, i) >= under(p, i - 1));
    }
}

void TstMetricFamilies::everyStateIsAGaugeZeroIncluded()
{
    const QByteArray text = textOf(sampleSnapshot());
    QVERIFY(text.contains("# TYPE swarm_connections gauge\n"));
    for (int i = 0; i < kStateCount; ++i) {
        const double expected = i == int(ConnState::Acting) ? 5
            : i == int(ConnState::Refused)                  ? 2
                                                            : 0;
        QCOMPARE(
            sampleValue(text,
                QStringLiteral("swarm_connections{state=\"%1\"}").arg(QLatin1String(stateName(i)))),
            expected);
    }
    QCOMPARE(sampleValue(text, QStringLiteral("swarm_target_connections")), 7.0);
    QCOMPARE(
        sampleValue(text, QStringLiteral("swarm_connection_errors_total{kind=\"refused\"}")), 11.0);
    QCOMPARE(sampleValue(text, QStringLiteral("swarm_script_errors_total")), 3.0);
    QCOMPARE(sampleValue(text,
                 QStringLiteral("swarm_info{version=\"" SWARM_VERSION
                                "\",scenario=\"scripts/redis.yml\",protocol="
                                "\"redis\",io=\"epoll\"}")),
        1.0);
}

void TstMetricFamilies::requestFamiliesFollowTheSnapshot()
{
    const QByteArray text = textOf(sampleSnapshot());
    QCOMPARE(sampleValue(text, QStringLiteral("swarm_requests_total{command=\"get\"}")), 40.0);
    QCOMPARE(sampleValue(text, QStringLiteral("swarm_bytes_sent_total")), 1000.0);
    QCOMPARE(sampleValue(text, QStringLiteral("swarm_bytes_received_total")), 2000.0);
    QVERIFY(text.contains("# TYPE swarm_request_duration_seconds histogram\n"));
    const auto bucket = [&text](const char* le) {
        return sampleValue(text,
            QStringLiteral("swarm_request_duration_seconds_bucket{command=\"get\",le=\"%1\"}")
                .arg(QLatin1String(le)));
    };
    QCOMPARE(bucket("1e-05"), 0.0); // 15 µs is above 10 µs
    QCOMPARE(bucket("2e-05"), 1.0);
    QCOMPARE(bucket("0.0002"), 2.0);
    QCOMPARE(bucket("0.002"), 3.0);
    QCOMPARE(bucket("0.02"), 4.0);
    QCOMPARE(bucket("+Inf"), 4.0);
    QCOMPARE(
        sampleValue(text, QStringLiteral("swarm_request_duration_seconds_count{command=\"get\"}")),
        4.0);
    QCOMPARE(sampleValue(text, QStringLiteral("swarm_connect_duration_seconds_count")), 1.0);
    // Only with TLS, only in the open model.
    QVERIFY(!text.contains("swarm_tls_handshake_duration_seconds"));
    QVERIFY(!text.contains("swarm_request_corrected_duration_seconds"));
    StatsSnapshot s = sampleSnapshot();
    s.tlsHandshake.record(2000);
    s.corrected.record(20);
    s.commands[0].corrected.record(20);
    const QByteArray more = textOf(s);
    QCOMPARE(sampleValue(more, QStringLiteral("swarm_tls_handshake_duration_seconds_count")), 1.0);
    QCOMPARE(sampleValue(more,
                 QStringLiteral("swarm_request_corrected_duration_seconds_count{command=\"get\"}")),
        1.0);
}

// `status errors` knows 4 of get's 6 errors by kind (it keeps the 32 latest pairs): the other 2
// count as "other", so summing over kinds gives the command's errors.
void TstMetricFamilies::errorsByKindAddUpToTheCommands()
{
    const QByteArray text = textOf(sampleSnapshot());
    QCOMPARE(sampleValue(text,
                 QStringLiteral("swarm_request_errors_total{command=\"get\",kind=\"timedout\"}")),
        4.0);
    QCOMPARE(sampleValue(text,
                 QStringLiteral("swarm_request_errors_total{command=\"get\",kind=\"other\"}")),
        2.0);
    QVERIFY(!text.contains("swarm_request_errors_total{command=\"\""));
}

void TstMetricFamilies::promtoolAcceptsTheText()
{
    const QString promtool = QStandardPaths::findExecutable(QStringLiteral("promtool"));
    QVERIFY2(!promtool.isEmpty(), "promtool is missing: ./make.sh deps installs prometheus");
    StatsSnapshot s = sampleSnapshot();
    s.tlsHandshake.record(2000);
    s.corrected.record(20);
    s.askedRate = 10;
    QProcess lint;
    lint.start(promtool, {QStringLiteral("check"), QStringLiteral("metrics")});
    QVERIFY(lint.waitForStarted(5000));
    lint.write(textOf(s));
    lint.closeWriteChannel();
    QVERIFY(lint.waitForFinished(20000));
    const QString said
        = QString::fromUtf8(lint.readAllStandardOutput() + lint.readAllStandardError());
    // Exit 0 and no lint message at all: valid syntax, and names, units and help as Prometheus'
    // conventions ask.
    QVERIFY2(lint.exitCode() == 0 && said.trimmed().isEmpty(), qPrintable(said));
}

QTEST_GUILESS_MAIN(TstMetricFamilies)
#include "tst_metricfamilies.moc"
