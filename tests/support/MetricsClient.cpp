#include "MetricsClient.h"

#include "TestServers.h"

#include "metrics/PrometheusHistogram.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <limits>

namespace swarm::test {

HttpReply httpGet(
    const QUrl& url, const QByteArray& bearerToken, int timeoutMs, const QByteArray& verb)
{
    QNetworkAccessManager manager;
    manager.setProxy(QNetworkProxy::NoProxy);
    QNetworkRequest request(url);
    if (!bearerToken.isEmpty()) request.setRawHeader("Authorization", "Bearer " + bearerToken);
    request.setTransferTimeout(timeoutMs);
    std::unique_ptr<QNetworkReply> reply(manager.sendCustomRequest(request, verb));
    QEventLoop loop;
    QObject::connect(reply.get(), &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(timeoutMs + 1000, &loop, &QEventLoop::quit);
    loop.exec();
    HttpReply out;
    if (!reply->isFinished()) {
        out.error = QStringLiteral("no reply within %1 ms").arg(timeoutMs);
        return out;
    }
    out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    out.body = reply->readAll();
    out.contentType = reply->rawHeader("Content-Type");
    out.error = reply->errorString();
    return out;
}

double sampleValue(const QByteArray& text, const QString& series)
{
    const QByteArray prefix = series.toUtf8() + ' ';
    for (const QByteArray& line : text.split('\n')) {
        if (line.startsWith(prefix)) return line.mid(prefix.size()).trimmed().toDouble();
    }
    return std::numeric_limits<double>::quiet_NaN();
}

QUrl metricsUrl(const QString& banner)
{
    static const QRegularExpression re(QStringLiteral(R"(Metrics: (http://\S+/metrics))"));
    const QRegularExpressionMatch m = re.match(banner);
    return m.hasMatch() ? QUrl(m.captured(1)) : QUrl();
}

PrometheusServer::~PrometheusServer()
{
    stop();
}

void PrometheusServer::stop()
{
    stopProcess(m_process);
}

int prometheusBucketOf(double us)
{
    const std::vector<quint64>& edges = swarm::prometheusEdgesUs();
    return int(std::lower_bound(edges.begin(), edges.end(), us, [](quint64 edge, double v) {
        return double(edge) < v;
    }) - edges.begin());
}

bool PrometheusServer::start(const QString& target, QString* error, const QString& bearerToken)
{
    return start(QStringList {target}, error, bearerToken);
}

bool PrometheusServer::start(const QStringList& targets, QString* error, const QString& bearerToken)
{
    const QString exe = QStandardPaths::findExecutable(QStringLiteral("prometheus"));
    if (exe.isEmpty()) {
        *error = QStringLiteral("prometheus is not installed (./make.sh deps installs it)");
        return false;
    }
    QFile config(m_dir.filePath(QStringLiteral("prometheus.yml")));
    if (!config.open(QIODevice::WriteOnly)) {
        *error = QStringLiteral("cannot write %1").arg(config.fileName());
        return false;
    }
    QByteArray yaml = "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                      "  evaluation_interval: 1s\n"
                      "scrape_configs:\n  - job_name: swarm\n"
                      "    static_configs:\n      - targets: ['"
        + targets.join(QStringLiteral("', '")).toUtf8() + "']\n";
    if (!bearerToken.isEmpty())
        yaml += "    authorization:\n      credentials: '" + bearerToken.toUtf8() + "'\n";
    config.write(yaml);
    config.close();
    m_port = freePort();
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_process->start(exe,
        {QStringLiteral("--config.file=") + config.fileName(),
            QStringLiteral("--storage.tsdb.path=") + m_dir.filePath("data"),
            QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(m_port),
            QStringLiteral("--log.level=warn")});
    // Prometheus opens its storage and replays an empty WAL first: a few seconds on a busy
    // machine; /-/ready answers 200 once it serves queries.
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < 30000 && m_process->state() != QProcess::NotRunning) {
        if (httpGet(QUrl(QStringLiteral("http://127.0.0.1:%1/-/ready").arg(m_port)), {}, 1000)
                .status
            == 200)
            return true;
        QThread::msleep(200);
    }
    *error = QStringLiteral("prometheus did not become ready on port %1: %2")
                 .arg(m_port)
                 .arg(QString::fromUtf8(m_process->readAll()));
    stop();
    return false;
}

double PrometheusServer::query(const QString& promql, QString* error) const
{
    QUrl url(QStringLiteral("http://127.0.0.1:%1/api/v1/query").arg(m_port));
    // Encoded whole, so that no character of PromQL ('+', '"', '=~') means anything to HTTP.
    url.setQuery(QStringLiteral("query=") + QString::fromLatin1(QUrl::toPercentEncoding(promql)),
        QUrl::StrictMode);
    const HttpReply reply = httpGet(url);
    const QJsonObject doc = QJsonDocument::fromJson(reply.body).object();
    const QJsonArray result = doc[QStringLiteral("data")][QStringLiteral("result")].toArray();
    if (reply.status != 200 || result.isEmpty()) {
        if (error)
            *error = QStringLiteral("%1: HTTP %2 %3")
                         .arg(promql)
                         .arg(reply.status)
                         .arg(QString::fromUtf8(reply.body));
        return std::numeric_limits<double>::quiet_NaN();
    }
    // [unix time, "value"]; the value is a string ("NaN", "+Inf" included).
    const QString value = result.first()[QStringLiteral("value")].toArray().at(1).toString();
    return value.toDouble();
}

} // namespace swarm::test
