#include "editor/RuleHighlighter.h"

#include "Colors.h"

namespace swarm {

RuleHighlighter::RuleHighlighter(QTextDocument* document)
    : QSyntaxHighlighter(document)
{ }

void RuleHighlighter::addRule(const QString& pattern, const QTextCharFormat& format, int group)
{
    m_rules << Rule {QRegularExpression(pattern), format, group};
}

void RuleHighlighter::applyRules(const QString& text)
{
    for (const Rule& rule : m_rules) {
        auto it = rule.pattern.globalMatch(text);
        while (it.hasNext()) {
            const QRegularExpressionMatch m = it.next();
            setFormat(
                int(m.capturedStart(rule.group)), int(m.capturedLength(rule.group)), rule.format);
        }
    }
}

QTextCharFormat RuleHighlighter::makeFormat(const QColor& color, bool bold)
{
    QTextCharFormat f;
    f.setForeground(colors::readable(color));
    if (bold) f.setFontWeight(QFont::Bold);
    return f;
}

QTextCharFormat RuleHighlighter::commentFormat()
{
    QTextCharFormat f = makeFormat(QColor(0x6a, 0x99, 0x55));
    f.setFontItalic(true);
    return f;
}

} // namespace swarm
