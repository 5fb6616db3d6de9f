#pragma once

#include "scenario/Diagnostic.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace swarm {

// A command of a protocol module: a top-level function whose name does not start with '_'.
struct CommandInfo
{
    QString name;
    QString clientParam; // name of the first parameter (the client); empty if none
    QStringList params; // the other parameters, by name, in order; "" for a destructuring pattern
    QStringList paramsWithDefault; // those of `params` that have a default value
    bool generator = false; // function* — may read replies with `yield`
    bool hasRest = false; // last parameter is ...rest (cannot be given by name)
    QStringList unusedParams; // those of `params` its body never reads
    int line = 0; // 1-based line of the `function` keyword
    int column = 0;
};

// A top-level name of the module that is not a function: `const LINE = swarm.crlf();`.
struct ModuleValue
{
    QString name;
    QString kind; // "a number", "an object", "the result of a call", ...
    int line = 0;
    int column = 0;
};

// Something the reader saw in a function's body that will go wrong when it runs (ModuleChecks
// words it): `yield` in a function without `*`, a `client.`/`swarm.` member that does not exist,
// a property read on a send_for_reply()/recv() result that was not yielded, code after
// client.close_connection().
struct ModuleFinding
{
    enum class Kind { YieldOutsideGenerator, UnknownMember, UnyieldedRead, Unreachable };
    Kind kind = Kind::UnknownMember;
    int line = 0;
    int column = 0;
    QString function; // the function it is in ("" when anonymous)
    bool generator = false; // that function is a generator
    bool arrow = false; // that function is an arrow function
    QString object; // UnknownMember: "client" (its parameter name) or "swarm"; UnyieldedRead: the
                    // variable
    QString name; // the member read
    bool call = false; // UnknownMember: it is called
    QStringList candidates; // UnknownMember: the members that exist
    QString method; // UnyieldedRead: send_for_reply or recv
    int relatedLine = 0; // the function (yield), the call (read), close_connection (unreachable)
};

// What the module's text declares, read without running it (Qt 6.4's QJSEngine cannot show a
// function's source, so parameter names come from the text).
struct ProtocolModuleInfo
{
    QString name; // module name (file name without .js)
    QString file; // path, as used in messages
    QString source;
    QList<CommandInfo> commands; // in source order
    QStringList helpers; // top-level functions starting with '_'
    QList<ModuleValue> values; // other top-level names (not functions)
    QList<ModuleFinding> findings; // in source order

    const CommandInfo* command(const QString& name) const
    {
        for (const CommandInfo& c : commands)
            if (c.name == name) return &c;
        return nullptr;
    }
    QStringList commandNames() const
    {
        QStringList names;
        for (const CommandInfo& c : commands)
            names << c.name;
        return names;
    }
};

} // namespace swarm
