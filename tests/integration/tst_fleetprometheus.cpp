// A fleet seen by Prometheus: three real agent processes, each with --metrics and a token, are
// scraped every second by a real Prometheus (Debian's 2.42), while a real controller process
// (`swarm --fleet`) drives them against a real redis-server. What Prometheus sums over the agents
// is reconciled with redis' own count and with the controller's merged figures: the connections
// (summed = the server's count), the requests (summed = the controller's total) and the p99
// (histogram_quantile over the summed buckets = the controller's p99 from merged histograms,
// within one bucket). Every process is started by the test and ended by its PID.
#include "MetricsClient.h"
#include "TestServers.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <memory>
#include <vector>

using namespace swarm::test;

namespace {

constexpr int kAgents = 3;
constexpr int kConnections = 30; // 10 per agent
const QByteArray kToken = "fleet-prometheus-token";

const char kScenario[] = "protocol: redis\n"
                         "actions:\n"
                         "  - command: ping\n"
                         "    rounds: 1\n"
                         "    sleep_between_rounds: 0\n"
                         "    sleep_after_action: 0.005\n";

QJsonObject statsJson(ConsoleClient& console)
{
    const QString text = console.sendUntil("stats json", QStringLiteral("}"));
    return QJsonDocument::fromJson(text.mid(text.indexOf(QLatin1Char('{'))).trimmed().toUtf8())
        .object();
}

qint64 totalRequests(ConsoleClient& console)
{
    return statsJson(console)[QStringLiteral("totals")][QStringLiteral("requests")]
        .toVariant()
        .toLongLong();
}

} // namespace

class TstFleetPrometheus : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void prometheusAgreesWithTheController();
};

