#include "net/QtTransport.h"

#include <QTcpSocket>

namespace swarm {

namespace {

SocketFailure failureOf(QAbstractSocket::SocketError error)
{
    switch (error) {
    case QAbstractSocket::ConnectionRefusedError:
        return SocketFailure::Refused;
    case QAbstractSocket::SocketTimeoutError:
        return SocketFailure::TimedOut;
    case QAbstractSocket::RemoteHostClosedError:
        return SocketFailure::Closed;
    case QAbstractSocket::NetworkError:
        return SocketFailure::Reset;
    default:
        return SocketFailure::Other;
    }
}

} // namespace

QtTransport::QtTransport(TransportHandler* handler, const SocketOptions& options, QObject* parent)
    : QObject(parent)
    , m_handler(handler)
    , m_options(options)
{
}

QtTransport::~QtTransport()
{
    for (quint32 slot = 0; slot < m_sockets.size(); ++slot)
        close(slot);
}

QTcpSocket* QtTransport::socket(quint32 slot) const
{
    return slot < m_sockets.size() ? m_sockets[slot] : nullptr;
}

bool QtTransport::open(quint32 slot, const Endpoint& server, const QHostAddress& source,
                       QString* error)
{
    if (slot >= m_sockets.size()) {
        m_sockets.resize(slot + 1, nullptr);
        m_wantWrite.resize(slot + 1, false);
    }
    close(slot);
    auto* s = new QTcpSocket(this);
    if (m_options.receiveBuffer > 0)
        s->setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, m_options.receiveBuffer);
    if (m_options.sendBuffer > 0)
        s->setSocketOption(QAbstractSocket::SendBufferSizeSocketOption, m_options.sendBuffer);
    if (m_options.noDelay)
        s->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    if (!source.isNull() && !s->bind(source, 0)) {
        *error = QStringLiteral("cannot bind source address %1: %2")
                     .arg(source.toString(), s->errorString());
        delete s;
        return false;
    }
    m_sockets[slot] = s;
    m_wantWrite[slot] = false;
    connect(s, &QTcpSocket::connected, this, [this, slot] { m_handler->socketConnected(slot); });
    connect(s, &QTcpSocket::readyRead, this, [this, slot] { m_handler->socketReadable(slot); });
    connect(s, &QTcpSocket::bytesWritten, this, [this, slot] {
        QTcpSocket* sock = socket(slot);
        if (sock && m_wantWrite[slot] && sock->bytesToWrite() < kMaxUnsent)
            m_handler->socketWritable(slot);
    });
    connect(s, &QTcpSocket::errorOccurred, this, [this, slot, s](QAbstractSocket::SocketError e) {
        if (socket(slot) != s)
            return;
        // A close by the server with unread data still buffered is read first.
        if (e == QAbstractSocket::RemoteHostClosedError && s->bytesAvailable() > 0)
            m_handler->socketReadable(slot);
        if (socket(slot) != s)
            return;
        const QString detail = s->errorString();
        close(slot);
        m_handler->socketFailed(slot, failureOf(e), detail);
    });
    s->connectToHost(server.address, server.port);
    return true;
}

qint64 QtTransport::read(quint32 slot, char* buffer, qint64 capacity, SocketFailure* failure,
                         QString* detail)
{
    QTcpSocket* s = socket(slot);
    if (!s) {
        *failure = SocketFailure::Closed;
        *detail = QStringLiteral("socket closed");
        return -1;
    }
    const qint64 n = s->read(buffer, capacity);
    if (n < 0) {
        *failure = SocketFailure::Closed;
        *detail = s->errorString();
        return -1;
    }
    return n;
}

qint64 QtTransport::write(quint32 slot, const char* data, qint64 size, SocketFailure* failure,
                          QString* detail)
{
    QTcpSocket* s = socket(slot);
    if (!s || s->state() != QAbstractSocket::ConnectedState) {
        *failure = SocketFailure::Closed;
        *detail = QStringLiteral("socket closed");
        return -1;
    }
    const qint64 room = kMaxUnsent - s->bytesToWrite();
    if (room <= 0)
        return 0;
    const qint64 n = s->write(data, qMin(size, room));
    if (n < 0) {
        *failure = SocketFailure::Reset;
        *detail = s->errorString();
        return -1;
    }
    // Write now rather than at the next turn of the event loop: the latency clock is running.
    s->flush();
    return n;
}

bool QtTransport::confirmConnected(quint32)
{
    // QTcpSocket reports connected() the moment it knows: nothing is ever pending here.
    return false;
}

void QtTransport::setWantWrite(quint32 slot, bool want)
{
    if (slot < m_wantWrite.size())
        m_wantWrite[slot] = want;
}

void QtTransport::close(quint32 slot)
{
    QTcpSocket* s = socket(slot);
    if (!s)
        return;
    m_sockets[slot] = nullptr;
    s->disconnect(this);
    s->abort();
    s->deleteLater();
}

} // namespace swarm
