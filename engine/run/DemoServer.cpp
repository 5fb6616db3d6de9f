#include "run/DemoServer.h"

#include <QCryptographicHash>
#include <QEventLoop>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>

#include <future>

namespace swarm {

class DemoServerCore : public QObject
{
public:
    explicit DemoServerCore(DemoServer* owner)
        : m_owner(owner)
    { }

    bool listen(const QHostAddress& address, quint16 port, QString* error)
    {
        m_server = new QTcpServer(this);
        // A large `incr` connects thousands at once: keep the accept queue deep.
        m_server->setListenBacklogSize(4096);
        if (!m_server->listen(address, port)) {
            *error = m_server->errorString();
            return false;
        }
        connect(m_server, &QTcpServer::newConnection, this, [this] { accept(); });
        return true;
    }
    quint16 port() const { return m_server->serverPort(); }

private:
    static constexpr qsizetype kMaxLine = 64 * 1024;

    void accept()
    {
        while (QTcpSocket* s = m_server->nextPendingConnection()) {
            ++m_owner->m_connections;
            ++m_owner->m_accepted;
            connect(s, &QTcpSocket::readyRead, this, [this, s] { serve(s); });
            connect(s, &QTcpSocket::disconnected, this, [this, s] {
                --m_owner->m_connections;
                s->deleteLater();
            });
        }
    }

    void serve(QTcpSocket* s)
    {
        while (s->canReadLine()) {
            QByteArray line = s->readLine(kMaxLine);
            while (line.endsWith('\n') || line.endsWith('\r'))
                line.chop(1);
            ++m_owner->m_requests;
            if (!line.startsWith("SS|"))
                continue; // `simple` heartbeats and anything else: taken, not answered
            s->write(answer(s, line));
        }
        if (s->bytesAvailable() > kMaxLine) s->abort();
    }

    QByteArray answer(QTcpSocket* s, const QByteArray& line)
    {
        const QList<QByteArray> parts = line.split('|');
        if (parts.size() < 4) return "SR|?|400|bad request\r\n";
        const QByteArray& method = parts[1];
        const QByteArray params = parts.mid(3).join('|');
        const QByteArray token = s->property("token").toByteArray();
        if (method == "tcp.heartbeat") return "SR|tcp.heartbeat|0|ok\r\n";
        if (method == "user.login") {
            const QByteArray t = QCryptographicHash::hash(
                params + QByteArray::number(quintptr(s)), QCryptographicHash::Sha1)
                                     .toHex()
                                     .left(16);
            s->setProperty("token", t);
            return "SR|user.login|0|token=" + t + "\r\n";
        }
        if (method.startsWith("chat.")) {
            if (token.isEmpty() || !params.contains("token=" + token))
                return "SR|" + method + "|401|login first\r\n";
            return "SR|" + method + "|0|ok\r\n";
        }
        return "SR|" + method + "|404|unknown method\r\n";
    }

    DemoServer* m_owner;
    QTcpServer* m_server = nullptr;
};

DemoServer::DemoServer() = default;

DemoServer::~DemoServer()
{
    stop();
}

bool DemoServer::start(const QHostAddress& address, quint16 port, QString* error)
{
    stop();
    // The server's objects live and die on their own thread; every hand-over between the two
    // threads goes through a std::promise (and thread start), which ThreadSanitizer can see, rather
    // than Qt's futex-based QSemaphore and QThread::wait(), which it cannot.
    struct Started
    {
        bool ok = false;
        quint16 port = 0;
        QString error;
    };
    std::promise<Started> started;
    std::future<Started> startedFuture = started.get_future();
    auto finished = std::make_shared<std::promise<void>>();
    m_finished = finished->get_future();
    m_thread
        = QThread::create([this, address, port, finished, started = std::move(started)]() mutable {
              {
                  DemoServerCore core(this);
                  Started result;
                  result.ok = core.listen(address, port, &result.error);
                  if (result.ok) result.port = core.port();
                  const bool ok = result.ok;
                  started.set_value(std::move(result));
                  if (ok) {
                      QEventLoop loop; // QThread::quit() ends it, even if called before exec()
                      loop.exec();
                  }
              } // the core, its QTcpServer and every client socket are deleted here, on this thread
              finished->set_value();
          });
    m_thread->setObjectName(QStringLiteral("swarm-demo-server"));
    m_thread->start();
    Started result = startedFuture.get();
    m_address = address;
    m_port = result.port;
    if (!result.ok) {
        if (error) *error = result.error;
        stop();
    }
    return result.ok;
}

void DemoServer::stop()
{
    if (!m_thread) return;
    m_thread->quit();
    m_finished.wait();
    m_thread->wait();
    delete m_thread;
    m_thread = nullptr;
}

} // namespace swarm
