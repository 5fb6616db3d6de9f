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
    int line = 0; // 1-based line of the `function` keyword
    int column = 0;
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

    const CommandInfo* command(const QString& name) const
    {
        for (const CommandInfo& c : commands)
            if (c.name == name)
                return &c;
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

// Reads the top-level function declarations of a JavaScript source text, skipping comments,
// strings, template literals and regular expression literals: `function name(a, b = 1)` and
// `function* name(...)`. Never throws and never crashes on any input; problems it can see (an
// unterminated comment or string, unbalanced brackets) become diagnostics with line numbers, but
// syntax checking proper is the JS engine's job.
class ProtocolSourceReader
{
public:
    static ProtocolModuleInfo read(const QString& source, const QString& file,
                                   Diagnostics* diagnostics = nullptr);
};

} // namespace swarm
