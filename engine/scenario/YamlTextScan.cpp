#include "scenario/YamlTextScan.h"

#include <QRegularExpression>

namespace swarm {

namespace {

// Whether a quote or bracket at `column` starts a value: at the line's start, or after what
// ends a key or opens an item (": ", "- ", "[", "{", ","). Inside a plain value ("it's", "a[1]")
// it is only a character.
bool startsValue(const QString& line, int column)
{
    int i = column - 1;
    while (i >= 0 && (line[i] == QLatin1Char(' ') || line[i] == QLatin1Char('\t')))
        --i;
    if (i < 0) return true;
    static const QString openers = QStringLiteral(":-[{,?");
    return openers.contains(line[i]);
}

// A line that reads as YAML of its own: "rounds: 2", "args:", "- command: x".
bool looksLikeYaml(const QString& line)
{
    static const QRegularExpression structure(
        QStringLiteral("^\\s*(-\\s|[A-Za-z_][A-Za-z0-9_.-]*:(\\s|$))"));
    return structure.match(line).hasMatch();
}

// "text: |", "- >-", "body: |2  # comment": the lines below, indented more, are a block text.
bool opensBlockText(const QString& line)
{
    static const QRegularExpression block(QStringLiteral("(^|[:-])\\s*[|>][+-]?[0-9]?\\s*(#.*)?$"));
    return block.match(line).hasMatch();
}

} // namespace

YamlTextScan::YamlTextScan(const QString& yaml)
    : m_lines(yaml.split(QLatin1Char('\n')))
{
    scan();
}

void YamlTextScan::scan()
{
    QList<int> stack; // indexes into m_brackets of the brackets still open
    QChar quote; // the open quote, or null
    Mark quoteMark;
    bool swallowed = false; // the open quote ran over a line that reads as YAML
    int blockIndent = -1; // inside a block text ("key: |"): its key's indentation
    for (int l = 0; l < m_lines.size(); ++l) {
        const QString& line = m_lines[l];
        if (quote.isNull() && stack.isEmpty() && blockIndent >= 0) {
            // A block text's lines are text, whatever quotes or brackets they hold.
            if (line.trimmed().isEmpty() || yamlIndentOf(line) > blockIndent) continue;
            blockIndent = -1;
        }
        if (quote.isNull() && stack.isEmpty() && opensBlockText(line))
            blockIndent = yamlIndentOf(line);
        if (!quote.isNull() && l > quoteMark.line && looksLikeYaml(line)) swallowed = true;
        for (int c = 0; c < line.size(); ++c) {
            const QChar ch = line[c];
            if (!quote.isNull()) {
                if (quote == QLatin1Char('"') && ch == QLatin1Char('\\')) {
                    ++c;
                } else if (ch == quote) {
                    if (quote == QLatin1Char('\'') && c + 1 < line.size()
                        && line[c + 1] == QLatin1Char('\'')) {
                        ++c; // '' is a quote inside '...'
                        continue;
                    }
                    if (swallowed && !m_unclosedQuote.valid()) m_unclosedQuote = quoteMark;
                    quote = QChar();
                }
                continue;
            }
            if (ch == QLatin1Char('#') && (c == 0 || line[c - 1].isSpace())) break;
            if ((ch == QLatin1Char('"') || ch == QLatin1Char('\'')) && startsValue(line, c)) {
                quote = ch;
                quoteMark = {l, c, ch};
                swallowed = false;
            } else if ((ch == QLatin1Char('[') || ch == QLatin1Char('{')) && startsValue(line, c)) {
                stack << int(m_brackets.size());
                m_brackets << Open {{l, c, ch}, -1};
            } else if ((ch == QLatin1Char(']') || ch == QLatin1Char('}')) && !stack.isEmpty()) {
                // "[1, 2}" leaves the '[' open: a closer of the other kind closes nothing.
                Open& top = m_brackets[stack.last()];
                if ((top.mark.what == QLatin1Char('[')) == (ch == QLatin1Char(']'))) {
                    top.closedLine = l;
                    stack.removeLast();
                }
            }
        }
    }
    if (!quote.isNull() && !m_unclosedQuote.valid()) m_unclosedQuote = quoteMark;
}

YamlTextScan::Mark YamlTextScan::openBracketBefore(int line) const
{
    for (auto it = m_brackets.crbegin(); it != m_brackets.crend(); ++it)
        if (it->mark.line <= line && (it->closedLine < 0 || it->closedLine > line)) return it->mark;
    return {};
}

int YamlTextScan::tabIndentedLine(int last) const
{
    for (int l = 0; l <= last && l < m_lines.size(); ++l) {
        const QString& line = m_lines[l];
        int c = 0;
        while (c < line.size() && (line[c] == QLatin1Char(' ') || line[c] == QLatin1Char('\t')))
            ++c;
        if (c < line.size() && line.left(c).contains(QLatin1Char('\t'))) return l;
    }
    return -1;
}

int YamlTextScan::keyWithoutSpace(int last, QString* key) const
{
    // "rounds:2" but not "http://x" or "::1": a value right after the ':' that is no ':' or '/'.
    static const QRegularExpression glued(
        QStringLiteral("^\\s*(?:-\\s+)?([A-Za-z_][A-Za-z0-9_.-]*:[^\\s:/][^\\s]*)"));
    for (int l = qMin(last, int(m_lines.size()) - 1); l >= 0; --l) {
        const QRegularExpressionMatch m = glued.match(m_lines[l]);
        if (m.hasMatch()) {
            *key = m.captured(1);
            return l;
        }
    }
    return -1;
}

int yamlIndentOf(const QString& line)
{
    int n = 0;
    while (n < line.size() && line[n] == QLatin1Char(' '))
        ++n;
    return n;
}

} // namespace swarm
