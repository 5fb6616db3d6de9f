#include "net/TlsContext.h"

#include <QHostAddress>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <cerrno>
#include <climits>
#include <csignal>
#include <cstring>

namespace swarm {

namespace {

// The reason of OpenSSL's most recent error ("certificate verify failed"), the queue emptied;
// *alert tells whether it is an alert the peer sent (its reason codes start at
// SSL_AD_REASON_OFFSET, whatever their text: "tlsv1 unrecognized name" is one).
QString takeReason(bool* alert = nullptr)
{
    unsigned long code = 0;
    unsigned long last = 0;
    while ((code = ERR_get_error()) != 0)
        last = code;
    if (alert)
        *alert = last && ERR_GET_LIB(last) == ERR_LIB_SSL
            && ERR_GET_REASON(last) >= SSL_AD_REASON_OFFSET;
    if (!last) return QString();
    const char* reason = ERR_reason_error_string(last);
    if (reason) return QString::fromLatin1(reason);
    char buffer[256];
    ERR_error_string_n(last, buffer, sizeof buffer);
    return QString::fromLatin1(buffer);
}

// Why a handshake (or a read after it: TLS 1.3 servers reject a client certificate there) failed.
QString failureText(SSL* ssl, int sslError, int savedErrno)
{
    const long verify = SSL_get_verify_result(ssl);
    bool alert = false;
    const QString reason = takeReason(&alert);
    if (verify != X509_V_OK)
        return QStringLiteral("certificate rejected: %1")
            .arg(QString::fromLatin1(X509_verify_cert_error_string(verify)));
    if (alert) return QStringLiteral("alert received: %1").arg(reason);
    if (!reason.isEmpty()) return QStringLiteral("handshake failure: %1").arg(reason);
    if (sslError == SSL_ERROR_SYSCALL && savedErrno != 0)
        return QStringLiteral("handshake failure: %1")
            .arg(QString::fromLocal8Bit(strerror(savedErrno)));
    return QStringLiteral("the server closed the connection during the TLS handshake");
}

QByteArray alpnWire(const QStringList& protocols)
{
    QByteArray wire;
    for (const QString& p : protocols) {
        const QByteArray name = p.toUtf8();
        wire.append(char(quint8(name.size())));
        wire.append(name);
    }
    return wire;
}

int noPassword(char*, int, int, void*)
{
    return 0; // an encrypted key is refused rather than asked for on the terminal
}

// Failures of SSL_read and SSL_write after the handshake.
qint64 ioFailure(SSL* ssl, int result, SocketFailure* failure, QString* detail)
{
    const int savedErrno = errno;
    const int e = SSL_get_error(ssl, result);
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) return 0;
    if (e == SSL_ERROR_ZERO_RETURN || (e == SSL_ERROR_SYSCALL && savedErrno == 0)) {
        ERR_clear_error();
        *failure = SocketFailure::Closed;
        *detail = QStringLiteral("closed by the server");
        return -1;
    }
    if (e == SSL_ERROR_SYSCALL) {
        ERR_clear_error();
        *failure = failureFromErrno(savedErrno);
        *detail = QString::fromLocal8Bit(strerror(savedErrno));
        return -1;
    }
    *failure = SocketFailure::Tls;
    *detail = failureText(ssl, e, savedErrno);
    return -1;
}

} // namespace

std::unique_ptr<TlsContext> TlsContext::create(const TlsConfig& config, QString* error)
{
    // OpenSSL writes with write(), not send(MSG_NOSIGNAL): a peer gone must be EPIPE, not a
    // signal that ends the process.
    std::signal(SIGPIPE, SIG_IGN);
    std::unique_ptr<TlsContext> context(new TlsContext);
    if (!context->load(config, error)) return nullptr;
    return context;
}

TlsContext::~TlsContext()
{
    if (m_session) SSL_SESSION_free(m_session);
    if (m_ctx) SSL_CTX_free(m_ctx);
}

