#include "net/QtTransport.h"

#include "net/Platform.h"
#include "net/QtSslContextShare.h"
#include "net/TlsVerdictWait.h"

#include <QNetworkProxy>
#include <QRegularExpression>
#include <QSslSocket>
#include <QTcpSocket>

#include <algorithm>

namespace swarm {

namespace {

// Unbuffered, Qt reads nothing itself: a RemoteHostClosedError it reports comes from writing
// what it kept of a request, to a peer that is gone — a reset, as send() says on epoll.
SocketFailure failureOf(QAbstractSocket::SocketError error)
{
    switch (error) {
    case QAbstractSocket::ConnectionRefusedError:
        return SocketFailure::Refused;
    case QAbstractSocket::SocketTimeoutError:
        return SocketFailure::TimedOut;
    case QAbstractSocket::RemoteHostClosedError:
    case QAbstractSocket::NetworkError:
        return SocketFailure::Reset;
    default:
        return SocketFailure::Other;
    }
}

QString detailOf(QTcpSocket* s)
{
    switch (s->error()) {
    case QAbstractSocket::AddressInUseError:
    case QAbstractSocket::SocketAddressNotAvailableError:
        return QStringLiteral("no free local port (ephemeral ports exhausted: add --source-ip "
                              "addresses)");
    case QAbstractSocket::RemoteHostClosedError: // see failureOf()
        return QStringLiteral("Connection reset by peer");
    default:
        return s->errorString();
    }
}

// The same three kinds of reason as the epoll transport's (TlsContext).
QString tlsDetailOf(QTcpSocket* s, QAbstractSocket::SocketError code)
{
    if (code == QAbstractSocket::RemoteHostClosedError)
        return QStringLiteral("the server closed the connection during the TLS handshake");
    // Qt passes OpenSSL's error on as text ("error:0A000458:SSL routines::tlsv1 unrecognized
    // name"): a reason from 1000 (SSL_AD_REASON_OFFSET) up is an alert the server sent.
    const QString text = s->errorString();
    static const QRegularExpression opensslError(QStringLiteral("error:([0-9A-Fa-f]{8}):"));
    const QRegularExpressionMatch m = opensslError.match(text);
    const bool alert = text.contains(QLatin1String("alert"))
        || (m.hasMatch() && (m.captured(1).toUInt(nullptr, 16) & 0x7fffff) >= 1000);
    return (alert ? QStringLiteral("alert received: ") : QStringLiteral("handshake failure: "))
        + text;
}

} // namespace

QtTransport::QtTransport(TransportHandler* handler, const SocketOptions& options, QObject* parent)
    : QObject(parent)
    , m_handler(handler)
    , m_options(options)
{
    if (!m_options.tls.enabled) return;
    makeSslConfiguration(m_options.tls, &m_ssl, &m_tlsError);
    m_verdicts = TlsVerdictWait::forEntries(
        &m_entries, [this](quint32 slot) { secured(slot); }, this);
}

QTcpSocket* QtTransport::newSocket()
{
    if (!m_options.tls.enabled) return new QTcpSocket(this);
    auto* s = new QSslSocket(this);
    s->setSslConfiguration(m_ssl);
    return s;
}

QtTransport::~QtTransport()
{
    for (quint32 slot = 0; slot < m_entries.size(); ++slot)
        close(slot);
}

// Binds through the platform seam where it can leave the port to connect() (no port search at
// bind time, ports shared between servers), else through Qt.
bool QtTransport::bindLocal(QTcpSocket* s, const QHostAddress& local, QString* error)
{
    QString seamError;
    const qintptr fd = platform::openPortDeferredSocket(local, &seamError);
    if (fd >= 0) {
        if (s->setSocketDescriptor(fd, QAbstractSocket::BoundState, QIODevice::ReadWrite))
            return true;
        platform::closeDescriptor(fd);
        *error = QStringLiteral("cannot use the socket for %1: %2")
                     .arg(local.toString(), s->errorString());
        return false;
    }
    if (!seamError.isEmpty()) {
        *error = seamError;
        return false;
    }
    if (s->bind(local, 0)) return true;
    *error = s->error() == QAbstractSocket::AddressInUseError
        ? QStringLiteral("no free local port on %1 (ephemeral ports exhausted: add "
                         "--source-ip addresses)")
              .arg(local.toString())
        : QStringLiteral("cannot bind source address %1: %2")
              .arg(local.toString(), s->errorString());
    return false;
}

bool QtTransport::open(
    quint32 slot, const Endpoint& server, const QHostAddress& source, QString* error)
{
    Busy busy(this);
    if (slot >= m_entries.size()) m_entries.resize(slot + 1);
    close(slot);
    QTcpSocket* s = newSocket();
    // No proxy, as on epoll: the default (system configuration) asks libproxy on a thread of its
    // own for every connect — a thread hop and a read of /etc/services each time, which took
    // most of the CPU of 2,000 connections reconnecting to a server that was down.
    s->setProxy(QNetworkProxy::NoProxy);
    // QTcpSocket creates its socket in bind() or else inside connectToHost(), and drops options
    // set before that. Bound first (to the source address, or any address: the port is chosen
    // either way), the buffer sizes are set before the handshake, as on epoll: a receive buffer
    // shrunk after it would leave the window announced for the default one.
    const QHostAddress local = !source.isNull() ? source
        : server.address.protocol() == QAbstractSocket::IPv6Protocol
        ? QHostAddress(QHostAddress::AnyIPv6)
        : QHostAddress(QHostAddress::AnyIPv4);
    if (!bindLocal(s, local, error)) {
        delete s;
        return false;
    }
    applyOptions(s);
    Entry& e = m_entries[slot];
    e.socket = s;
    e.failed = false;
    e.errorTaken = false;
    e.closePending = false;
    e.readEarly = false;
    e.handshaking = false;
    e.wantWrite = false;
    e.detail.clear();
    watch(slot, s);
    if (auto* ssl = qobject_cast<QSslSocket*>(s)) {
        watchTls(slot, ssl);
        // Connected unencrypted: the handshake is started here (startHandshake), when its turn
        // comes, with the shared context.
        ssl->setPeerVerifyName(m_options.tls.verifyName());
        ssl->connectToHost(server.address.toString(), server.port, QIODevice::ReadWrite);
        return true;
    }
    s->connectToHost(server.address, server.port, QIODevice::ReadWrite | QIODevice::Unbuffered);
    return true;
}

void QtTransport::watch(quint32 slot, QTcpSocket* s)
{
    // Every connection of a signal costs memory on each of thousands of idle sockets: connected
    // is needed once, bytesWritten only while a write waits (setWantWrite).
    connect(
        s, &QTcpSocket::connected, this,
        [this, slot, s] {
            auto* ssl = qobject_cast<QSslSocket*>(s);
            if (!ssl) {
                raise(slot, Event::Connected);
                Entry& e = m_entries[slot];
                if (e.socket == s && e.readEarly) { // told before connected: told again now
                    e.readEarly = false;
                    raise(slot, Event::Readable);
                }
                return;
            }
            Entry& e = m_entries[slot];
            e.handshaking = true;
            e.waiting = m_handshakesUnderWay >= kMaxTlsHandshakes;
            const bool now = !e.waiting;
            if (e.waiting) m_waiting.push_back({slot, e.generation, Event::HandshakeStarted});
            raise(slot, Event::Connected); // the handler may open sockets: `e` may move
            if (now && m_entries[slot].socket == s) startHandshake(slot, ssl);
        },
        Qt::SingleShotConnection);
    connect(s, &QTcpSocket::readyRead, this, [this, slot] {
        Entry& e = m_entries[slot];
        if (e.waiting) return; // what came before the handshake is the handshake's to read
        // Qt may tell of bytes before it tells of the connect (both ready at one poll), while its
        // read() still answers -1 (not connected): they are told after `connected`.
        if (e.socket && e.socket->state() != QAbstractSocket::ConnectedState) {
            e.readEarly = true;
            return;
        }
        if (e.verdict) secured(slot); // the server answered: it goes on with us
        raise(slot, Event::Readable);
    });
    connect(s, &QTcpSocket::errorOccurred, this,
        [this, slot, s](QAbstractSocket::SocketError error) { onError(slot, s, int(error)); });
}

// Starts the handshake of a connected socket, with the worker's shared context when there is
// one (see QtSslContextShare.h); the context the first socket makes becomes the shared one. A
// context serves kContextUses sockets, then the next socket makes a new one: OpenSSL's client
// session cache, which Qt turns on, keeps every TLS 1.3 ticket received in the context until it
// is freed, and a context is freed with the last socket using it.
//
// With --tls-session-reuse every socket makes its own context, from the newest session ticket
// (Qt reads a ticket only when it makes a context, and resumes the session it decoded then on
// every socket of that context): one context shared, made from the first ticket, gained
// nothing from reuse against redis (2,000 handshakes: 627 per client CPU-second, against 735
// with a context each from the newest ticket).
void QtTransport::startHandshake(quint32 slot, QSslSocket* s)
{
    Busy busy(this);
    Entry& e = m_entries[slot];
    e.waiting = false;
    e.underWay = true;
    ++m_handshakesUnderWay;
    e.handshakeStartUs = TlsVerdictWait::nowUs();
    const bool share = !m_options.tls.sessionReuse;
    const bool useShared = share && m_sharedContext && m_sharedUses < kContextUses;
    if (useShared) {
        qtssl::useContext(s, m_sharedContext);
        ++m_sharedUses;
    } else if (m_options.tls.sessionReuse) {
        s->setSslConfiguration(m_ssl); // the newest ticket, for the context made now
    }
    s->startClientEncryption();
    if (useShared || e.socket != s) return;
    std::shared_ptr<QSslContext> made = qtssl::contextOf(s);
    if (!made) return;
    ++m_contextsMade;
    if (!share) return;
    m_sharedContext = std::move(made);
    m_sharedUses = 1;
}

// A handshake ended (secured, failed or closed): the next waiting one starts. At once when the
// caller holds no entry and is no Transport method (`now`): a queued call would cost a pass of
// the event loop for each handshake, and each pass polls every socket of the worker (Qt's
// event dispatcher: with 10,000 sockets, that halved the handshakes per CPU-second). Otherwise
// from the event loop (this may run inside close(), or inside the destructor).
void QtTransport::handshakeEnded(Entry& e, bool now)
{
    if (!e.underWay) return;
    e.underWay = false;
    --m_handshakesUnderWay;
    if (m_waiting.empty()) return;
    if (now && m_busy == 0) {
        startWaiting();
        return;
    }
    if (m_pumpPosted) return;
    m_pumpPosted = true;
    QMetaObject::invokeMethod(
        this, [this] { startWaiting(); }, Qt::QueuedConnection);
}

void QtTransport::startWaiting()
{
    m_pumpPosted = false;
    while (m_handshakesUnderWay < kMaxTlsHandshakes && !m_waiting.empty()) {
        const Deferred d = m_waiting.front();
        m_waiting.pop_front();
        if (d.slot >= m_entries.size()) continue;
        Entry& e = m_entries[d.slot];
        auto* s = qobject_cast<QSslSocket*>(e.socket);
        if (e.generation != d.generation || !e.waiting || !s) continue;
        startHandshake(d.slot, s);
        if (m_entries[d.slot].socket == s) raise(d.slot, Event::HandshakeStarted);
    }
}

bool QtTransport::handshakeWaiting(quint32 slot) const
{
    return slot < m_entries.size() && m_entries[slot].socket && m_entries[slot].waiting;
}

int QtTransport::tlsContextsInUse() const
{
    std::vector<const QSslContext*> seen;
    for (const Entry& e : m_entries) {
        auto* s = qobject_cast<QSslSocket*>(e.socket);
        const std::shared_ptr<QSslContext> c = s ? qtssl::contextOf(s) : nullptr;
        if (c && std::find(seen.begin(), seen.end(), c.get()) == seen.end())
            seen.push_back(c.get());
    }
    return int(seen.size());
}

void QtTransport::watchTls(quint32 slot, QSslSocket* s)
{
    connect(s, &QSslSocket::encrypted, this, [this, slot, s] { onEncrypted(slot, s); });
    // Told before the handshake fails (errorOccurred): the reason the failure reports.
    connect(s, &QSslSocket::sslErrors, this, [this, slot](const QList<QSslError>& errors) {
        QStringList why;
        for (const QSslError& e : errors)
            why << e.errorString();
        m_entries[slot].detail
            = QStringLiteral("certificate rejected: ") + why.join(QStringLiteral("; "));
    });
    if (m_options.tls.sessionReuse)
        connect(s, &QSslSocket::newSessionTicketReceived, this, [this, s] { onTicket(s); });
}

// TLS 1.3: the newest ticket, for the next socket's context (--tls-session-reuse).
void QtTransport::onTicket(QSslSocket* s)
{
    m_ssl.setSessionTicket(s->sslConfiguration().sessionTicket());
}

// TLS 1.3: the server's verdict on the client's certificate comes after `encrypted` (see
// TlsVerdictWait). QSslSocket does not tell whether the server asked for a certificate, nor when
// a session ticket arrives: every TLS 1.3 connection waits, until the server's first data or
// the wait's end.
void QtTransport::onEncrypted(quint32 slot, QSslSocket* s)
{
    Entry& e = m_entries[slot];
    if (s->sessionProtocol() == QSsl::TlsV1_3 && !s->bytesAvailable()) {
        m_verdicts->wait(slot, e);
        return;
    }
    secured(slot);
}

void QtTransport::secured(quint32 slot)
{
    Entry& e = m_entries[slot];
    e.verdict = false;
    e.handshaking = false;
    handshakeEnded(e, true); // `e` is not used after this
    raise(slot, Event::Secured);
}

void QtTransport::applyOptions(QTcpSocket* s)
{
    s->setReadBufferSize(kMaxReadAhead);
    if (m_options.receiveBuffer > 0)
        s->setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, m_options.receiveBuffer);
    if (m_options.sendBuffer > 0)
        s->setSocketOption(QAbstractSocket::SendBufferSizeSocketOption, m_options.sendBuffer);
    if (m_options.noDelay) s->setSocketOption(QAbstractSocket::LowDelayOption, 1);
}