void TstFleetPrometheus::prometheusAgreesWithTheController()
{
    QString error;
    RedisServer redis;
    QVERIFY2(redis.start(&error), qPrintable(error));
    QTemporaryDir dir;
    const QString scenario = writeFile(dir, QStringLiteral("ping.yml"), kScenario);

    // The agents: console on a free loopback port with the token, metrics on any free port.
    std::vector<std::unique_ptr<SwarmProcess>> agents;
    QStringList spec;
    QStringList targets;
    for (int i = 0; i < kAgents; ++i) {
        const quint16 consolePort = freePort();
        auto agent = std::make_unique<SwarmProcess>();
        QVERIFY2(
            agent->start(
                {QStringLiteral("-r"), QStringLiteral("127.0.0.1:%1").arg(redis.port()),
                    QStringLiteral("-s"), scenario, QStringLiteral("-p"),
                    sourcePath(QStringLiteral("protocols")), QStringLiteral("--listen"),
                    QStringLiteral("127.0.0.1:%1").arg(consolePort),
                    QStringLiteral("--console-token"), QString::fromUtf8(kToken),
                    QStringLiteral("--metrics"), QStringLiteral("127.0.0.1:0"),
                    QStringLiteral("--metrics-token"), QString::fromUtf8(kToken),
                    QStringLiteral("--agent-index"), QStringLiteral("%1/%2").arg(i).arg(kAgents),
                    QStringLiteral("--threads"), QStringLiteral("1"),
                    QStringLiteral("--connect-spread"), QStringLiteral("0"),
                    QStringLiteral("--status-interval"), QStringLiteral("0")},
                &error),
            qPrintable(error));
        const QUrl url = metricsUrl(agent->output());
        QVERIFY2(url.isValid(), qPrintable(agent->output()));
        targets << QStringLiteral("127.0.0.1:%1").arg(url.port());
        spec << QStringLiteral("127.0.0.1:%1").arg(consolePort);
        agents.push_back(std::move(agent));
    }

    PrometheusServer prometheus;
    QVERIFY2(prometheus.start(targets, &error, QString::fromUtf8(kToken)), qPrintable(error));
    // Every agent's /metrics reached with the token and parsed.
    QTRY_COMPARE_WITH_TIMEOUT(
        prometheus.query(QStringLiteral("sum(up{job=\"swarm\"})")), double(kAgents), 20000);

    const quint16 controllerPort = freePort();
    SwarmProcess controller;
    QVERIFY2(controller.start(
                 {QStringLiteral("--fleet"), spec.join(QLatin1Char(',')),
                     QStringLiteral("--console-token"), QString::fromUtf8(kToken),
                     QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(controllerPort),
                     QStringLiteral("--status-interval"), QStringLiteral("0")},
                 &error),
        qPrintable(error));
    ConsoleClient console;
    QVERIFY(console.connectTo(controllerPort));
    console.readAll();
    QVERIFY(console.send("auth " + kToken).contains(QLatin1String("OK: authenticated")));
    // All agents up in the controller's view before the target is given.
    QTRY_COMPARE_WITH_TIMEOUT(
        statsJson(console)[QStringLiteral("agents")].toArray().size(), kAgents, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(
        !console.send("status agents", 200).contains(QLatin1String("connecting")), 20000);
    QVERIFY(console.send("incr " + QByteArray::number(kConnections)).contains(QLatin1String("OK")));
    QTRY_COMPARE_WITH_TIMEOUT(redis.connectedClients(), qint64(kConnections), 20000);

    // The agents' connections as Prometheus sums them = the server's count. Each agent merges
    // once a second and Prometheus scrapes once a second: two seconds behind at most.
    const QString connected = QStringLiteral("sum(swarm_connections{state=~\"acting|standby\"})");
    QTRY_COMPARE_WITH_TIMEOUT(prometheus.query(connected), double(kConnections), 15000);
    QCOMPARE(prometheus.query(connected), double(redis.connectedClients()));
    QTRY_VERIFY_WITH_TIMEOUT(totalRequests(console) > 100 * kConnections, 30000);

    // Freeze the load: from here the agents' totals, the controller's merge of them and
    // Prometheus' last scrapes describe the same finished run.
    QVERIFY(console.send("decr " + QByteArray::number(kConnections)).contains(QLatin1String("OK")));
    QTRY_COMPARE_WITH_TIMEOUT(redis.connectedClients(), qint64(0), 15000);
    QTRY_COMPARE_WITH_TIMEOUT(prometheus.query(connected), 0.0, 15000);
    // The requests summed over the agents by Prometheus = the controller's merged total: both
    // add up the same agents' counters once nothing runs (no tolerance).
    const QString requests = QStringLiteral("sum(swarm_requests_total)");
    qint64 total = -1;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            total = totalRequests(console);
            return total > 0 && prometheus.query(requests) == double(total);
        }(),
        15000);
    qInfo("requests: Prometheus summed %.0f over %d agents, the controller merged %lld",
        prometheus.query(requests), kAgents, total);

    // histogram_quantile() over the buckets summed across agents finds the Prometheus bucket
    // holding rank 0.99 x count and interpolates inside it; the controller's p99 is the value at
    // the same rank in the merged fine histograms (each fine bucket at most 1/128 wide). The two
    // land in the same Prometheus bucket, or the next one when that rank's value is within 0.8 %
    // of an edge (a fine bucket straddling an edge counts under it: PrometheusHistogram.h).
    // Hence: at most one bucket apart (the requests' equality above is the exact check of the
    // merge; this one checks the controller's percentile against Prometheus' over the same).
    const double controllerP99
        = statsJson(console)[QStringLiteral("totals")][QStringLiteral("latency_us")]
              .toObject()[QStringLiteral("p99")]
              .toDouble();
    const QString promql = QStringLiteral(
        "histogram_quantile(0.99, sum by (le) (swarm_request_duration_seconds_bucket))");
    const double p99 = prometheus.query(promql, &error) * 1e6;
    QVERIFY2(std::isfinite(p99), qPrintable(error));
    qInfo(
        "%s: %.0f us; the controller's merged p99 %.0f us", qPrintable(promql), p99, controllerP99);
    QVERIFY2(controllerP99 > 0
            && std::abs(prometheusBucketOf(p99) - prometheusBucketOf(controllerP99)) <= 1,
        qPrintable(
            QStringLiteral("Prometheus %1 us, controller %2 us").arg(p99).arg(controllerP99)));

    prometheus.stop();
    controller.terminate(); // as Ctrl-C: stops the fleet too
    QCOMPARE(controller.waitForExit(30000), 0);
    for (auto& agent : agents) {
        agent->terminate();
        agent->waitForExit(15000);
    }
}

QTEST_GUILESS_MAIN(TstFleetPrometheus)
#include "tst_fleetprometheus.moc"
