#pragma once

#include <QColor>
#include <QList>
#include <QRegularExpression>
#include <QSyntaxHighlighter>
#include <QTextCharFormat>

namespace swarm {

// What the editors' highlighters share: a list of patterns, each colouring its match (or one
// captured group), applied in order to every line; the language's own scanning for strings and
// comments (across lines, outside quotes) comes after, in the subclass.
class RuleHighlighter : public QSyntaxHighlighter
{
public:
    explicit RuleHighlighter(QTextDocument* document);

protected:
    void addRule(const QString& pattern, const QTextCharFormat& format, int group = 0);
    void applyRules(const QString& text);
    static QTextCharFormat makeFormat(const QColor& color, bool bold = false);
    static QTextCharFormat commentFormat(); // the same for every language

private:
    struct Rule
    {
        QRegularExpression pattern;
        QTextCharFormat format;
        int group = 0;
    };
    QList<Rule> m_rules;
};

} // namespace swarm
