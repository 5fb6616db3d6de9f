#include "net/EpollTransport.h"

#include "net/Platform.h"
#include "net/SockAddr.h"
#include "net/TlsContext.h"
#include "net/TlsVerdictWait.h"

#include <QFile>
#include <QRandomGenerator>
#include <QSocketNotifier>

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace swarm {

using net::errnoText;
using net::toSockaddr;

namespace {

quint64 eventKey(quint32 slot, quint32 generation)
{
    return (quint64(generation) << 32) | slot;
}

} // namespace

bool EpollTransport::probe(QString* why)
{
    const int fd = epoll_create1(EPOLL_CLOEXEC);
    if (fd < 0) {
        *why = errnoText(errno);
        return false;
    }
    ::close(fd);
    return true;
}

EpollTransport::EpollTransport(
    TransportHandler* handler, const SocketOptions& options, QObject* parent)
    : QObject(parent)
    , m_handler(handler)
    , m_options(options)
{
    if (options.tls.enabled) {
        m_tls = TlsContext::create(options.tls, &m_tlsError);
        if (!m_tls) return;
        m_verdicts = TlsVerdictWait::forEntries(
            &m_entries, [this](quint32 slot) { secured(slot); }, this);
    }
    m_epoll = epoll_create1(EPOLL_CLOEXEC);
    if (m_epoll < 0) return;
    m_notifier = new QSocketNotifier(m_epoll, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &EpollTransport::dispatch);
    QFile range(QStringLiteral("/proc/sys/net/ipv4/ip_local_port_range"));
    if (range.open(QIODevice::ReadOnly)) {
        const QList<QByteArray> ends = range.readAll().simplified().split(' ');
        if (ends.size() == 2 && ends[0].toUInt() > 0 && ends[1].toUInt() > ends[0].toUInt()) {
            m_portLow = ends[0].toUInt();
            m_portHigh = ends[1].toUInt();
        }
    }
    // Workers start at different places so that they rarely try the same port.
    m_portCursor = m_portLow + QRandomGenerator::global()->bounded(m_portHigh - m_portLow + 1);
}

// Linux picks the local port of a connect() by scanning its table, even ports first: past about
// half the range in use towards one server, each connect() scans thousands of entries and a
// worker opening 19,000 connections stalls for seconds. Binding ports in sequence ourselves
// costs one lookup per connect. SO_REUSEADDR lets a port whose last connection is in TIME_WAIT be
// bound again (the kernel still refuses an identical 4-tuple, which is retried).
bool EpollTransport::bindNextPort(int fd, const QHostAddress& source, int family)
{
    const int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    QHostAddress local = source;
    if (local.isNull())
        local = family == AF_INET6 ? QHostAddress(QHostAddress::AnyIPv6)
                                   : QHostAddress(QHostAddress::AnyIPv4);
    const quint32 span = m_portHigh - m_portLow + 1;
    for (int attempt = 0; attempt < 64; ++attempt) {
        const quint16 port = quint16(m_portCursor);
        m_portCursor = m_portCursor >= m_portHigh ? m_portLow : m_portCursor + 1;
        sockaddr_storage from;
        const socklen_t fromLen = toSockaddr(local, port, &from);
        if (!fromLen) return false;
        if (::bind(fd, reinterpret_cast<sockaddr*>(&from), fromLen) == 0) return true;
        if (errno != EADDRINUSE || quint32(attempt) >= span) return false;
    }
    return false;
}

EpollTransport::~EpollTransport()
{
    for (quint32 slot = 0; slot < m_entries.size(); ++slot)
        close(slot);
    if (m_epoll >= 0) ::close(m_epoll);
}

EpollTransport::Entry& EpollTransport::entry(quint32 slot)
{
    if (slot >= m_entries.size()) m_entries.resize(slot + 1);
    return m_entries[slot];
}

bool EpollTransport::open(
    quint32 slot, const Endpoint& server, const QHostAddress& source, QString* error)
{
    return openAttempt(slot, server, source, error, 0);
}

bool EpollTransport::openAttempt(
    quint32 slot, const Endpoint& server, const QHostAddress& source, QString* error, int attempt)
{
    if (entry(slot).fd >= 0) close(slot);
    sockaddr_storage to;
    const socklen_t toLen = toSockaddr(server.address, server.port, &to);
    if (!toLen) {
        *error = QStringLiteral("unsupported address %1").arg(server.address.toString());
        return false;
    }
    const int fd = newSocket(to.ss_family, error);
    if (fd < 0) return false;
    const bool explicitPort
        = m_open >= kExplicitPortsAbove && bindNextPort(fd, source, to.ss_family);
    if (!source.isNull() && !explicitPort && !bindSource(fd, source, error)) {
        ::close(fd);
        return false;
    }
    if (::connect(fd, reinterpret_cast<sockaddr*>(&to), toLen) != 0 && errno != EINPROGRESS) {
        const int err = errno;
        if (err == EADDRNOTAVAIL && explicitPort && attempt < kPortRetries) {
            // That port's last connection to this server is still in TIME_WAIT: another port.
            ::close(fd);
            return openAttempt(slot, server, source, error, attempt + 1);
        }
        // A refusal is reported like an asynchronous one: keep the socket until the event says so.
        if (err != ECONNREFUSED) {
            ::close(fd);
            *error = err == EADDRNOTAVAIL
                ? QStringLiteral("no free local port for %1 (ephemeral ports exhausted: add "
                                 "--source-ip addresses)")
                      .arg(server.toString())
                : QStringLiteral("connect(): %1").arg(errnoText(err));
            return false;
        }
    }
    return watch(slot, fd, error);
}

int EpollTransport::newSocket(int family, QString* error) const
{
    const int fd = ::socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        const int err = errno;
        *error = err == EMFILE || err == ENFILE
            ? QStringLiteral("out of file descriptors (%1)").arg(errnoText(err))
            : QStringLiteral("socket(): %1").arg(errnoText(err));
        return -1;
    }
    if (m_options.receiveBuffer > 0)
        setsockopt(
            fd, SOL_SOCKET, SO_RCVBUF, &m_options.receiveBuffer, sizeof m_options.receiveBuffer);
    if (m_options.sendBuffer > 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &m_options.sendBuffer, sizeof m_options.sendBuffer);
    if (m_options.noDelay) {
        const int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    return fd;
}

bool EpollTransport::bindSource(int fd, const QHostAddress& source, QString* error) const
{
    // Let connect() pick the port together with the destination, so each source address offers
    // its whole ephemeral range per server address instead of once overall.
#ifdef IP_BIND_ADDRESS_NO_PORT
    const int one = 1;
    setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
#endif
    sockaddr_storage from;
    const socklen_t fromLen = toSockaddr(source, 0, &from);
    if (!fromLen || ::bind(fd, reinterpret_cast<sockaddr*>(&from), fromLen) != 0) {
        *error = QStringLiteral("cannot bind source address %1: %2")
                     .arg(source.toString(), errnoText(errno));
        return false;
    }
    return true;
}

bool EpollTransport::watch(quint32 slot, int fd, QString* error)
{
    Entry& e = entry(slot);
    e.fd = fd;
    ++m_open;
    ++e.generation;
    e.connecting = true;
    e.wantWrite = false;
    epoll_event ev {};
    // Even a connect that completed at once is reported through the event loop, never from here.
    ev.events = EPOLLOUT | EPOLLIN;
    ev.data.u64 = eventKey(slot, e.generation);
    if (epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &ev) != 0) {
        const int err = errno;
        ::close(fd);
        e.fd = -1;
        --m_open;
        *error = QStringLiteral("epoll_ctl(): %1").arg(errnoText(err));
        return false;
    }
    return true;
}

