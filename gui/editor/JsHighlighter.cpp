#include "editor/JsHighlighter.h"

namespace swarm {

namespace {

enum BlockState { Normal = 0, InComment = 1, InTemplate = 2 };

} // namespace

JsHighlighter::JsHighlighter(QTextDocument* document)
    : RuleHighlighter(document)
{
    const QString keywords = QStringLiteral(
        "\\b(?:break|case|catch|class|const|continue|default|delete|do|else|export|extends|"
        "finally|for|function|if|import|in|instanceof|let|new|of|return|switch|this|throw|try|"
        "typeof|var|void|while|yield|async|await|true|false|null|undefined)\\b");
    addRule(keywords, makeFormat(QColor(0x00, 0x00, 0xc0), true));
    addRule(QStringLiteral(R"(\b\d+(?:\.\d+)?\b)"), makeFormat(QColor(0x09, 0x86, 0x58)), 0);
    // Commands stand out from helpers: they are what a scenario can name.
    addRule(QStringLiteral(R"(\bfunction\s*\*?\s*([A-Za-z$][\w$]*))"),
        makeFormat(QColor(0x79, 0x5e, 0x26), true), 1);
    addRule(
        QStringLiteral(R"(\bfunction\s*\*?\s*(_[\w$]*))"), makeFormat(QColor(0x79, 0x5e, 0x26)), 1);
    addRule(QStringLiteral(R"(\b(swarm|client)\b)"), makeFormat(QColor(0x26, 0x7f, 0x99)), 1);
    m_string = makeFormat(QColor(0xa3, 0x15, 0x15));
    m_comment = commentFormat();
}

void JsHighlighter::highlightBlock(const QString& text)
{
    applyRules(text);
    // Strings and comments last, over anything the rules found inside them.
    int state = previousBlockState() < 0 ? Normal : previousBlockState();
    int start = 0;
    int i = 0;
    const int n = int(text.size());
    while (i < n) {
        const QChar c = text[i];
        if (state == InComment) {
            if (c == QLatin1Char('*') && i + 1 < n && text[i + 1] == QLatin1Char('/')) {
                setFormat(start, i + 2 - start, m_comment);
                state = Normal;
                i += 2;
                continue;
            }
        } else if (state == InTemplate) {
            if (c == QLatin1Char('\\')) {
                i += 2;
                continue;
            }
            if (c == QLatin1Char('`')) {
                setFormat(start, i + 1 - start, m_string);
                state = Normal;
            }
        } else if (c == QLatin1Char('/') && i + 1 < n && text[i + 1] == QLatin1Char('/')) {
            setFormat(i, n - i, m_comment);
            i = n;
            break;
        } else if (c == QLatin1Char('/') && i + 1 < n && text[i + 1] == QLatin1Char('*')) {
            state = InComment;
            start = i;
            i += 2;
            continue;
        } else if (c == QLatin1Char('`')) {
            state = InTemplate;
            start = i;
        } else if (c == QLatin1Char('"') || c == QLatin1Char('\'')) {
            int j = i + 1;
            while (j < n && text[j] != c) {
                if (text[j] == QLatin1Char('\\')) ++j;
                ++j;
            }
            setFormat(i, qMin(j, n - 1) + 1 - i, m_string);
            i = j + 1;
            continue;
        }
        ++i;
    }
    if (state == InComment)
        setFormat(start, n - start, m_comment);
    else if (state == InTemplate)
        setFormat(start, n - start, m_string);
    setCurrentBlockState(state);
}

} // namespace swarm
