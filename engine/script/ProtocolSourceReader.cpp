#include "script/JsLexer.h"
#include "script/ProtocolModuleInfo.h"

#include <QFileInfo>
#include <QStringView>

#include <algorithm>
#include <vector>

namespace swarm {

namespace {

using namespace jslex;

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

} // namespace swarm
