#include "console/ConsoleServer.h"

#include "console/ConsoleCommand.h"
#include "console/ConsoleInterpreter.h"

#include <QStringDecoder>
#include <QTcpServer>
#include <QTcpSocket>

namespace swarm {

namespace {

constexpr unsigned char kIac = 255;
constexpr unsigned char kSe = 240;
constexpr unsigned char kSb = 250;
constexpr unsigned char kWill = 251;
constexpr unsigned char kDont = 254;
constexpr unsigned char kInterrupt = 244; // telnet "IP", sent for Ctrl-C
constexpr unsigned char kBreak = 243;
constexpr unsigned char kAbort = 238;
constexpr unsigned char kEof = 236;

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

ConsoleServer::ConsoleServer(ConsoleInterpreter* interpreter, const ConsoleOptions& options,
                             QObject* parent)
    : QObject(parent)
    , m_interpreter(interpreter)
    , m_options(options)
{
    m_idleTimer.setInterval(1000);
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
            socket->write(QStringLiteral("ERROR: too many console sessions (%1); try again later\r\n")
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
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            auto it = m_sessions.find(socket);
            if (it == m_sessions.end())
                return;
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
    if (s.closing)
        return;
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
    s.line.clear();
    closeSession(s, QStringLiteral("cut off: ") + why);
}

void ConsoleServer::onReadyRead(QTcpSocket* socket)
{
    auto it = m_sessions.find(socket);
    if (it == m_sessions.end())
        return;
    Session& s = it->second;
    const QByteArray data = socket->readAll();
    if (s.closing)
        return;
    s.idle.restart();
    for (const char ch : data) {
        const unsigned char c = uchar(ch);
        // Telnet clients may send negotiation commands (IAC ...): skip them; an interrupt
        // (Ctrl-C) or end-of-file ends the session politely.
        if (s.telnetSkip > 0) {
            --s.telnetSkip;
            continue;
        }
        if (s.afterIac) {
            s.afterIac = false;
            if (s.inSubnegotiation) {
                if (c == kSe)
                    s.inSubnegotiation = false;
                continue;
            }
            if (c >= kWill && c <= kDont) {
                s.telnetSkip = 1;
                continue;
            }
            if (c == kSb) {
                s.inSubnegotiation = true;
                continue;
            }
            if (c == kInterrupt || c == kBreak || c == kAbort || c == kEof) {
                send(s, QStringLiteral("Bye"));
                closeSession(s, QStringLiteral("closed by the client"));
                return;
            }
            if (c == kIac) { // an escaped 255 byte: data, and binary data at that
                cutOff(s, QStringLiteral("binary data received"));
                return;
            }
            continue;
        }
        if (c == kIac) {
            s.afterIac = true;
            continue;
        }
        if (s.inSubnegotiation)
            continue;
        if (c == 0x03 || c == 0x04) { // Ctrl-C, Ctrl-D typed in raw mode
            send(s, QStringLiteral("Bye"));
            closeSession(s, QStringLiteral("closed by the client"));
            return;
        }
        if (c == '\n' || (s.sawCarriageReturn && c == 0)) {
            s.sawCarriageReturn = false;
            handleLine(s);
            if (s.closing)
                return;
            continue;
        }
        if (s.sawCarriageReturn) { // a lone CR ends the line too
            s.sawCarriageReturn = false;
            handleLine(s);
            if (s.closing)
                return;
        }
        if (c == '\r') {
            s.sawCarriageReturn = true;
            continue;
        }
        if ((c < 0x20 && c != '\t') || c == 0x7f) {
            cutOff(s, QStringLiteral("binary data received"));
            return;
        }
        s.line.append(ch);
        if (s.line.size() > m_options.maxLineBytes) {
            cutOff(s, QStringLiteral("line longer than %1 bytes").arg(m_options.maxLineBytes));
            return;
        }
    }
}

void ConsoleServer::handleLine(Session& s)
{
    const QByteArray line = s.line;
    s.line.clear();
    QStringDecoder decoder(QStringDecoder::Utf8);
    const QString text = decoder.decode(line);
    if (decoder.hasError()) {
        cutOff(s, QStringLiteral("binary data received (not UTF-8 text)"));
        return;
    }
    Q_UNUSED(text);
    const ConsoleCommand command = parseConsoleLine(line);
    if (command.kind == ConsoleCommand::Kind::Empty)
        return;
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
        if (command.kind != ConsoleCommand::Kind::Help && command.kind != ConsoleCommand::Kind::Quit) {
            send(s, QStringLiteral("ERROR: this console needs a token first: auth TOKEN"));
            if (++s.invalidInARow >= m_options.maxInvalidCommands)
                cutOff(s, QStringLiteral("too many commands without a token"));
            return;
        }
    }
    const ConsoleInterpreter::Result r = m_interpreter->execute(s.peer, command);
    if (!r.reply.isEmpty())
        send(s, r.reply);
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
}

void ConsoleServer::checkIdle()
{
    for (auto& [socket, s] : m_sessions) {
        if (!s.closing && s.idle.elapsed() > m_options.idleTimeoutMs) {
            send(s, QStringLiteral("Closing this session: idle for %1 s")
                        .arg(m_options.idleTimeoutMs / 1000));
            closeSession(s, QStringLiteral("closed: idle"));
        }
    }
}

} // namespace swarm
