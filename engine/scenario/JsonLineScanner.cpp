#include "scenario/JsonLineScanner.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringDecoder>

#include <cctype>
#include <cmath>
#include <cstring>

namespace swarm {

namespace {

// JSON's blanks but the line feed, which ends the line.
bool isBlank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Bytes of a string that need no second look: ASCII but the quote, the backslash and the line
// feed (which ends the line). Control characters are taken as they are, as Qt's own JSON reader
// takes them (RFC 8259 wants them escaped; files that loaded before must still load).
struct PlainBytes
{
    bool byte[256] = {};
    constexpr PlainBytes()
    {
        for (int c = 0; c < 0x80; ++c)
            byte[c] = c != '"' && c != '\\' && c != '\n';
    }
};
constexpr PlainBytes kPlain;

// The length of the well-formed UTF-8 sequence at p[i] (a byte >= 0x80), or 0 (RFC 3629: no
// overlong forms, no surrogates, nothing above U+10FFFF).
int utf8Length(const char* p, qint64 i, qint64 end)
{
    const auto byte = [&](qint64 k) { return k < end ? uchar(p[k]) : 0u; };
    const auto cont = [&](qint64 k) { return (byte(k) & 0xC0u) == 0x80u; };
    const uint b = byte(i);
    if (b >= 0xC2 && b <= 0xDF) return cont(i + 1) ? 2 : 0;
    if (b >= 0xE0 && b <= 0xEF) {
        const uint lo = b == 0xE0 ? 0xA0 : 0x80;
        const uint hi = b == 0xED ? 0x9F : 0xBF;
        return byte(i + 1) >= lo && byte(i + 1) <= hi && cont(i + 2) ? 3 : 0;
    }
    if (b >= 0xF0 && b <= 0xF4) {
        const uint lo = b == 0xF0 ? 0x90 : 0x80;
        const uint hi = b == 0xF4 ? 0x8F : 0xBF;
        return byte(i + 1) >= lo && byte(i + 1) <= hi && cont(i + 2) && cont(i + 3) ? 4 : 0;
    }
    return 0;
}

// UTF-8 to text, a leading U+FEFF kept: inside a value it is a character, not a byte order mark
// (QString::fromUtf8 drops it). Qt's JSON reader, which this scanner replaced and the fuzzer
// compares it with, keeps it in a string with escapes and drops it from one without (it reads
// that one with fromUtf8): so does this, so that no value changes from what it was.
QString utf8(const char* p, qint64 size)
{
    QStringDecoder decoder(QStringConverter::Utf8, QStringConverter::Flag::ConvertInitialBom);
    return decoder.decode(QByteArrayView(p, size));
}

QString decodeString(const char* p, qint64 from, qint64 to, bool escaped)
{
    if (!escaped) return QString::fromUtf8(p + from, to - from);
    QString out;
    out.reserve(to - from);
    qint64 plain = from;
    for (qint64 i = from; i < to; ++i) {
        if (p[i] != '\\') continue;
        out += utf8(p + plain, i - plain);
        const char e = p[++i];
        switch (e) {
        case 'b':
            out += QLatin1Char('\b');
            break;
        case 'f':
            out += QLatin1Char('\f');
            break;
        case 'n':
            out += QLatin1Char('\n');
            break;
        case 'r':
            out += QLatin1Char('\r');
            break;
        case 't':
            out += QLatin1Char('\t');
            break;
        case 'u': { // checked by the scan: four hex digits (a surrogate pair is two of these)
            int unit = 0;
            for (int k = 1; k <= 4; ++k)
                unit = unit * 16 + hexValue(p[i + k]);
            out += QChar(char16_t(unit));
            i += 4;
            break;
        }
        default:
            out += QLatin1Char(e);
            break; // " \ /
        }
        plain = i + 1;
    }
    out += utf8(p + plain, to - plain);
    return out;
}

} // namespace

// Where the scan is in the line, and the grammar of JSON values over it. Every function starts
// at the first byte of its construct and leaves `i` just past it, or fails at the byte at fault.
class JsonLineScanner::Cursor
{
public:
    Cursor(const char* bytes, qint64 from, qint64 to, Error* e)
        : p(bytes)
        , i(from)
        , end(to)
        , error(e)
    { }

    bool fail(qint64 at, const QString& what)
    {
        error->at = at;
        error->message
            = QStringLiteral("not JSON: %1 (a JSON lines file holds one object a line)").arg(what);
        return false;
    }
    bool atEnd() const { return i >= end; }
    char peek() const { return i < end ? p[i] : '\0'; }
    void blanks()
    {
        while (i < end && isBlank(p[i]))
            ++i;
    }

    bool string(bool* escaped);
    bool unicodeEscape();
    bool number();
    bool literal(const char* word);
    bool value(int depth, Kind* kind, bool* escaped);
    bool object(int depth, std::vector<Member>* members);
    bool array(int depth);

