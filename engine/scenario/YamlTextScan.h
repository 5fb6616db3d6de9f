#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace swarm {

// How many spaces a line starts with.
int yamlIndentOf(const QString& line);

// The YAML text read the way a user looks at it, for the mistakes yaml-cpp reports late (a line
// or several after) or not at all: a quote, '[' or '{' that is never closed, a tab used for
// indentation, a key whose ':' lacks the space after it. Lines and columns are 0-based.
class YamlTextScan
{
public:
    explicit YamlTextScan(const QString& yaml);

    struct Mark
    {
        int line = -1;
        int column = 0;
        QChar what; // the quote or bracket
        bool valid() const { return line >= 0; }
    };

    // A quoted value left open on its line that runs to the end of the text, or swallows a line
    // that reads as YAML of its own ("rounds: 2", "- command: x"): in a scenario that is a
    // missing closing quote, even where YAML would accept the multi-line string.
    Mark unclosedQuote() const { return m_unclosedQuote; }
    // The innermost '[' or '{' still open at the start of `line` (or at the end of the text).
    Mark openBracketBefore(int line) const;
    // The first line up to `last` whose indentation holds a tab, or -1.
    int tabIndentedLine(int last) const;
    // The line nearest above `last` (or `last` itself) that starts with a key whose ':' is
    // followed by a character instead of a space ("rounds:2"), or -1. *key gets "rounds:2".
    int keyWithoutSpace(int last, QString* key) const;

    const QStringList& lines() const { return m_lines; }

private:
    void scan();
    QStringList m_lines;
    struct Open
    {
        Mark mark;
        int closedLine = -1; // -1: never closed
    };
    QList<Open> m_brackets; // every '[' / '{' in order, with where it closed
    Mark m_unclosedQuote;
};

} // namespace swarm
