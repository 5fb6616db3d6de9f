#pragma once

#include <QRegularExpression>
#include <QSyntaxHighlighter>
#include <QTextCharFormat>

namespace swarm {

// Colours a scenario's YAML: keys, strings, numbers, true/false/null and comments.
class YamlHighlighter : public QSyntaxHighlighter
{
public:
    explicit YamlHighlighter(QTextDocument* document);

protected:
    void highlightBlock(const QString& text) override;

private:
    struct Rule
    {
        QRegularExpression pattern;
        QTextCharFormat format;
        int group = 0;
    };
    QList<Rule> m_rules;
    QTextCharFormat m_comment;
};

} // namespace swarm
