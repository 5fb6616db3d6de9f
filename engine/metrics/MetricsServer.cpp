#include "metrics/MetricsServer.h"

#include "metrics/MetricFamilies.h"

#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QTcpServer>

namespace swarm {

namespace {

// Compares in time independent of where the first difference is, so the time a wrong token
// takes says nothing about how much of it was right.
bool sameSecret(const QByteArray& a, const QByteArray& b)
{
    unsigned char diff = a.size() == b.size() ? 0 : 1;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i % qMax<qsizetype>(1, b.size())]);
    return diff == 0 && !b.isEmpty();
}

QHttpServerResponse plain(const char* text, QHttpServerResponse::StatusCode status)
{
    return QHttpServerResponse(
        QByteArrayLiteral("text/plain; charset=utf-8"), QByteArray(text), status);
}

} // namespace

MetricsServer::MetricsServer(const MetricsOptions& options, Render render, QObject* parent)
    : QObject(parent)
    , m_options(options)
    , m_render(std::move(render))
{ }

MetricsServer::~MetricsServer() = default;

bool MetricsServer::listen(QString* error)
{
    const QString problem = m_options.problem();
    if (!problem.isEmpty()) {
        *error = problem;
        return false;
    }
    // Our own QTcpServer, so a failure says why (QHttpServer::listen only returns 0).
    m_http = new QHttpServer(this);
    m_tcp = new QTcpServer(m_http);
    if (!m_tcp->listen(m_options.address, m_options.port)) {
        *error = QStringLiteral("cannot listen on %1:%2: %3")
                     .arg(m_options.address.toString())
                     .arg(m_options.port)
                     .arg(m_tcp->errorString());
        delete m_http;
        m_http = nullptr;
        m_tcp = nullptr;
        return false;
    }
    m_http->route(QStringLiteral("/metrics"),
        [this](const QHttpServerRequest& request) { return serve(request); });
    m_http->bind(m_tcp);
    return true;
}

QHostAddress MetricsServer::address() const
{
    return m_tcp ? m_tcp->serverAddress() : QHostAddress();
}

quint16 MetricsServer::port() const
{
    return m_tcp ? m_tcp->serverPort() : 0;
}

QString MetricsServer::url() const
{
    const QHostAddress a = address();
    const QString host = a.protocol() == QAbstractSocket::IPv6Protocol
        ? QStringLiteral("[%1]").arg(a.toString())
        : a.toString();
    return QStringLiteral("http://%1:%2/metrics").arg(host).arg(port());
}

bool MetricsServer::authorized(const QHttpServerRequest& request) const
{
    if (m_options.token.isEmpty()) return true;
    static const QByteArray kScheme = QByteArrayLiteral("bearer ");
    for (const auto& [name, value] : request.headers()) {
        if (name.compare("authorization", Qt::CaseInsensitive) != 0) continue;
        const QByteArray v = value.trimmed();
        if (v.size() > kScheme.size() && v.left(kScheme.size()).toLower() == kScheme)
            return sameSecret(v.mid(kScheme.size()).trimmed(), m_options.token.toUtf8());
    }
    return false;
}

QHttpServerResponse MetricsServer::serve(const QHttpServerRequest& request)
{
    using Status = QHttpServerResponse::StatusCode;
    if (request.method() != QHttpServerRequest::Method::Get
        && request.method() != QHttpServerRequest::Method::Head) {
        QHttpServerResponse response = plain("only GET /metrics\n", Status::MethodNotAllowed);
        response.setHeader(QByteArrayLiteral("Allow"), QByteArrayLiteral("GET, HEAD"));
        return response;
    }
    if (!authorized(request)) {
        QHttpServerResponse response = plain(
            "401: send Authorization: Bearer TOKEN (--metrics-token)\n", Status::Unauthorized);
        response.setHeader(QByteArrayLiteral("WWW-Authenticate"),
            QByteArrayLiteral("Bearer realm=\"swarm metrics\""));
        return response;
    }
    ++m_scrapes;
    return QHttpServerResponse(QByteArray(kMetricsContentType), m_render(), Status::Ok);
}

} // namespace swarm
