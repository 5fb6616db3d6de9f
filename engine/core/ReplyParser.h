#pragma once

#include <QByteArray>
#include <QString>
#include <QtGlobal>

namespace swarm {

// How a reply ends. Built-in parsers are native: they run on bytes with no JS call per read.
// A custom parser (Kind::Custom) is a JS function and is driven by the connection instead.
struct ParserSpec
{
    enum class Kind : quint8 {
        None, // send_noreply: no reply expected
        Crlf, // ends with "\r\n" (included in the reply)
        Line, // ends with `delimiter` (included)
        Bytes, // exactly `count` bytes
        LengthPrefixed, // binary length header of headerSize bytes after `offset` bytes
        Resp, // one complete RESP2 value (redis): +simple, -error, :int, $bulk, *array
        VarintPrefixed, // `offset` bytes, a LEB128 varint length (MQTT, protobuf), that many bytes
        Custom // JS function(bytesSoFar) -> bytes still needed, 0 when complete
    };

    Kind kind = Kind::None;
    quint8 headerSize = 4; // LengthPrefixed: 1, 2, 4 or 8
    bool littleEndian = false; // LengthPrefixed
    bool lengthIncludesHeader = false; // LengthPrefixed: the length counts offset+header bytes too
    quint32 offset = 0; // LengthPrefixed, VarintPrefixed: bytes before the length field
    quint8 varintMaxBytes = 4; // VarintPrefixed: longest length field accepted (MQTT: 4)
    qint64 count = 0; // Bytes
    QByteArray delimiter; // Line

    static ParserSpec crlf();
    static ParserSpec line(const QByteArray& delimiter);
    static ParserSpec bytes(qint64 count);
    static ParserSpec lengthPrefixed(
        int headerSize, bool littleEndian, bool includesHeader, quint32 offset = 0);
    static ParserSpec resp();
    static ParserSpec varintPrefixed(quint32 offset, int maxBytes);

    // "crlf", "line(\"\\n\")", "bytes(16)", "length_prefixed(4, big, ...)" — for messages.
    QString describe() const;

    bool operator==(const ParserSpec& o) const
    {
        return kind == o.kind && headerSize == o.headerSize && littleEndian == o.littleEndian
            && lengthIncludesHeader == o.lengthIncludesHeader && offset == o.offset
            && count == o.count && delimiter == o.delimiter && varintMaxBytes == o.varintMaxBytes;
    }
};

struct ParseResult
{
    enum class Status : quint8 { NeedMore, Complete, Error };
    Status status = Status::NeedMore;
    // Complete: the reply's length (bytes after it belong to the next reply).
    // NeedMore: the total length needed when known (e.g. from a length header), else -1.
    qint64 length = -1;
    QString error; // Error: what is wrong, for the user

    static ParseResult needMore(qint64 total = -1) { return {Status::NeedMore, total, {}}; }
    static ParseResult complete(qint64 length) { return {Status::Complete, length, {}}; }
    static ParseResult failure(const QString& why) { return {Status::Error, -1, why}; }
};

// Where a native parser left off in a reply that is still incomplete, so that a reply arriving a
// byte at a time is scanned once, not once per byte. Reset to {} for every new reply.
struct ParserState
{
    qint64 scanned = 0;
};

// Looks at the bytes of one reply received so far (data[0] is the reply's first byte) and says
// whether it is complete and how long it is. `maxReplyBytes` bounds any reply: a longer one, or a
// header that announces one, is an error. Works on bytes only; never reads past `size`.
ParseResult parseReply(const ParserSpec& spec, const char* data, qint64 size, ParserState& state,
    qint64 maxReplyBytes);

} // namespace swarm
