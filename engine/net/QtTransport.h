#pragma once

#include "net/Transport.h"

#include <QObject>
#include <QSslConfiguration>
#include <deque>
#include <memory>
#include <vector>

class QTcpSocket;
class QSslSocket;
class QSslContext;

namespace swarm {

class TlsVerdictWait;

// Portable sockets: one QTcpSocket per connection. Used where EpollTransport is not available
// (macOS, Windows) or when asked for with --io qt.
//
// The sockets are unbuffered (QIODevice::Unbuffered): a read goes from the kernel straight into
// the worker's read buffer, a write straight to the kernel, and Qt keeps only what the kernel
// did not take. Buffered, each socket would keep a 16 KiB read chunk and a 16 KiB write chunk
// allocated for ever once used (two touched pages: 8 KiB of RSS per idle connection).
//
// Qt emits some signals from inside the calls made here (errorOccurred and bytesWritten from
// inside write(), errorOccurred from inside connectToHost()); the Transport contract says no
// event comes from inside a Transport method, so such events wait in a queue delivered from
// the event loop. A failure waiting there is also what read() and write() return meanwhile.
//
// With --tls each socket is a QSslSocket, buffered: Qt decrypts into its own buffer, which the
// reads here empty (the memory-lean TLS is the epoll transport's).
class QtTransport final : public QObject, public Transport
{
    Q_OBJECT
public:
    QtTransport(TransportHandler* handler, const SocketOptions& options, QObject* parent = nullptr);
    ~QtTransport() override;

    bool open(
        quint32 slot, const Endpoint& server, const QHostAddress& source, QString* error) override;
    qint64 read(quint32 slot, char* buffer, qint64 capacity, SocketFailure* failure,
        QString* detail) override;
    qint64 write(quint32 slot, const char* data, qint64 size, SocketFailure* failure,
        QString* detail) override;
    bool confirmConnected(quint32 slot) override;
    void setWantWrite(quint32 slot, bool want) override;
    bool shutdownWrite(quint32 slot) override;
    void close(quint32 slot) override;
    qintptr descriptor(quint32 slot) const override;
    IoKind kind() const override { return IoKind::Qt; }
    // Why the TLS configuration could not be made (--tls files), empty when it could.
    QString tlsError() const { return m_tlsError; }
    bool handshakeWaiting(quint32 slot) const override;
    // For tests: the distinct TLS contexts the open sockets use, and how many were made.
    int tlsContextsInUse() const;
    int tlsContextsMade() const { return m_contextsMade; }

private:
    // QTcpSocket buffers what the kernel does not take; past this many unsent bytes (with TLS,
    // plaintext and encrypted together: unsent()) we stop taking more, so a server that never
    // reads cannot make us buffer without limit.
    static constexpr qint64 kMaxUnsent = 64 * 1024;
    // And what Qt reads ahead of swarm: a plain socket is opened unbuffered (each read() takes
    // from the kernel), a TLS socket keeps the records it decrypted in a buffer of its own;
    // past this many unread bytes Qt stops reading from the kernel, so a server that sends
    // faster than the script reads is slowed down by TCP, as on epoll.
    static constexpr qint64 kMaxReadAhead = 64 * 1024;

    // Sockets whose handshake uses one shared TLS context, before the next makes a new one.
    static constexpr int kContextUses = 256;

    enum class Event : quint8 { Connected, HandshakeStarted, Secured, Readable, Writable, Failed };
    struct Entry
    {
        QTcpSocket* socket = nullptr;
        quint32 generation = 0; // bumped by close(): events of the old socket are dropped
        bool wantWrite = false; // then writeWatch connects bytesWritten
        QMetaObject::Connection writeWatch;
        bool failed = false; // a failure is waiting in the queue (the socket is gone)
        bool errorTaken = false; // read() took the socket's pending error (a reset)
        bool closePending = false; // TLS: the server closed; decrypted bytes still to be read
        bool readEarly = false; // Qt told of bytes before it told of the connect
        bool handshaking = false; // TLS: connected, not encrypted yet
        bool waiting = false; // handshaking: waits for its turn (kMaxTlsHandshakes), not started
        bool underWay = false; // handshaking: started, counted in m_handshakesUnderWay
        bool verdict = false; // handshaking: encrypted (TLS 1.3), the server's verdict not yet in
        qint64 handshakeStartUs = 0;
        SocketFailure failure = SocketFailure::Other;
        QString detail;
    };
    struct Deferred
    {
        quint32 slot;
        quint32 generation;
        Event event;
    };
    // Marks the time spent inside a Transport method; events arriving meanwhile are deferred.
    class Busy
    {
    public:
        explicit Busy(QtTransport* t)
            : m_t(t)
        {
            ++m_t->m_busy;
        }
        ~Busy() { --m_t->m_busy; }

    private:
        QtTransport* m_t;
    };

    void startHandshake(quint32 slot, QSslSocket* s);
    void handshakeEnded(Entry& e, bool now);
    void startWaiting();
    void onTicket(QSslSocket* s);
    void watch(quint32 slot, QTcpSocket* s);
    void watchTls(quint32 slot, QSslSocket* s);
    QTcpSocket* newSocket();
    static bool bindLocal(QTcpSocket* s, const QHostAddress& local, QString* error);
    void applyOptions(QTcpSocket* s);
    void onError(quint32 slot, QTcpSocket* s, int error);
    void onEncrypted(quint32 slot, QSslSocket* s);
    void secured(quint32 slot);
    void deliverDeferred();
    // Delivers an event now, or from the event loop when raised inside a Transport method.
    void raise(quint32 slot, Event event);
    qint64 failedCall(const Entry& e, SocketFailure* failure, QString* detail) const;
    qint64 unsent(QTcpSocket* s) const;
    qint64 readBeforeClose(quint32 slot, Entry& e, char* buffer, qint64 capacity,
        SocketFailure* failure, QString* detail);
    void drop(Entry& e);

    TransportHandler* m_handler;
    SocketOptions m_options;
    std::vector<Entry> m_entries;
    std::vector<Deferred> m_deferred;
    QSslConfiguration m_ssl; // with --tls; its session ticket is the newest one (reuse)
    QString m_tlsError;
    TlsVerdictWait* m_verdicts = nullptr; // with --tls
    std::deque<Deferred> m_waiting; // handshakes waiting for their turn, oldest first
    int m_handshakesUnderWay = 0;
    bool m_pumpPosted = false;
    std::shared_ptr<QSslContext> m_sharedContext; // see startHandshake()
    int m_sharedUses = 0;
    int m_contextsMade = 0;
    int m_busy = 0;
    bool m_deferPosted = false;
};

} // namespace swarm