void EpollTransport::updateInterest(quint32 slot)
{
    Entry& e = m_entries[slot];
    epoll_event ev {};
    ev.events = EPOLLIN | (e.wantWrite || e.connecting || e.notifying ? quint32(EPOLLOUT) : 0u);
    if (e.handshaking) // the handshake says what it waits for: never read interest alone
        ev.events = e.wantWrite ? quint32(EPOLLOUT | EPOLLIN) : quint32(EPOLLIN);
    if (e.tlsWaiting) ev.events = 0; // what comes before the handshake is the handshake's
    ev.data.u64 = eventKey(slot, e.generation);
    epoll_ctl(m_epoll, EPOLL_CTL_MOD, e.fd, &ev);
}

qint64 EpollTransport::read(
    quint32 slot, char* buffer, qint64 capacity, SocketFailure* failure, QString* detail)
{
    Entry& e = entry(slot);
    if (e.fd < 0) {
        *failure = SocketFailure::Closed;
        *detail = QStringLiteral("socket closed");
        return -1;
    }
    if (e.ssl)
        return e.handshaking ? 0 : TlsContext::read(e.ssl, buffer, capacity, failure, detail);
    const ssize_t n = ::recv(e.fd, buffer, size_t(capacity), 0);
    if (n > 0) return n;
    if (n == 0) {
        *failure = SocketFailure::Closed;
        *detail = QStringLiteral("closed by the server");
        return -1;
    }
    const int err = errno;
    if (err == EAGAIN || err == EWOULDBLOCK || err == EINTR) return 0;
    *failure = failureFromErrno(err);
    *detail = errnoText(err);
    return -1;
}

