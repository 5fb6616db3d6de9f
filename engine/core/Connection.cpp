#include "core/Connection.h"

#include "core/Clock.h"
#include "core/Worker.h"

namespace swarm {

namespace {

// Continuations that may run back to back inside one event before the rest waits its turn in
// the ready queue: keeps one busy connection (zero sleeps, a generator yielding nothing) from
// starving the others and the worker's event loop.
constexpr quint8 kMaxSyncSteps = 32;
// And for at most this long (a slow script: 32 steps of 150 ms kept a stop waiting 9.6 s).
constexpr qint64 kMaxSyncChainUs = 10000;

// Reads per socket event at most (besides a byte budget of four full read buffers).
constexpr int kMaxReadsPerEvent = 64;

ConnState stateOf(SocketFailure failure)
{
    switch (failure) {
    case SocketFailure::Refused:
        return ConnState::Refused;
    case SocketFailure::TimedOut:
        return ConnState::TimedOut;
    case SocketFailure::Reset:
        return ConnState::Reset;
    case SocketFailure::Closed:
        return ConnState::Closed;
    case SocketFailure::Tls:
        return ConnState::TlsError;
    case SocketFailure::Other:
        break;
    }
    return ConnState::SocketError;
}

} // namespace

Connection::Connection(Worker& worker, quint32 slot, qint64 id, qint64 seat)
    : m_worker(worker)
    , m_slot(slot)
    , m_id(id)
    , m_seat(seat)
{ }

Connection::~Connection() = default;

ScriptRuntime::CallContext Connection::context()
{
    ScriptRuntime::CallContext ctx;
    ctx.ops = &m_worker.scratchOps();
    ctx.vars = &m_vars;
    ctx.data = &m_data;
    ctx.who.id = m_id;
    ctx.who.iteration = m_iteration;
    ctx.who.agent = m_worker.config().fleet.index;
    ctx.who.data = m_plan ? &m_plan->data : nullptr;
    ctx.who.rows = &m_rows;
    ctx.who.rng = &m_worker.rng();
    return ctx;
}

void Connection::transitionTo(ConnState state)
{
    if (m_counted && state == m_state) return;
    m_worker.stats().transition(m_state, state, !m_counted);
    m_counted = true;
    m_state = state;
}

void Connection::scheduleIn(qint64 us)
{
    qint64 at = nowUs() + us;
    if (m_closing) // a goodbye's sleeps and replies are bounded by its deadline
        at = qMin(at, m_goodbyeDeadlineUs);
    m_worker.schedule(m_slot, at);
}

// ---- lifecycle -----------------------------------------------------------------------------

void Connection::start(qint64 delayMs)
{
    transitionTo(ConnState::Started);
    // Even "at once" goes through the timer queue, which starts a bounded number per turn of
    // the event loop: a large incr must not issue thousands of connects before handling any
    // of their completions.
    scheduleIn(qMax<qint64>(0, delayMs) * 1000);
}

void Connection::shutdown()
{
    teardown();
    if (m_counted) m_worker.stats().leave(m_state);
    m_counted = false;
    m_plan.reset();
    m_vars = QJSValue();
    m_data = QJSValue();
}

bool Connection::sayGoodbye()
{
    if (!m_plan || !m_plan->hasOnClose || !m_socketOpen || m_closing) return false;
    if (m_state != ConnState::Acting && m_state != ConnState::Standby) return false;
    // Half a request is on the wire (with TLS, maybe even when none of it was taken: a record
    // partly sent): a goodbye after it would be garbage.
    if (m_wait == Wait::Write && (m_outOffset > 0 || m_worker.transport().writeUnfinished(m_slot)))
        return false;
    // Whatever the connection was doing is abandoned (not counted): the goodbye runs alone.
    m_worker.cancelTimer(m_slot);
    m_worker.transport().setWantWrite(m_slot, false);
    dropPendingWork();
    m_requestStart = 0;
    m_lateUs = 0;
    m_syncSteps = 0;
    m_closing = true;
    m_goodbyeDeadlineUs = nowUs() + qint64(m_worker.config().goodbyeTimeoutMs) * 1000;
    m_worker.schedule(m_slot, m_goodbyeDeadlineUs);
    m_roundsLeft = 1;
    runRound();
    return true;
}

// The goodbye is said: no more is written (a FIN follows it), and what the server still sends is
// read and dropped until it closes its end, within the goodbye's deadline. Closing at once would
// leave the answers the server still owes (to the requests abandoned for the goodbye, sent before
// it) to hit a closed socket: its reset can make the server drop the connection before it reads
// the goodbye (mosquitto, on a write that fails, logs "disconnected due to out of memory").
void Connection::lingerAfterGoodbye()
{
    if (!m_socketOpen || !m_worker.transport().shutdownWrite(m_slot)) {
        finishGoodbye();
        return;
    }
    ++m_epoch; // whatever called this is over: callers that check the epoch stop there
    m_lingering = true;
    dropPendingWork();
    m_worker.schedule(m_slot, m_goodbyeDeadlineUs);
}

// Whatever the connection was waiting for or about to do is forgotten (the socket stays).
void Connection::dropPendingWork()
{
    m_wait = Wait::Nothing;
    m_deferred = false;
    m_ops = {};
    m_opIndex = 0;
    m_generator = QJSValue();
    m_in = QByteArray();
}

void Connection::finishGoodbye()
{
    m_closing = false;
    teardown();
    m_worker.goodbyeFinished(m_slot);
}

void Connection::teardown()
{
    ++m_epoch;
    m_lingering = false;
    if (m_socketOpen || m_state == ConnState::Connecting) m_worker.transport().close(m_slot);
    m_socketOpen = false;
    m_worker.cancelTimer(m_slot);
    m_wait = Wait::Nothing;
    m_deferred = false;
    m_ops = {};
    m_opIndex = 0;
    m_out = QByteArray();
    m_in = QByteArray();
    m_generator = QJSValue();
    m_requestStart = 0;
    m_lateUs = 0;
    m_arrivals.reset(); // arrivals are scheduled while connected: a reconnect starts afresh
    // client.vars belong to one TCP connection (a login token dies with it): a reconnect
    // starts with fresh ones.
    m_vars = QJSValue();
}

void Connection::connectNow()
{
    QString error;
    if (!m_worker.transport().open(
            m_slot, m_worker.config().server, m_worker.nextSource(), &error)) {
        fail(ConnState::SocketError, error);
        return;
    }
    transitionTo(ConnState::Connecting);
    m_connectStart = nowUs();
    m_worker.schedule(m_slot, m_connectStart + qint64(m_worker.config().connectTimeoutMs) * 1000);
}

void Connection::onConnected()
{
    m_syncSteps = 0;
    m_worker.cancelTimer(m_slot);
    m_socketOpen = true;
    const qint64 now = nowUs();
    m_worker.stats().connected(quint64(now - m_connectStart));
    if (m_worker.config().socket.tls.enabled) {
        transitionTo(ConnState::Handshaking);
        // A handshake waiting for its turn (the transport runs so many at once) has no deadline
        // yet: a worker busy with other handshakes is no fault of the server's.
        if (m_worker.transport().handshakeWaiting(m_slot)) return;
        onHandshakeStarted();
        return;
    }
    startUsing();
}

void Connection::onHandshakeStarted()
{
    if (m_state != ConnState::Handshaking) return;
    // The handshake has a deadline of its own, as long as the connect's, from now on; its
    // latency ([tls handshake]) counts from now too.
    m_connectStart = nowUs();
    m_worker.schedule(m_slot, m_connectStart + qint64(m_worker.config().connectTimeoutMs) * 1000);
}

void Connection::onSecured()
{
    m_syncSteps = 0;
    if (m_state != ConnState::Handshaking) return;
    m_worker.cancelTimer(m_slot);
    m_worker.stats().handshaken(quint64(nowUs() - m_connectStart));
    startUsing();
}

void Connection::startUsing()
{
    // A new connection starts a new iteration, with the newest scenario the worker has.
    beginIteration();
    startAction();
}

void Connection::onDeadline()
{
    m_syncSteps = 0;
    if (m_lingering) { // the goodbye was said: the server's close is waited for, not required
        if (nowUs() >= m_goodbyeDeadlineUs)
            finishGoodbye();
        else
            m_worker.schedule(m_slot, m_goodbyeDeadlineUs);
        return;
    }
    if (m_closing && nowUs() >= m_goodbyeDeadlineUs) {
        // The goodbye did not finish in time: close anyway, and say why.
        m_worker.stats().errorMessage(ConnState::TimedOut, action().commandId,
            QStringLiteral("on_close command '%1' did not finish within %2 ms: "
                           "closed without it")
                .arg(action().command)
                .arg(m_worker.config().goodbyeTimeoutMs));
        finishGoodbye();
        return;
    }
    switch (m_state) {
    case ConnState::Connecting:
        // A worker busy with thousands of connects may reach this deadline before the event
        // saying this one succeeded: ask the socket before calling it a timeout.
        if (m_worker.transport().confirmConnected(m_slot)) {
            onConnected();
            return;
        }
        fail(ConnState::TimedOut,
            QStringLiteral("connect timed out after %1 ms (--connect-timeout)")
                .arg(m_worker.config().connectTimeoutMs));
        return;
    case ConnState::Handshaking:
        fail(ConnState::TimedOut,
            QStringLiteral("TLS handshake timed out after %1 ms (--connect-timeout, counted "
                           "from the handshake's start)")
                .arg(m_worker.config().connectTimeoutMs));
        return;
    case ConnState::Standby:
        run(m_next);
        return;
    case ConnState::Acting:
        if (m_wait != Wait::Nothing) fail(ConnState::TimedOut, timeoutMessage());
        return;
    default: // Started or waiting to reconnect after an error
        connectNow();
        return;
    }
}

void Connection::onReady()
{
    if (!m_deferred) return;
    m_deferred = false;
    m_syncSteps = 0;
    const quint32 epoch = m_epoch;
    run(m_next);
    // onReadable() left the socket alone while this continuation was pending: read what came.
    if (epoch == m_epoch && !m_deferred && m_socketOpen) onReadable();
}

// ---- the scenario --------------------------------------------------------------------------

// A pass through the action list begins: the newest scenario, and this pass's rows of the data
// files (a unique row is the same every time: the seat's).
void Connection::beginIteration()
{
    m_plan = m_worker.plan();
    m_action = 0;
    ++m_iteration;
    m_data = QJSValue();
    const std::vector<DataSetPtr>& data = m_plan->data;
    m_rows.resize(data.size());
    for (size_t i = 0; i < data.size(); ++i)
        m_rows[i] = data[i] ? data[i]->pick(m_seat, m_worker.config().fleet, m_worker.rng()) : -1;
}

void Connection::startAction()
{
    const int rounds = action().rounds.drawCount(m_worker.rng());
    if (rounds <= 0) {
        m_worker.stats().actionCompleted();
        sleepThen(Next::NextAction, action().sleepAfterAction.drawMilliseconds(m_worker.rng()));
        return;
    }
    m_roundsLeft = quint32(rounds);
    beginRound();
}

bool Connection::paced() const
{
    return !m_closing && m_worker.arrivalIntervalUs(action()) > 0;
}

// Closed loop: the round runs now. Open model: it runs at its arrival — later, waiting in
// standby, or at once when the connection is behind (its latency then counts from the
// intended start: m_lateUs).
void Connection::beginRound()
{
    const qint64 interval = m_closing ? 0 : m_worker.arrivalIntervalUs(action());
    if (interval <= 0) {
        m_arrivals.reset();
        m_lateUs = 0;
        runRound();
        return;
    }
    const qint64 now = nowUs();
    const qint64 at = m_arrivals.next(now, interval, m_worker.config().arrivals, m_worker.rng());
    if (at <= now) {
        startPacedRound();
        return;
    }
    m_next = Next::PacedRound;
    m_ops = {};
    transitionTo(ConnState::Standby);
    m_worker.schedule(m_slot, at);
}

void Connection::startPacedRound()
{
    m_lateUs = m_arrivals.isRunning() ? qMax<qint64>(0, nowUs() - m_arrivals.lastUs()) : 0;
    m_worker.stats().arrival();
    runRound();
}

void Connection::repace()
{
    m_arrivals.reset();
    if (m_state != ConnState::Standby || m_next != Next::PacedRound) return;
    const qint64 now = nowUs();
    const qint64 interval = m_worker.arrivalIntervalUs(action());
    // Now closed loop (rate 0): the round runs at once; else at its place on the new schedule.
    m_worker.schedule(m_slot,
        interval > 0 ? m_arrivals.next(now, interval, m_worker.config().arrivals, m_worker.rng())
                     : now);
}

void Connection::runRound()
{
    transitionTo(ConnState::Acting);
    std::vector<ScriptOp>& ops = m_worker.scratchOps();
    ops.clear();
    ScriptError error;
    QJSValue generator;
    const ScriptRuntime::Outcome outcome
        = m_worker.runtime().call(action(), context(), &generator, &error);
    if (outcome == ScriptRuntime::Outcome::Error) {
        scriptFailed(error);
        return;
    }
    if (outcome == ScriptRuntime::Outcome::Yielded) m_generator = generator;
    m_ops.swap(ops);
    m_opIndex = 0;
    performOps();
}

// Resumes the generator: with the reply it waits for (data, size), or with undefined (data null).
void Connection::resumeGenerator(const char* data, qint64 size)
{
    std::vector<ScriptOp>& ops = m_worker.scratchOps();
    ops.clear();
    ScriptError error;
    ScriptRuntime& runtime = m_worker.runtime();
    const ScriptRuntime::Outcome outcome = data
        ? runtime.resumeWithReply(m_generator, data, size, context(), &error)
        : runtime.resume(m_generator, QJSValue(), context(), &error);
    if (outcome == ScriptRuntime::Outcome::Error) {
        scriptFailed(error);
        return;
    }
    m_ops.swap(ops);
    m_opIndex = 0;
    performOps();
}

// Performs the client calls a script made, in order. Returns when one has to wait (a partial
// write, a reply, a sleep) — its completion calls performOps() again — or when all are done.
void Connection::performOps()
{
    while (m_opIndex < m_ops.size()) {
        ScriptOp& op = m_ops[m_opIndex];
        switch (op.kind) {
        case ScriptOp::Kind::Close:
            closeByScript();
            return;
        case ScriptOp::Kind::Sleep:
            ++m_opIndex;
            sleepThen(Next::PerformOps, op.sleepMs);
            return;
        case ScriptOp::Kind::Send:
            switch (startSend(op)) {
            case SendResult::Sent:
                ++m_opIndex;
                continue;
            case SendResult::Waiting:
                if (m_wait == Wait::Reply && !m_inParse) drainBuffered();
                return;
            case SendResult::Failed:
                return;
            }
        }
    }
    opsDone();
}

void Connection::opsDone()
{
    m_ops.clear();
    m_opIndex = 0;
    if (!m_generator.isUndefined())
        proceed(Next::Resume);
    else
        roundDone();
}

void Connection::roundDone()
{
    if (m_closing) {
        lingerAfterGoodbye();
        return;
    }
    m_failures = 0; // a round went through: the next error starts a fresh backoff
    // Open model: the arrivals pace the rounds, in place of the sleeps.
    const bool isPaced = paced();
    if (--m_roundsLeft > 0) {
        if (isPaced)
            beginRound();
        else
            sleepThen(Next::RunRound, action().sleepBetweenRounds.drawMilliseconds(m_worker.rng()));
        return;
    }
    m_worker.stats().actionCompleted();
    sleepThen(
        Next::NextAction, isPaced ? 0 : action().sleepAfterAction.drawMilliseconds(m_worker.rng()));
}

void Connection::sleepThen(Next next, qint64 ms)
{
    if (ms <= 0) {
        proceed(next);
        return;
    }
    m_next = next;
    if (next != Next::PerformOps)
        m_ops = {}; // nothing pending: give the memory back while sleeping
    transitionTo(ConnState::Standby);
    scheduleIn(ms * 1000);
}

void Connection::proceed(Next next)
{
    if (m_syncSteps == 0) m_worker.chainStartUs = nowUs();
    if (++m_syncSteps > kMaxSyncSteps || m_worker.stopAsked()
        || (m_syncSteps > 1 && nowUs() - m_worker.chainStartUs > kMaxSyncChainUs)) {
        m_next = next;
        m_deferred = true;
        m_worker.defer(m_slot);
        return;
    }
    run(next);
}

void Connection::run(Next next)
{
    switch (next) {
    case Next::RunRound:
        runRound();
        return;
    case Next::NextAction:
        if (++m_action >= m_plan->actions.size()) {
            m_scriptFailures = 0; // a whole iteration went through without a script error
            // One iteration done: the next one uses the newest scenario the worker has.
            beginIteration();
        }
        startAction();
        return;
    case Next::PerformOps:
        transitionTo(ConnState::Acting);
        performOps();
        return;
    case Next::Resume:
        transitionTo(ConnState::Acting);
        resumeGenerator(nullptr, 0);
        return;
    case Next::PacedRound:
        startPacedRound();
        return;
    }
}

// ---- requests and replies ------------------------------------------------------------------

Connection::SendResult Connection::startSend(ScriptOp& op)
{
    m_parserId = op.parserId;
    m_count = op.count;
    m_parserAskedFor = -1;
    m_parserState = ParserState();
    m_customSoFar = 0;
    m_customNeed = -1;
    m_out = op.request;
    m_outOffset = 0;
    // The reply timeout covers writing the request too: a server that stops reading is caught.
    scheduleIn(qint64(m_worker.config().replyTimeoutMs) * 1000);
    m_wait = Wait::Write;
    // The latency clock starts before the first write() (for client.recv: now), as
    // redis-benchmark's does; it stops in replyComplete(), when the parser has the whole reply.
    m_requestStart = nowUs();
    if (!writePending()) return SendResult::Failed;
    if (m_wait == Wait::Write) return SendResult::Waiting;
    if (m_parserId == ScriptRuntime::kNone) return SendResult::Sent;
    return SendResult::Waiting;
}

bool Connection::writePending()
{
    while (m_outOffset < m_out.size()) {
        SocketFailure failure;
        QString detail;
        const qint64 n = m_worker.transport().write(
            m_slot, m_out.constData() + m_outOffset, m_out.size() - m_outOffset, &failure, &detail);
        if (n < 0) {
            fail(stateOf(failure), detail);
            return false;
        }
        if (n == 0) {
            m_worker.transport().setWantWrite(m_slot, true);
            return true;
        }
        m_outOffset += n;
        m_worker.stats().sent(quint64(n));
    }
    sendFinished();
    return true;
}

void Connection::sendFinished()
{
    if (m_parserId == ScriptRuntime::kNone) {
        m_worker.cancelTimer(m_slot);
        if (m_count == ScriptOp::Count::MessageSent)
            m_worker.stats().messageSent(action().commandId, quint64(m_out.size()));
        else
            m_worker.stats().requestWithoutReply(action().commandId, quint64(m_out.size()));
        m_wait = Wait::Nothing;
    } else {
        m_wait = Wait::Reply;
    }
}

void Connection::onWritable()
{
    if (m_wait != Wait::Write) return;
    m_syncSteps = 0;
    m_worker.transport().setWantWrite(m_slot, false);
    const quint32 epoch = m_epoch;
    if (!writePending() || epoch != m_epoch || m_wait == Wait::Write) return;
    if (m_wait == Wait::Nothing) { // a send_noreply went out: on with the next call
        ++m_opIndex;
        performOps();
    } else {
        drainBuffered();
    }
}

void Connection::onReadable()
{
    // A continuation is pending (deferred for fairness) and may still parse what m_in holds:
    // reading on would let a flooding server outpace the parsing. The data waits in the kernel
    // (and the server's sends slow down) until onReady() reads it.
    if (m_deferred) return;
    m_syncSteps = 0;
    char* buffer = m_worker.readBuffer();
    const qint64 capacity = Worker::kReadBufferSize;
    // Bounded per event (four full buffers, kMaxReadsPerEvent reads): a fast server cannot keep
    // the worker on one connection.
    qint64 budget = 4 * capacity;
    for (int i = 0; i < kMaxReadsPerEvent && budget > 0; ++i) {
        SocketFailure failure;
        QString detail;
        const qint64 n = m_worker.transport().read(m_slot, buffer, capacity, &failure, &detail);
        if (n < 0) {
            if (m_lingering && failure == SocketFailure::Closed)
                finishGoodbye(); // the server closed its end after the goodbye: all is said
            else
                fail(stateOf(failure), detail);
            return;
        }
        if (n == 0) return;
        m_worker.stats().received(quint64(n));
        budget -= n;
        if (m_lingering) continue; // after the goodbye: read and dropped
        const quint32 epoch = m_epoch;
        consume(buffer, n);
        if (epoch != m_epoch) return;
        // A short read took all the kernel had, and nothing more is awaited: done. A reply still
        // incomplete reads on: its sender refills a small receive buffer (576 bytes at a time
        // with the default SO_RCVBUF of 128) as soon as it is read, and each wait for the next
        // event cost a turn of the event loop per 576 bytes — about 110 turns for a 64 KiB
        // reply, which on the qt transport under ASan ran past a 1 s reply timeout.
        if (m_deferred || (n < capacity && m_wait != Wait::Reply)) return;
    }
}

// Parses what is already buffered for a reply just asked for; with nothing buffered this still
// gives the parser its look at zero bytes (a custom parser's first call, a bytes(0) reply).
void Connection::drainBuffered()
{
    consume(nullptr, 0);
}

// Feeds received bytes to the replies being waited for; keeps what is left for the next one.
void Connection::consume(const char* data, qint64 size)
{
    QByteArray joined;
    if (!m_in.isEmpty()) {
        joined = std::move(m_in);
        m_in = QByteArray();
        if (size > 0) joined.append(data, qsizetype(size));
        data = joined.constData();
        size = joined.size();
    }
    const quint32 epoch = m_epoch;
    const qint64 used = parseReplies(data, size);
    if (epoch != m_epoch || used >= size) return;
    const qint64 left = size - used;
    if (m_wait != Wait::Reply && !m_deferred && left > m_worker.config().maxReplyBytes) {
        fail(ConnState::ProtocolError,
            QStringLiteral("the server sent %1 bytes no request asked for (more than "
                           "--max-reply-bytes)")
                .arg(left));
        return;
    }
    if (joined.isEmpty() || used > 0)
        m_in = QByteArray(data + used, qsizetype(left));
    else
        m_in = std::move(joined);
}

qint64 Connection::parseReplies(const char* data, qint64 size)
{
    const quint32 epoch = m_epoch;
    qint64 used = 0;
    m_inParse = true;
    while (m_wait == Wait::Reply) {
        const ParseResult r = parse(data + used, size - used);
        if (epoch != m_epoch) break;
        if (r.status == ParseResult::Status::NeedMore) {
            m_parserAskedFor = r.length; // for the timeout's message
            break;
        }
        if (r.status == ParseResult::Status::Error) {
            m_inParse = false;
            // A parser that rejects the reply is the server's fault; one that had to be stopped
            // for running too long is the script's.
            const bool runaway = m_parserId == ScriptRuntime::kCustom
                && m_worker.runtime().lastFailureWasTimeout();
            fail(runaway ? ConnState::ScriptError : ConnState::ProtocolError,
                QStringLiteral("command '%1': %2").arg(action().command, r.error));
            return size;
        }
        const char* reply = data + used;
        used += r.length;
        replyComplete(reply, r.length);
        if (epoch != m_epoch) break;
    }
    m_inParse = false;
    return epoch == m_epoch ? used : size;
}

ParseResult Connection::parse(const char* data, qint64 size)
{
    const qint64 max = m_worker.config().maxReplyBytes;
    if (m_parserId != ScriptRuntime::kCustom)
        return parseReply(
            m_worker.runtime().parserSpec(m_parserId), data, size, m_parserState, max);

    // A JS parser is told all the reply's bytes so far and answers how many more it needs; it
    // is called again only once that many have arrived.
    const QJSValue& parser = m_ops[m_opIndex].customParser;
    QString error;
    if (m_customNeed < 0) {
        m_customNeed = m_worker.runtime().callParser(parser, data, 0, &error);
        if (m_customNeed < 0) return ParseResult::failure(error);
    }
    while (m_customNeed > 0) {
        const qint64 target = m_customSoFar + m_customNeed;
        if (target > max)
            return ParseResult::failure(
                QStringLiteral("the reply parser asked for %1 bytes, more than "
                               "--max-reply-bytes (%2)")
                    .arg(target)
                    .arg(max));
        if (size < target) return ParseResult::needMore(target);
        m_customSoFar = target;
        m_customNeed = m_worker.runtime().callParser(parser, data, target, &error);
        if (m_customNeed < 0) return ParseResult::failure(error);
    }
    return ParseResult::complete(m_customSoFar);
}

void Connection::replyComplete(const char* data, qint64 size)
{
    const qint64 now = nowUs();
    m_worker.cancelTimer(m_slot);
    m_wait = Wait::Nothing;
    if (m_count == ScriptOp::Count::Pushed) {
        // The server sent it on its own: a message received, not a request with a latency.
        m_worker.stats().pushed(action().commandId, quint64(size));
    } else {
        const qint64 start = m_requestStart ? m_requestStart : now;
        const quint64 service = quint64(now - start);
        m_worker.stats().request(action().commandId, service, quint64(m_out.size()), quint64(size));
        // From the intended start: the service time plus how late the round began.
        if (m_worker.recordsCorrected())
            m_worker.stats().corrected(action().commandId, service + quint64(m_lateUs));
    }
    m_failures = 0;
    ++m_opIndex;
    if (!m_generator.isUndefined() && m_opIndex >= m_ops.size()) {
        // The generator waits for this reply: `const r = yield client.send_for_reply(...)`.
        m_ops.clear();
        m_opIndex = 0;
        resumeGenerator(data ? data : "", size);
        return;
    }
    performOps();
}

// ---- errors --------------------------------------------------------------------------------

void Connection::scriptFailed(const ScriptError& error)
{
    m_worker.stats().commandError(action().commandId);
    fail(ConnState::ScriptError,
        QStringLiteral("command '%1': %2").arg(action().command, error.toString()));
}

void Connection::fail(ConnState kind, const QString& detail)
{
    if (m_wait != Wait::Nothing && m_plan) {
        if (m_count == ScriptOp::Count::Request)
            m_worker.stats().failedRequest(action().commandId, quint64(m_out.size()));
        else
            m_worker.stats().commandError(action().commandId);
    }
    const bool inCommand = m_plan && (m_wait != Wait::Nothing || kind == ConnState::ScriptError);
    const int commandId = inCommand ? action().commandId : -1;
    if (m_closing) { // a goodbye that failed: said, counted, and the connection goes
        m_worker.stats().errorMessage(kind, commandId, QStringLiteral("on_close: ") + detail);
        finishGoodbye();
        return;
    }
    m_worker.stats().errorMessage(kind, commandId, detail);
    teardown();
    transitionTo(kind);
    ++m_failures;
    // Script errors back off like socket errors, and are not forgiven by a reply that went
    // through: only an iteration without one resets them (a module that always fails on its
    // second action must not reconnect at full speed).
    if (kind == ConnState::ScriptError && m_scriptFailures < 0xffff) ++m_scriptFailures;
    scheduleIn(reconnectDelayUs());
}

void Connection::closeByScript()
{
    if (m_closing) {
        lingerAfterGoodbye();
        return;
    }
    // Not an error: the script ended the connection on purpose. The action is complete, and its
    // sleep_after_action is honoured before the reconnect, which starts a new iteration.
    const qint64 sleepMs = action().sleepAfterAction.drawMilliseconds(m_worker.rng());
    teardown();
    m_worker.stats().actionCompleted();
    transitionTo(ConnState::Started);
    scheduleIn((sleepMs > 0 ? sleepMs : m_worker.spreadDelayMs()) * 1000);
}

QString Connection::timeoutMessage() const
{
    const QString start = QStringLiteral("command '%1': ").arg(action().command);
    const int ms = m_worker.config().replyTimeoutMs;
    if (m_wait == Wait::Write)
        return start
            + QStringLiteral("the request was not written within %1 ms (--reply-timeout): %2 of "
                             "its %3 bytes went out (the server is not reading)")
                  .arg(ms)
                  .arg(m_outOffset)
                  .arg(m_out.size());
    const QString parser = m_parserId == ScriptRuntime::kCustom
        ? QStringLiteral("the custom parser")
        : m_worker.runtime().parserSpec(m_parserId).describe();
    const QString arrived = m_in.isEmpty()
        ? QStringLiteral("no byte of it had arrived")
        : QStringLiteral("%1 bytes of it had arrived").arg(m_in.size());
    QString asked;
    if (m_parserAskedFor > 0)
        asked = QStringLiteral("; %1 asked for %2 bytes in all").arg(parser).arg(m_parserAskedFor);
    else if (!m_in.isEmpty())
        asked = QStringLiteral("; %1 had not found its end").arg(parser);
    return start
        + QStringLiteral("%1 within %2 ms (--reply-timeout): %3%4")
              .arg(m_count == ScriptOp::Count::Pushed ? QStringLiteral("no message from the server")
                                                      : QStringLiteral("no reply"))
              .arg(ms)
              .arg(arrived, asked);
}

qint64 Connection::reconnectDelayUs()
{
    // Exponential backoff with jitter: the ceiling doubles with each consecutive failure up to
    // --reconnect-max, and the delay is drawn from the upper half of it, so that thousands of
    // connections to a dead server neither retry in step nor cost much CPU.
    const qint64 base = qint64(m_worker.config().reconnectBaseMs) * 1000;
    const qint64 cap = qint64(m_worker.config().reconnectMaxMs) * 1000;
    const int doublings = qMin(int(qMax(m_failures, m_scriptFailures)) - 1, 30);
    qint64 ceiling = base;
    for (int i = 0; i < doublings && ceiling < cap; ++i)
        ceiling *= 2;
    ceiling = qMax<qint64>(1, qMin(ceiling, cap));
    return ceiling / 2 + qint64(m_worker.rng().bounded(quint64(ceiling / 2 + 1)));
}

void Connection::onSocketFailed(SocketFailure failure, const QString& detail)
{
    m_syncSteps = 0;
    m_socketOpen = false; // the transport has closed it already
    if (m_lingering && failure == SocketFailure::Closed) {
        finishGoodbye(); // the server closed its end after the goodbye: all is said
        return;
    }
    QString what = detail;
    if (m_state == ConnState::Connecting)
        what = QStringLiteral("connect to %1: %2").arg(m_worker.config().server.toString(), detail);
    else if (m_state == ConnState::Handshaking)
        what = QStringLiteral("TLS handshake with %1: %2")
                   .arg(m_worker.config().server.toString(), detail);
    fail(stateOf(failure), what);
}

} // namespace swarm