    const char* p;
    qint64 i;
    qint64 end;
    Error* error;
};

bool JsonLineScanner::Cursor::string(bool* escaped)
{
    const qint64 open = i++;
    *escaped = false;
    while (i < end) {
        while (i < end && kPlain.byte[uchar(p[i])]) // the common run of ASCII text, one test a byte
            ++i;
        if (i >= end) break;
        const uchar c = uchar(p[i]);
        if (c == '"') {
            ++i;
            return true;
        }
        if (c == '\n') break;
        if (c >= 0x80) {
            const int n = utf8Length(p, i, end);
            if (n == 0) return fail(i, QStringLiteral("invalid UTF-8 inside a string"));
            i += n;
            continue;
        }
        if (c == '\\') {
            *escaped = true;
            const char e = i + 1 < end ? p[i + 1] : '\0';
            if (e == 'u') {
                if (!unicodeEscape()) return false;
                continue;
            }
            if (!e || !strchr("\"\\/bfnrt", e))
                return fail(i,
                    QStringLiteral("unknown escape in a string (JSON knows \\\" \\\\ \\/ \\b "
                                   "\\f \\n \\r \\t \\uXXXX)"));
            i += 2;
            continue;
        }
        ++i;
    }
    return fail(
        open, QStringLiteral("a string is never closed (no \" before the end of the line)"));
}

// One \\uXXXX, or two when they are a surrogate pair (a character above U+FFFF). A lone half
// is refused: it is no character, UTF-8 cannot carry it to a server, and two different lone
// halves would read as the same text.
bool JsonLineScanner::Cursor::unicodeEscape()
{
    const auto unitAt = [this](qint64 at) {
        if (at + 6 > end || p[at] != '\\' || p[at + 1] != 'u') return -1;
        int unit = 0;
        for (int k = 2; k < 6; ++k) {
            const int digit = hexValue(p[at + k]);
            if (digit < 0) return -1;
            unit = unit * 16 + digit;
        }
        return unit;
    };
    const int unit = unitAt(i);
    if (unit < 0) return fail(i, QStringLiteral("\\u takes four hex digits (\\u00e9)"));
    const bool high = unit >= 0xD800 && unit <= 0xDBFF;
    const bool low = unit >= 0xDC00 && unit <= 0xDFFF;
    if (!high && !low) {
        i += 6;
        return true;
    }
    const int next = high ? unitAt(i + 6) : -1;
    if (next >= 0xDC00 && next <= 0xDFFF) {
        i += 12;
        return true;
    }
    return fail(i,
        QStringLiteral("\\u%1 is half of a surrogate pair without its other half (a character "
                       "above U+FFFF is written as a pair, \\ud83d\\ude00 for U+1F600)")
            .arg(QString::fromLatin1(p + i + 2, 4)));
}

// -?(0|[1-9][0-9]*)(.[0-9]*)?([eE][+-]?[0-9]+)?
bool JsonLineScanner::Cursor::number()
{
    const qint64 start = i;
    const auto digits = [this] {
        const qint64 from = i;
        while (i < end && isDigit(p[i]))
            ++i;
        return i > from;
    };
    const auto malformed = [&] {
        return fail(start,
            QStringLiteral("a malformed number (JSON numbers look like 12, -3, 0.5 "
                           "or 1e6)"));
    };
    if (peek() == '-') ++i;
    if (peek() == '0') {
        ++i;
    } else if (!digits()) {
        // "-.5", as Qt's JSON reader took it: a fraction's digit must follow then.
        if (p[start] != '-' || peek() != '.' || i + 1 >= end || !isDigit(p[i + 1]))
            return malformed();
    }
    bool exact = true;
    if (peek() == '.') { // "1." too, as Qt's JSON reader took it (RFC 8259 wants a digit)
        ++i;
        exact = false;
        digits();
    }
    if (peek() == 'e' || peek() == 'E') {
        ++i;
        exact = false;
        if (peek() == '+' || peek() == '-') ++i;
        if (!digits()) return malformed();
    }
    if (isDigit(peek())) return malformed(); // 012: a leading zero
    // A long or scaled number may be beyond a double; the common short one cannot.
    if (!exact || i - start > 18) {
        bool ok = false;
        const double d = QByteArray::fromRawData(p + start, i - start).toDouble(&ok);
        if (!ok || std::isinf(d)) // 1e999, and 1e-999 (which Qt refuses too)
            return fail(start, QStringLiteral("a number out of the range of a double"));
    }
    return true;
}

bool JsonLineScanner::Cursor::literal(const char* word)
{
    const qint64 n = qint64(strlen(word));
    if (end - i < n || memcmp(p + i, word, size_t(n)) != 0)
        return fail(i,
            QStringLiteral("expected a value (a string in double quotes, a number, true, "
                           "false, null, an object or an array)"));
    if (i + n < end && (std::isalnum(uchar(p[i + n])) || p[i + n] == '_'))
        return fail(i,
            QStringLiteral("expected a value; '%1' is followed by more letters")
                .arg(QLatin1String(word)));
    i += n;
    return true;
}

bool JsonLineScanner::Cursor::value(int depth, Kind* kind, bool* escaped)
{
    *escaped = false;
    switch (peek()) {
    case '"':
        *kind = Kind::String;
        return string(escaped);
    case 't':
        *kind = Kind::True;
        return literal("true");
    case 'f':
        *kind = Kind::False;
        return literal("false");
    case 'n':
        *kind = Kind::Null;
        return literal("null");
    case '{':
        *kind = Kind::Object;
        return object(depth + 1, nullptr);
    case '[':
        *kind = Kind::Array;
        return array(depth + 1);
    default:
        break;
    }
    *kind = Kind::Number;
    if (peek() == '-' || isDigit(peek())) return number();
    return fail(i,
        QStringLiteral("expected a value (a string in double quotes, a number, true, false, "
                       "null, an object or an array)"));
}

// An object at `depth` (the line's own is 0); its members go to *members when given.
bool JsonLineScanner::Cursor::object(int depth, std::vector<Member>* members)
{
    if (depth > kMaxDepth)
        return fail(i, QStringLiteral("nested deeper than %1 levels").arg(kMaxDepth));
    ++i; // {
    blanks();
    if (peek() == '}') {
        ++i;
        return true;
    }
    for (;;) {
        if (peek() != '"') return fail(i, QStringLiteral("expected a key in double quotes"));
        Member m;
        m.keyFrom = i + 1;
        if (!string(&m.keyEscaped)) return false;
        m.keyTo = i - 1;
        blanks();
        if (peek() != ':') return fail(i, QStringLiteral("expected ':' after the key"));
        ++i;
        blanks();
        m.valueFrom = i;
        if (!value(depth, &m.kind, &m.valueEscaped)) return false;
        m.valueTo = i;
        if (m.kind == Kind::String) { // the text between the quotes
            ++m.valueFrom;
            --m.valueTo;
        }
        if (members) members->push_back(m);
        blanks();
        if (peek() == ',') {
            ++i;
            blanks();
            continue;
        }
        if (peek() == '}') {
            ++i;
            return true;
        }
        return fail(i, QStringLiteral("expected ',' or '}' after a value"));
    }
}

bool JsonLineScanner::Cursor::array(int depth)
{
    if (depth > kMaxDepth)
        return fail(i, QStringLiteral("nested deeper than %1 levels").arg(kMaxDepth));
    ++i; // [
    blanks();
    if (peek() == ']') {
        ++i;
        return true;
    }
    for (;;) {
        Kind kind;
        bool escaped;
        if (!value(depth, &kind, &escaped)) return false;
        blanks();
        if (peek() == ',') {
            ++i;
            blanks();
            continue;
        }
        if (peek() == ']') {
            ++i;
            return true;
        }
        return fail(i, QStringLiteral("expected ',' or ']' after a value"));
    }
}

bool JsonLineScanner::scan(const char* p, qint64 from, qint64 to, std::vector<Member>* members,
    qint64* lineEnd, Error* error)
{
    members->clear();
    Cursor c(p, from, to, error);
    c.blanks();
    if (c.peek() != '{') {
        const char first = c.peek();
        if (first == '[' || first == '"' || first == '-' || isDigit(first)
            || (first && strchr("tfn", first))) {
            error->at = c.i;
            error->message = QStringLiteral("expected an object ({\"name\": \"alice\", ...}), "
                                            "found %1")
                                 .arg(first == '[' ? QStringLiteral("an array")
                                                   : QStringLiteral("a single value"));
            return false;
        }
        return c.fail(c.i, QStringLiteral("expected an object ({\"name\": \"alice\", ...})"));
    }
    if (!c.object(0, members)) return false;
    c.blanks();
    if (!c.atEnd() && c.peek() != '\n')
        return c.fail(c.i, QStringLiteral("text after the object's closing '}'"));
    *lineEnd = c.i;
    return true;
}

qint64 JsonLineScanner::blankLine(const char* p, qint64 from, qint64 to)
{
    qint64 i = from;
    while (i < to && isBlank(p[i]))
        ++i;
    return i >= to || p[i] == '\n' ? i : -1;
}

QString JsonLineScanner::key(const char* p, const Member& m)
{
    return decodeString(p, m.keyFrom, m.keyTo, m.keyEscaped);
}

QByteArray JsonLineScanner::keyBytes(const char* p, const Member& m)
{
    if (!m.keyEscaped) return QByteArray::fromRawData(p + m.keyFrom, m.keyTo - m.keyFrom);
    return key(p, m).toUtf8();
}

QVariant JsonLineScanner::value(const char* p, const Member& m)
{
    const QByteArray text = QByteArray::fromRawData(p + m.valueFrom, m.valueTo - m.valueFrom);
    switch (m.kind) {
    case Kind::String:
        return decodeString(p, m.valueFrom, m.valueTo, m.valueEscaped);
    case Kind::True:
        return true;
    case Kind::False:
        return false;
    case Kind::Null:
        return QVariant::fromValue(nullptr);
    case Kind::Number: {
        bool whole = false;
        const qlonglong n = text.toLongLong(&whole);
        if (whole) return n;
        return text.toDouble();
    }
    case Kind::Object:
        return QJsonDocument::fromJson(text).object().toVariantMap();
    case Kind::Array:
        return QJsonDocument::fromJson(text).array().toVariantList();
    }
    return {};
}

} // namespace swarm