qint64 EpollTransport::write(
    quint32 slot, const char* data, qint64 size, SocketFailure* failure, QString* detail)
{
    Entry& e = entry(slot);
    if (e.fd < 0) {
        *failure = SocketFailure::Closed;
        *detail = QStringLiteral("socket closed");
        return -1;
    }
    if (e.ssl) {
        if (e.handshaking) return 0;
        const qint64 n = TlsContext::write(e.ssl, data, size, failure, detail);
        e.recordPending = n == 0; // SSL_write wants the same bytes again
        return n;
    }
    const ssize_t n = ::send(e.fd, data, size_t(size), MSG_NOSIGNAL);
    if (n >= 0) return n;
    const int err = errno;
    if (err == EAGAIN || err == EWOULDBLOCK || err == EINTR) return 0;
    *failure = failureFromErrno(err);
    *detail = errnoText(err);
    return -1;
}

bool EpollTransport::writeUnfinished(quint32 slot) const
{
    return slot < m_entries.size() && m_entries[slot].recordPending;
}

void EpollTransport::setWantWrite(quint32 slot, bool want)
{
    Entry& e = entry(slot);
    if (e.fd < 0 || e.wantWrite == want || e.handshaking) return;
    e.wantWrite = want;
    if (!e.connecting) updateInterest(slot);
}

bool EpollTransport::shutdownWrite(quint32 slot)
{
    if (slot >= m_entries.size()) return false;
    Entry& e = m_entries[slot];
    if (e.fd < 0 || e.connecting || e.handshaking || e.notifying) return false;
    if (!e.ssl) return ::shutdown(e.fd, SHUT_WR) == 0;
    // TLS: close_notify first (then the FIN), the TLS end of the sending direction; reads go on
    // (SSL_read returns what the server sent before its own close_notify or its close).
    SocketFailure failure;
    QString detail;
    if (!stepShutdown(slot, &failure, &detail)) return false;
    if (e.notifying) updateInterest(slot); // the rest of it when the socket is writable
    return true;
}

// Sends (the rest of) close_notify; once it is all out, the FIN. False when the server is gone.
bool EpollTransport::stepShutdown(quint32 slot, SocketFailure* failure, QString* detail)
{
    Entry& e = m_entries[slot];
    const TlsContext::Step step = TlsContext::shutdown(e.ssl, failure, detail);
    if (step == TlsContext::Step::Failed) return false;
    e.notifying = step == TlsContext::Step::WantWrite;
    // Then the FIN, as on a plain socket: a server that waits for the end of the stream sees it
    // whether it reads TLS's alerts or only its socket.
    if (!e.notifying && ::shutdown(e.fd, SHUT_WR) != 0) {
        const int err = errno;
        *failure = failureFromErrno(err);
        *detail = errnoText(err);
        return false;
    }
    return true;
}

