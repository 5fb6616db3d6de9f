#include "core/ReplyParser.h"

#include "core/ReplyText.h"
#include "core/RespParser.h"

#include <algorithm>
#include <cstring>
#include <limits>

namespace swarm {

namespace {

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
                .arg(quotedBytes(delim, delimLength))
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
        return QStringLiteral("line(%1)").arg(quotedBytes(delimiter.constData(), delimiter.size()));
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
    case ParserSpec::Kind::None:
        return ParseResult::failure(QStringLiteral("no reply was expected (parser: none)"));
    case ParserSpec::Kind::Custom:
        return ParseResult::failure(
            QStringLiteral("a custom (JavaScript) reply parser cannot run natively"));
    }
    return ParseResult::failure(QStringLiteral("unknown reply parser kind %1").arg(int(spec.kind)));
}

} // namespace swarm
