#include "scenario/YamlSyntaxError.h"

#include "scenario/YamlTextScan.h"

#include <QStringList>

#include <vector>

namespace swarm {

namespace {

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
        const int indent = yamlIndentOf(text);
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
            open.push_back(indent + 2 + yamlIndentOf(text.mid(indent + 2)));
    }
    return {};
}

QString spaces(int n)
{
    return n == 1 ? QStringLiteral("1 space") : QStringLiteral("%1 spaces").arg(n);
}

QString quoteWords(QChar quote)
{
    return quote == QLatin1Char('"') ? QStringLiteral("double quote (\")")
                                     : QStringLiteral("single quote (')");
}

QString gluedMessage(const QString& glued)
{
    const int colon = int(glued.indexOf(QLatin1Char(':')));
    return QStringLiteral("'%1' needs a space after the ':' (write '%2: %3'), else YAML reads it "
                          "as one text, not a key and its value")
        .arg(glued, glued.left(colon), glued.mid(colon + 1));
}

Diagnostic at(const QString& fileName, int line, int column, const QString& message)
{
    Diagnostic d = Diagnostic::aboutFile(fileName, message);
    d.line = line + 1;
    d.column = column + 1;
    return d;
}

Diagnostic unclosedQuote(const YamlTextScan::Mark& m, const QString& fileName)
{
    return at(fileName, m.line, m.column,
        QStringLiteral("YAML syntax error: the %1 opened here is never closed on this line: "
                       "what follows it, the lines below included, became part of one text")
            .arg(quoteWords(m.what)));
}

// The mistakes the scan finds on the user's line, before the parser's own words: a tab, an
// unclosed quote or bracket, a key glued to its value. False when none explains the error.
bool knownMistake(const YamlTextScan& scan, const QString& fileName, int line,
    const QString& parserMessage, Diagnostic* d)
{
    if (const int tab = scan.tabIndentedLine(line); tab >= 0) {
        *d = at(fileName, tab, 0,
            QStringLiteral("YAML syntax error: this line is indented with a tab: YAML indents "
                           "with spaces only; replace the tab with spaces"));
        return true;
    }
    if (const YamlTextScan::Mark q = scan.unclosedQuote(); q.valid() && q.line <= line) {
        *d = unclosedQuote(q, fileName);
        return true;
    }
    const bool flow = parserMessage.contains(QLatin1String("flow"))
        || parserMessage == QLatin1String("illegal block entry");
    if (const YamlTextScan::Mark b = scan.openBracketBefore(line); flow && b.valid()) {
        const bool list = b.what == QLatin1Char('[');
        *d = at(fileName, b.line, b.column,
            QStringLiteral("YAML syntax error: the '%1' opened here is never closed: end the %2 "
                           "with '%3'")
                .arg(b.what)
                .arg(list ? QStringLiteral("list") : QStringLiteral("mapping"))
                .arg(list ? QLatin1Char(']') : QLatin1Char('}')));
        return true;
    }
    QString glued;
    if (parserMessage == QLatin1String("illegal map value")) {
        if (const int l = scan.keyWithoutSpace(line, &glued); l >= 0) {
            const int colon = int(glued.indexOf(QLatin1Char(':')));
            *d = at(fileName, l, int(scan.lines()[l].indexOf(glued)) + colon,
                QStringLiteral("YAML syntax error: ") + gluedMessage(glued));
            return true;
        }
    }
    return false;
}

} // namespace

Diagnostic yamlAcceptedMistake(const QByteArray& yaml, const QString& fileName)
{
    const YamlTextScan scan(QString::fromUtf8(yaml));
    if (scan.unclosedQuote().valid()) return unclosedQuote(scan.unclosedQuote(), fileName);
    return {};
}

QString gluedKeyMessage(const QString& text, const QStringList& keys)
{
    const int colon = int(text.indexOf(QLatin1Char(':')));
    if (colon <= 0 || colon + 1 >= text.size() || text[colon + 1].isSpace()
        || !keys.contains(text.left(colon)))
        return QString();
    return gluedMessage(text);
}

Diagnostic yamlSyntaxError(const QByteArray& yaml, const QString& fileName, int line, int column,
    const QString& parserMessage)
{
    Diagnostic d = Diagnostic::aboutFile(fileName, QString());
    d.line = line >= 0 ? line + 1 : 0;
    d.column = column >= 0 ? column + 1 : 0;
    if (line >= 0
        && knownMistake(YamlTextScan(QString::fromUtf8(yaml)), fileName, line, parserMessage, &d))
        return d;
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
