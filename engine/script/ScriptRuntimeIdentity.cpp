// The identity half of ScriptRuntime and its bridge: client.id, client.iteration, client.data,
// and argument templates (${id + 1000}, ${row.users.name}) filled for each call.
#include "script/ScriptRuntime.h"

namespace swarm {

namespace {
enum IdentityPart { kId = 0, kIteration = 1, kData = 2 };
}

QJSValue ScriptBridge::identity(int what)
{
    const ScriptRuntime::CallContext& ctx = m_runtime->m_ctx;
    if (!ctx.ops) {
        static const char* const names[] = {"client.id", "client.iteration", "client.data"};
        m_runtime->m_engine->throwError(
            QStringLiteral("%1 was used outside a command").arg(QLatin1String(names[what % 3])));
        return QJSValue();
    }
    switch (what) {
    case kId:
        return QJSValue(double(ctx.who.id));
    case kIteration:
        return QJSValue(double(ctx.who.iteration));
    default:
        break;
    }
    if (!ctx.data) return m_runtime->dataOf(ctx.who);
    if (!ctx.data->isObject()) *ctx.data = m_runtime->dataOf(ctx.who);
    return *ctx.data;
}

// {NAME: {column: value, ...}} for each data file this connection has a row of, frozen.
QJSValue ScriptRuntime::dataOf(const ClientIdentity& who)
{
    QJSValue data = m_engine->newObject();
    if (who.data && who.rows) {
        for (size_t i = 0; i < who.data->size() && i < who.rows->size(); ++i) {
            const DataSetPtr& set = (*who.data)[i];
            const qint64 row = (*who.rows)[i];
            if (set && row >= 0)
                data.setProperty(set->source().name, m_engine->toScriptValue(set->row(row)));
        }
    }
    return m_freeze.call({data});
}

bool ScriptRuntime::compileTemplate(const ScenarioBundle& bundle, const Action& action,
    const ActionArg& arg, int index, CompiledAction* compiled, ScriptError* error)
{
    QStringList names;
    QList<QStringList> columns;
    for (const DataSetPtr& set : bundle.data) {
        names << (set ? set->source().name : QString());
        columns << (set ? set->columns() : QStringList());
    }
    auto t = std::make_shared<ArgTemplate>();
    StringTemplate::Error problem;
    QString bad;
    if (!t->compile(arg.value, names, columns, &problem, &bad)) {
        error->file = bundle.scenario.file;
        error->line = arg.valuePos.line;
        error->message = QStringLiteral("%1, '%2': template \"%3\": %4")
                             .arg(action.command, arg.name, bad, problem.message);
        return false;
    }
    compiled->templates.emplace_back(index, std::move(t));
    return true;
}

bool ScriptRuntime::fillTemplates(
    const CompiledAction& action, const CallContext& ctx, QJSValueList* args, ScriptError* error)
{
    for (const auto& [index, t] : action.templates) {
        QString problem;
        const QVariant value = t->evaluate(ctx.who, &problem);
        if (!problem.isEmpty()) {
            error->file = m_currentFile;
            error->message
                = QStringLiteral("%1: argument template %2").arg(action.command, problem);
            return false;
        }
        (*args)[index] = value.isValid() && !value.isNull()
            ? m_freeze.call({m_engine->toScriptValue(value)})
            : QJSValue(QJSValue::NullValue);
    }
    return true;
}

} // namespace swarm
