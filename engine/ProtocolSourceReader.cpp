#include "ProtocolModuleInfo.h"

#include <QFileInfo>
#include <QStringView>

#include <algorithm>
#include <vector>

namespace swarm {

namespace {

// The reader is a small lexer (enough of JavaScript's lexical grammar to know what is code and
// what is a comment, string, template or regular expression) followed by a scan of the tokens at
// bracket depth 0. Brackets are tracked with an explicit stack and nothing recurses, so deeply
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

struct Param
{
    QString name; // "" for a destructuring pattern
    bool hasDefault = false;
    bool rest = false;
};

class DeclarationReader
{
public:
    DeclarationReader(const Lexer& lexer, ProtocolModuleInfo* info)
        : m_lex(lexer)
        , m_t(lexer.tokens())
        , m_n(int(m_t.size()))
        , m_info(info)
    { }

    void run();

private:
    bool isIdent(int i) const { return i >= 0 && i < m_n && m_t[size_t(i)].type == Tok::Ident; }
    bool isIdent(int i, const char16_t* word) const
    {
        return isIdent(i) && m_lex.text(m_t[size_t(i)]) == QStringView(word);
    }
    bool isPunct(int i, const char16_t* p) const
    {
        return i >= 0 && i < m_n && m_t[size_t(i)].type == Tok::Punct
            && m_lex.text(m_t[size_t(i)]) == QStringView(p);
    }
    int endLine(int i) const { return m_lex.lineOf(m_t[size_t(i)].end - 1); }
    int startLine(int i) const { return m_lex.lineOf(m_t[size_t(i)].start); }

    // Whether a value could end at token i, so that a line break after it ends the statement.
    bool endsValue(int i) const
    {
        const Token& t = m_t[size_t(i)];
        switch (t.type) {
        case Tok::Ident:
            return !isRegexKeyword(m_lex.text(t));
        case Tok::Number:
        case Tok::String:
        case Tok::Template:
        case Tok::Regex:
            return true;
        case Tok::Punct:
            return isPunct(i, u")") || isPunct(i, u"]") || isPunct(i, u"}") || isPunct(i, u"++")
                || isPunct(i, u"--");
        }
        return false;
    }

    // Whether token `i` can begin a statement, given `prev`, the depth-0 token before it.
    bool startsStatement(int prev, int i) const
    {
        if (prev < 0 || isPunct(prev, u";") || isPunct(prev, u"}")) return true;
        return endLine(prev) < startLine(i) && endsValue(prev);
    }

    std::vector<Param> params(int open) const;
    void add(const QString& name, int at, int open, bool generator);
    void addSingleParam(const QString& name, int at, int param);
    void declarator(int nameIndex, int at);

