#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QUrl>

#include <memory>

class QProcess;

namespace swarm::test {

// One HTTP request (GET unless `verb` says otherwise) with Qt's own client (QNetworkAccessManager),
// waited for in a local event loop.
struct HttpReply
{
    int status = 0; // 0: no HTTP reply (connection refused, timeout)
    QByteArray body;
    QByteArray contentType;
    QString error;
};
HttpReply httpGet(const QUrl& url, const QByteArray& bearerToken = {}, int timeoutMs = 5000,
    const QByteArray& verb = "GET");

// The value of one sample of a Prometheus text exposition, the series written as swarm writes
// it (`swarm_connections{state="acting"}`, labels in swarm's order); NaN when absent.
double sampleValue(const QByteArray& text, const QString& series);

// The `Metrics: http://...` address in swarm's banner; empty when absent.
QUrl metricsUrl(const QString& banner);

// The Prometheus bucket of swarm's request histograms (an index into prometheusEdgesUs(); the
// edge count stands for +Inf) holding a value in microseconds: the first edge at or above it,
// as `le` means.
int prometheusBucketOf(double us);

// A real Prometheus from Debian, started by the test on a free loopback port with a generated
// config (scrape_interval 1s) and its own temporary storage, stopped by the PID it started.
class PrometheusServer
{
public:
    ~PrometheusServer();
    // Scrapes `target` (host:port of a /metrics endpoint) every second, with the token when set.
    bool start(const QString& target, QString* error, const QString& bearerToken = {});
    // The same over several targets (one job, so `sum` adds them up).
    bool start(const QStringList& targets, QString* error, const QString& bearerToken = {});
    void stop();
    quint16 port() const { return m_port; }
    // An instant query through the HTTP API (/api/v1/query): the value of the first series of the
    // result; NaN when the result is empty or the query failed (*error says why).
    double query(const QString& promql, QString* error = nullptr) const;

private:
    std::unique_ptr<QProcess> m_process;
    quint16 m_port = 0;
    QTemporaryDir m_dir;
};

} // namespace swarm::test
