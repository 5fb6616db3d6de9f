#include "script/ModuleChecks.h"

#include "scenario/ClosestMatch.h"

namespace swarm {

namespace {

QString functionName(const ModuleFinding& f)
{
    if (f.arrow)
        return f.function.isEmpty() ? QStringLiteral("an arrow function")
                                    : QStringLiteral("the arrow function '%1'").arg(f.function);
    return f.function.isEmpty() ? QStringLiteral("a function")
                                : QStringLiteral("'%1'").arg(f.function);
}

QString yieldMessage(const ModuleFinding& f)
{
    if (f.arrow)
        return QStringLiteral("'yield' in %1 (line %2): an arrow function cannot be a generator; "
                              "write a `function*` and call it with `yield*`")
            .arg(functionName(f))
            .arg(f.relatedLine);
    const QString name = f.function.isEmpty() ? QStringLiteral("name") : f.function;
    return QStringLiteral("'yield' in %1 (line %2), which is not a generator: write "
                          "`function* %3(...)` to wait for replies with yield")
        .arg(functionName(f))
        .arg(f.relatedLine)
        .arg(name);
}

QString memberMessage(const ModuleFinding& f)
{
    const QString object = f.object == QLatin1String("swarm") || f.object == QLatin1String("client")
            || f.object == QLatin1String("swarm.agent")
        ? f.object
        : QStringLiteral("'%1' (the client)").arg(f.object);
    QString message
        = QStringLiteral("%1 has no %2 '%3'")
              .arg(object, f.call ? QStringLiteral("method") : QStringLiteral("member"), f.name);
    const QString match = closestMatch(f.name, f.candidates);
    if (!match.isEmpty()) message += QStringLiteral("; did you mean '%1'?").arg(match);
    return message + QStringLiteral(" (it has: %1)").arg(f.candidates.join(QStringLiteral(", ")));
}

QString unyieldedMessage(const ModuleFinding& f)
{
    const QString call = QStringLiteral("client.%1(...)").arg(f.method);
    QString message = f.object.isEmpty()
        ? QStringLiteral("'.%1' is read from what %2 returns (line %3), not from its reply")
              .arg(f.name, call)
              .arg(f.relatedLine)
        : QStringLiteral("'%1.%2' reads what %3 returns (line %4), not its reply")
              .arg(f.object, f.name, call)
              .arg(f.relatedLine);
    const QString fix = f.object.isEmpty()
        ? QStringLiteral("`(yield %1).%2`").arg(call, f.name)
        : QStringLiteral("`const %1 = yield %2`").arg(f.object, call);
    if (f.generator) return message + QStringLiteral(": write %1").arg(fix);
    const QString name = f.function.isEmpty() ? QStringLiteral("name") : f.function;
    return message
        + QStringLiteral(": a plain function cannot wait for replies; declare `function* %1(...)` "
                         "and write %2")
              .arg(name, fix);
}

} // namespace

Diagnostics ModuleChecks::diagnostics(const ProtocolModuleInfo& module)
{
    Diagnostics out;
    for (const ModuleFinding& f : module.findings) {
        Diagnostic d;
        d.file = module.file;
        d.line = f.line;
        d.column = f.column;
        d.key = f.function;
        switch (f.kind) {
        case ModuleFinding::Kind::YieldOutsideGenerator:
            d.message = yieldMessage(f);
            break;
        case ModuleFinding::Kind::UnknownMember:
            d.message = memberMessage(f);
            break;
        case ModuleFinding::Kind::UnyieldedRead:
            d.message = unyieldedMessage(f);
            break;
        case ModuleFinding::Kind::Unreachable:
            d.severity = Diagnostic::Severity::Warning;
            d.message = QStringLiteral("unreachable: this runs after client.close_connection() "
                                       "(line %1), when the connection is closed; nothing it "
                                       "sends is sent")
                            .arg(f.relatedLine);
            break;
        }
        out << d;
    }
    return out;
}

} // namespace swarm
