#include "net/TlsKeyCheck.h"

#include <QEventLoop>
#include <QNetworkProxy>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QTimer>

namespace swarm {

bool keyFitsCertificateByHandshake(const QSslConfiguration& client, QString* why, int timeoutMs)
{
    // The client's certificate and key are the server's here: a server must prove it holds the
    // key of its certificate, and every backend checks that before or during its handshake.
    QSslConfiguration served = QSslConfiguration::defaultConfiguration();
    served.setLocalCertificateChain(client.localCertificateChain());
    served.setPrivateKey(client.privateKey());
    served.setPeerVerifyMode(QSslSocket::VerifyNone);
    QSslServer server;
    server.setProxy(QNetworkProxy::NoProxy);
    server.setSslConfiguration(served);
    if (!server.listen(QHostAddress::LocalHost, 0)) return true;

    QSslSocket socket;
    socket.setProxy(QNetworkProxy::NoProxy);
    QSslConfiguration asking = QSslConfiguration::defaultConfiguration();
    asking.setPeerVerifyMode(QSslSocket::VerifyNone); // only the key is in question
    socket.setSslConfiguration(asking);

    QEventLoop loop;
    bool fits = false;
    QString serverWhy;
    QObject::connect(&socket, &QSslSocket::encrypted, &loop, [&] {
        fits = true;
        loop.quit();
    });
    QObject::connect(&socket, &QSslSocket::errorOccurred, &loop, [&] {
        if (why->isEmpty()) *why = socket.errorString();
        loop.quit();
    });
    QObject::connect(&server, &QSslServer::errorOccurred, &loop,
        [&](QSslSocket* s, QAbstractSocket::SocketError) { serverWhy = s->errorString(); });
    QObject::connect(&server, &QSslServer::handshakeInterruptedOnError, &loop,
        [&](QSslSocket*, const QSslError& e) { serverWhy = e.errorString(); });
    QTimer::singleShot(timeoutMs, &loop, [&] {
        *why = QStringLiteral("no TLS handshake in %1 ms").arg(timeoutMs);
        loop.quit();
    });
    socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), server.serverPort());
    loop.exec();
    socket.abort();
    server.close();
    // The serving side knows why (e.g. "Private key does not certify public key"); the asking
    // side saw the connection closed.
    if (!fits && !serverWhy.isEmpty()) *why = serverWhy;
    // Qt's OpenSSL backend says "Unable to init SSL Context: " with nothing after it.
    while (why->endsWith(QLatin1Char(' ')) || why->endsWith(QLatin1Char(':')))
        why->chop(1);
    return fits;
}

} // namespace swarm
