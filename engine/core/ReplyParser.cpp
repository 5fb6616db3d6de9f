#include "core/ReplyParser.h"

#include <algorithm>
#include <cstring>
#include <limits>

namespace swarm {

namespace {

constexpr qint64 kNoLimit = std::numeric_limits<qint64>::max();

// Deep enough for any real reply; bounded because a hostile server could otherwise make the
// parser's stack (an array here) or the caller's work grow without limit.
constexpr int kMaxRespDepth = 128;
// "_\r\n" and "+\r\n" are the shortest RESP values, so n values still to come need >= 3n bytes.
// This lets an announced element count be rejected against the limit before any element arrives.
constexpr qint64 kMinRespValue = 3;
// Longest valid length field: "-1" or 19 digits. A longer one is garbage (or endless zeros).
constexpr qint64 kMaxRespNumberChars = 20;

QString escaped(const char* data, qint64 size)
{
    QString out;
    for (qint64 i = 0; i < size; ++i) {
        const uchar c = uchar(data[i]);
        switch (c) {
        case '\r':
            out += QLatin1String("\\r");
            break;
        case '\n':
            out += QLatin1String("\\n");
            break;
        case '\t':
            out += QLatin1String("\\t");
            break;
        case '\0':
            out += QLatin1String("\\0");
            break;
        case '"':
            out += QLatin1String("\\\"");
            break;
        case '\\':
            out += QLatin1String("\\\\");
            break;
        default:
            if (c >= 0x20 && c < 0x7f)
                out += QLatin1Char(char(c));
            else
                out += QStringLiteral("\\x%1").arg(uint(c), 2, 16, QLatin1Char('0'));
        }
    }
    return out;
}

QString quoted(const char* data, qint64 size)
{
    return QLatin1Char('"') + escaped(data, size) + QLatin1Char('"');
}

// "0x48 'H'": the byte's value always, its character when that is readable.
QString byteText(uchar c)
{
    QString out = QStringLiteral("0x%1").arg(uint(c), 2, 16, QLatin1Char('0'));
    if ((c >= 0x20 && c < 0x7f) || c == '\r' || c == '\n' || c == '\t' || c == '\0')
        out += QLatin1String(" '") + escaped(reinterpret_cast<const char*>(&c), 1)
            + QLatin1Char('\'');
    return out;
}

QString limitText(qint64 max)
{
    return QStringLiteral("--max-reply-bytes (%1)").arg(max);
}

// Shared by crlf and line: finds the first `delim` ending within the first `max` bytes.
// state.scanned is how many bytes were searched without a match; a match may straddle that
// point, so the search resumes delimLength - 1 bytes before it.
ParseResult scanForDelimiter(const char* data, qint64 size, const char* delim, qint64 delimLength,
    ParserState& state, qint64 max)
{
    const qint64 limit = std::min(size, max);
    const qint64 scanned = std::clamp(state.scanned, qint64(0), limit);
    qint64 start = std::max(scanned - delimLength + 1, qint64(0));
    while (limit - start >= delimLength) {
        const void* hit
            = std::memchr(data + start, delim[0], size_t(limit - delimLength + 1 - start));
        if (!hit) break;
        start = static_cast<const char*>(hit) - data;
        if (std::memcmp(data + start + 1, delim + 1, size_t(delimLength - 1)) == 0)
            return ParseResult::complete(start + delimLength);
        ++start;
    }
    state.scanned = limit;
    if (size >= max)
        return ParseResult::failure(
            QStringLiteral("no %1 in the first %2 bytes of the reply: it is longer than %3")
                .arg(quoted(delim, delimLength))
                .arg(max)
                .arg(limitText(max)));
    return ParseResult::needMore();
}

ParseResult parseBytes(qint64 count, qint64 size, qint64 max)
{
    if (count < 0)
        return ParseResult::failure(
            QStringLiteral("bytes(%1): the byte count must not be negative").arg(count));
    if (count > max)
        return ParseResult::failure(
            QStringLiteral("bytes(%1) expects more than %2").arg(count).arg(limitText(max)));
    return size >= count ? ParseResult::complete(count) : ParseResult::needMore(count);
}

ParseResult parseLengthPrefixed(const ParserSpec& spec, const char* data, qint64 size, qint64 max)
{
    const int headerSize = spec.headerSize;
    if (headerSize != 1 && headerSize != 2 && headerSize != 4 && headerSize != 8)
        return ParseResult::failure(
            QStringLiteral("length_prefixed: the length field must be 1, 2, 4 or 8 bytes, not %1")
                .arg(headerSize));
    const qint64 headerEnd = qint64(spec.offset) + headerSize;
    if (headerEnd > max)
        return ParseResult::failure(
            QStringLiteral("length_prefixed: the length field ends at byte %1, beyond %2")
                .arg(headerEnd)
                .arg(limitText(max)));
    if (size < headerEnd) return ParseResult::needMore();

    const auto* field = reinterpret_cast<const uchar*>(data) + spec.offset;
    quint64 value = 0;
    for (int i = 0; i < headerSize; ++i) {
        if (spec.littleEndian)
            value |= quint64(field[i]) << (8 * i);
        else
            value = (value << 8) | field[i];
    }

    qint64 total;
    if (spec.lengthIncludesHeader) {
        if (value < quint64(headerEnd))
            return ParseResult::failure(
                QStringLiteral("the length field says %1 bytes, less than the %2 bytes of the "
                               "header it includes")
                    .arg(value)
                    .arg(headerEnd));
        if (value > quint64(max))
            return ParseResult::failure(
                QStringLiteral("the length field announces a %1-byte reply, more than %2")
                    .arg(value)
                    .arg(limitText(max)));
        total = qint64(value);
    } else {
        // max - headerEnd >= 0 was checked above, so neither side can overflow.
        if (value > quint64(max - headerEnd)) {
            const bool representable = value <= std::numeric_limits<quint64>::max() - headerEnd;
            return ParseResult::failure(representable
                    ? QStringLiteral("the length field announces %1 bytes after the "
                                     "%2-byte header, a %3-byte reply: more than %4")
                          .arg(value)
                          .arg(headerEnd)
                          .arg(value + quint64(headerEnd))
                          .arg(limitText(max))
                    : QStringLiteral("the length field announces %1 bytes, more than %2")
                          .arg(value)
                          .arg(limitText(max)));
        }
        total = headerEnd + qint64(value);
    }
    return size >= total ? ParseResult::complete(total) : ParseResult::needMore(total);
}

// A varint length (unsigned LEB128: 7 bits a byte, least significant first, high bit "more")
// after `offset` bytes, then that many bytes: MQTT's fixed header, protobuf's delimited messages.
ParseResult parseVarintPrefixed(const ParserSpec& spec, const char* data, qint64 size, qint64 max)
{
    const qint64 start = spec.offset;
    const int maxBytes = qBound(1, int(spec.varintMaxBytes), 8);
    if (start + 1 > max)
        return ParseResult::failure(
            QStringLiteral("varint_prefixed: the length field starts at byte %1, beyond %2")
                .arg(start)
                .arg(limitText(max)));
    quint64 value = 0;
    for (int i = 0; i < maxBytes; ++i) {
        if (start + i >= size) return ParseResult::needMore();
        const uchar b = uchar(data[start + i]);
        value |= quint64(b & 0x7f) << (7 * i);
        if (b & 0x80) continue;
        const qint64 headerEnd = start + i + 1;
        if (value > quint64(max) || qint64(value) > max - headerEnd)
            return ParseResult::failure(
                QStringLiteral("the varint length field announces %1 bytes after the %2-byte "
                               "header: more than %3")
                    .arg(value)
                    .arg(headerEnd)
                    .arg(limitText(max)));
        const qint64 total = headerEnd + qint64(value);
        return size >= total ? ParseResult::complete(total) : ParseResult::needMore(total);
    }
    return ParseResult::failure(
        QStringLiteral("varint_prefixed: the length field at byte %1 is longer than %2 bytes "
                       "(every byte has the continuation bit): %3")
            .arg(start)
            .arg(maxBytes)
            .arg(byteText(uchar(data[start + maxBytes - 1]))));
}

// ---- RESP -----------------------------------------------------------------------------------

enum class NumberStatus { Ok, Partial, Error };

// Reads the "[-]digits\r\n" that follows the type byte at data[pos]. Checks each byte as it
// arrives, so garbage or an impossible value fails before the "\r\n" does (or never does).
NumberStatus readRespNumber(const char* data, qint64 avail, qint64 pos, qint64 maxValue, qint64 max,
    bool nullAllowed, const char* what, qint64& value, qint64& end, QString& error)
{
    const auto header
        = [&](qint64 upTo) { return quoted(data + pos, std::min(upTo, avail) - pos); };
    qint64 i = pos + 1;
    bool negative = false;
    if (i < avail && data[i] == '-') {
        if (!nullAllowed) {
            error = QStringLiteral("RESP %1 %2 must not be negative").arg(what, header(i + 1));
            return NumberStatus::Error;
        }
        negative = true;
        ++i;
    }
    const qint64 digitsStart = i;
    qint64 v = 0;
    for (; i < avail && data[i] >= '0' && data[i] <= '9'; ++i) {
        if (i - pos > kMaxRespNumberChars) {
            error = QStringLiteral("RESP %1 %2... is too long").arg(what, header(i + 1));
            return NumberStatus::Error;
        }
        const int digit = data[i] - '0';
        if (v > (std::numeric_limits<qint64>::max() - digit) / 10 || v * 10 + digit > maxValue) {
            // More digits only make it larger: no need to wait for the rest of the number.
            error = max == kNoLimit
                ? QStringLiteral("RESP %1 %2 is too large").arg(what, header(i + 1))
                : QStringLiteral("RESP %1 %2 is too large: the reply cannot fit in %3")
                      .arg(what, header(i + 1), limitText(max));
            return NumberStatus::Error;
        }
        v = v * 10 + digit;
        if (negative && v != 1) {
            error = QStringLiteral("RESP %1 %2 is negative (only -1, null, is allowed)")
                        .arg(what, header(i + 1));
            return NumberStatus::Error;
        }
    }
    if (i >= avail) return NumberStatus::Partial;
    if (data[i] != '\r') {
        error = QStringLiteral("RESP %1 %2 is not a number: %3 is not a digit")
                    .arg(what, header(i + 1), byteText(uchar(data[i])));
        return NumberStatus::Error;
    }
    if (i == digitsStart) {
        error = QStringLiteral("RESP %1 %2 has no digits").arg(what, header(i + 1));
        return NumberStatus::Error;
    }
    if (i + 1 >= avail) return NumberStatus::Partial;
    if (data[i + 1] != '\n') {
        error = QStringLiteral("RESP %1 %2 is not followed by \"\\r\\n\": %3 after the \"\\r\"")
                    .arg(what, header(i), byteText(uchar(data[i + 1])));
        return NumberStatus::Error;
    }
    value = negative ? -1 : v;
    end = i + 2;
    return NumberStatus::Ok;
}

qint64 saturatingAdd(qint64 a, qint64 b)
{
    return a > std::numeric_limits<qint64>::max() - b ? std::numeric_limits<qint64>::max() : a + b;
}

// Walks the value from byte 0 on every call: RESP needs a stack of open aggregates to resume, and
// ParserState holds one number. Bulk payloads are skipped by length, so a call costs one step per
// element, not per byte. While a bulk payload is arriving nothing can change the answer until its
// last byte does, so state.scanned remembers that size: a large payload trickling in costs nothing
// per read. Encoding: > 0, walk again once size reaches it; < 0, the reply's exact total is
// -scanned, walk again once size reaches total - 1 (the byte after the payload).
ParseResult parseResp(const char* data, qint64 size, ParserState& state, qint64 max)
{
    if (state.scanned < 0 && size < -state.scanned - 1)
        return ParseResult::needMore(-state.scanned);
    if (state.scanned > 0 && size < state.scanned) return ParseResult::needMore();
    state.scanned = 0;

    const qint64 avail = std::min(size, max);
    qint64 remaining[kMaxRespDepth + 1]; // values still to finish in each open aggregate
    int depth = 1;
    remaining[0] = 1;
    qint64 notStarted = 1;
    qint64 pos = 0;

    // atLeast: the size by which the value being read could be complete; every value not yet
    // started needs kMinRespValue more. exact: atLeast is that value's exact end. The bound must
    // never shrink as bytes arrive, or a reply rejected at one read would be accepted at the next:
    // hence a value that has started counts as at least kMinRespValue from its start.
    const auto incomplete = [&](qint64 atLeast, bool exact) {
        const qint64 need = saturatingAdd(atLeast, kMinRespValue * notStarted);
        if (size >= max)
            return ParseResult::failure(
                QStringLiteral("no complete RESP value in the first %1 bytes of the reply: it is "
                               "longer than %2")
                    .arg(max)
                    .arg(limitText(max)));
        if (need > max)
            return ParseResult::failure(
                QStringLiteral("the RESP reply needs at least %1 bytes, more than %2")
                    .arg(need)
                    .arg(limitText(max)));
        return ParseResult::needMore(exact && notStarted == 0 ? need : -1);
    };

    for (;;) {
        if (pos >= avail) return incomplete(pos, false);
        const uchar type = uchar(data[pos]);
        --notStarted;
        switch (type) {
        case '+': // simple string
        case '-': // error
        case ':': // integer
        case '_': // RESP3 null
        case '#': // RESP3 boolean
        case ',': // RESP3 double
        case '(': { // RESP3 big number
            // Content is not validated: framing is this parser's job, meaning is the script's.
            qint64 i = pos + 2; // the earliest '\n' that can end the line
            bool found = false;
            while (i < avail) {
                const void* hit = std::memchr(data + i, '\n', size_t(avail - i));
                if (!hit) break;
                i = static_cast<const char*>(hit) - data;
                if (data[i - 1] == '\r') {
                    found = true;
                    break;
                }
                ++i;
            }
            if (!found) return incomplete(std::max(avail + 1, pos + kMinRespValue), false);
            pos = i + 1;
            break;
        }
        case '$': // bulk string
        case '!': // RESP3 bulk error
        case '=': { // RESP3 verbatim string
            qint64 length = 0;
            qint64 headerEnd = 0;
            QString error;
            switch (readRespNumber(
                data, avail, pos, max, max, type == '$', "bulk length", length, headerEnd, error)) {
            case NumberStatus::Error:
                return ParseResult::failure(error);
            case NumberStatus::Partial:
                return incomplete(std::max(avail + 1, pos + kMinRespValue), false);
            case NumberStatus::Ok:
                break;
            }
            if (length < 0) { // $-1: null
                pos = headerEnd;
                break;
            }
            // headerEnd <= avail <= max, so max - headerEnd cannot overflow.
            if (length > max - headerEnd - 2)
                return ParseResult::failure(
                    QStringLiteral("RESP bulk string of %1 bytes starting at byte %2 does not fit "
                                   "in %3")
                        .arg(length)
                        .arg(headerEnd)
                        .arg(limitText(max)));
            const qint64 payloadEnd = headerEnd + length;
            // Checked here, not when bytes run out, so that the verdict does not depend on how
            // much of the payload has arrived. notStarted <= max / 3 (see the aggregate case).
            if (kMinRespValue * notStarted > max - (payloadEnd + 2))
                return ParseResult::failure(
                    QStringLiteral("the RESP reply needs at least %1 bytes, more than %2")
                        .arg(payloadEnd + 2 + kMinRespValue * notStarted)
                        .arg(limitText(max)));
            if (payloadEnd < avail && data[payloadEnd] != '\r')
                return ParseResult::failure(
                    QStringLiteral("RESP bulk string of %1 bytes is not followed by \"\\r\\n\": "
                                   "%2 at byte %3")
                        .arg(length)
                        .arg(byteText(uchar(data[payloadEnd])))
                        .arg(payloadEnd));
            if (payloadEnd + 1 < avail && data[payloadEnd + 1] != '\n')
                return ParseResult::failure(
                    QStringLiteral("RESP bulk string of %1 bytes is not followed by \"\\r\\n\": "
                                   "%2 at byte %3")
                        .arg(length)
                        .arg(byteText(uchar(data[payloadEnd + 1])))
                        .arg(payloadEnd + 1));
            if (payloadEnd + 2 > avail) {
                const ParseResult r = incomplete(payloadEnd + 2, true);
                if (r.status == ParseResult::Status::NeedMore)
                    state.scanned = r.length > 0 ? -r.length : payloadEnd + 1;
                return r;
            }
            pos = payloadEnd + 2;
            break;
        }
        case '*': // array
        case '%': // RESP3 map: count pairs
        case '~': // RESP3 set
        case '>': // RESP3 push
        case '|': { // RESP3 attribute: count pairs, then the value they annotate
            qint64 count = 0;
            qint64 headerEnd = 0;
            QString error;
            switch (readRespNumber(data, avail, pos, max / kMinRespValue, max, type == '*',
                "element count", count, headerEnd, error)) {
            case NumberStatus::Error:
                return ParseResult::failure(error);
            case NumberStatus::Partial:
                return incomplete(std::max(avail + 1, pos + kMinRespValue), false);
            case NumberStatus::Ok:
                break;
            }
            const qint64 start = pos;
            pos = headerEnd;
            // count <= max / 3, so these cannot overflow.
            const qint64 values = type == '%' ? 2 * count : type == '|' ? 2 * count + 1 : count;
            if (values <= 0) // *0 or *-1 (null): complete already
                break;
            const qint64 room = (max - pos) / kMinRespValue - notStarted;
            if (values > room)
                return ParseResult::failure(
                    QStringLiteral("RESP aggregate %1 of %2 values cannot fit in %3")
                        .arg(quoted(data + start, headerEnd - 2 - start))
                        .arg(values)
                        .arg(limitText(max)));
            if (depth > kMaxRespDepth)
                return ParseResult::failure(
                    QStringLiteral("RESP value nested more than %1 levels deep")
                        .arg(kMaxRespDepth));
            remaining[depth++] = values;
            notStarted += values;
            continue;
        }
        default:
            return ParseResult::failure(pos == 0
                    ? QStringLiteral("not a RESP reply: starts with %1").arg(byteText(type))
                    : QStringLiteral("not a RESP value at byte %1: unknown type byte %2")
                          .arg(pos)
                          .arg(byteText(type)));
        }

        // A value ended at pos: close every aggregate it completes.
        while (--remaining[depth - 1] == 0) {
            if (--depth == 0) return ParseResult::complete(pos);
        }
    }
}

} // namespace

ParserSpec ParserSpec::crlf()
{
    ParserSpec s;
    s.kind = Kind::Crlf;
    return s;
}

ParserSpec ParserSpec::line(const QByteArray& delimiter)
{
    ParserSpec s;
    s.kind = Kind::Line;
    s.delimiter = delimiter;
    return s;
}

ParserSpec ParserSpec::bytes(qint64 count)
{
    ParserSpec s;
    s.kind = Kind::Bytes;
    s.count = count;
    return s;
}

ParserSpec ParserSpec::lengthPrefixed(
    int headerSize, bool littleEndian, bool includesHeader, quint32 offset)
{
    ParserSpec s;
    s.kind = Kind::LengthPrefixed;
    // quint8 would turn 260 into a valid 4; 0 keeps it invalid so parsing reports it.
    s.headerSize = headerSize > 0 && headerSize <= 8 ? quint8(headerSize) : 0;
    s.littleEndian = littleEndian;
    s.lengthIncludesHeader = includesHeader;
    s.offset = offset;
    return s;
}

ParserSpec ParserSpec::varintPrefixed(quint32 offset, int maxBytes)
{
    ParserSpec s;
    s.kind = Kind::VarintPrefixed;
    s.offset = offset;
    s.varintMaxBytes = quint8(qBound(1, maxBytes, 8));
    return s;
}

ParserSpec ParserSpec::resp()
{
    ParserSpec s;
    s.kind = Kind::Resp;
    return s;
}

QString ParserSpec::describe() const
{
    switch (kind) {
    case Kind::None:
        return QStringLiteral("none");
    case Kind::Crlf:
        return QStringLiteral("crlf");
    case Kind::Line:
        return QStringLiteral("line(%1)").arg(quoted(delimiter.constData(), delimiter.size()));
    case Kind::Bytes:
        return QStringLiteral("bytes(%1)").arg(count);
    case Kind::LengthPrefixed:
        return QStringLiteral("length_prefixed(%1, %2, %3, offset %4)")
            .arg(headerSize)
            .arg(littleEndian ? QLatin1String("little-endian") : QLatin1String("big-endian"))
            .arg(lengthIncludesHeader ? QLatin1String("header included")
                                      : QLatin1String("header excluded"))
            .arg(offset);
    case Kind::Resp:
        return QStringLiteral("resp");
    case Kind::VarintPrefixed:
        return QStringLiteral("varint_prefixed(offset %1, at most %2 bytes)")
            .arg(offset)
            .arg(varintMaxBytes);
    case Kind::Custom:
        return QStringLiteral("custom");
    }
    return QStringLiteral("unknown");
}

ParseResult parseReply(
    const ParserSpec& spec, const char* data, qint64 size, ParserState& state, qint64 maxReplyBytes)
{
    // A limit of 0 or less means none, rather than rejecting every reply.
    const qint64 max = maxReplyBytes > 0 ? maxReplyBytes : kNoLimit;
    if (size < 0 || !data) size = 0;
    switch (spec.kind) {
    case ParserSpec::Kind::Crlf:
        return scanForDelimiter(data, size, "\r\n", 2, state, max);
    case ParserSpec::Kind::Line:
        if (spec.delimiter.isEmpty())
            return ParseResult::failure(QStringLiteral("line(\"\"): the delimiter is empty"));
        return scanForDelimiter(
            data, size, spec.delimiter.constData(), spec.delimiter.size(), state, max);
    case ParserSpec::Kind::Bytes:
        return parseBytes(spec.count, size, max);
    case ParserSpec::Kind::LengthPrefixed:
        return parseLengthPrefixed(spec, data, size, max);
    case ParserSpec::Kind::Resp:
        return parseResp(data, size, state, max);
    case ParserSpec::Kind::VarintPrefixed:
        return parseVarintPrefixed(spec, data, size, max);
    case ParserSpec::Kind::None:
        return ParseResult::failure(QStringLiteral("no reply was expected (parser: none)"));
    case ParserSpec::Kind::Custom:
        return ParseResult::failure(
            QStringLiteral("a custom (JavaScript) reply parser cannot run natively"));
    }
    return ParseResult::failure(QStringLiteral("unknown reply parser kind %1").arg(int(spec.kind)));
}

} // namespace swarm
