#pragma once

#include <QString>
#include <QStringList>

namespace swarm {

// The console's commands as the user reads them: `help` lists them, `help CMD` explains one,
// and the parser's "did you mean" picks from their names. One table, so the list, the details
// and the parser cannot drift apart.
struct ConsoleHelpEntry
{
    const char* name;
    const char* usage; // "decr N [random|newest|oldest]"
    const char* summary; // one line
    const char* details; // a few lines, for `help CMD`
};

class ConsoleHelp
{
public:
    // Every command, in the order `help` lists them.
    static const ConsoleHelpEntry* entries(int* count);
    static const ConsoleHelpEntry* find(const QString& name);
    static QStringList names();
    // `help`: every command with its one-line description.
    static QString usage();
    // `help CMD`: the command's usage and details, or an error naming the nearest command.
    static QString explain(const QString& name);
    // "did you mean 'status'? " or "" when no command is close to `word`.
    static QString suggestion(const QString& word);
};

} // namespace swarm