void EpollTransport::close(quint32 slot)
{
    if (slot >= m_entries.size()) return;
    Entry& e = m_entries[slot];
    if (e.fd < 0) return;
    // Bytes the server sent that nobody will read make close() answer with a reset instead of
    // a FIN, and a server that sees the reset first may never read what was sent last (an
    // on_close goodbye): they are read and dropped first (bounded: a flooding server gets its
    // reset).
    char sink[4096];
    for (int i = 0; i < kCloseDrainReads; ++i)
        if (::recv(e.fd, sink, sizeof sink, MSG_DONTWAIT) <= 0) break;
    // close() removes the descriptor from the epoll set; the generation bump makes any event of
    // it already fetched in the current batch stale.
    if (e.ssl) TlsContext::close(e.ssl, !e.handshaking);
    e.ssl = nullptr;
    setHandshaking(e, false);
    e.verdict = false;
    e.notifying = false;
    e.recordPending = false;
    e.tlsWaiting = false;
    ::close(e.fd);
    e.fd = -1;
    --m_open;
    ++e.generation;
    e.connecting = false;
    e.wantWrite = false;
}

qintptr EpollTransport::descriptor(quint32 slot) const
{
    return slot < m_entries.size() ? m_entries[slot].fd : -1;
}

bool EpollTransport::confirmConnected(quint32 slot)
{
    if (slot >= m_entries.size()) return false;
    Entry& e = m_entries[slot];
    if (e.fd < 0 || !e.connecting) return false;
    int err = 0;
    socklen_t len = sizeof err;
    if (getsockopt(e.fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0) return false;
    // Connected means the peer is known; a socket still in its handshake has none yet.
    sockaddr_storage peer;
    socklen_t peerLen = sizeof peer;
    if (getpeername(e.fd, reinterpret_cast<sockaddr*>(&peer), &peerLen) != 0) return false;
    if (waitForHandshake(slot)) return true;
    QString error;
    if (m_tls && !startTls(slot, &error))
        return false; // no SSL (out of memory): the connect deadline reports it as a timeout
    e.connecting = false;
    e.wantWrite = e.handshaking; // the handshake's first step comes with the writable event
    updateInterest(slot);
    return true;
}

bool EpollTransport::startTls(quint32 slot, QString* error)
{
    Entry& e = m_entries[slot];
    e.ssl = m_tls->open(e.fd, error);
    e.handshakeStartUs = TlsVerdictWait::nowUs();
    setHandshaking(e, e.ssl != nullptr);
    return e.handshaking;
}

void EpollTransport::setHandshaking(Entry& e, bool handshaking)
{
    if (e.handshaking == handshaking) return;
    e.handshaking = handshaking;
    m_handshaking += handshaking ? 1 : -1;
    // A handshake ended: the next waiting one starts, from the event loop (this may run inside
    // close(), where no event may be delivered).
    if (handshaking || m_tlsWaiting.empty() || m_startPosted) return;
    m_startPosted = true;
    QMetaObject::invokeMethod(
        this, [this] { startWaitingHandshakes(); }, Qt::QueuedConnection);
}

// TLS, TCP just connected: with kMaxTlsHandshakes under way, the socket waits for its turn,
// watched for nothing but errors and hang-ups, its handshake (and its deadline) not started.
bool EpollTransport::waitForHandshake(quint32 slot)
{
    Entry& e = m_entries[slot];
    if (!m_tls || m_handshaking < kMaxTlsHandshakes) return false;
    e.connecting = false;
    e.tlsWaiting = true;
    m_tlsWaiting.emplace_back(slot, e.generation);
    updateInterest(slot);
    return true;
}

void EpollTransport::startWaitingHandshakes()
{
    m_startPosted = false;
    while (m_handshaking < kMaxTlsHandshakes && !m_tlsWaiting.empty()) {
        const auto [slot, generation] = m_tlsWaiting.front();
        m_tlsWaiting.pop_front();
        if (slot >= m_entries.size() || m_entries[slot].generation != generation
            || !m_entries[slot].tlsWaiting)
            continue;
        m_entries[slot].tlsWaiting = false;
        QString why;
        if (!startTls(slot, &why)) {
            close(slot);
            m_handler->socketFailed(slot, SocketFailure::Tls, why);
            continue;
        }
        m_entries[slot].wantWrite = false;
        updateInterest(slot);
        m_handler->socketHandshakeStarted(slot);
        if (m_entries[slot].generation == generation && m_entries[slot].handshaking)
            stepHandshake(slot);
    }
}

bool EpollTransport::handshakeWaiting(quint32 slot) const
{
    return slot < m_entries.size() && m_entries[slot].fd >= 0 && m_entries[slot].tlsWaiting;
}

void EpollTransport::stepHandshake(quint32 slot)
{
    Entry& e = m_entries[slot];
    QString why;
    const TlsContext::Step step = m_tls->handshake(e.ssl, &why);
    if (step == TlsContext::Step::Failed) {
        close(slot);
        m_handler->socketFailed(slot, SocketFailure::Tls, why);
        return;
    }
    e.wantWrite = step == TlsContext::Step::WantWrite;
    if (step != TlsContext::Step::Done) {
        updateInterest(slot);
        return;
    }
    if (TlsContext::verdictPending(e.ssl)) {
        m_verdicts->wait(slot, e); // still handshaking, reading only
        updateInterest(slot);
        return;
    }
    secured(slot);
}

void EpollTransport::stepVerdict(quint32 slot)
{
    QString why;
    if (TlsContext::verdict(m_entries[slot].ssl, &why) == TlsContext::Step::Failed) {
        close(slot);
        m_handler->socketFailed(slot, SocketFailure::Tls, why);
        return;
    }
    secured(slot);
}

void EpollTransport::secured(quint32 slot)
{
    Entry& e = m_entries[slot];
    e.verdict = false;
    e.wantWrite = false;
    setHandshaking(e, false);
    updateInterest(slot);
    if (++m_securedSinceTrim >= kTrimAfterHandshakes && m_handshaking == 0) {
        m_securedSinceTrim = 0;
        platform::releaseFreeMemory();
    }
    m_handler->socketSecured(slot);
}

void EpollTransport::dispatch()
{
    epoll_event events[kBatch];
    const int n = epoll_wait(m_epoll, events, kBatch, 0);
    for (int i = 0; i < n; ++i) {
        const quint32 slot = quint32(events[i].data.u64);
        const quint32 generation = quint32(events[i].data.u64 >> 32);
        const quint32 ev = events[i].events;
        if (slot >= m_entries.size() || m_entries[slot].generation != generation) continue;
        Entry& e = m_entries[slot];
        if (e.connecting) {
            int err = 0;
            socklen_t len = sizeof err;
            if (getsockopt(e.fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
            if (err == 0 && !(ev & (EPOLLOUT | EPOLLERR | EPOLLHUP))) continue;
            if (err != 0 || (ev & EPOLLHUP)) {
                if (err == 0) err = ECONNREFUSED;
                const SocketFailure failure = failureFromErrno(err);
                close(slot);
                m_handler->socketFailed(slot, failure, errnoText(err));
                continue;
            }
            if (waitForHandshake(slot)) {
                m_handler->socketConnected(slot);
                continue;
            }
            QString why;
            if (m_tls && !startTls(slot, &why)) {
                close(slot);
                m_handler->socketFailed(slot, SocketFailure::Tls, why);
                continue;
            }
            e.connecting = false;
            updateInterest(slot);
            m_handler->socketConnected(slot);
            if (m_entries[slot].generation == generation && m_entries[slot].handshaking)
                stepHandshake(slot);
            continue;
        }
        if (e.tlsWaiting) { // only an error or a hang-up wakes a socket waiting so
            close(slot);
            m_handler->socketFailed(slot, SocketFailure::Tls,
                QStringLiteral("the server closed the connection during the TLS handshake"));
            continue;
        }
        if (e.handshaking) {
            if (e.verdict)
                stepVerdict(slot);
            else
                stepHandshake(slot);
            continue;
        }
        // Errors and hang-ups surface through read(), which reports their cause.
        if (ev & (EPOLLIN | EPOLLERR | EPOLLHUP | EPOLLRDHUP)) {
            m_handler->socketReadable(slot);
            if (m_entries[slot].generation != generation) continue;
        }
        if ((ev & (EPOLLOUT | EPOLLERR)) && m_entries[slot].notifying) {
            SocketFailure failure;
            QString detail;
            if (!stepShutdown(slot, &failure, &detail)) {
                close(slot);
                m_handler->socketFailed(slot, failure, detail);
                continue;
            }
            if (!m_entries[slot].notifying) updateInterest(slot);
        }
        if ((ev & EPOLLOUT) && m_entries[slot].wantWrite) m_handler->socketWritable(slot);
    }
}

} // namespace swarm