void QtTransport::onError(quint32 slot, QTcpSocket* s, int error)
{
    if (slot >= m_entries.size() || m_entries[slot].socket != s) return;
    Entry& e = m_entries[slot];
    const auto code = QAbstractSocket::SocketError(error);
    const bool tls = e.handshaking || code == QAbstractSocket::SslHandshakeFailedError
        || code == QAbstractSocket::SslInternalError
        || code == QAbstractSocket::SslInvalidUserDataError;
    e.failure = tls ? SocketFailure::Tls : failureOf(code);
    if (!tls || !e.detail.startsWith(QLatin1String("certificate rejected")))
        e.detail = tls ? tlsDetailOf(s, code) : detailOf(s);
    // A QSslSocket reads by itself (buffered): its RemoteHostClosedError is the end of the
    // stream, not a reset found by a write as on an unbuffered socket (see failureOf()).
    if (!tls && code == QAbstractSocket::RemoteHostClosedError && qobject_cast<QSslSocket*>(s)) {
        e.failure = SocketFailure::Closed;
        e.detail = QStringLiteral("closed by the server");
        // What it decrypted before the close waits in its buffer, not in the kernel: dropping the
        // socket now would lose the server's last words whenever the connection had not read at
        // the readable event (a continuation pending). read() gives them, then the close.
        if (s->bytesAvailable() > 0) {
            e.closePending = true;
            raise(slot, Event::Readable);
            return;
        }
    }
    e.failed = true;
    drop(e);
    raise(slot, Event::Failed);
}

