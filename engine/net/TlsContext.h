#pragma once

#include "net/TlsConfig.h"
#include "net/Transport.h"

#include <QByteArray>
#include <memory>

struct ssl_st;
struct ssl_ctx_st;
struct ssl_session_st;

namespace swarm {

// TLS for the epoll transport, with OpenSSL: one SSL_CTX per worker (its certificates, its
// verification, its cached session), one SSL per connection over the connection's non-blocking
// socket. Idle connections keep no record buffers (SSL_MODE_RELEASE_BUFFERS): what is left is
// OpenSSL's per-connection state and the session.
class TlsContext
{
public:
    enum class Step : quint8 { Done, WantRead, WantWrite, Failed };

    // False-y (nullptr) with *error naming the option and file when the files do not load or do
    // not belong together (a key that is not the certificate's).
    static std::unique_ptr<TlsContext> create(const TlsConfig& config, QString* error);
    ~TlsContext();
    TlsContext(const TlsContext&) = delete;
    TlsContext& operator=(const TlsContext&) = delete;

    // A client SSL over `fd`, with SNI and the cached session when reusing; nullptr with *error.
    ssl_st* open(int fd, QString* error);
    // Advances the handshake; on Failed, *error says why (certificate rejected and why,
    // alert received, handshake failure).
    Step handshake(ssl_st* ssl, QString* error);
    // Whether the handshake just done still waits for the server's verdict on the client
    // certificate it asked for (TLS 1.3: see TlsVerdictWait).
    static bool verdictPending(ssl_st* ssl);
    // Reads what the server sent after the handshake: Done when it goes on, Failed with *error
    // when it refused (an alert, or closing the connection).
    static Step verdict(ssl_st* ssl, QString* error);
    // As Transport::read and write, over TLS: 0 when the socket has to wait.
    static qint64 read(
        ssl_st* ssl, char* buffer, qint64 capacity, SocketFailure* failure, QString* detail);
    static qint64 write(
        ssl_st* ssl, const char* data, qint64 size, SocketFailure* failure, QString* detail);
    // Sends close_notify (the end of the sending direction; reads go on): Done when it is on the
    // wire, WantWrite when the socket has to take it first (call again once writable), Failed
    // (with *detail) when the server is gone.
    static Step shutdown(ssl_st* ssl, SocketFailure* failure, QString* detail);
    // Sends close_notify when the session was established and shutdown() did not send it
    // (without waiting), frees the SSL.
    static void close(ssl_st* ssl, bool established);

private:
    TlsContext() = default;
    bool load(const TlsConfig& config, QString* error);
    static int onNewSession(ssl_st* ssl, ssl_session_st* session);
    static void releaseBuffers(ssl_st* ssl);
    static int onCertificateRequest(ssl_st* ssl, void* arg);

    ssl_ctx_st* m_ctx = nullptr;
    ssl_session_st* m_session = nullptr; // the newest resumable session (--tls-session-reuse)
    bool m_reuse = false;
    QByteArray m_sni;
};

} // namespace swarm
