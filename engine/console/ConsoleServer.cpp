#include "console/ConsoleServer.h"

#include "console/ConsoleCommand.h"
#include "console/ConsoleInterpreter.h"

#include <QTcpServer>
#include <QTcpSocket>

namespace swarm {

namespace {

// Compares without stopping at the first difference, so timing tells nothing about the token.
bool sameToken(const QString& a, const QString& b)
{
    const QByteArray x = a.toUtf8();
    const QByteArray y = b.toUtf8();
    const qsizetype n = qMax(x.size(), y.size());
    unsigned diff = unsigned(x.size() ^ y.size());
    for (qsizetype i = 0; i < n; ++i)
        diff |= uchar(i < x.size() ? x[i] : 0) ^ uchar(i < y.size() ? y[i] : 0);
    return diff == 0;
}

} // namespace

ConsoleServer::ConsoleServer(
    ConsoleInterpreter* interpreter, const ConsoleOptions& options, QObject* parent)
    : QObject(parent)
    , m_interpreter(interpreter)
    , m_options(options)
{
    m_idleTimer.setInterval(1000);
    connect(m_interpreter, &ConsoleInterpreter::followUp, this, &ConsoleServer::sendFollowUp);
    connect(&m_idleTimer, &QTimer::timeout, this, &ConsoleServer::checkIdle);
}

ConsoleServer::~ConsoleServer()
{
    for (auto& [socket, session] : m_sessions) {
        socket->disconnect(this);
        socket->abort();
        socket->deleteLater();
    }
    m_sessions.clear();
}

bool ConsoleServer::listen(QString* error)
{
    const QString problem = m_options.securityProblem();
    if (!problem.isEmpty()) {
        *error = problem;
        return false;
    }
    m_server = new QTcpServer(this);
    if (!m_server->listen(m_options.address, m_options.port)) {
        *error = QStringLiteral("cannot listen on %1:%2: %3")
                     .arg(m_options.address.toString())
                     .arg(m_options.port)
                     .arg(m_server->errorString());
        return false;
    }
    connect(m_server, &QTcpServer::newConnection, this, &ConsoleServer::onNewConnection);
    m_idleTimer.start();
    return true;
}

quint16 ConsoleServer::port() const
{
    return m_server ? m_server->serverPort() : 0;
}

QHostAddress ConsoleServer::address() const
{
    return m_server ? m_server->serverAddress() : QHostAddress();
}

void ConsoleServer::onNewConnection()
{
    while (QTcpSocket* socket = m_server->nextPendingConnection()) {
        const QString peer
            = QStringLiteral("%1:%2").arg(socket->peerAddress().toString()).arg(socket->peerPort());
        if (int(m_sessions.size()) >= m_options.maxSessions) {
            socket->write(
                QStringLiteral("ERROR: too many console sessions (%1); try again later\r\n")
                    .arg(m_options.maxSessions)
                    .toUtf8());
            socket->disconnectFromHost();
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            Q_EMIT logMessage(QStringLiteral("console: refused %1: too many sessions").arg(peer));
            continue;
        }
        Session& s = m_sessions[socket];
        s.socket = socket;
        s.peer = peer;
        s.idle.start();
        s.authenticated = m_options.token.isEmpty();
        s.decoder = TelnetLineDecoder(m_options.maxLineBytes);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            auto it = m_sessions.find(socket);
            if (it == m_sessions.end()) return;
            m_interpreter->note(it->second.peer, QStringLiteral("disconnected"));
            m_sessions.erase(it);
            socket->deleteLater();
        });
        m_interpreter->note(peer, QStringLiteral("connected"));
        QString greeting = ConsoleInterpreter::banner() + QLatin1Char('\n');
        if (!s.authenticated)
            greeting += QStringLiteral("This console needs a token: auth TOKEN\n");
        greeting += ConsoleInterpreter::usage();
        send(s, greeting);
    }
}

void ConsoleServer::send(Session& s, const QString& text)
{
    QByteArray bytes = text.toUtf8();
    bytes.replace("\n", "\r\n");
    bytes += "\r\n";
    s.socket->write(bytes);
}

void ConsoleServer::closeSession(Session& s, const QString& event)
{
    if (s.closing) return;
    s.closing = true;
    m_interpreter->note(s.peer, event);
    // Later, not now: disconnectFromHost() can emit disconnected() at once, which erases the
    // session while its caller still uses it.
    QMetaObject::invokeMethod(s.socket, &QTcpSocket::disconnectFromHost, Qt::QueuedConnection);
}

void ConsoleServer::cutOff(Session& s, const QString& why)
{
    send(s, QStringLiteral("ERROR: %1; closing this session").arg(why));
    Q_EMIT logMessage(QStringLiteral("console: cut off %1: %2").arg(s.peer, why));
    closeSession(s, QStringLiteral("cut off: ") + why);
}

