// A real Prometheus (Debian's, 2.42) scrapes a headless swarm's --metrics every second, with the
// bearer token, while swarm loads a real redis-server: what Prometheus' HTTP API answers is
// reconciled with redis' own counts and with swarm's `stats json`. Both servers and swarm are
// started by the test on free loopback ports and ended by the PIDs it started.
//
// One transport is enough here: /metrics reads the merged snapshot, the same on both (tst_metrics
// runs the reconciliation with redis on each).
#include "MetricsClient.h"
#include "TestServers.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace swarm::test;

namespace {

constexpr int kConnections = 30;
constexpr char kToken[] = "prometheus-test-token";

const char kScenario[] = "protocol: redis\n"
                         "actions:\n"
                         "  - command: ping\n"
                         "    rounds: 1\n"
                         "    sleep_between_rounds: 0\n"
                         "    sleep_after_action: 0.005\n";

QJsonObject statsJson(ConsoleClient& console)
{
    return QJsonDocument::fromJson(console.send("stats json").trimmed().toUtf8()).object();
}

} // namespace

class TstPrometheus : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void scrapedFiguresMatchRedisAndSwarm();
};

void TstPrometheus::scrapedFiguresMatchRedisAndSwarm()
{
    QString error;
    RedisServer redis;
    QVERIFY2(redis.start(&error), qPrintable(error));
    QTemporaryDir dir;
    const QString scenario = writeFile(dir, QStringLiteral("ping.yml"), kScenario);
    SwarmProcess swarm;
    QVERIFY2(swarm.start(
                 {QStringLiteral("-r"), QStringLiteral("127.0.0.1:%1").arg(redis.port()),
                     QStringLiteral("-s"), scenario, QStringLiteral("-p"),
                     sourcePath(QStringLiteral("protocols")), QStringLiteral("--threads"),
                     QStringLiteral("2"), QStringLiteral("--connect-spread"), QStringLiteral("0"),
                     QStringLiteral("--status-interval"), QStringLiteral("0"),
                     QStringLiteral("--metrics"), QStringLiteral("127.0.0.1:0"),
                     QStringLiteral("--metrics-token"), QString::fromLatin1(kToken)},
                 &error),
        qPrintable(error));
    const QUrl url = metricsUrl(swarm.output());
    QVERIFY2(url.isValid(), qPrintable(swarm.output()));

    PrometheusServer prometheus;
    QVERIFY2(prometheus.start(QStringLiteral("127.0.0.1:%1").arg(url.port()), &error,
                 QString::fromLatin1(kToken)),
        qPrintable(error));
    // up == 1: Prometheus reached /metrics with the token and parsed what it got.
    QTRY_COMPARE_WITH_TIMEOUT(prometheus.query(QStringLiteral("up{job=\"swarm\"}")), 1.0, 20000);

    ConsoleClient console;
    QVERIFY(console.connectTo(swarm.consolePort()));
    QVERIFY(console.send("incr " + QByteArray::number(kConnections)).contains("OK"));
    QTRY_COMPARE_WITH_TIMEOUT(redis.connectedClients(), qint64(kConnections), 15000);
    // Swarm merges once a second and Prometheus scrapes once a second: two seconds behind.
    const QString connected = QStringLiteral("sum(swarm_connections{state=~\"acting|standby\"})");
    QTRY_COMPARE_WITH_TIMEOUT(prometheus.query(connected), double(kConnections), 15000);
    QCOMPARE(prometheus.query(connected), double(redis.connectedClients()));
    QTRY_VERIFY_WITH_TIMEOUT(
        statsJson(console)[QStringLiteral("totals")][QStringLiteral("requests")].toInt()
            > 200 * kConnections,
        30000);

    // Freeze the load: from here swarm's totals and Prometheus' last scrape are the same run.
    QVERIFY(console.send("decr " + QByteArray::number(kConnections)).contains("OK"));
    QTRY_COMPARE_WITH_TIMEOUT(redis.connectedClients(), qint64(0), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(prometheus.query(connected), 0.0, 15000);
    const QString requests = QStringLiteral("sum(swarm_requests_total)");
    qint64 total = -1;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            total = statsJson(console)[QStringLiteral("totals")][QStringLiteral("requests")]
                        .toVariant()
                        .toLongLong();
            return prometheus.query(requests) == double(total);
        }(),
        15000);
    const QJsonObject latency
        = statsJson(console)[QStringLiteral("totals")][QStringLiteral("latency_us")].toObject();
    const double swarmP99 = latency[QStringLiteral("p99")].toDouble();

    // histogram_quantile() finds the bucket (lo, hi] holding rank 0.99 x count in the summed
    // cumulative counts and interpolates inside it, so its answer lies in that bucket. swarm's
    // p99 is the value at the same rank in its own fine buckets (the midpoint of one at most
    // 1/128 wide). The two land in the same Prometheus bucket, or the next one when that rank's
    // value is within 0.8 % of an edge (a fine bucket straddling an edge counts under it:
    // PrometheusHistogram.h). Hence: at most one bucket apart.
    // The cumulative counts now, and rate() over a window holding the whole run (its
    // extrapolation scales every bucket's series alike, give or take one scrape's counts).
    for (const QString& promql : {QStringLiteral("histogram_quantile(0.99, sum by (le) "
                                                 "(swarm_request_duration_seconds_bucket))"),
             QStringLiteral("histogram_quantile(0.99, sum by (le) "
                            "(rate(swarm_request_duration_seconds_bucket[10m])))")}) {
        const double p99 = prometheus.query(promql, &error) * 1e6;
        QVERIFY2(std::isfinite(p99), qPrintable(error));
        qInfo("%s: %.0f us; swarm's p99 %.0f us", qPrintable(promql), p99, swarmP99);
        QVERIFY2(std::abs(prometheusBucketOf(p99) - prometheusBucketOf(swarmP99)) <= 1,
            qPrintable(QStringLiteral("Prometheus %1 us, swarm %2 us").arg(p99).arg(swarmP99)));
    }
    prometheus.stop();
    swarm.terminate();
    QCOMPARE(swarm.waitForExit(15000), 0);
}

QTEST_GUILESS_MAIN(TstPrometheus)
#include "tst_prometheus.moc"