void QtTransport::raise(quint32 slot, Event event)
{
    if (m_busy > 0) {
        m_deferred.push_back({slot, m_entries[slot].generation, event});
        if (!m_deferPosted) {
            m_deferPosted = true;
            QMetaObject::invokeMethod(
                this, [this] { deliverDeferred(); }, Qt::QueuedConnection);
        }
        return;
    }
    Entry& e = m_entries[slot];
    switch (event) {
    case Event::Connected:
        m_handler->socketConnected(slot);
        return;
    case Event::HandshakeStarted:
        m_handler->socketHandshakeStarted(slot);
        return;
    case Event::Secured:
        m_handler->socketSecured(slot);
        return;
    case Event::Readable:
        m_handler->socketReadable(slot);
        return;
    case Event::Writable:
        if (e.socket && e.wantWrite && unsent(e.socket) < kMaxUnsent)
            m_handler->socketWritable(slot);
        return;
    case Event::Failed:
        if (!e.failed) return;
        e.failed = false;
        ++e.generation; // reported: nothing more of this socket
        m_handler->socketFailed(slot, e.failure, QString(e.detail));
        return;
    }
}

void QtTransport::deliverDeferred()
{
    m_deferPosted = false;
    std::vector<Deferred> batch;
    batch.swap(m_deferred);
    for (const Deferred& d : batch)
        if (d.slot < m_entries.size() && m_entries[d.slot].generation == d.generation)
            raise(d.slot, d.event);
}

