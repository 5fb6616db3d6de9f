#pragma once

#include "stats/AgentState.h"

#include <QHostAddress>
#include <QObject>
#include <QTcpSocket>
#include <QTimer>

#include <memory>

namespace swarm {

// The controller's line to one agent's telnet console: connects, sends `auth TOKEN`, then polls
// `stats snapshot` once a second and sends what the FleetEngine asks (`target N`). Never blocks
// and never waits without a timer: a connect or a reply that takes longer than kAnswerMs makes
// the agent `lost` (it was up) or `unreachable` (it never was), and the link tries again after
// a backoff. Runs on the controller's event loop.
class AgentLink : public QObject
{
    Q_OBJECT
public:
    enum class State { Connecting, Up, Lost, Unreachable, AuthFailed, Mismatch };
    static QString stateName(State state);
    // A connect, or a reply to `stats snapshot`, that takes longer is a lost agent. Long enough
    // for a busy agent (its console runs on its main thread, which merges every second), short
    // enough that a stalled one is shown lost well within 5 s.
    static constexpr int kAnswerMs = 2500;
    static constexpr int kPollMs = 1000;

    AgentLink(const QHostAddress& address, quint16 port, const QString& token, int slot,
        QObject* parent = nullptr);

    QString address() const { return addressText(m_address, m_port); }
    // "127.0.0.1:7001", "[::1]:7001"
    static QString addressText(const QHostAddress& address, quint16 port);
    int slot() const { return m_slot; } // the reporter index in the controller's merger
    State state() const;
    bool isUp() const { return state() == State::Up; }
    bool wasEverUp() const { return m_wasUp; }
    QString lastError() const { return m_lastError; }
    // The newest snapshot (nullptr before the first), and the agent's req/s between the last two.
    const AgentState* last() const { return m_last ? m_last.get() : nullptr; }
    double rps() const { return m_rps; }
    // The controller found the agent's identity wrong (empty: it is right again).
    void setMismatch(const QString& why);
    // Sends one console line when connected and authenticated (else drops it: the controller
    // sends the agent's share again when it is up).
    void send(const QString& line);

    void start() { connectNow(); }
    // The agent is no longer the controller's (its address left the name): polls stop; with
    // `toZero`, an agent up is sent `target 0` and the link waits for its reply, at most
    // kAnswerMs; then (or at once) the connection closes and the link deletes itself. Its
    // signals are no longer emitted.
    void leave(bool toZero);

Q_SIGNALS:
    void snapshotReceived(swarm::AgentLink* link);
    void stateChanged(swarm::AgentLink* link);

private:
    void connectNow();
    void onConnected();
    void onReadyRead();
    void onLine(const QByteArray& line);
    void onSnapshot(const QByteArray& line);
    void poll();
    void fail(State state, const QString& why);
    void setState(State state);
    void finishLeaving();

    QHostAddress m_address;
    quint16 m_port;
    QString m_token;
    int m_slot;
    QTcpSocket m_socket;
    QByteArray m_buffer;
    QTimer m_pollTimer;
    QTimer m_answerTimer; // connect or reply overdue
    QTimer m_retryTimer;
    int m_backoffMs = 0;
    State m_state = State::Connecting;
    QString m_mismatch;
    bool m_wasUp = false;
    bool m_awaiting = false; // a `stats snapshot` is unanswered
    bool m_leaving = false;
    QString m_lastError;
    std::unique_ptr<AgentState> m_last;
    double m_rps = 0;
};

} // namespace swarm
