#pragma once

#include <QRegularExpression>
#include <QSyntaxHighlighter>
#include <QTextCharFormat>

namespace swarm {

// Colours a protocol module's JavaScript: keywords, the names of functions (commands in bold,
// _helpers plain), strings and template literals, numbers and comments, /* */ across lines.
class JsHighlighter : public QSyntaxHighlighter
{
public:
    explicit JsHighlighter(QTextDocument* document);

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
    QTextCharFormat m_string;
    QTextCharFormat m_comment;
};

} // namespace swarm
