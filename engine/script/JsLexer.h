#pragma once

#include "scenario/Diagnostic.h"

#include <QString>
#include <QStringView>

#include <algorithm>
#include <vector>

namespace swarm::jslex {

// The lexer of ProtocolSourceReader, which reads a protocol module's commands and parameter names:
// enough of JavaScript's lexical grammar to know what is code and what is a comment, string,
// template or regular expression. The reader then scans the tokens at bracket depth 0. Brackets are tracked with an explicit stack and nothing recurses, so deeply
// nested or truncated input costs linear time and constant stack.

enum class Tok : unsigned char { Ident, Number, String, Template, Regex, Punct };

struct Token
{
    Tok type;
    int start;
    int end; // exclusive
    int depth; // open brackets around the token; an opener and its closer share a depth
    int match = -1; // index of the partner bracket, -1 when none
};

// At most this many problems are reported: past a few, the rest are echoes of the first.
constexpr int kMaxDiagnostics = 20;

// Keywords after which a '/' starts a regular expression rather than a division.
bool isRegexKeyword(QStringView w);
// Keywords that can only begin a statement: they end a `const a = ..., b = ...` list written
// without ';'. (`function` and `class` are not among them: both can be values.)
bool isStatementKeyword(QStringView w);

class Lexer
{
public:
    Lexer(const QString& source, const QString& file, Diagnostics* diagnostics)
        : m_src(source)
        , m_s(reinterpret_cast<const char16_t*>(source.utf16()))
        , m_n(int(source.size()))
        , m_file(file)
        , m_diagnostics(diagnostics)
    {
        m_lineStarts.push_back(0);
        for (int i = 0; i < m_n; ++i) {
            const char16_t c = m_s[i];
            if (c == '\n' || c == 0x2028 || c == 0x2029
                || (c == '\r' && (i + 1 >= m_n || m_s[i + 1] != '\n')))
                m_lineStarts.push_back(i + 1);
        }
    }

    void run();

    const std::vector<Token>& tokens() const { return m_tokens; }
    QStringView text(const Token& t) const
    {
        return QStringView(m_src).mid(t.start, t.end - t.start);
    }
    int lineOf(int pos) const
    {
        return int(
            std::upper_bound(m_lineStarts.begin(), m_lineStarts.end(), pos) - m_lineStarts.begin());
    }
    int columnOf(int pos) const { return pos - m_lineStarts[size_t(lineOf(pos) - 1)] + 1; }

private:
    struct Open
    {
        char16_t kind; // '(', '[', '{', or 'T' for the '${' of a template literal
        int pos;
        int token; // -1 for 'T'
        int templateToken; // for 'T': the template literal's token
    };

    static int slot(char16_t kind)
    {
        switch (kind) {
        case '(':
            return 0;
        case '[':
            return 1;
        case '{':
            return 2;
        default:
            return 3;
        }
    }

    void report(int pos, const QString& message)
    {
        if (!m_diagnostics || m_reported >= kMaxDiagnostics) return;
        ++m_reported;
        Diagnostic d;
        d.file = m_file;
        d.line = lineOf(pos);
        d.column = columnOf(pos);
        d.message = message;
        m_diagnostics->append(d);
    }

    QString where(int pos) const
    {
        return QStringLiteral("%1:%2").arg(lineOf(pos)).arg(columnOf(pos));
    }

    int addToken(Tok type, int start, int end)
    {
        m_tokens.push_back(Token {type, start, end, int(m_stack.size())});
        return int(m_tokens.size()) - 1;
    }

    char32_t codePointAt(int i, int* length) const
    {
        const char16_t c = m_s[i];
        if (QChar::isHighSurrogate(c) && i + 1 < m_n && QChar::isLowSurrogate(m_s[i + 1])) {
            *length = 2;
            return QChar::surrogateToUcs4(c, m_s[i + 1]);
        }
        *length = 1;
        return c;
    }

    bool isLineBreak(char16_t c) const
    {
        return c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029;
    }

    int lineEnd(int i) const
    {
        while (i < m_n && !isLineBreak(m_s[i]))
            ++i;
        return i;
    }

    void push(char16_t kind, int pos, int templateToken = -1)
    {
        const int token = kind == 'T' ? -1 : addToken(Tok::Punct, pos, pos + 1);
        m_stack.push_back(Open {kind, pos, token, templateToken});
        ++m_counts[slot(kind)];
    }

    Open pop()
    {
        const Open o = m_stack.back();
        m_stack.pop_back();
        --m_counts[slot(o.kind)];
        return o;
    }

    // Returns the index of the template literal's token when the closer ends a '${ }'.
    int close(int pos);
    void scanTemplate(int templateToken);
    bool scanRegex();
    void scanString();

    const QString& m_src;
    const char16_t* m_s;
    int m_n;
    QString m_file;
    Diagnostics* m_diagnostics;
    int m_reported = 0;
    std::vector<int> m_lineStarts;
    std::vector<Token> m_tokens;
    std::vector<Open> m_stack;
    int m_counts[4] = {0, 0, 0, 0};
    int m_i = 0;
    bool m_regexAllowed = true;
    int m_noRegexUntil = -1;
};

} // namespace swarm::jslex
