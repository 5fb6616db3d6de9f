#pragma once

#include <QString>
#include <QVariant>

#include <vector>

namespace swarm {

// Reads one line of a JSON lines data file as one object, over its bytes and without building
// it: checks it is strict JSON (RFC 8259) and says where each top-level member's key and value
// are. A value becomes a QVariant only when asked (a row is taken by a connection), so loading a
// million lines allocates nothing per line. Top-level values may be strings, numbers, booleans
// and null; nested objects and arrays are checked and kept as their JSON text, parsed when asked.
// Errors name the byte where the line stops being JSON and say what was expected there.
class JsonLineScanner
{
public:
    enum class Kind { String, Number, True, False, Null, Object, Array };

    // One member of the object: byte offsets into the scanned buffer. A string's span is its
    // text between the quotes; `escaped` says it holds a backslash (decode before comparing).
    struct Member
    {
        qint64 keyFrom = 0;
        qint64 keyTo = 0;
        bool keyEscaped = false;
        qint64 valueFrom = 0;
        qint64 valueTo = 0;
        bool valueEscaped = false;
        Kind kind = Kind::Null;
    };

    struct Error
    {
        qint64 at = 0; // byte offset into the buffer
        QString message;
    };

    // Deeper nesting is refused: a row of user data is not a tree.
    static constexpr int kMaxDepth = 64;

    // Scans the line starting at `from` in the bytes [from, to) of `p` (a file in memory: the
    // line ends at the next \n or at `to`) as one JSON object with optional blanks around it,
    // in one pass: the bytes are read once, and *lineEnd is where the line ended (its \n, or
    // `to`). On success *members holds the members in the line's order (cleared first; the
    // vector is reused from line to line).
    static bool scan(const char* p, qint64 from, qint64 to, std::vector<Member>* members,
        qint64* lineEnd, Error* error);
    // Where the line starting at `from` ends (its \n, or `to`) when it holds only blanks; -1
    // when it holds more.
    static qint64 blankLine(const char* p, qint64 from, qint64 to);

    // The key as text, escapes decoded.
    static QString key(const char* p, const Member& m);
    // The key's UTF-8 bytes, escapes decoded (only copies when it has escapes).
    static QByteArray keyBytes(const char* p, const Member& m);
    // The value as JSON gives it: QString, qlonglong (an integer that fits) or double, bool,
    // null (a QVariant of std::nullptr_t), QVariantMap, QVariantList.
    static QVariant value(const char* p, const Member& m);

private:
    class Cursor;
};

} // namespace swarm