qint64 QtTransport::failedCall(const Entry& e, SocketFailure* failure, QString* detail) const
{
    if (e.failed) {
        *failure = e.failure;
        *detail = e.detail;
    } else {
        *failure = SocketFailure::Closed;
        *detail = QStringLiteral("socket closed");
    }
    return -1;
}

qint64 QtTransport::read(
    quint32 slot, char* buffer, qint64 capacity, SocketFailure* failure, QString* detail)
{
    Busy busy(this);
    if (slot >= m_entries.size()) return failedCall(Entry(), failure, detail);
    Entry& e = m_entries[slot];
    if (!e.socket) return failedCall(e, failure, detail);
    if (e.closePending) return readBeforeClose(slot, e, buffer, capacity, failure, detail);
    // Qt reads a reset as the end of the stream: the error pending on the socket says which. It
    // is kept for the end of the stream, so the bytes that came before a reset are read first.
    if (!e.errorTaken)
        e.errorTaken
            = platform::takeSocketError(e.socket->socketDescriptor(), &e.failure, &e.detail);
    const qint64 n = e.socket->read(buffer, capacity);
    if (n < 0) {
        *failure = e.errorTaken ? e.failure : SocketFailure::Closed;
        *detail = e.errorTaken ? e.detail : QStringLiteral("closed by the server");
        drop(e);
        return -1;
    }
    return n;
}