    const Lexer& m_lex;
    const std::vector<Token>& m_t;
    int m_n;
    ProtocolModuleInfo* m_info;
};

std::vector<Param> DeclarationReader::params(int open) const
{
    std::vector<Param> result;
    const int depth = m_t[size_t(open)].depth + 1;
    const int close = m_t[size_t(open)].match >= 0 ? m_t[size_t(open)].match : m_n;
    Param current;
    int tokensInParam = 0;
    bool afterRest = false;
    for (int i = open + 1; i < close; ++i) {
        if (m_t[size_t(i)].depth != depth) continue;
        if (isPunct(i, u",")) {
            if (tokensInParam > 0) result.push_back(current);
            current = Param();
            tokensInParam = 0;
            afterRest = false;
            continue;
        }
        ++tokensInParam;
        if (tokensInParam == 1 && isPunct(i, u"...")) {
            current.rest = true;
            afterRest = true;
            continue;
        }
        if (tokensInParam == 1 || (afterRest && tokensInParam == 2)) {
            if (isIdent(i)) current.name = m_lex.text(m_t[size_t(i)]).toString();
            continue;
        }
        if (isPunct(i, u"=")) current.hasDefault = true;
    }
    if (tokensInParam > 0) result.push_back(current);
    return result;
}

void DeclarationReader::add(const QString& name, int at, int open, bool generator)
{
    CommandInfo c;
    c.name = name;
    c.generator = generator;
    c.line = m_lex.lineOf(m_t[size_t(at)].start);
    c.column = m_lex.columnOf(m_t[size_t(at)].start);
    if (open >= 0) {
        const std::vector<Param> list = params(open);
        for (size_t k = 0; k < list.size(); ++k) {
            const Param& p = list[k];
            if (p.rest) {
                // A rest parameter collects what is passed by position: it has no name to give.
                c.hasRest = true;
                continue;
            }
            if (k == 0) {
                c.clientParam = p.name;
                continue;
            }
            c.params << p.name;
            if (p.hasDefault && !p.name.isEmpty()) c.paramsWithDefault << p.name;
        }
    }
    if (name.startsWith(QLatin1Char('_'))) {
        if (!m_info->helpers.contains(name)) m_info->helpers << name;
        return;
    }
    // A later declaration of the same name replaces the earlier one, as in JavaScript.
    for (CommandInfo& existing : m_info->commands) {
        if (existing.name == name) {
            existing = c;
            return;
        }
    }
    m_info->commands << c;
}

void DeclarationReader::addSingleParam(const QString& name, int at, int param)
{
    add(name, at, -1, false);
    const QString client = m_lex.text(m_t[size_t(param)]).toString();
    if (name.startsWith(QLatin1Char('_'))) return;
    for (CommandInfo& c : m_info->commands)
        if (c.name == name) c.clientParam = client;
}

// `name = function* (...)`, `name = (...) =>`, `name = param =>`, optionally async.
void DeclarationReader::declarator(int nameIndex, int at)
{
    if (!isIdent(nameIndex) || !isPunct(nameIndex + 1, u"=")) return;
    const QString name = m_lex.text(m_t[size_t(nameIndex)]).toString();
    int k = nameIndex + 2;
    if (isIdent(k) && isPunct(k + 1, u"=>")) {
        addSingleParam(name, at, k);
        return;
    }
    if (isIdent(k, u"async")) ++k;
    if (isIdent(k, u"function")) {
        ++k;
        bool generator = false;
        if (isPunct(k, u"*")) {
            generator = true;
            ++k;
        }
        if (isIdent(k)) ++k;
        if (isPunct(k, u"(")) add(name, at, k, generator);
        return;
    }
    if (isPunct(k, u"(")) {
        const int close = m_t[size_t(k)].match;
        if (close > k && isPunct(close + 1, u"=>")) add(name, at, k, false);
        return;
    }
    if (isIdent(k) && isPunct(k + 1, u"=>")) addSingleParam(name, at, k);
}

void DeclarationReader::run()
{
    int prev = -1; // the previous depth-0 token
    int beforePrev = -1;
    bool inVarStatement = false;
    for (int i = 0; i < m_n; ++i) {
        const Token& t = m_t[size_t(i)];
        if (t.depth != 0) continue;
        if (inVarStatement) {
            if (isPunct(i, u";") || (t.type == Tok::Ident && isStatementKeyword(m_lex.text(t)))
                || (prev >= 0 && endLine(prev) < startLine(i) && endsValue(prev)
                    && t.type != Tok::Punct)) {
                inVarStatement = false;
            } else if (isPunct(i, u",") && m_t[size_t(std::min(i + 1, m_n - 1))].depth == 0) {
                declarator(i + 1, i + 1);
            }
        }
        if (isIdent(i, u"function")) {
            // `async function f` is a declaration when `async` starts the statement.
            const bool async = isIdent(prev, u"async") && endLine(prev) == startLine(i);
            if (async ? startsStatement(beforePrev, prev) : startsStatement(prev, i)) {
                int k = i + 1;
                bool generator = false;
                if (isPunct(k, u"*")) {
                    generator = true;
                    ++k;
                }
                if (isIdent(k) && isPunct(k + 1, u"("))
                    add(m_lex.text(m_t[size_t(k)]).toString(), i, k + 1, generator);
            }
        } else if ((isIdent(i, u"const") || isIdent(i, u"let") || isIdent(i, u"var"))
            && startsStatement(prev, i) && isIdent(i + 1)) {
            inVarStatement = true;
            declarator(i + 1, i);
        }
        beforePrev = prev;
        prev = i;
    }
}

// Edit distance where swapping two neighbouring letters counts as one edit (optimal string
// alignment): "agrs" is one typo away from "args", not two.
int editDistance(const QString& a, const QString& b)
{
    const size_t n = size_t(b.size()) + 1;
    std::vector<int> before(n), previous(n), row(n);
    for (size_t j = 0; j < n; ++j)
        previous[j] = int(j);
    for (qsizetype i = 1; i <= a.size(); ++i) {
        row[0] = int(i);
        for (qsizetype j = 1; j <= b.size(); ++j) {
            const size_t J = size_t(j);
            const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            int d = std::min({previous[J] + 1, row[J - 1] + 1, previous[J - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d = std::min(d, before[J - 2] + 1);
            row[J] = d;
        }
        std::swap(before, previous);
        std::swap(previous, row);
    }
    return previous.back();
}

} // namespace

ProtocolModuleInfo ProtocolSourceReader::read(
    const QString& source, const QString& file, Diagnostics* diagnostics)
{
    ProtocolModuleInfo info;
    info.file = file;
    info.source = source;
    info.name = QFileInfo(file).completeBaseName();
    Lexer lexer(source, file, diagnostics);
    lexer.run();
    DeclarationReader(lexer, &info).run();
    return info;
}

QString closestMatch(const QString& word, const QStringList& candidates)
{
    const QString w = word.toCaseFolded();
    const int limit = std::max<int>(1, int(word.size() / 3));
    QString best;
    int bestDistance = limit + 1;
    for (const QString& candidate : candidates) {
        if (candidate.isEmpty()) continue;
        // Too different in length to be within the limit: skip the quadratic comparison.
        if (std::abs(int(candidate.size()) - int(word.size())) > limit) continue;
        const int d = editDistance(w, candidate.toCaseFolded());
        if (d < bestDistance) {
            bestDistance = d;
            best = candidate;
        }
    }
    return best;
}

} // namespace swarm
