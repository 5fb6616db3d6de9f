#include "script/ScriptRuntime.h"

#include "script/ScriptWatchdog.h"

#include <QFileInfo>

#include <cmath>

namespace swarm {

namespace {

// Any arity above the prelude's eight fixed parameters makes guard() pass every argument on
// (a rest parameter must see exactly the arguments given).
constexpr int kRestArity = 99;

const char kPrelude[] =
#include "ScriptPrelude.inc"
    ;

const QString kPreludeFile = QStringLiteral("swarm-prelude.js");

QString cleanFileName(QString file)
{
    if (file.startsWith(QLatin1String("file://")))
        file.remove(0, 7);
    else if (file.startsWith(QLatin1String("file:")))
        file.remove(0, 5);
    return file;
}

} // namespace

QString ScriptError::toString() const
{
    QString where = file;
    if (line > 0) where += QLatin1Char(':') + QString::number(line);
    return where.isEmpty() ? message : where + QStringLiteral(": ") + message;
}

// ---- ScriptBridge --------------------------------------------------------------------------

bool ScriptBridge::queue(ScriptOp&& op, int count)
{
    static const char* const names[]
        = {"client.send_for_reply", "client.recv", "client.send_noreply"};
    const char* what = op.kind == ScriptOp::Kind::Close ? "client.close_connection"
        : op.kind == ScriptOp::Kind::Sleep              ? "client.sleep"
        : op.parserId == ScriptRuntime::kNone           ? names[2]
                                                        : names[qBound(0, count, 1)];
    const ScriptRuntime::CallContext& ctx = m_runtime->m_ctx;
    if (!ctx.ops) {
        m_runtime->m_engine->throwError(
            QStringLiteral("%1 was called outside a command (at load time, or from a stored "
                           "reference); the client can only be used while its command runs")
                .arg(QLatin1String(what)));
        return false;
    }
    op.count = ScriptOp::Count(qBound(0, count, 2));
    ctx.ops->push_back(std::move(op));
    return true;
}

void ScriptBridge::sendText(const QString& request, int parserId, int count)
{
    send(request.toUtf8(), quint16(parserId), QJSValue(), count);
}

void ScriptBridge::sendBinary(const QByteArray& request, int parserId, int count)
{
    send(request, quint16(parserId), QJSValue(), count);
}

void ScriptBridge::sendTextCustom(const QString& request, const QJSValue& parser, int count)
{
    send(request.toUtf8(), ScriptRuntime::kCustom, parser, count);
}

void ScriptBridge::sendBinaryCustom(const QByteArray& request, const QJSValue& parser, int count)
{
    send(request, ScriptRuntime::kCustom, parser, count);
}

void ScriptBridge::send(
    QByteArray request, quint16 parserId, const QJSValue& customParser, int count)
{
    ScriptOp op;
    op.parserId = parserId;
    op.request = std::move(request);
    op.customParser = customParser;
    queue(std::move(op), count);
}

void ScriptBridge::closeConnection()
{
    ScriptOp op;
    op.kind = ScriptOp::Kind::Close;
    queue(std::move(op), 0);
}

void ScriptBridge::sleep(double seconds)
{
    ScriptOp op;
    op.kind = ScriptOp::Kind::Sleep;
    op.sleepMs = qint64(std::llround(seconds * 1000.0));
    queue(std::move(op), 0);
}

QJSValue ScriptBridge::vars()
{
    const ScriptRuntime::CallContext& ctx = m_runtime->m_ctx;
    if (!ctx.vars) {
        m_runtime->m_engine->throwError(QStringLiteral("client.vars was used outside a command"));
        return QJSValue();
    }
    if (!ctx.vars->isObject()) *ctx.vars = m_runtime->m_engine->newObject();
    return *ctx.vars;
}

int ScriptBridge::parser(
    const QString& kind, const QJSValue& a, const QJSValue& b, const QJSValue& c, const QJSValue& d)
{
    ParserSpec spec;
    if (kind == QLatin1String("crlf")) {
        spec = ParserSpec::crlf();
    } else if (kind == QLatin1String("line")) {
        const QByteArray delimiter
            = a.isString() ? a.toString().toUtf8() : a.toVariant().toByteArray();
        if (delimiter.isEmpty()) {
            m_runtime->m_engine->throwError(QJSValue::RangeError,
                QStringLiteral("swarm.line(delimiter): the delimiter "
                               "must not be empty"));
            return 0;
        }
        spec = ParserSpec::line(delimiter);
    } else if (kind == QLatin1String("bytes")) {
        spec = ParserSpec::bytes(qint64(a.toNumber()));
    } else if (kind == QLatin1String("length_prefixed")) {
        spec = ParserSpec::lengthPrefixed(a.toInt(), b.toBool(), c.toBool(), quint32(d.toInt()));
    } else if (kind == QLatin1String("varint_prefixed")) {
        spec = ParserSpec::varintPrefixed(quint32(a.toInt()), b.toInt());
    } else if (kind == QLatin1String("resp")) {
        spec = ParserSpec::resp();
    } else {
        m_runtime->m_engine->throwError(QStringLiteral("unknown parser kind %1").arg(kind));
        return 0;
    }
    const int id = m_runtime->registerParser(spec);
    if (id < 0) {
        m_runtime->m_engine->throwError(
            QStringLiteral("too many different reply parsers (more than 65,000): create parsers "
                           "once, at the top of the module"));
        return 0;
    }
    return id;
}

// ---- ScriptRuntime -------------------------------------------------------------------------

ScriptRuntime::ScriptRuntime(int scriptTimeoutMs, Fleet fleet)
    : m_engine(std::make_unique<QJSEngine>())
    , m_timeoutMs(scriptTimeoutMs)
{
    m_engine->installExtensions(QJSEngine::ConsoleExtension);
    m_parsers.resize(1); // id 0: no reply
    m_bridge = new ScriptBridge(this);
    QJSValue native = m_engine->newQObject(m_bridge); // the JS engine owns the bridge
    QJSValue factory = m_engine->evaluate(QString::fromUtf8(kPrelude), kPreludeFile);
    QJSValue api = factory.call({native, QJSValue(fleet.index), QJSValue(fleet.count)});
    Q_ASSERT(!api.isError());
    m_client = api.property(QStringLiteral("client"));
    m_step = api.property(QStringLiteral("step"));
    m_stepWithReply = api.property(QStringLiteral("stepWithReply"));
    m_setParserBuffer = api.property(QStringLiteral("setParserBuffer"));
    m_callParser = api.property(QStringLiteral("callParser"));
    m_freeze = api.property(QStringLiteral("deepFreeze"));
    m_guard = api.property(QStringLiteral("guard"));
    m_isGenerator = api.property(QStringLiteral("isGenerator"));
    m_thrown = api.property(QStringLiteral("THROWN"));
    m_engine->globalObject().setProperty(
        QStringLiteral("swarm"), api.property(QStringLiteral("swarm")));
    ScriptWatchdog::instance().add(this);
}

ScriptRuntime::~ScriptRuntime()
{
    ScriptWatchdog::instance().remove(this);
}

int ScriptRuntime::registerParser(const ParserSpec& spec)
{
    for (size_t i = 1; i < m_parsers.size(); ++i)
        if (m_parsers[i] == spec) return int(i);
    if (m_parsers.size() >= kCustom) return -1;
    m_parsers.push_back(spec);
    return int(m_parsers.size() - 1);
}

bool ScriptRuntime::runningSince(quint32* callSequence) const
{
    *callSequence = m_callSequence.load(std::memory_order_relaxed);
    return m_inScript.load(std::memory_order_relaxed);
}

void ScriptRuntime::interrupt()
{
    m_interruptedByWatchdog.store(true);
    m_engine->setInterrupted(true);
}

bool ScriptRuntime::takeInterrupted()
{
    if (!m_interruptedByWatchdog.exchange(false)) return false;
    m_engine->setInterrupted(false);
    return true;
}

QJSValue ScriptRuntime::guardedCall(
    const QJSValue& fn, const QJSValueList& args, const CallContext& ctx)
{
    m_ctx = ctx;
    m_callSequence.fetch_add(1, std::memory_order_relaxed);
    m_inScript.store(true, std::memory_order_relaxed);
    QJSValue result = fn.call(args);
    m_inScript.store(false, std::memory_order_relaxed);
    m_ctx = CallContext();
    return result;
}

// The innermost frame of an error's stack outside swarm's prelude: where the user's code called
// into swarm. V4 writes one frame a line, "function@file:line".
static bool userFrame(const QJSValue& error, QString* file, int* line)
{
    const QStringList frames
        = error.property(QStringLiteral("stack")).toString().split(QLatin1Char('\n'));
    for (const QString& frame : frames) {
        const qsizetype at = frame.indexOf(QLatin1Char('@'));
        const qsizetype colon = frame.lastIndexOf(QLatin1Char(':'));
        if (at < 0 || colon <= at) continue;
        const QString f = cleanFileName(frame.mid(at + 1, colon - at - 1));
        bool ok = false;
        const int l = frame.mid(colon + 1).toInt(&ok);
        if (!ok || f.isEmpty() || f.endsWith(kPreludeFile)) continue;
        *file = f;
        *line = l;
        return true;
    }
    return false;
}

ScriptError ScriptRuntime::errorFrom(const QJSValue& error, const QString& fallbackFile) const
{
    ScriptError e;
    e.file = fallbackFile;
    if (error.isError()) {
        e.message = error.toString();
        const int line = error.property(QStringLiteral("lineNumber")).toInt();
        const QString file = cleanFileName(error.property(QStringLiteral("fileName")).toString());
        if (line > 0) e.line = line;
        if (!file.isEmpty() && file != QLatin1String("undefined")) e.file = file;
        // Raised inside swarm's own prelude: a check of the user's arguments names the user's
        // line that called it; anything else is swarm's fault and must say so.
        if (e.file.endsWith(kPreludeFile) && !userFrame(error, &e.file, &e.line)) {
            e.message
                = QStringLiteral("internal error in swarm (%1:%2), not in %3: %4; please "
                                 "report it")
                      .arg(kPreludeFile)
                      .arg(line)
                      .arg(fallbackFile.isEmpty() ? QStringLiteral("the module") : fallbackFile,
                          e.message);
            e.file.clear();
            e.line = 0;
        }
    } else {
        e.message = QStringLiteral("uncaught exception: %1").arg(error.toString());
    }
    return e;
}

// The outcome of a guarded call: the value, or an error taken from THROWN or the watchdog.
bool ScriptRuntime::failed(const QJSValue& result, ScriptError* error)
{
    m_lastTimedOut = false;
    if (takeInterrupted()) {
        m_lastTimedOut = true;
        error->file = m_currentFile;
        error->line = 0;
        error->message = QStringLiteral("script ran longer than the script timeout (%1 ms) and "
                                        "was stopped")
                             .arg(m_timeoutMs);
        return true;
    }
    if (result.isObject() && result.strictlyEquals(m_thrown)) {
        *error = errorFrom(m_thrown.property(QStringLiteral("error")), m_currentFile);
        m_thrown.setProperty(QStringLiteral("error"), QJSValue());
        return true;
    }
    if (result.isError()) { // raised by the engine outside the guard (e.g. interrupted)
        *error = errorFrom(result, m_currentFile);
        return true;
    }
    return false;
}

bool ScriptRuntime::load(
    const ProtocolModuleInfo& module, QJSValue* commandsOut, ScriptError* error)
{
    m_currentFile = module.file;
    QString exports;
    for (const CommandInfo& c : module.commands)
        exports += QStringLiteral("%1: typeof %1 === 'function' ? %1 : undefined, ").arg(c.name);
    // The module runs inside a function of its own so that reloading a changed module in a
    // running load does not mix the old version's top-level state with the new one's. The prefix
    // sits on the module's first line: line numbers in messages stay those of the file.
    const QString code = QStringLiteral("(function () {") + module.source
        + QStringLiteral("\n;return {") + exports + QStringLiteral("};\n})");
    QJSValue factory = m_engine->evaluate(code, module.file, 1);
    if (factory.isError()) {
        *error = errorFrom(factory, module.file);
        return false;
    }
    QJSValue commands = guardedCall(m_guard.call({factory}), {}, CallContext());
    if (failed(commands, error)) return false;
    if (commandsOut) *commandsOut = commands;
    return true;
}

bool ScriptRuntime::compile(const ScenarioBundle& bundle, Plan* plan, ScriptError* error)
{
    const ProtocolModuleInfo& module = bundle.module;
    QJSValue commands;
    if (!load(module, &commands, error)) return false;

    plan->version = bundle.version;
    plan->data = bundle.data;
    plan->actions.clear();
    for (const Action& action : bundle.scenario.actions) {
        CompiledAction compiled;
        if (!compileAction(bundle, action, commands, &compiled, error)) return false;
        plan->actions.push_back(std::move(compiled));
    }
    plan->hasOnClose = bundle.scenario.hasOnClose();
    if (plan->hasOnClose
        && !compileAction(bundle, bundle.scenario.onClose, commands, &plan->onClose, error))
        return false;
    return true;
}

bool ScriptRuntime::compileAction(const ScenarioBundle& bundle, const Action& action,
    const QJSValue& commands, CompiledAction* compiled, ScriptError* error)
{
    const ProtocolModuleInfo& module = bundle.module;
    const CommandInfo* info = module.command(action.command);
    QJSValue fn = commands.property(action.command);
    if (!info || !fn.isCallable()) {
        error->file = bundle.scenario.file;
        error->line = action.commandPos.line;
        error->message
            = QStringLiteral("protocol '%1' has no command '%2'").arg(module.name, action.command);
        return false;
    }
    compiled->command = action.command;
    // A rest parameter must see exactly the arguments given, not eight.
    // A generator command runs to its first yield in the same call (one crossing, not two).
    compiled->function = m_guard.call(
        {fn, info->hasRest ? kRestArity : int(1 + info->params.size()), info->generator});
    compiled->generator = info->generator;
    compiled->rounds = action.rounds;
    compiled->sleepBetweenRounds = action.sleepBetweenRounds;
    compiled->sleepAfterAction = action.sleepAfterAction;
    compiled->rate = action.rate;
    compiled->args.reserve(1 + info->params.size());
    compiled->args << m_client;
    for (const QString& param : info->params) {
        QJSValue value; // undefined: the parameter's default applies
        for (const ActionArg& arg : action.args) {
            if (arg.name == param && !param.isEmpty() && ArgTemplate::isTemplate(arg.value)) {
                if (!compileTemplate(
                        bundle, action, arg, int(compiled->args.size()), compiled, error))
                    return false;
                break;
            }
            if (arg.name == param && !param.isEmpty()) {
                value = arg.value.isValid() ? m_freeze.call({m_engine->toScriptValue(arg.value)})
                                            : QJSValue(QJSValue::NullValue);
                break;
            }
        }
        compiled->args << value;
    }
    return true;
}

ScriptRuntime::Outcome ScriptRuntime::call(
    const CompiledAction& action, const CallContext& ctx, QJSValue* generator, ScriptError* error)
{
    if (!action.templates.empty()) {
        QJSValueList args = action.args;
        if (!fillTemplates(action, ctx, &args, error)) return Outcome::Error;
        return finishCall(action, guardedCall(action.function, args, ctx), ctx, generator, error);
    }
    return finishCall(
        action, guardedCall(action.function, action.args, ctx), ctx, generator, error);
}

ScriptRuntime::Outcome ScriptRuntime::finishCall(const CompiledAction& action, QJSValue result,
    const CallContext& ctx, QJSValue* generator, ScriptError* error)
{
    if (result.isUndefined() && !m_interruptedByWatchdog.load(std::memory_order_relaxed))
        return Outcome::Done; // the common case: a plain function that returned nothing
    if (failed(result, error)) return Outcome::Error;
    if (action.generator) { // the guard ran it to its first yield: result is the generator
        *generator = result;
        return Outcome::Yielded;
    }
    if (!(result.isObject() && m_isGenerator.call({result}).toBool())) return Outcome::Done;
    *generator = result; // a plain function that returned a generator
    return resume(*generator, QJSValue(), ctx, error);
}

ScriptRuntime::Outcome ScriptRuntime::resume(
    QJSValue& generator, const QJSValue& value, const CallContext& ctx, ScriptError* error)
{
    return stepped(generator, guardedCall(m_step, {generator, value, varsOf(ctx)}, ctx), error);
}

ScriptRuntime::Outcome ScriptRuntime::resumeWithReply(
    QJSValue& generator, const char* data, qint64 size, const CallContext& ctx, ScriptError* error)
{
    const QJSValue result = guardedCall(m_stepWithReply,
        {generator, replyBuffer(data, size), QString::fromUtf8(data, qsizetype(size)), double(size),
            varsOf(ctx)},
        ctx);
    return stepped(generator, result, error);
}

ScriptRuntime::Outcome ScriptRuntime::stepped(
    QJSValue& generator, const QJSValue& result, ScriptError* error)
{
    if (failed(result, error)) return Outcome::Error;
    if (result.toInt() == 1) {
        generator = QJSValue();
        return Outcome::Done;
    }
    return Outcome::Yielded;
}

qint64 ScriptRuntime::callParser(
    const QJSValue& parser, const char* data, qint64 size, QString* error)
{
    if (m_parserBuffer.size() < size) {
        // Grown (doubling) only for a reply larger than any before; shared with JavaScript,
        // which keeps a Uint8Array over it.
        m_parserBuffer
            = QByteArray(qsizetype(qMax(size, qMax<qint64>(4096, 2 * m_parserBuffer.size()))),
                Qt::Uninitialized);
        m_setParserBuffer.call({m_engine->toScriptValue(m_parserBuffer)});
    }
    // Written in place, not through data(): that would detach the bytes from the ArrayBuffer
    // JavaScript reads.
    if (size > 0) memcpy(const_cast<char*>(m_parserBuffer.constData()), data, size_t(size));
    // An int, not a double: V4 turns a double used as an array index into a string first.
    QJSValue result = guardedCall(m_callParser, {parser, int(size)}, CallContext());
    ScriptError e;
    if (failed(result, &e)) {
        *error = QStringLiteral("reply parser failed: ") + e.toString();
        return -1;
    }
    if (!result.isNumber()) {
        QString what;
        if (result.isUndefined())
            what = QStringLiteral("undefined");
        else if (result.isString())
            what = QStringLiteral("the string \"%1\"").arg(result.toString().left(40));
        else if (result.isBool())
            what = QStringLiteral("the boolean %1").arg(result.toString());
        else if (result.isNull())
            what = QStringLiteral("null");
        else
            what = QStringLiteral("an object (%1)").arg(result.toString().left(40));
        *error = QStringLiteral("reply parser returned %1, not a number of bytes (return how many "
                                "more bytes the reply needs, 0 when it is complete)")
                     .arg(what);
        return -1;
    }
    const double need = result.toNumber();
    if (!(need >= 0) || need != std::floor(need) || need > 9.0e15) {
        *error = QStringLiteral("reply parser returned %1: the reply is invalid")
                     .arg(result.toString());
        return -1;
    }
    return qint64(need);
}

// The reply's own copy of its bytes, as an ArrayBuffer; undefined when empty.
QJSValue ScriptRuntime::replyBuffer(const char* data, qint64 size)
{
    return size > 0 ? m_engine->toScriptValue(QByteArray(data, qsizetype(size))) : QJSValue();
}

} // namespace swarm