qint64 QtTransport::write(
    quint32 slot, const char* data, qint64 size, SocketFailure* failure, QString* detail)
{
    Busy busy(this);
    if (slot >= m_entries.size()) return failedCall(Entry(), failure, detail);
    Entry& e = m_entries[slot];
    QTcpSocket* s = e.socket;
    if (!s || s->state() != QAbstractSocket::ConnectedState) return failedCall(e, failure, detail);
    const qint64 room = kMaxUnsent - unsent(s);
    if (room <= 0) return 0;
    // Unbuffered: this is the send() itself; Qt keeps only what the kernel did not take.
    const qint64 n = s->write(data, qMin(size, room));
    if (e.failed) // reported by Qt while writing: waits in the queue, told here at once
        return failedCall(e, failure, detail);
    if (n < 0) {
        *failure = failureOf(s->error());
        *detail = detailOf(s);
        drop(e);
        return -1;
    }
    return n;
}

bool QtTransport::confirmConnected(quint32 slot)
{
    if (slot >= m_entries.size() || !m_entries[slot].socket
        || m_entries[slot].socket->state() != QAbstractSocket::ConnectedState)
        return false;
    // Connected and told: nothing to confirm. Connected with the event still queued: take it.
    const quint32 generation = m_entries[slot].generation;
    for (auto it = m_deferred.begin(); it != m_deferred.end(); ++it) {
        if (it->slot == slot && it->generation == generation && it->event == Event::Connected) {
            m_deferred.erase(it);
            return true;
        }
    }
    return false;
}

// What Qt holds that the kernel has not taken. A QSslSocket encrypts what it is given from the
// event loop, whatever the kernel takes, into a buffer of its own (encryptedBytesToWrite): a
// server that never reads would make it grow without limit (16 MiB in a test) if only the
// plaintext counted.
qint64 QtTransport::unsent(QTcpSocket* s) const
{
    return s->bytesToWrite()
        + (m_options.tls.enabled ? static_cast<QSslSocket*>(s)->encryptedBytesToWrite() : 0);
}

