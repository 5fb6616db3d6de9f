#pragma once

#include "core/ReplyParser.h"
#include "scenario/ArgTemplate.h"
#include "scenario/ClientIdentity.h"
#include "scenario/ScenarioBundle.h"
#include "scenario/ValueRange.h"
#include "script/ScriptOp.h"

#include <QJSEngine>
#include <QJSValue>
#include <QObject>

#include <atomic>
#include <memory>
#include <vector>

namespace swarm {

class ScriptRuntime;

// The native half of the `client` and `swarm` objects scripts see. The JS half (the prelude)
// checks and normalises arguments so that each call crosses into C++ once, with plain values.
// Lives in its worker's thread, like the engine it belongs to.
class ScriptBridge : public QObject
{
    Q_OBJECT
public:
    explicit ScriptBridge(ScriptRuntime* runtime)
        : m_runtime(runtime)
    { }

    // count: a ScriptOp::Count (0 request, 1 pushed message, 2 message sent).
    Q_INVOKABLE void sendText(const QString& request, int parserId, int count);
    Q_INVOKABLE void sendBinary(const QByteArray& request, int parserId, int count);
    Q_INVOKABLE void sendTextCustom(const QString& request, const QJSValue& parser, int count);
    Q_INVOKABLE void sendBinaryCustom(const QByteArray& request, const QJSValue& parser, int count);
    Q_INVOKABLE QByteArray utf8Encode(const QString& text) { return text.toUtf8(); }
    Q_INVOKABLE QString utf8Decode(const QByteArray& bytes) { return QString::fromUtf8(bytes); }
    Q_INVOKABLE void closeConnection();
    Q_INVOKABLE void sleep(double seconds);
    Q_INVOKABLE QJSValue vars();
    // client.id, client.iteration, client.data: the calling connection's identity.
    Q_INVOKABLE QJSValue identity(int what);
    Q_INVOKABLE int parser(const QString& kind, const QJSValue& a, const QJSValue& b,
        const QJSValue& c, const QJSValue& d);

private:
    // The four send* above differ only in how the request and the parser arrive from JS.
    void send(QByteArray request, quint16 parserId, const QJSValue& customParser, int count);
    bool queue(ScriptOp&& op, int count);
    ScriptRuntime* m_runtime;
};

// One compiled action of a scenario, ready to call in one worker's JS engine.
struct CompiledAction
{
    QString command;
    QJSValue function;
    QJSValueList args; // [client, then the command's parameters in order, filled by name]
    bool generator = false;
    int commandId = 0; // index in the worker's stats
    // Arguments with ${...} templates: filled for each call (args[index] is a placeholder).
    std::vector<std::pair<int, std::shared_ptr<const ArgTemplate>>> templates;
    ValueRange rounds;
    ValueRange sleepBetweenRounds;
    ValueRange sleepAfterAction;
    double rate = 0; // the action's own open-model rate (per second, all connections); 0: none
};

// A scenario bundle compiled in one worker: connections hold it for an iteration.
struct Plan
{
    int version = 0;
    std::vector<CompiledAction> actions;
    bool hasOnClose = false;
    CompiledAction onClose; // the scenario's on_close goodbye, when hasOnClose
    std::vector<DataSetPtr> data; // the scenario's data files, shared with the bundle
};
using PlanPtr = std::shared_ptr<const Plan>;

struct ScriptError
{
    QString message; // "TypeError: x is undefined"
    QString file;
    int line = 0;
    QString toString() const;
};

// A worker's JavaScript: its QJSEngine, the prelude (client, swarm), the table of native reply
// parsers, and the guarded calls into scripts. Not thread-safe: used only by its worker's thread.
// A process-wide watchdog interrupts a call that runs past the script timeout.
class ScriptRuntime
{
public:
    struct CallContext
    {
        std::vector<ScriptOp>* ops = nullptr; // where client calls are queued
        QJSValue* vars = nullptr; // the connection's client.vars, created on first use
        QJSValue* data = nullptr; // the connection's client.data, made on first use
        ClientIdentity who {}; // client.id, client.iteration, the rows of its data files
    };

    enum class Outcome { Done, Yielded, Error };

    // `fleet` is what swarm.agent shows (index, count): --agent-index, 0 of 1 alone.
    explicit ScriptRuntime(int scriptTimeoutMs, Fleet fleet = {});
    ~ScriptRuntime();

    ScriptRuntime(const ScriptRuntime&) = delete;
    ScriptRuntime& operator=(const ScriptRuntime&) = delete;

