#include "script/JsLexer.h"

namespace swarm::jslex {

namespace {

bool isJsSpace(char16_t c)
{
    return c == 0xfeff || QChar::isSpace(c);
}

bool isIdStart(char32_t c)
{
    if (c < 128)
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '$' || c == '_'
            || c == '\\';
    return QChar::isLetter(c) || QChar::category(c) == QChar::Number_Letter;
}

bool isIdPart(char32_t c)
{
    if (c < 128) return isIdStart(c) || (c >= '0' && c <= '9');
    if (isIdStart(c) || c == 0x200c || c == 0x200d || QChar::isMark(c)) return true;
    const QChar::Category cat = QChar::category(c);
    return cat == QChar::Number_DecimalDigit || cat == QChar::Punctuation_Connector;
}

// Punctuators of more than one character, longest first so the first match is the right one.
const char* const kLongPunctuators[] = {
    ">>>=",
    "...",
    "===",
    "!==",
    "**=",
    "<<=",
    ">>=",
    ">>>",
    "&&=",
    "||=",
    "?\?=",
    "=>",
    "==",
    "!=",
    "<=",
    ">=",
    "&&",
    "||",
    "??",
    "?.",
    "++",
    "--",
    "+=",
    "-=",
    "*=",
    "/=",
    "%=",
    "&=",
    "|=",
    "^=",
    "**",
    "<<",
    ">>",
};

} // namespace

// Keywords after which a '/' starts a regular expression rather than a division.
bool isRegexKeyword(QStringView w)
{
    static const char16_t* const words[]
        = {u"return", u"typeof", u"case", u"in", u"of", u"new", u"delete", u"void", u"throw",
            u"instanceof", u"yield", u"await", u"do", u"else", u"extends", u"export", u"default"};
    for (const char16_t* k : words)
        if (w == QStringView(k)) return true;
    return false;
}

// Keywords that can only begin a statement: they end a `const a = ..., b = ...` list written
// without ';'. (`function` and `class` are not among them: both can be values.)
bool isStatementKeyword(QStringView w)
{
    static const char16_t* const words[] = {u"const", u"let", u"var", u"if", u"for", u"while",
        u"do", u"return", u"switch", u"try", u"throw", u"import", u"export", u"break", u"continue"};
    for (const char16_t* k : words)
        if (w == QStringView(k)) return true;
    return false;
}

void Lexer::scanString()
{
    const int start = m_i;
    const char16_t quote = m_s[m_i++];
    while (m_i < m_n) {
        const char16_t c = m_s[m_i];
        if (c == quote) {
            ++m_i;
            addToken(Tok::String, start, m_i);
            m_regexAllowed = false;
            return;
        }
        if (c == '\\') {
            m_i += 2;
            // "\<CR><LF>" continues the string on the next line.
            if (m_i - 1 < m_n && m_s[m_i - 1] == '\r' && m_i < m_n && m_s[m_i] == '\n') ++m_i;
            continue;
        }
        if (c == '\n' || c == '\r') break;
        ++m_i;
    }
    m_i = std::min(m_i, m_n);
    report(start,
        QStringLiteral("unterminated string: the line ends before its closing %1")
            .arg(QChar(quote)));
    addToken(Tok::String, start, m_i);
    m_regexAllowed = false;
}

void Lexer::scanTemplate(int templateToken)
{
    while (m_i < m_n) {
        const char16_t c = m_s[m_i];
        if (c == '\\') {
            m_i += 2;
            continue;
        }
        if (c == '`') {
            ++m_i;
            m_tokens[size_t(templateToken)].end = m_i;
            m_regexAllowed = false;
            return;
        }
        if (c == '$' && m_i + 1 < m_n && m_s[m_i + 1] == '{') {
            push('T', m_i, templateToken);
            m_i += 2;
            m_regexAllowed = true;
            return;
        }
        ++m_i;
    }
    m_i = m_n;
    m_tokens[size_t(templateToken)].end = m_n;
    report(m_tokens[size_t(templateToken)].start,
        QStringLiteral("unterminated template literal: its closing ` is missing"));
    m_regexAllowed = false;
}

bool Lexer::scanRegex()
{
    const int start = m_i;
    int i = m_i + 1;
    bool inClass = false;
    while (i < m_n) {
        const char16_t c = m_s[i];
        if (isLineBreak(c)) break;
        if (c == '\\') {
            if (i + 1 < m_n && isLineBreak(m_s[i + 1])) break;
            i += 2;
            continue;
        }
        if (c == '[') {
            inClass = true;
        } else if (c == ']') {
            inClass = false;
        } else if (c == '/' && !inClass) {
            ++i;
            int len = 1;
            while (i < m_n && isIdPart(codePointAt(i, &len)))
                i += len;
            addToken(Tok::Regex, start, i);
            m_i = i;
            m_regexAllowed = false;
            return true;
        }
        ++i;
    }
    // Not a regular expression after all (or a broken one): read the '/' as a division. Later
    // slashes on this line are divisions too, so a long line cannot be rescanned again and again.
    m_noRegexUntil = lineEnd(start);
    return false;
}

int Lexer::close(int pos)
{
    const char16_t c = m_s[pos];
    const char16_t opener = c == ')' ? '(' : c == ']' ? '[' : '{';
    auto matches = [&](char16_t kind) { return kind == opener || (c == '}' && kind == 'T'); };
    const bool available = m_counts[slot(opener)] > 0 || (c == '}' && m_counts[slot('T')] > 0);
    if (!available) {
        report(pos, QStringLiteral("unexpected '%1': nothing to close").arg(QChar(c)));
        addToken(Tok::Punct, pos, pos + 1);
        m_regexAllowed = c == '}';
        return -1;
    }
    const int closer = int(m_tokens.size());
    if (!matches(m_stack.back().kind)) {
        const Open& inner = m_stack.back();
        report(pos,
            QStringLiteral("'%1' does not match '%2' opened at %3")
                .arg(QChar(c),
                    inner.kind == 'T' ? QStringLiteral("${") : QString(QChar(inner.kind)),
                    where(inner.pos)));
        while (!matches(m_stack.back().kind)) {
            const Open o = pop();
            if (o.token >= 0) m_tokens[size_t(o.token)].match = closer;
        }
    }
    const Open o = pop();
    if (o.kind == 'T') return o.templateToken;
    const int token = addToken(Tok::Punct, pos, pos + 1);
    m_tokens[size_t(token)].match = o.token;
    m_tokens[size_t(o.token)].match = token;
    m_regexAllowed = c == '}';
    return -1;
}

void Lexer::run()
{
    if (m_n >= 2 && m_s[0] == '#' && m_s[1] == '!') m_i = lineEnd(0);
    while (m_i < m_n) {
        const char16_t c = m_s[m_i];
        const char16_t next = m_i + 1 < m_n ? m_s[m_i + 1] : 0;
        if (isJsSpace(c)) {
            ++m_i;
            continue;
        }
        if (c == '/' && next == '/') {
            m_i = lineEnd(m_i);
            continue;
        }
        if (c == '/' && next == '*') {
            const int end = int(m_src.indexOf(QLatin1String("*/"), m_i + 2));
            if (end < 0) {
                report(m_i, QStringLiteral("unterminated comment: '/*' is never closed"));
                m_i = m_n;
            } else {
                m_i = end + 2;
            }
            continue;
        }
        if (c == '/' && m_regexAllowed && m_i > m_noRegexUntil && scanRegex()) continue;
        if (c == '\'' || c == '"') {
            scanString();
            continue;
        }
        if (c == '`') {
            const int token = addToken(Tok::Template, m_i, m_i + 1);
            ++m_i;
            scanTemplate(token);
            continue;
        }
        int len = 1;
        const char32_t cp = codePointAt(m_i, &len);
        if (isIdStart(cp)) {
            const int start = m_i;
            m_i += len;
            while (m_i < m_n) {
                if (m_s[m_i - 1] == '\\' && m_s[m_i] == 'u' && m_i + 1 < m_n
                    && m_s[m_i + 1] == '{') {
                    // \u{1F600}: the braces belong to the identifier.
                    int j = m_i + 2;
                    while (j < m_n && j < m_i + 12 && m_s[j] != '}')
                        ++j;
                    m_i = j < m_n && m_s[j] == '}' ? j + 1 : m_i + 1;
                    continue;
                }
                const char32_t part = codePointAt(m_i, &len);
                if (!isIdPart(part)) break;
                m_i += len;
            }
            const int token = addToken(Tok::Ident, start, m_i);
            m_regexAllowed = isRegexKeyword(text(m_tokens[size_t(token)]));
            continue;
        }
        if ((c >= '0' && c <= '9') || (c == '.' && next >= '0' && next <= '9')) {
            const int start = m_i;
            const bool hex = c == '0' && (next == 'x' || next == 'X');
            ++m_i;
            while (m_i < m_n) {
                const char16_t d = m_s[m_i];
                const bool part = (d >= '0' && d <= '9') || (d >= 'a' && d <= 'z')
                    || (d >= 'A' && d <= 'Z') || d == '_' || d == '.';
                const bool sign = (d == '+' || d == '-') && !hex
                    && (m_s[m_i - 1] == 'e' || m_s[m_i - 1] == 'E');
                if (!part && !sign) break;
                ++m_i;
            }
            addToken(Tok::Number, start, m_i);
            m_regexAllowed = false;
            continue;
        }
        if (c == '(' || c == '[' || c == '{') {
            push(c, m_i);
            ++m_i;
            m_regexAllowed = true;
            continue;
        }
        if (c == ')' || c == ']' || c == '}') {
            const int templateToken = close(m_i);
            ++m_i;
            if (templateToken >= 0) scanTemplate(templateToken);
            continue;
        }
        int punctLength = len;
        const QStringView rest = QStringView(m_src).mid(m_i, 4);
        for (const char* p : kLongPunctuators) {
            if (rest.startsWith(QLatin1String(p))) {
                punctLength = int(qstrlen(p));
                break;
            }
        }
        // "a?.5:b" is a conditional, not optional chaining.
        if (punctLength == 2 && c == '?' && next == '.' && m_i + 2 < m_n && m_s[m_i + 2] >= '0'
            && m_s[m_i + 2] <= '9')
            punctLength = 1;
        const int token = addToken(Tok::Punct, m_i, m_i + punctLength);
        m_i += punctLength;
        const QStringView op = text(m_tokens[size_t(token)]);
        m_regexAllowed = op != QLatin1String("++") && op != QLatin1String("--");
    }
    for (const Open& o : m_stack) {
        if (o.kind == 'T')
            report(o.pos,
                QStringLiteral("unterminated template literal: its '${' is never "
                               "closed"));
        else
            report(o.pos, QStringLiteral("'%1' is never closed").arg(QChar(o.kind)));
    }
}

} // namespace swarm::jslex
