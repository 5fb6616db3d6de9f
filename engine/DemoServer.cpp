#include "DemoServer.h"

#include <QCryptographicHash>
#include <QSemaphore>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>

namespace swarm {

class DemoServerCore : public QObject
{
public:
    explicit DemoServerCore(DemoServer* owner)
        : m_owner(owner)
    {
    }

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
        if (s->bytesAvailable() > kMaxLine)
            s->abort();
    }

    QByteArray answer(QTcpSocket* s, const QByteArray& line)
    {
        const QList<QByteArray> parts = line.split('|');
        if (parts.size() < 4)
            return "SR|?|400|bad request\r\n";
        const QByteArray& method = parts[1];
        const QByteArray params = parts.mid(3).join('|');
        const QByteArray token = s->property("token").toByteArray();
        if (method == "tcp.heartbeat")
            return "SR|tcp.heartbeat|0|ok\r\n";
        if (method == "user.login") {
            const QByteArray t = QCryptographicHash::hash(params + QByteArray::number(quintptr(s)),
                                                          QCryptographicHash::Sha1)
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
    m_thread = new QThread;
    m_thread->setObjectName(QStringLiteral("swarm-demo-server"));
    m_core = new DemoServerCore(this);
    m_core->moveToThread(m_thread);
    QObject::connect(m_thread, &QThread::finished, m_core, &QObject::deleteLater);
    m_thread->start();
    bool ok = false;
    QSemaphore done;
    QMetaObject::invokeMethod(m_core, [&] {
        ok = m_core->listen(address, port, error);
        if (ok)
            m_port = m_core->port();
        done.release();
    });
    done.acquire();
    m_address = address;
    if (!ok)
        stop();
    return ok;
}

void DemoServer::stop()
{
    if (!m_thread)
        return;
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
    m_thread = nullptr;
    m_core = nullptr;
}

} // namespace swarm