    // Evaluates the bundle's module and prepares every action. False with *error on a syntax
    // error, an exception while loading, or a command the module does not define.
    bool compile(const ScenarioBundle& bundle, Plan* plan, ScriptError* error);
    // Evaluates a module and runs its top level; *commands (if given) receives {name: fn}.
    bool load(const ProtocolModuleInfo& module, QJSValue* commands, ScriptError* error);

    // Calls an action's function. Done: a plain function returned (its client calls are in
    // ctx.ops); Yielded: it was a generator, now in *generator, stopped at its first yield.
    Outcome call(const CompiledAction& action, const CallContext& ctx, QJSValue* generator,
        ScriptError* error);
    // Resumes a generator with `value` (a reply, or undefined).
    Outcome resume(
        QJSValue& generator, const QJSValue& value, const CallContext& ctx, ScriptError* error);
    // Resumes a generator with the reply it waits for (`data`: the reply's bytes, valid during
    // the call): the reply object is made in the same call into JavaScript.
    Outcome resumeWithReply(QJSValue& generator, const char* data, qint64 size,
        const CallContext& ctx, ScriptError* error);
    // Asks a custom parser how many more bytes the reply needs, given all its bytes so far.
    // Returns the count, or -1 with *error (a negative count, a non-number, an exception).
    // The parser reads a view of one buffer refilled for each call, not a copy of its own.
    qint64 callParser(const QJSValue& parser, const char* data, qint64 size, QString* error);
    // Whether the last failed call failed because the watchdog stopped it (a runaway script,
    // a script error) rather than by an exception or a bad return value.
    bool lastFailureWasTimeout() const { return m_lastTimedOut; }

    static constexpr quint16 kNone = 0; // no reply
    static constexpr quint16 kCustom = 0xffff; // a JS function
    const ParserSpec& parserSpec(quint16 id) const { return m_parsers[id]; }
    int registerParser(const ParserSpec& spec); // -1 when the table is full

    QJSEngine& engine() { return *m_engine; }
    const CallContext& context() const { return m_ctx; }

    // For the watchdog (any thread).
    bool runningSince(quint32* callSequence) const;
    void interrupt();
    int scriptTimeoutMs() const { return m_timeoutMs; }

private:
    friend class ScriptBridge;
    QJSValue guardedCall(const QJSValue& fn, const QJSValueList& args, const CallContext& ctx);
    Outcome stepped(QJSValue& generator, const QJSValue& result, ScriptError* error);
    QJSValue replyBuffer(const char* data, qint64 size);
    QJSValue varsOf(const CallContext& ctx) const { return ctx.vars ? *ctx.vars : QJSValue(); }
    ScriptError errorFrom(const QJSValue& error, const QString& fallbackFile) const;
    bool takeInterrupted();
    bool failed(const QJSValue& result, ScriptError* error);
    bool compileAction(const ScenarioBundle& bundle, const Action& action, const QJSValue& commands,
        CompiledAction* compiled, ScriptError* error);
    Outcome finishCall(const CompiledAction& action, QJSValue result, const CallContext& ctx,
        QJSValue* generator, ScriptError* error);
    bool compileTemplate(const ScenarioBundle& bundle, const Action& action, const ActionArg& arg,
        int index, CompiledAction* compiled, ScriptError* error);
    bool fillTemplates(const CompiledAction& action, const CallContext& ctx, QJSValueList* args,
        ScriptError* error);
    QJSValue dataOf(const ClientIdentity& who);

    std::unique_ptr<QJSEngine> m_engine;
    ScriptBridge* m_bridge = nullptr; // owned by the engine (JS ownership)
    QJSValue m_client;
    QJSValue m_step;
    QJSValue m_stepWithReply;
    QJSValue m_callParser;
    QJSValue m_setParserBuffer;
    QByteArray m_parserBuffer; // what a custom parser reads, shared with its ArrayBuffer in JS
    QJSValue m_freeze;
    QJSValue m_guard;
    QJSValue m_isGenerator;
    QJSValue m_thrown;
    std::vector<ParserSpec> m_parsers;
    CallContext m_ctx;
    int m_timeoutMs;
    std::atomic<quint32> m_callSequence {0};
    std::atomic<bool> m_inScript {false};
    std::atomic<bool> m_interruptedByWatchdog {false};
    QString m_currentFile;
    bool m_lastTimedOut = false;
};

} // namespace swarm