void QtTransport::setWantWrite(quint32 slot, bool want)
{
    if (slot >= m_entries.size()) return;
    Entry& e = m_entries[slot];
    // Room comes when the kernel takes bytes: with TLS, encrypted ones (bytesWritten then only
    // says that plaintext was encrypted).
    if (e.socket && want && !e.wantWrite && m_options.tls.enabled)
        e.writeWatch
            = connect(static_cast<QSslSocket*>(e.socket), &QSslSocket::encryptedBytesWritten, this,
                [this, slot] { raise(slot, Event::Writable); });
    else if (e.socket && want && !e.wantWrite)
        e.writeWatch = connect(e.socket, &QTcpSocket::bytesWritten, this,
            [this, slot] { raise(slot, Event::Writable); });
    else if (!want && e.wantWrite)
        disconnect(e.writeWatch);
    e.wantWrite = want;
}

bool QtTransport::shutdownWrite(quint32 slot)
{
    if (slot >= m_entries.size()) return false;
    const Entry& e = m_entries[slot];
    QTcpSocket* s = e.socket;
    if (!s || s->state() != QAbstractSocket::ConnectedState || e.handshaking) return false;
    // A QSslSocket cannot half-close: its disconnectFromHost() sends close_notify and closes the
    // TCP socket in full (reading no more), and a FIN of our own without close_notify is an
    // "unexpected EOF" to a server on OpenSSL 3, a fatal error after which its writes of what it
    // owes fail (mosquitto: "disconnected due to out of memory"). So nothing is sent: the socket
    // stays open, Qt sends what it still holds of the goodbye, and the connection reads until
    // the server closes or the goodbye's deadline ends it.
    if (qobject_cast<QSslSocket*>(s)) return true;
    if (s->bytesToWrite() == 0) return platform::shutdownWrite(s->socketDescriptor());
    // Qt still holds the end of what was written (unbuffered, it keeps what the kernel did not
    // take): the FIN goes after it. drop() disconnects this with the socket's other signals.
    connect(s, &QTcpSocket::bytesWritten, this, [s] {
        if (s->bytesToWrite() == 0) platform::shutdownWrite(s->socketDescriptor());
    });
    return true;
}

void QtTransport::close(quint32 slot)
{
    if (slot >= m_entries.size()) return;
    Busy busy(this);
    Entry& e = m_entries[slot];
    ++e.generation;
    e.failed = false;
    e.errorTaken = false;
    e.closePending = false;
    e.readEarly = false;
    e.handshaking = false;
    e.verdict = false;
    e.wantWrite = false;
    e.detail.clear();
    drop(e);
}

qintptr QtTransport::descriptor(quint32 slot) const
{
    return slot < m_entries.size() && m_entries[slot].socket
        ? m_entries[slot].socket->socketDescriptor()
        : -1;
}

// The server has closed a TLS socket whose decrypted bytes were not all read (onError): they come
// first, each read asking for one more readable event (the connection may stop short of the end
// and nothing else would call it back), then the close.
qint64 QtTransport::readBeforeClose(
    quint32 slot, Entry& e, char* buffer, qint64 capacity, SocketFailure* failure, QString* detail)
{
    const qint64 n = e.socket->read(buffer, capacity);
    if (n > 0) {
        raise(slot, Event::Readable); // deferred: we are inside a transport call
        return n;
    }
    *failure = e.failure;
    *detail = e.detail;
    e.closePending = false;
    drop(e);
    return -1;
}

void QtTransport::drop(Entry& e)
{
    QTcpSocket* s = e.socket;
    handshakeEnded(e, false);
    e.waiting = false;
    if (!s) return;
    e.socket = nullptr;
    s->disconnect(this);
    // Unread bytes would turn the close into a reset (see EpollTransport::close): unbuffered,
    // each read() takes them from the kernel. Bounded: a flooding server gets its reset.
    if (s->state() == QAbstractSocket::ConnectedState) {
        char sink[4096];
        for (int i = 0; i < kCloseDrainReads; ++i)
            if (s->read(sink, sizeof sink) <= 0) break;
    }
    s->abort();
    s->deleteLater();
}

} // namespace swarm
