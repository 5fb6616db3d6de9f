#pragma once

#include "editor/RuleHighlighter.h"

namespace swarm {

// Colours a scenario's YAML: keys, strings, numbers, true/false/null and comments.
class YamlHighlighter : public RuleHighlighter
{
public:
    explicit YamlHighlighter(QTextDocument* document);

protected:
    void highlightBlock(const QString& text) override;

private:
    QTextCharFormat m_comment;
};

} // namespace swarm
