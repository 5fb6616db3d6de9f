#include "scenario/YamlSyntaxError.h"

#include <QStringList>

#include <vector>

namespace swarm {

namespace {

int indentOf(const QString& line)
{
    int n = 0;
    while (n < line.size() && line[n] == QLatin1Char(' '))
        ++n;
    return n;
}

bool isContent(const QString& line)
{
    const QString t = line.trimmed();
    return !t.isEmpty() && !t.startsWith(QLatin1Char('#')) && t != QLatin1String("---");
}

struct Misindented
{
    int line = -1; // 0-based
    int indent = 0;
    QList<int> open; // the indentations it could have had
};

// The first line up to `last` that dedents to a column no open block starts at. A "- " item
// opens two levels: the dash's and its content's ("  - command: x" then "    args:").
Misindented findMisindented(const QStringList& lines, int last)
{
    std::vector<int> open {0};
    for (int i = 0; i <= last && i < lines.size(); ++i) {
        const QString& text = lines[i];
        if (!isContent(text)) continue;
        const int indent = indentOf(text);
        bool dedented = false;
        while (open.size() > 1 && open.back() > indent) {
            open.pop_back();
            dedented = true;
        }
        if (open.back() < indent) {
            if (dedented) {
                Misindented m;
                m.line = i;
                m.indent = indent;
                m.open = {open.back()};
                return m;
            }
            open.push_back(indent);
        }
        if (text.mid(indent).startsWith(QLatin1String("- ")))
            open.push_back(indent + 2 + indentOf(text.mid(indent + 2)));
    }
    return {};
}

QString spaces(int n)
{
    return n == 1 ? QStringLiteral("1 space") : QStringLiteral("%1 spaces").arg(n);
}

} // namespace

Diagnostic yamlSyntaxError(const QByteArray& yaml, const QString& fileName, int line, int column,
    const QString& parserMessage)
{
    Diagnostic d = Diagnostic::aboutFile(fileName, QString());
    d.line = line >= 0 ? line + 1 : 0;
    d.column = column >= 0 ? column + 1 : 0;
    const bool structural = parserMessage.startsWith(QLatin1String("end of map"))
        || parserMessage.startsWith(QLatin1String("end of sequence"))
        || parserMessage == QLatin1String("illegal map value")
        || parserMessage.startsWith(QLatin1String("block sequence entries"));
    if (structural && line >= 0) {
        const QStringList lines = QString::fromUtf8(yaml).split(QLatin1Char('\n'));
        const Misindented m = findMisindented(lines, line);
        if (m.line >= 0) {
            d.line = m.line + 1;
            d.column = m.indent + 1;
            d.message = QStringLiteral("YAML syntax error: this line is indented by %1, which "
                                       "matches none of the lines above it: indent it like the "
                                       "key it belongs with (the block around it starts at %2)")
                            .arg(spaces(m.indent), spaces(m.open.value(0)));
            return d;
        }
        d.message = QStringLiteral("YAML syntax error: %1 (a line here or just above is not "
                                   "indented like the lines around it, or a key lacks its ':')")
                        .arg(parserMessage);
        return d;
    }
    d.message = QStringLiteral("YAML syntax error: %1").arg(parserMessage);
    return d;
}

} // namespace swarm
