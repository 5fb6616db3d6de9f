#pragma once

#include "net/TlsConfig.h"

#include <QHostAddress>
#include <QString>
#include <QtGlobal>

namespace swarm {

struct Endpoint
{
    QHostAddress address;
    quint16 port = 0;
    QString toString() const;
};

struct SocketOptions
{
    // The original tool set SO_RCVBUF 128 and SO_SNDBUF 1024: tiny buffers let one process hold
    // tens of thousands of mostly idle connections. The kernel rounds them up to its minimum.
    int receiveBuffer = 128; // 0 = leave the system default
    int sendBuffer = 1024;
    bool noDelay = true;
    TlsConfig tls; // enabled: every socket speaks TLS over TCP; reads and writes are plaintext
};

// At close, a transport reads and drops at most this many buffers (4 KiB) the server sent and
// nobody read, so that the close is a FIN and not a reset.
constexpr int kCloseDrainReads = 16;

// Tls: certificate rejected, handshake failure, TLS alert received (detail says which).
enum class SocketFailure : quint8 { Refused, TimedOut, Reset, Closed, Other, Tls };

// The socket layers (--io): Epoll only where the build has it (Linux, not SWARM_PORTABLE), Qt
// everywhere. Auto: the best this build has.
enum class IoKind : quint8 { Auto, Epoll, Qt };

// "epoll", "qt" (and "auto"): the names --io takes and reports print.
const char* ioName(IoKind io);
// False (with *error) for a name --io does not take or this build does not have.
bool parseIo(const QString& name, IoKind* io, QString* error);
// Whether this build has the transport.
bool ioAvailable(IoKind io);

// TLS handshakes under way at once per worker thread, on both transports; the others wait for
// their turn, TCP connected, before their handshake (and its deadline) starts. A handshake costs
// the worker's thread 1.5 to 3 ms of CPU (epoll about 640 a second, qt about 300 before its
// sockets shared one context): started all at once, 2,000 would each finish only after 3 to 6
// s, past the default deadline (--connect-timeout 3 s), to be retried, and started again all
// at once. 64 under way finish each within about 0.2 s, and still keep a server 50 ms away
// busy with up to 1,280 handshakes a second per worker thread.
constexpr int kMaxTlsHandshakes = 64;

// Receives the events of the sockets a Transport opened, by slot number. Implemented by the
// Worker, which forwards them to its connections. Never called from inside a Transport method:
// a handler may call any Transport method (close, open, write) without finding the state of the
// caller changed under it. Events of a slot stop with close() (or a failure reported).
class TransportHandler
{
public:
    virtual ~TransportHandler() = default;
    // TCP connected. With TLS, the handshake starts on its own; socketSecured follows when it
    // is done (or socketFailed with SocketFailure::Tls).
    virtual void socketConnected(quint32 slot) = 0;
    // TLS: a handshake that waited for its turn (Transport::handshakeWaiting) has started.
    virtual void socketHandshakeStarted(quint32 slot) { Q_UNUSED(slot); }
    virtual void socketSecured(quint32 slot) = 0;
    virtual void socketReadable(quint32 slot) = 0;
    virtual void socketWritable(quint32 slot) = 0;
    virtual void socketFailed(quint32 slot, SocketFailure failure, const QString& detail) = 0;
};

// The platform seam for sockets: one per worker thread, owning every socket of that worker,
// addressed by slot (the connection's index in its worker). Two implementations: EpollTransport
// (Linux: raw non-blocking sockets on one epoll set, no QObject per connection) and QtTransport
// (QTcpSocket, everywhere Qt runs).
class Transport
{
public:
    virtual ~Transport() = default;

    // Starts a non-blocking connect. False (with *error) if no socket could even be created or
    // bound; the outcome of the connect itself comes later through the handler.
    virtual bool open(
        quint32 slot, const Endpoint& server, const QHostAddress& source, QString* error)
        = 0;
    // Bytes read (0 when none are waiting), or -1 with *failure and *detail set.
    virtual qint64 read(
        quint32 slot, char* buffer, qint64 capacity, SocketFailure* failure, QString* detail)
        = 0;
    // Bytes taken (may be fewer than size: call again after socketWritable), or -1 on failure.
    virtual qint64 write(
        quint32 slot, const char* data, qint64 size, SocketFailure* failure, QString* detail)
        = 0;
    // Whether the last write returned 0 with some of its bytes already under way (epoll with TLS:
    // OpenSSL's record, partly sent, goes on only by repeating that write with the same bytes):
    // then no other bytes may be written in their place. Qt takes bytes whole or not at all.
    virtual bool writeUnfinished(quint32 slot) const
    {
        Q_UNUSED(slot);
        return false;
    }
    // Whether a socket still connecting has in fact connected (its event not handled yet): then
    // it counts as connected from now on and no socketConnected follows (with TLS, the
    // handshake starts then, and socketSecured does follow).
    virtual bool confirmConnected(quint32 slot) = 0;
    // Asks for (or stops asking for) socketWritable after a short write.
    virtual void setWantWrite(quint32 slot, bool want) = 0;
    // Ends the sending direction (a FIN after every byte written so far) and keeps reading: what
    // the server still sends arrives as before, then its own close as a `closed` failure. With
    // TLS, the epoll transport sends close_notify before the FIN; the Qt transport cannot end
    // the sending direction alone (QtTransport::shutdownWrite says why): it sends nothing more
    // and reads on. False when the socket cannot (not connected, still in its handshake, the
    // server gone): the caller closes instead.
    virtual bool shutdownWrite(quint32 slot) = 0;
    // Closes the socket; no event of it is delivered afterwards. Safe on a closed slot. Bytes
    // that arrived unread are dropped first (up to kCloseDrainReads buffers): a FIN, not a reset.
    virtual void close(quint32 slot) = 0;
    // TLS: whether the handshake of a slot just connected waits for its turn (a transport may
    // pace its handshakes: at most so many under way at once, the others waiting before they
    // start); socketHandshakeStarted follows when it starts.
    virtual bool handshakeWaiting(quint32 slot) const
    {
        Q_UNUSED(slot);
        return false;
    }
    // The operating system's socket of a slot (-1 when none): for tests of socket options.
    virtual qintptr descriptor(quint32 slot) const = 0;
    virtual IoKind kind() const = 0;
    const char* name() const { return ioName(kind()); }
};

SocketFailure failureFromErrno(int error);

} // namespace swarm
