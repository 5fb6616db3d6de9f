#include "fleet/AgentLink.h"

#include <QJsonDocument>

namespace swarm {

namespace {
constexpr int kFirstBackoffMs = 500;
constexpr int kMaxBackoffMs = 4000; // an agent that comes back is up again within this
constexpr int kAuthBackoffMs = 10000; // a wrong token stays wrong until someone fixes it
constexpr qsizetype kMaxLineBytes = 16 * 1024 * 1024; // a snapshot with every histogram

quint64 requestsOf(const AgentState& s)
{
    quint64 n = 0;
    for (const CommandDelta& c : s.totals.commands)
        n += c.requests;
    return n;
}
} // namespace

QString AgentLink::stateName(State state)
{
    switch (state) {
    case State::Connecting:
        return QStringLiteral("connecting");
    case State::Up:
        return QStringLiteral("up");
    case State::Lost:
        return QStringLiteral("lost");
    case State::Unreachable:
        return QStringLiteral("unreachable");
    case State::AuthFailed:
        return QStringLiteral("auth failed");
    case State::Mismatch:
        return QStringLiteral("mismatch");
    }
    return QString();
}

AgentLink::AgentLink(
    const QHostAddress& address, quint16 port, const QString& token, int slot, QObject* parent)
    : QObject(parent)
    , m_address(address)
    , m_port(port)
    , m_token(token)
    , m_slot(slot)
{
    m_pollTimer.setInterval(kPollMs);
    m_answerTimer.setSingleShot(true);
    m_retryTimer.setSingleShot(true);
    connect(&m_pollTimer, &QTimer::timeout, this, &AgentLink::poll);
    connect(&m_answerTimer, &QTimer::timeout, this, [this] {
        fail(m_wasUp ? State::Lost : State::Unreachable,
            QStringLiteral("no answer in %1 s").arg(kAnswerMs / 1000.0));
    });
    connect(&m_retryTimer, &QTimer::timeout, this, &AgentLink::connectNow);
    connect(&m_socket, &QTcpSocket::connected, this, &AgentLink::onConnected);
    connect(&m_socket, &QTcpSocket::readyRead, this, &AgentLink::onReadyRead);
    connect(&m_socket, &QTcpSocket::errorOccurred, this,
        [this] { fail(m_wasUp ? State::Lost : State::Unreachable, m_socket.errorString()); });
}

QString AgentLink::addressText(const QHostAddress& address, quint16 port)
{
    if (address.protocol() == QAbstractSocket::IPv6Protocol)
        return QStringLiteral("[%1]:%2").arg(address.toString()).arg(port);
    return QStringLiteral("%1:%2").arg(address.toString()).arg(port);
}

AgentLink::State AgentLink::state() const
{
    if (m_state == State::Up && !m_mismatch.isEmpty()) return State::Mismatch;
    return m_state;
}

void AgentLink::setMismatch(const QString& why)
{
    if (why == m_mismatch) return;
    m_mismatch = why;
    if (!why.isEmpty()) m_lastError = why;
    Q_EMIT stateChanged(this);
}

void AgentLink::connectNow()
{
    m_socket.abort();
    m_buffer.clear();
    m_awaiting = false;
    m_socket.connectToHost(m_address, m_port);
    m_answerTimer.start(kAnswerMs);
}

void AgentLink::onConnected()
{
    if (!m_token.isEmpty()) m_socket.write("auth " + m_token.toUtf8() + "\r\n");
    poll();
    m_pollTimer.start();
}

void AgentLink::poll()
{
    if (m_awaiting || m_socket.state() != QAbstractSocket::ConnectedState) return;
    m_socket.write("stats snapshot\r\n");
    m_awaiting = true;
    m_answerTimer.start(kAnswerMs);
}

void AgentLink::send(const QString& line)
{
    if (m_state != State::Up || m_socket.state() != QAbstractSocket::ConnectedState) return;
    m_socket.write(line.toUtf8() + "\r\n");
    m_socket.flush(); // now, without waiting: `stop` is sent just before the controller exits
}

void AgentLink::leave(bool toZero)
{
    m_leaving = true;
    m_pollTimer.stop();
    m_retryTimer.stop();
    m_answerTimer.stop();
    if (!toZero || m_state != State::Up || m_socket.state() != QAbstractSocket::ConnectedState) {
        finishLeaving();
        return;
    }
    m_socket.write("target 0\r\n");
    m_socket.flush();
    m_answerTimer.start(kAnswerMs); // its timeout ends the leaving, as the reply or an error does
}

void AgentLink::finishLeaving()
{
    m_answerTimer.stop();
    m_retryTimer.stop();
    // After the reply nothing is left to write; after a timeout what is left is dropped.
    const QSignalBlocker quiet(&m_socket);
    m_socket.abort();
    deleteLater();
}

void AgentLink::onReadyRead()
{
    m_buffer += m_socket.readAll();
    qsizetype end;
    while ((end = m_buffer.indexOf('\n')) >= 0) {
        const QByteArray line = m_buffer.left(end).trimmed();
        m_buffer.remove(0, end + 1);
        onLine(line);
        if (m_socket.state() != QAbstractSocket::ConnectedState) return; // failed on it
    }
    if (m_buffer.size() > kMaxLineBytes)
        fail(State::Mismatch, QStringLiteral("a line of over %1 bytes").arg(kMaxLineBytes));
}

// The console's greeting, usage and OK replies pass by; a snapshot is the one line starting
// with '{'; the errors that matter say what the agent refused.
void AgentLink::onLine(const QByteArray& line)
{
    if (m_leaving) {
        // Replies to what was sent before (snapshots, other commands) pass by; an agent that
        // refuses `target 0` is left at the timeout.
        if (line.startsWith("OK: target 0") || line.startsWith("OK: target stays 0"))
            finishLeaving();
        return;
    }
    if (line.startsWith('{')) {
        onSnapshot(line);
    } else if (line.startsWith("ERROR: wrong token")
        || line.startsWith("ERROR: this console needs a token")) {
        fail(State::AuthFailed,
            m_token.isEmpty() ? QStringLiteral("the agent needs a token: give --console-token")
                              : QStringLiteral("the agent refused the token (--console-token)"));
    } else if (line.startsWith("ERROR: did you mean 'stats json'")) {
        fail(State::Mismatch,
            QStringLiteral("the agent does not answer 'stats snapshot' (an older swarm)"));
    } else if (line.startsWith("ERROR:")) {
        m_lastError = QString::fromUtf8(line);
    }
}

void AgentLink::onSnapshot(const QByteArray& line)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(line, &parseError);
    auto now = std::make_unique<AgentState>();
    QString why;
    if (!doc.isObject()) why = parseError.errorString();
    if (why.isEmpty() && !parseAgentState(doc.object(), now.get(), &why)) { }
    if (!why.isEmpty()) {
        fail(State::Mismatch, QStringLiteral("unreadable stats snapshot: ") + why);
        return;
    }
    m_awaiting = false;
    m_answerTimer.stop();
    if (m_last && now->elapsedMs > m_last->elapsedMs && requestsOf(*now) >= requestsOf(*m_last))
        m_rps = double(requestsOf(*now) - requestsOf(*m_last)) * 1000.0
            / double(now->elapsedMs - m_last->elapsedMs);
    m_last = std::move(now);
    m_backoffMs = 0;
    m_wasUp = true;
    if (m_state != State::Up) setState(State::Up);
    Q_EMIT snapshotReceived(this);
}

void AgentLink::fail(State state, const QString& why)
{
    if (m_leaving) {
        finishLeaving(); // no answer in time, or the connection closed: nothing more to do
        return;
    }
    m_pollTimer.stop();
    m_answerTimer.stop();
    m_awaiting = false;
    m_lastError = why;
    m_rps = 0;
    // abort() may emit errorOccurred again: this is the one failure reported.
    const QSignalBlocker quiet(&m_socket);
    m_socket.abort();
    if (state == State::AuthFailed)
        m_backoffMs = kAuthBackoffMs;
    else
        m_backoffMs = m_backoffMs == 0 ? kFirstBackoffMs : qMin(m_backoffMs * 2, kMaxBackoffMs);
    m_retryTimer.start(m_backoffMs);
    setState(state);
}

void AgentLink::setState(State state)
{
    const State before = this->state();
    m_state = state;
    if (state != State::Up) m_mismatch.clear();
    if (this->state() != before || state != State::Up) Q_EMIT stateChanged(this);
}

} // namespace swarm