void ConsoleServer::onReadyRead(QTcpSocket* socket)
{
    auto it = m_sessions.find(socket);
    if (it == m_sessions.end()) return;
    Session& s = it->second;
    const QByteArray data = socket->readAll();
    if (s.closing) return;
    s.idle.restart();
    const std::vector<TelnetLineDecoder::Event> events = s.decoder.feed(data);
    if (s.watch && s.watch->isActive()) {
        // Any key stops `watch`, and is not a command; what ends the session still does.
        stopWatch(s);
        s.decoder.discardPartialLine();
        for (const TelnetLineDecoder::Event& e : events)
            if (e.kind != TelnetLineDecoder::Event::Kind::Line) {
                handleEvent(s, e);
                return;
            }
        return;
    }
    for (const TelnetLineDecoder::Event& e : events) {
        handleEvent(s, e);
        if (s.closing) return;
    }
}

void ConsoleServer::handleEvent(Session& s, const TelnetLineDecoder::Event& event)
{
    using Kind = TelnetLineDecoder::Event::Kind;
    switch (event.kind) {
    case Kind::Line:
        handleLine(s, event.line);
        return;
    case Kind::Close:
        send(s, QStringLiteral("Bye"));
        closeSession(s, QStringLiteral("closed by the client"));
        return;
    case Kind::Binary:
        cutOff(s, QStringLiteral("binary data received"));
        return;
    case Kind::NotUtf8:
        cutOff(s, QStringLiteral("binary data received (not UTF-8 text)"));
        return;
    case Kind::TooLong:
        cutOff(s, QStringLiteral("line longer than %1 bytes").arg(s.decoder.maxLineBytes()));
        return;
    }
}

void ConsoleServer::startWatch(Session& s, int seconds)
{
    if (!s.watch) {
        s.watch = new QTimer(s.socket); // goes with the socket
        QTcpSocket* socket = s.socket;
        connect(s.watch, &QTimer::timeout, this, [this, socket] {
            auto it = m_sessions.find(socket);
            if (it == m_sessions.end() || it->second.closing) return;
            // Straight from the engine, not through the interpreter: no transcript line in
            // the window every few seconds.
            send(it->second, m_interpreter->statusBlock());
        });
    }
    s.watch->start(seconds * 1000);
}

void ConsoleServer::stopWatch(Session& s)
{
    if (!s.watch || !s.watch->isActive()) return;
    s.watch->stop();
    send(s, QStringLiteral("(watch stopped)"));
}

void ConsoleServer::sendFollowUp(const QString& peer, const QString& text)
{
    for (auto& [socket, s] : m_sessions)
        if (s.peer == peer && !s.closing) send(s, text);
}

void ConsoleServer::handleLine(Session& s, const QByteArray& line)
{
    const ConsoleCommand command = parseConsoleLine(line);
    if (command.kind == ConsoleCommand::Kind::Empty) return;
    if (!s.authenticated) {
        if (command.kind == ConsoleCommand::Kind::Auth) {
            if (sameToken(command.argument, m_options.token)) {
                s.authenticated = true;
                send(s, QStringLiteral("OK: authenticated"));
                m_interpreter->note(s.peer, QStringLiteral("authenticated"));
                return;
            }
            ++m_failedAuth;
            Q_EMIT logMessage(QStringLiteral("console: wrong token from %1 (%2 wrong so far)")
                                  .arg(s.peer)
                                  .arg(m_failedAuth));
            m_interpreter->note(s.peer, QStringLiteral("wrong token"));
            // Answer slowly and hang up: guessing costs a connection and a second per try.
            s.closing = true;
            QTcpSocket* socket = s.socket;
            QTimer::singleShot(1000, socket, [socket] {
                socket->write("ERROR: wrong token; closing this session\r\n");
                socket->disconnectFromHost();
            });
            return;
        }
        if (command.kind != ConsoleCommand::Kind::Help
            && command.kind != ConsoleCommand::Kind::Quit) {
            send(s, QStringLiteral("ERROR: this console needs a token first: auth TOKEN"));
            if (++s.invalidInARow >= m_options.maxInvalidCommands)
                cutOff(s, QStringLiteral("too many commands without a token"));
            return;
        }
    }
    const ConsoleInterpreter::Result r = m_interpreter->execute(s.peer, command);
    if (!r.reply.isEmpty()) send(s, r.reply);
    if (command.kind == ConsoleCommand::Kind::Invalid) {
        if (++s.invalidInARow >= m_options.maxInvalidCommands) {
            cutOff(s, QStringLiteral("%1 invalid commands in a row").arg(s.invalidInARow));
            return;
        }
    } else {
        s.invalidInARow = 0;
    }
    if (r.closeSession)
        closeSession(s, QStringLiteral("quit"));
    else if (r.watchSeconds > 0)
        startWatch(s, r.watchSeconds);
}

void ConsoleServer::checkIdle()
{
    for (auto& [socket, s] : m_sessions) {
        const bool watching = s.watch && s.watch->isActive();
        if (!s.closing && !watching && s.idle.elapsed() > m_options.idleTimeoutMs) {
            send(s,
                QStringLiteral("Closing this session: idle for %1 s")
                    .arg(m_options.idleTimeoutMs / 1000));
            closeSession(s, QStringLiteral("closed: idle"));
        }
    }
}

} // namespace swarm