bool TlsContext::load(const TlsConfig& config, QString* error)
{
    ERR_clear_error();
    m_ctx = SSL_CTX_new(TLS_client_method());
    if (!m_ctx) {
        *error = QStringLiteral("--tls: OpenSSL: %1").arg(takeReason());
        return false;
    }
    SSL_CTX_set_app_data(m_ctx, this);
    SSL_CTX_set_min_proto_version(m_ctx, config.minVersion == 13 ? TLS1_3_VERSION : TLS1_2_VERSION);
    // Idle connections give their 16 KiB record buffers back; writes may be partial and retried
    // from a buffer that moved, as the plain socket's.
    SSL_CTX_set_mode(m_ctx,
        SSL_MODE_RELEASE_BUFFERS | SSL_MODE_ENABLE_PARTIAL_WRITE
            | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    SSL_CTX_set_options(m_ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
    SSL_CTX_set_default_passwd_cb(m_ctx, noPassword);
    SSL_CTX_set_cert_cb(m_ctx, &TlsContext::onCertificateRequest, nullptr);
    if (config.insecure) {
        SSL_CTX_set_verify(m_ctx, SSL_VERIFY_NONE, nullptr);
    } else {
        SSL_CTX_set_verify(m_ctx, SSL_VERIFY_PEER, nullptr);
        const QByteArray ca = config.caFile.toLocal8Bit();
        const bool loaded = config.caFile.isEmpty()
            ? SSL_CTX_set_default_verify_paths(m_ctx) == 1
            : SSL_CTX_load_verify_locations(m_ctx, ca.constData(), nullptr) == 1;
        if (!loaded) {
            *error = QStringLiteral("--tls-ca %1: %2")
                         .arg(config.caFile.isEmpty() ? QStringLiteral("(system store)")
                                                      : config.caFile,
                             takeReason());
            return false;
        }
        const QByteArray name = config.verifyName().toUtf8();
        X509_VERIFY_PARAM* param = SSL_CTX_get0_param(m_ctx);
        if (!QHostAddress(config.verifyName()).isNull())
            X509_VERIFY_PARAM_set1_ip_asc(param, name.constData());
        else if (!name.isEmpty())
            X509_VERIFY_PARAM_set1_host(param, name.constData(), size_t(name.size()));
    }
    if (!config.certFile.isEmpty()) {
        const QByteArray cert = config.certFile.toLocal8Bit();
        const QByteArray key = config.keyFile.toLocal8Bit();
        if (SSL_CTX_use_certificate_chain_file(m_ctx, cert.constData()) != 1) {
            *error = QStringLiteral("--tls-cert %1: %2").arg(config.certFile, takeReason());
            return false;
        }
        const bool keyLoaded
            = SSL_CTX_use_PrivateKey_file(m_ctx, key.constData(), SSL_FILETYPE_PEM) == 1;
        const QString why = keyLoaded ? QString() : takeReason();
        if (!keyLoaded && !why.contains(QLatin1String("mismatch"))) {
            *error = QStringLiteral("--tls-key %1: %2").arg(config.keyFile, why);
            return false;
        }
        if (!keyLoaded || SSL_CTX_check_private_key(m_ctx) != 1) {
            takeReason();
            *error = QStringLiteral("--tls-key %1 is not the key of --tls-cert %2")
                         .arg(config.keyFile, config.certFile);
            return false;
        }
    }
    if (!config.alpn.isEmpty()) {
        const QByteArray wire = alpnWire(config.alpn);
        SSL_CTX_set_alpn_protos(
            m_ctx, reinterpret_cast<const unsigned char*>(wire.constData()), uint(wire.size()));
    }
    m_reuse = config.sessionReuse;
    if (m_reuse) {
        SSL_CTX_set_session_cache_mode(
            m_ctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
        SSL_CTX_sess_set_new_cb(m_ctx, &TlsContext::onNewSession);
    } else {
        SSL_CTX_set_session_cache_mode(m_ctx, SSL_SESS_CACHE_OFF);
        SSL_CTX_set_options(m_ctx, SSL_OP_NO_TICKET);
    }
    m_sni = config.sniName().toUtf8();
    return true;
}

// TLS 1.3 tickets arrive after the handshake: the newest one is kept for the next connects.
int TlsContext::onNewSession(SSL* ssl, SSL_SESSION* session)
{
    auto* self = static_cast<TlsContext*>(SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl)));
    if (!self || !SSL_SESSION_is_resumable(session)) return 0;
    if (self->m_session) SSL_SESSION_free(self->m_session);
    self->m_session = session;
    return 1; // the reference is ours now
}

// Called on a client when the server asks for a certificate (CertificateRequest): marks the
// SSL, whose TLS 1.3 handshake then ends with the server's verdict (verdictPending).
int TlsContext::onCertificateRequest(SSL* ssl, void*)
{
    SSL_set_app_data(ssl, ssl);
    return 1; // go on, with the configured certificate or none
}

bool TlsContext::verdictPending(SSL* ssl)
{
    return SSL_version(ssl) == TLS1_3_VERSION && SSL_get_app_data(ssl) != nullptr;
}

TlsContext::Step TlsContext::verdict(SSL* ssl, QString* error)
{
    // Peeking processes what came after the handshake (session tickets, an alert) and leaves
    // application data for read(). Anything but a failure is the server going on with us; a
    // record not complete yet counts so too (a refusal then comes with the first read).
    ERR_clear_error();
    errno = 0;
    char first = 0;
    const int r = SSL_peek(ssl, &first, 1);
    const int savedErrno = errno;
    const int e = r > 0 ? SSL_ERROR_NONE : SSL_get_error(ssl, r);
    if (e == SSL_ERROR_NONE || e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
        releaseBuffers(ssl);
        return Step::Done;
    }
    *error = failureText(ssl, e, savedErrno);
    if (!error->startsWith(QLatin1String("alert received")))
        *error = QStringLiteral("%1 (after the TLS 1.3 handshake: did the server refuse the "
                                "client certificate?)")
                     .arg(*error);
    return Step::Failed;
}

SSL* TlsContext::open(int fd, QString* error)
{
    ERR_clear_error();
    SSL* ssl = SSL_new(m_ctx);
    if (!ssl || SSL_set_fd(ssl, fd) != 1) {
        *error = QStringLiteral("TLS: %1").arg(takeReason());
        if (ssl) SSL_free(ssl);
        return nullptr;
    }
    if (!m_sni.isEmpty()) SSL_set_tlsext_host_name(ssl, m_sni.constData());
    if (m_reuse && m_session) SSL_set_session(ssl, m_session);
    SSL_set_connect_state(ssl);
    return ssl;
}

TlsContext::Step TlsContext::handshake(SSL* ssl, QString* error)
{
    ERR_clear_error();
    errno = 0;
    const int r = SSL_do_handshake(ssl);
    if (r == 1) {
        releaseBuffers(ssl);
        return Step::Done;
    }
    const int savedErrno = errno;
    const int e = SSL_get_error(ssl, r);
    if (e == SSL_ERROR_WANT_READ) return Step::WantRead;
    if (e == SSL_ERROR_WANT_WRITE) return Step::WantWrite;
    *error = failureText(ssl, e, savedErrno);
    return Step::Failed;
}

qint64 TlsContext::read(
    SSL* ssl, char* buffer, qint64 capacity, SocketFailure* failure, QString* detail)
{
    // A record at a time: fill the buffer, so that "fewer than asked" still means "drained".
    qint64 total = 0;
    while (total < capacity) {
        ERR_clear_error();
        errno = 0;
        const int n = SSL_read(ssl, buffer + total, int(qMin<qint64>(capacity - total, INT_MAX)));
        if (n > 0) {
            total += n;
            continue;
        }
        // The bytes first; a failure comes again at the next event.
        const qint64 result = total > 0 ? total : ioFailure(ssl, n, failure, detail);
        releaseBuffers(ssl); // drained: an idle connection keeps no record buffer
        return result;
    }
    return total;
}

qint64 TlsContext::write(
    SSL* ssl, const char* data, qint64 size, SocketFailure* failure, QString* detail)
{
    ERR_clear_error();
    errno = 0;
    const int n = SSL_write(ssl, data, int(qMin<qint64>(size, INT_MAX)));
    if (n > 0) return n;
    return ioFailure(ssl, n, failure, detail);
}

// SSL_MODE_RELEASE_BUFFERS frees a record buffer only when a read or write empties it. The
// TLS 1.3 session tickets a server sends after the handshake are read by the handshake's state
// machine, which sets up both buffers and leaves the write buffer (16.6 KiB) in place until the
// next write: on an idle connection, for minutes. Both go whenever nothing is pending in them
// (SSL_free_buffers refuses otherwise), and come back at the next read or write.
void TlsContext::releaseBuffers(SSL* ssl)
{
    SSL_free_buffers(ssl);
}

// OpenSSL's first SSL_shutdown() sends close_notify and returns 0 (1 when the server's came
// first), or -1 with WANT_WRITE while the socket cannot take the alert; a call after that one
// sends the rest of it, and reads nothing. SSL_read goes on returning what the server sent
// before its own close_notify: a unidirectional shutdown, the TLS form of a half-close.
TlsContext::Step TlsContext::shutdown(SSL* ssl, SocketFailure* failure, QString* detail)
{
    ERR_clear_error();
    errno = 0;
    const int r = SSL_shutdown(ssl);
    if (r >= 0) return Step::Done;
    const int e = SSL_get_error(ssl, r);
    if (e == SSL_ERROR_WANT_WRITE) return Step::WantWrite;
    if (e == SSL_ERROR_WANT_READ) return Step::Done; // sent: it would wait for the server's
    ioFailure(ssl, r, failure, detail);
    return Step::Failed;
}

void TlsContext::close(SSL* ssl, bool established)
{
    // close_notify, not waiting for the server's (nor sent twice: a second SSL_shutdown() would
    // read)
    if (established && !(SSL_get_shutdown(ssl) & SSL_SENT_SHUTDOWN)) SSL_shutdown(ssl);
    ERR_clear_error();
    SSL_free(ssl);
}

} // namespace swarm
