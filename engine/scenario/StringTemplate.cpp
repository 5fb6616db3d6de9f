#include "scenario/StringTemplate.h"

#include "scenario/ClosestMatch.h"

namespace swarm {

namespace {

const QString kRow = QStringLiteral("row");

struct Token
{
    enum class Kind { Word, Int, Plus, Minus, Bad };
    Kind kind = Kind::Bad;
    QString text;
    int at = 0;
};

// Words are letters, digits, '_' and '.' (row.users.name); numbers are digits.
QList<Token> tokenize(const QString& expr, int at)
{
    QList<Token> tokens;
    int i = 0;
    while (i < expr.size()) {
        const QChar c = expr[i];
        if (c.isSpace()) {
            ++i;
            continue;
        }
        Token t;
        t.at = at + i;
        if (c == QLatin1Char('+') || c == QLatin1Char('-')) {
            t.kind = c == QLatin1Char('+') ? Token::Kind::Plus : Token::Kind::Minus;
            t.text = c;
            ++i;
        } else if (c.isDigit()) {
            const int from = i;
            while (i < expr.size() && expr[i].isDigit())
                ++i;
            t.kind = Token::Kind::Int;
            t.text = expr.mid(from, i - from);
        } else if (c.isLetter() || c == QLatin1Char('_')) {
            const int from = i;
            while (i < expr.size()
                && (expr[i].isLetterOrNumber() || expr[i] == QLatin1Char('_')
                    || expr[i] == QLatin1Char('.')))
                ++i;
            t.kind = Token::Kind::Word;
            t.text = expr.mid(from, i - from);
        } else {
            t.text = c;
            ++i;
        }
        tokens << t;
    }
    return tokens;
}

bool isInt(const QList<Token>& tokens, int i)
{
    return i < tokens.size() && tokens[i].kind == Token::Kind::Int;
}

// An integer at tokens[*i], with an optional minus before it.
bool readInt(const QList<Token>& tokens, int* i, qint64* value)
{
    const bool negative = *i < tokens.size() && tokens[*i].kind == Token::Kind::Minus;
    if (!isInt(tokens, *i + (negative ? 1 : 0))) return false;
    *i += negative ? 1 : 0;
    bool ok = false;
    *value = tokens[*i].text.toLongLong(&ok);
    if (negative) *value = -*value;
    ++*i;
    return ok && qAbs(*value) < (qint64(1) << 53); // exact as a JavaScript number
}

} // namespace

const QStringList& StringTemplate::names()
{
    static const QStringList list = {QStringLiteral("id"), QStringLiteral("iteration"),
        QStringLiteral("agent"), QStringLiteral("random"), kRow};
    return list;
}

bool StringTemplate::parse(const QString& text, StringTemplate* out, Error* error)
{
    out->m_source = text;
    out->m_parts.clear();
    QString literal;
    int i = 0;
    while (i < text.size()) {
        if (text.mid(i, 3) == QLatin1String("$${")) {
            literal += QLatin1String("${");
            i += 3;
            continue;
        }
        if (text.mid(i, 2) != QLatin1String("${")) {
            literal += text[i++];
            continue;
        }
        const int close = int(text.indexOf(QLatin1Char('}'), i + 2));
        if (close < 0) {
            *error
                = {i, QStringLiteral("'${' is never closed by '}' (a literal ${ is written $${)")};
            return false;
        }
        if (!literal.isEmpty()) {
            Part t;
            t.text = literal;
            out->m_parts << t;
            literal.clear();
        }
        Part part;
        part.at = i;
        if (!parseExpression(text.mid(i + 2, close - i - 2), i + 2, &part, error)) return false;
        out->m_parts << part;
        i = close + 1;
    }
    if (!literal.isEmpty()) {
        Part t;
        t.text = literal;
        out->m_parts << t;
    }
    return true;
}

bool StringTemplate::parseExpression(const QString& expr, int at, Part* part, Error* error)
{
    const QList<Token> tokens = tokenize(expr, at);
    const auto fail = [error](int where, const QString& message) {
        *error = {where, message};
        return false;
    };
    if (tokens.isEmpty() || tokens[0].kind != Token::Kind::Word)
        return fail(tokens.isEmpty() ? at : tokens[0].at,
            QStringLiteral("expected a name in ${...}: id, iteration, agent, random MIN "
                           "MAX or row.DATA.COLUMN"));
    const Token& name = tokens[0];
    int i = 1;
    const QStringList dotted = name.text.split(QLatin1Char('.'));
    if (name.text == QLatin1String("id")) {
        part->kind = Part::Kind::Id;
    } else if (name.text == QLatin1String("iteration")) {
        part->kind = Part::Kind::Iteration;
    } else if (name.text == QLatin1String("agent")) {
        part->kind = Part::Kind::Agent;
    } else if (name.text == QLatin1String("random")) {
        part->kind = Part::Kind::Random;
        if (!readInt(tokens, &i, &part->lo) || !readInt(tokens, &i, &part->hi))
            return fail(
                name.at, QStringLiteral("random needs two whole numbers: ${random MIN MAX}"));
        if (part->lo > part->hi)
            return fail(name.at, QStringLiteral("random MIN MAX: MIN is greater than MAX"));
    } else if (dotted.first() == kRow) {
        if (dotted.size() != 3 || dotted[1].isEmpty() || dotted[2].isEmpty())
            return fail(name.at,
                QStringLiteral("expected row.DATA.COLUMN (row.users.name), found "
                               "'%1'")
                    .arg(name.text));
        part->kind = Part::Kind::Column;
        part->text = dotted[1];
        part->column = dotted[2];
    } else {
        const QString match = closestMatch(dotted.first(), names());
        return fail(name.at,
            QStringLiteral("unknown name '%1'%2 (names: id, iteration, agent, "
                           "random MIN MAX, row.DATA.COLUMN)")
                .arg(name.text,
                    match.isEmpty() ? QString()
                                    : QStringLiteral("; did you mean '%1'?").arg(match)));
    }
    while (i < tokens.size()) {
        const Token& op = tokens[i];
        if (op.kind != Token::Kind::Plus && op.kind != Token::Kind::Minus)
            return fail(op.at,
                QStringLiteral("unexpected '%1': after a name only '+ N' or '- N' "
                               "may follow")
                    .arg(op.text));
        if (!isInt(tokens, i + 1))
            return fail(
                op.at, QStringLiteral("'%1' must be followed by a whole number").arg(op.text));
        const qint64 n = tokens[i + 1].text.toLongLong();
        part->add += op.kind == Token::Kind::Plus ? n : -n;
        part->hasAdd = true;
        i += 2;
    }
    return true;
}

bool StringTemplate::bind(
    const QStringList& dataNames, const QList<QStringList>& columns, Error* error)
{
    for (Part& part : m_parts) {
        if (part.kind != Part::Kind::Column) continue;
        part.data = int(dataNames.indexOf(part.text));
        if (part.data < 0) {
            const QString match = closestMatch(part.text, dataNames);
            *error = {part.at + 2 + 4,
                dataNames.isEmpty()
                    ? QStringLiteral("no data file '%1': the scenario has no 'data:' section")
                          .arg(part.text)
                    : QStringLiteral("no data file '%1'%2 (data: %3)")
                          .arg(part.text,
                              match.isEmpty() ? QString()
                                              : QStringLiteral("; did you mean '%1'?").arg(match),
                              dataNames.join(QStringLiteral(", ")))};
            return false;
        }
        const QStringList& known = columns.value(part.data);
        if (known.isEmpty()) continue; // the file did not load: its own error says why
        part.columnIndex = int(known.indexOf(part.column));
        if (part.columnIndex < 0) {
            const QString match = closestMatch(part.column, known);
            *error = {part.at + 2 + 5 + int(part.text.size()),
                QStringLiteral("data file '%1' has no column '%2'%3 (columns: %4)")
                    .arg(part.text, part.column,
                        match.isEmpty() ? QString()
                                        : QStringLiteral("; did you mean '%1'?").arg(match),
                        known.join(QStringLiteral(", ")))};
            return false;
        }
    }
    return true;
}

QVariant StringTemplate::value(const Part& part, const ClientIdentity& who, QString* error) const
{
    switch (part.kind) {
    case Part::Kind::Text:
        return part.text;
    case Part::Kind::Id:
        return who.id + part.add;
    case Part::Kind::Iteration:
        return who.iteration + part.add;
    case Part::Kind::Agent:
        return qint64(who.agent) + part.add;
    case Part::Kind::Random: {
        const quint64 span = quint64(part.hi - part.lo) + 1;
        return part.lo + qint64(who.rng ? who.rng->bounded(span) : 0) + part.add;
    }
    case Part::Kind::Column:
        break;
    }
    const qint64 row = who.rows && part.data >= 0 && size_t(part.data) < who.rows->size()
        ? (*who.rows)[size_t(part.data)]
        : -1;
    if (row < 0 || !who.data) {
        *error = QStringLiteral("%1: this connection has no row of '%2'").arg(m_source, part.text);
        return {};
    }
    const QVariant v = (*who.data)[size_t(part.data)]->field(row, part.columnIndex);
    if (!v.isValid()) {
        *error = QStringLiteral("%1: row %2 of '%3' has no '%4'")
                     .arg(m_source)
                     .arg(row + 1)
                     .arg(part.text, part.column);
        return {};
    }
    if (!part.hasAdd) return v;
    bool ok = false;
    const double number = v.toDouble(&ok);
    if (!ok) {
        *error = QStringLiteral("%1: '%2' (row %3 of '%4') is not a number to add to")
                     .arg(m_source, v.toString())
                     .arg(row + 1)
                     .arg(part.text);
        return {};
    }
    return number + double(part.add);
}

QVariant StringTemplate::evaluate(const ClientIdentity& who, QString* error) const
{
    if (m_parts.size() == 1) return value(m_parts.first(), who, error);
    QString text;
    for (const Part& part : m_parts) {
        const QVariant v = value(part, who, error);
        if (!v.isValid() && part.kind != Part::Kind::Text) return {};
        text += v.toString();
    }
    return text;
}

} // namespace swarm
