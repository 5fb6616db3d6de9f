#pragma once

#include "net/Transport.h"

#include <QObject>
#include <deque>
#include <memory>
#include <vector>

struct ssl_st;

class QSocketNotifier;

namespace swarm {

class TlsContext;
class TlsVerdictWait;

// Linux sockets without a QObject each: raw non-blocking sockets registered in one epoll set,
// whose descriptor is the only thing the worker's Qt event loop watches (one QSocketNotifier).
// Costs per connection: one descriptor and 32 bytes here (with --tls, OpenSSL's state besides:
// docs/TLS.md). Level-triggered; at most kBatch events are handled per wake-up so timers and
// queued calls of the worker keep their turn.
class EpollTransport final : public QObject, public Transport
{
    Q_OBJECT
public:
    EpollTransport(
        TransportHandler* handler, const SocketOptions& options, QObject* parent = nullptr);
    ~EpollTransport() override;

    bool isValid() const { return m_epoll >= 0 && m_tlsError.isEmpty(); }
    // Why the TLS context could not be made (--tls files), empty when it could.
    QString tlsError() const { return m_tlsError; }
    // Whether this process may create an epoll set (false with *why when not).
    static bool probe(QString* why);

    bool open(
        quint32 slot, const Endpoint& server, const QHostAddress& source, QString* error) override;
    qint64 read(quint32 slot, char* buffer, qint64 capacity, SocketFailure* failure,
        QString* detail) override;
    qint64 write(quint32 slot, const char* data, qint64 size, SocketFailure* failure,
        QString* detail) override;
    bool confirmConnected(quint32 slot) override;
    bool writeUnfinished(quint32 slot) const override;
    void setWantWrite(quint32 slot, bool want) override;
    bool shutdownWrite(quint32 slot) override;
    void close(quint32 slot) override;
    qintptr descriptor(quint32 slot) const override;
    IoKind kind() const override { return IoKind::Epoll; }
    bool handshakeWaiting(quint32 slot) const override;

private:
    struct Entry
    {
        int fd = -1;
        quint32 generation = 0; // tells a stale event of a closed socket from its slot's reuse
        bool connecting = false;
        bool handshaking = false; // TCP connected, TLS handshake not done
        bool wantWrite = false; // by the connection, or by the handshake
        bool verdict = false; // handshaking: done on our side, the server's verdict not yet in
        bool notifying = false; // shutdownWrite: close_notify waits for room in the socket
        bool recordPending = false; // TLS: the last write returned 0 (writeUnfinished)
        bool tlsWaiting = false; // connected, its handshake waits for its turn (kMaxTlsHandshakes)
        ssl_st* ssl = nullptr; // with --tls
        qint64 handshakeStartUs = 0;
    };
    static constexpr int kBatch = 256;
    // Past this many open sockets in one worker, local ports are chosen here (see open()).
    static constexpr int kExplicitPortsAbove = 6000;
    // Ports tried in turn when the chosen one is still in TIME_WAIT towards the server.
    static constexpr int kPortRetries = 8;
    // After this many handshakes, once none is under way, free heap pages go back to the
    // system: a handshake's transient allocations (record buffers, key shares, the handshake
    // buffer) leave holes between the state idle connections keep.
    static constexpr int kTrimAfterHandshakes = 256;

    void dispatch();
    bool bindNextPort(int fd, const QHostAddress& source, int family);
    bool openAttempt(quint32 slot, const Endpoint& server, const QHostAddress& source,
        QString* error, int attempt);
    int newSocket(int family, QString* error) const; // -1 with *error
    bool bindSource(int fd, const QHostAddress& source, QString* error) const;
    bool watch(quint32 slot, int fd, QString* error); // the connecting socket into the epoll set
    void updateInterest(quint32 slot);
    bool startTls(quint32 slot, QString* error); // the TCP socket connected: its SSL
    void stepHandshake(quint32 slot);
    void setHandshaking(Entry& e, bool handshaking);
    bool waitForHandshake(quint32 slot); // true when queued (kMaxTlsHandshakes under way)
    void startWaitingHandshakes();
    void stepVerdict(quint32 slot);
    void secured(quint32 slot);
    bool stepShutdown(quint32 slot, SocketFailure* failure, QString* detail);
    Entry& entry(quint32 slot);

    TransportHandler* m_handler;
    SocketOptions m_options;
    int m_epoll = -1;
    QSocketNotifier* m_notifier = nullptr;
    std::vector<Entry> m_entries;
    std::unique_ptr<TlsContext> m_tls;
    TlsVerdictWait* m_verdicts = nullptr; // with --tls
    QString m_tlsError;
    int m_open = 0;
    int m_handshaking = 0; // TLS handshakes under way
    std::deque<std::pair<quint32, quint32>> m_tlsWaiting; // slot, generation; oldest first
    bool m_startPosted = false;
    int m_securedSinceTrim = 0;
    quint32 m_portLow = 32768;
    quint32 m_portHigh = 60999;
    quint32 m_portCursor = 0;
};

} // namespace swarm
