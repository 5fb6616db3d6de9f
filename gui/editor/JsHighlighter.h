#pragma once

#include "editor/RuleHighlighter.h"

namespace swarm {

// Colours a protocol module's JavaScript: keywords, the names of functions (commands in bold,
// _helpers plain), strings and template literals, numbers and comments, /* */ across lines.
class JsHighlighter : public RuleHighlighter
{
public:
    explicit JsHighlighter(QTextDocument* document);

protected:
    void highlightBlock(const QString& text) override;

private:
    QTextCharFormat m_string;
    QTextCharFormat m_comment;
};

} // namespace swarm
