#pragma once

#include "core/ArrivalSchedule.h"
#include "core/ConnectionState.h"
#include "core/ReplyParser.h"
#include "net/Transport.h"
#include "script/ScriptOp.h"
#include "script/ScriptRuntime.h"

#include <QByteArray>
#include <QJSValue>

#include <vector>

namespace swarm {

class Worker;

// One persistent connection running the scenario's actions in order, forever: an explicit state
// machine driven by its worker's socket events and timer queue. transitionTo() is the only place
// that assigns the state and counts transitions. Every handler is short and ends in a
// transition, a wait (socket or deadline) or a deferral to the worker's ready queue.
//
// Memory matters (users hold tens of thousands): no QObject, no timer, no JS object until a
// script asks for client.vars or a generator runs; buffers are empty while nothing is pending.
class Connection
{
public:
    // id: client.id; seat: the lowest number free among the run's connections when this one
    // was opened (its row of each unique data file).
    Connection(Worker& worker, quint32 slot, qint64 id, qint64 seat);
    ~Connection();

    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // A new connection: waits delayMs (the connect spread), then connects.
    void start(qint64 delayMs);
    // Removed by decr or stop: closes the socket and leaves the state counts; no more events.
    void shutdown();
    // Removed by decr or stop while connected: runs the scenario's on_close command first,
    // bounded by the goodbye timeout, then tells the worker (goodbyeFinished) it can be
    // released. False when there is nothing to say (no on_close, not connected, or half a
    // request written): release it at once.
    bool sayGoodbye();

    void onConnected(); // TCP connected (with --tls: the handshake starts)
    void onHandshakeStarted(); // the TLS handshake, paced by the transport, starts now
    void onSecured(); // the TLS handshake is done
    void onReadable();
    void onWritable();
    void onSocketFailed(SocketFailure failure, const QString& detail);
    void onDeadline();
    void onReady();
    // The run's rate changed: a connection waiting for its next arrival waits on the new
    // schedule; a busy one starts the new schedule after its round.
    void repace();
    const ArrivalSchedule& arrivals() const { return m_arrivals; }

    ConnState state() const { return m_state; }
    quint32 slot() const { return m_slot; }
    int livePosition = -1; // index in the worker's list of live connections

private:
    // What a connection does when its sleep ends or its deferral comes up.
    enum class Next : quint8 { RunRound, NextAction, PerformOps, Resume, PacedRound };
    // What it is waiting for while Acting.
    enum class Wait : quint8 { Nothing, Write, Reply };
    enum class SendResult : quint8 { Sent, Waiting, Failed };

    void transitionTo(ConnState state);
    void connectNow();
    void beginIteration();
    void startUsing(); // connected (and handshaken): the first iteration begins
    void startAction();
    void beginRound();
    void startPacedRound();
    bool paced() const;
    void runRound();
    void performOps();
    SendResult startSend(ScriptOp& op);
    bool writePending(); // false when the connection failed
    void sendFinished();
    void replyComplete(const char* data, qint64 size);
    void resumeGenerator(const char* data, qint64 size);
    void opsDone();
    void roundDone();
    void sleepThen(Next next, qint64 ms);
    void proceed(Next next);
    void run(Next next);
    void consume(const char* data, qint64 size);
    qint64 parseReplies(const char* data, qint64 size);
    ParseResult parse(const char* data, qint64 size);
    void drainBuffered();
    void scriptFailed(const ScriptError& error);
    void fail(ConnState kind, const QString& detail);
    void closeByScript();
    void lingerAfterGoodbye();
    void dropPendingWork();
    void finishGoodbye();
    QString timeoutMessage() const;
    void teardown();
    void scheduleIn(qint64 us);
    qint64 reconnectDelayUs();
    const CompiledAction& action() const
    {
        return m_closing ? m_plan->onClose : m_plan->actions[m_action];
    }
    ScriptRuntime::CallContext context();

    Worker& m_worker;
    const quint32 m_slot;
    ConnState m_state = ConnState::Started;
    Wait m_wait = Wait::Nothing;
    Next m_next = Next::RunRound;
    bool m_counted = false; // has entered a state (and is in the state counts)
    bool m_socketOpen = false;
    bool m_inParse = false;
    bool m_deferred = false;
    bool m_closing = false; // running the on_close goodbye
    bool m_lingering = false; // the goodbye is said: reading until the server closes
    ScriptOp::Count m_count = ScriptOp::Count::Request; // how the current send is counted
    quint8 m_syncSteps = 0; // continuations since the last event; bounded, then deferred
    quint16 m_parserId = 0;
    quint16 m_failures = 0; // consecutive failures; drives the reconnect backoff
    quint16 m_scriptFailures = 0; // script errors since an iteration last went through
    quint32 m_epoch = 0; // bumped whenever the socket is torn down
    quint32 m_action = 0;
    quint32 m_roundsLeft = 0;
    quint32 m_opIndex = 0;
    qint64 m_connectStart = 0; // of the connect, then of the TLS handshake
    qint64 m_requestStart = 0; // the latency clock: stamped just before the first write()
    qint64 m_lateUs = 0; // open model: how late this round started after its intended start
    ArrivalSchedule m_arrivals;
    qint64 m_outOffset = 0;
    qint64 m_customSoFar = 0; // custom parser: bytes handed to it so far
    qint64 m_customNeed = -1; // custom parser: bytes it still needs; -1 before the first call
    qint64 m_parserAskedFor = -1; // the reply's total length the parser last asked for; -1: unknown
    qint64 m_goodbyeDeadlineUs = 0;
    ParserState m_parserState;
    PlanPtr m_plan;
    std::vector<ScriptOp> m_ops;
    QByteArray m_out; // the request being written
    QByteArray m_in; // bytes received and not yet consumed by a reply
    QJSValue m_generator;
    QJSValue m_vars;
    QJSValue m_data; // client.data for this iteration, made on first use
    const qint64 m_id;
    const qint64 m_seat;
    qint64 m_iteration = 0;
    std::vector<qint64> m_rows; // per data file: the row taken for this iteration
};

} // namespace swarm
