#pragma once

#include "metrics/MetricsOptions.h"

#include <QByteArray>
#include <QObject>

#include <functional>

class QHttpServer;
class QHttpServerRequest;
class QHttpServerResponse;
class QTcpServer;

namespace swarm {

// Serves `GET /metrics` (the Prometheus text format, made by `render`) over HTTP with Qt
// HttpServer, in the thread that owns it (the main one): a scrape reads the last merged snapshot
// there and never reaches a worker. With a token, a request without `Authorization: Bearer TOKEN`
// gets 401; another path 404, another method 405.
class MetricsServer : public QObject
{
    Q_OBJECT
public:
    using Render = std::function<QByteArray()>;
    MetricsServer(const MetricsOptions& options, Render render, QObject* parent = nullptr);
    ~MetricsServer() override;

    // Checks the options (MetricsOptions::problem) and listens; false with *error ("cannot
    // listen on 127.0.0.1:9464: The bound address is already in use").
    bool listen(QString* error);
    QHostAddress address() const;
    quint16 port() const;
    QString url() const; // http://127.0.0.1:9464/metrics
    quint64 scrapes() const { return m_scrapes; } // served with 200

private:
    QHttpServerResponse serve(const QHttpServerRequest& request);
    bool authorized(const QHttpServerRequest& request) const;

    MetricsOptions m_options;
    Render m_render;
    QHttpServer* m_http = nullptr;
    QTcpServer* m_tcp = nullptr;
    quint64 m_scrapes = 0;
};

} // namespace swarm
