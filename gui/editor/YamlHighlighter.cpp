#include "editor/YamlHighlighter.h"

namespace swarm {

YamlHighlighter::YamlHighlighter(QTextDocument* document)
    : RuleHighlighter(document)
{
    addRule(QStringLiteral(R"(^\s*(?:-\s+)?([\w.-]+)\s*:(?=\s|$))"),
        makeFormat(QColor(0x00, 0x5c, 0xc5), true), 1);
    addRule(QStringLiteral(R"(^\s*(-)\s)"), makeFormat(QColor(0x6a, 0x73, 0x7d), true), 1);
    addRule(QStringLiteral(R"((?<=[\s\[,:])(-?\d+(?:\.\d+)?)(?=[\s\],]|$))"),
        makeFormat(QColor(0x09, 0x86, 0x58)), 1);
    addRule(QStringLiteral(R"(\b(true|false|null|~)\b)"), makeFormat(QColor(0x8e, 0x24, 0xaa)), 1);
    addRule(QStringLiteral(R"("(?:[^"\\]|\\.)*"|'(?:[^']|'')*')"),
        makeFormat(QColor(0xa3, 0x15, 0x15)), 0);
    m_comment = commentFormat();
}

void YamlHighlighter::highlightBlock(const QString& text)
{
    applyRules(text);
    // A comment starts at a '#' at the line's start or after a blank, outside quotes.
    bool single = false;
    bool dbl = false;
    for (int i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (c == QLatin1Char('"') && !single)
            dbl = !dbl;
        else if (c == QLatin1Char('\'') && !dbl)
            single = !single;
        else if (c == QLatin1Char('#') && !single && !dbl && (i == 0 || text[i - 1].isSpace())) {
            setFormat(i, int(text.size()) - i, m_comment);
            break;
        }
    }
}

} // namespace swarm
