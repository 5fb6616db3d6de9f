#include "core/RespParser.h"

#include "core/ReplyText.h"

#include <algorithm>
#include <cstring>
#include <limits>

namespace swarm {

namespace {

// Deep enough for any real reply; bounded because a hostile server could otherwise make the
// parser's stack (an array here) or the caller's work grow without limit.
constexpr int kMaxRespDepth = 128;
// "_\r\n" and "+\r\n" are the shortest RESP values, so n values still to come need >= 3n bytes.
// This lets an announced element count be rejected against the limit before any element arrives.
constexpr qint64 kMinRespValue = 3;
// Longest valid length field: "-1" or 19 digits. A longer one is garbage (or endless zeros).
constexpr qint64 kMaxRespNumberChars = 20;

enum class NumberStatus { Ok, Partial, Error };

// Reads the "[-]digits\r\n" that follows the type byte at data[pos]. Checks each byte as it
// arrives, so garbage or an impossible value fails before the "\r\n" does (or never does).
NumberStatus readRespNumber(const char* data, qint64 avail, qint64 pos, qint64 maxValue, qint64 max,
    bool nullAllowed, const char* what, qint64& value, qint64& end, QString& error)
{
    const auto header
        = [&](qint64 upTo) { return quotedBytes(data + pos, std::min(upTo, avail) - pos); };
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
class RespScan
{
public:
    RespScan(const char* data, qint64 size, ParserState& state, qint64 max)
        : m_data(data)
        , m_size(size)
        , m_state(state)
        , m_max(max)
        , m_avail(std::min(size, max))
    {
        m_remaining[0] = 1;
    }

    ParseResult run();

private:
    // What reading one value's header (or all of a scalar) came to.
    enum class Step {
        Ended, // the value ended at m_pos
        Opened, // an aggregate opened: its elements come next
        Done, // m_result is the answer
    };
    Step line();
    Step bulk(uchar type);
    Step aggregate(uchar type);
    Step done(const ParseResult& result)
    {
        m_result = result;
        return Step::Done;
    }
    ParseResult incomplete(qint64 atLeast, bool exact) const;
    ParseResult unknownType(uchar type) const;

    const char* const m_data;
    const qint64 m_size;
    ParserState& m_state;
    const qint64 m_max;
    const qint64 m_avail;
    qint64 m_remaining[kMaxRespDepth + 1]; // values still to finish in each open aggregate
    int m_depth = 1;
    qint64 m_notStarted = 1;
    qint64 m_pos = 0;
    ParseResult m_result;
};

ParseResult RespScan::run()
{
    if (m_state.scanned < 0 && m_size < -m_state.scanned - 1)
        return ParseResult::needMore(-m_state.scanned);
    if (m_state.scanned > 0 && m_size < m_state.scanned) return ParseResult::needMore();
    m_state.scanned = 0;
    for (;;) {
        if (m_pos >= m_avail) return incomplete(m_pos, false);
        const uchar type = uchar(m_data[m_pos]);
        --m_notStarted;
        Step step = Step::Done;
        switch (type) {
        case '+': // simple string
        case '-': // error
        case ':': // integer
        case '_': // RESP3 null
        case '#': // RESP3 boolean
        case ',': // RESP3 double
        case '(': // RESP3 big number
            step = line();
            break;
        case '$': // bulk string
        case '!': // RESP3 bulk error
        case '=': // RESP3 verbatim string
            step = bulk(type);
            break;
        case '*': // array
        case '%': // RESP3 map: count pairs
        case '~': // RESP3 set
        case '>': // RESP3 push
        case '|': // RESP3 attribute: count pairs, then the value they annotate
            step = aggregate(type);
            break;
        default:
            return unknownType(type);
        }
        if (step == Step::Done) return m_result;
        if (step == Step::Opened) continue;
        // A value ended at m_pos: close every aggregate it completes.
        while (--m_remaining[m_depth - 1] == 0) {
            if (--m_depth == 0) return ParseResult::complete(m_pos);
        }
    }
}

// atLeast: the size by which the value being read could be complete; every value not yet
// started needs kMinRespValue more. exact: atLeast is that value's exact end. The bound must
// never shrink as bytes arrive, or a reply rejected at one read would be accepted at the next:
// hence a value that has started counts as at least kMinRespValue from its start.
ParseResult RespScan::incomplete(qint64 atLeast, bool exact) const
{
    const qint64 need = saturatingAdd(atLeast, kMinRespValue * m_notStarted);
    if (m_size >= m_max)
        return ParseResult::failure(
            QStringLiteral("no complete RESP value in the first %1 bytes of the reply: it is "
                           "longer than %2")
                .arg(m_max)
                .arg(limitText(m_max)));
    if (need > m_max)
        return ParseResult::failure(
            QStringLiteral("the RESP reply needs at least %1 bytes, more than %2")
                .arg(need)
                .arg(limitText(m_max)));
    return ParseResult::needMore(exact && m_notStarted == 0 ? need : -1);
}

ParseResult RespScan::unknownType(uchar type) const
{
    return ParseResult::failure(m_pos == 0
            ? QStringLiteral("not a RESP reply: starts with %1").arg(byteText(type))
            : QStringLiteral("not a RESP value at byte %1: unknown type byte %2")
                  .arg(m_pos)
                  .arg(byteText(type)));
}

// A value on one line, up to "\r\n". Content is not validated: framing is this parser's job,
// meaning is the script's.
RespScan::Step RespScan::line()
{
    qint64 i = m_pos + 2; // the earliest '\n' that can end the line
    while (i < m_avail) {
        const void* hit = std::memchr(m_data + i, '\n', size_t(m_avail - i));
        if (!hit) break;
        i = static_cast<const char*>(hit) - m_data;
        if (m_data[i - 1] == '\r') {
            m_pos = i + 1;
            return Step::Ended;
        }
        ++i;
    }
    return done(incomplete(std::max(m_avail + 1, m_pos + kMinRespValue), false));
}

// A length, "\r\n", that many bytes, "\r\n"; the payload is skipped, not scanned.
RespScan::Step RespScan::bulk(uchar type)
{
    qint64 length = 0;
    qint64 headerEnd = 0;
    QString error;
    switch (readRespNumber(m_data, m_avail, m_pos, m_max, m_max, type == '$', "bulk length", length,
        headerEnd, error)) {
    case NumberStatus::Error:
        return done(ParseResult::failure(error));
    case NumberStatus::Partial:
        return done(incomplete(std::max(m_avail + 1, m_pos + kMinRespValue), false));
    case NumberStatus::Ok:
        break;
    }
    if (length < 0) { // $-1: null
        m_pos = headerEnd;
        return Step::Ended;
    }
    // headerEnd <= avail <= max, so max - headerEnd cannot overflow.
    if (length > m_max - headerEnd - 2)
        return done(ParseResult::failure(
            QStringLiteral("RESP bulk string of %1 bytes starting at byte %2 does not fit in %3")
                .arg(length)
                .arg(headerEnd)
                .arg(limitText(m_max))));
    const qint64 payloadEnd = headerEnd + length;
    // Checked here, not when bytes run out, so that the verdict does not depend on how much of
    // the payload has arrived. notStarted <= max / 3 (see aggregate()).
    if (kMinRespValue * m_notStarted > m_max - (payloadEnd + 2))
        return done(ParseResult::failure(
            QStringLiteral("the RESP reply needs at least %1 bytes, more than %2")
                .arg(payloadEnd + 2 + kMinRespValue * m_notStarted)
                .arg(limitText(m_max))));
    for (qint64 at = payloadEnd; at < std::min(payloadEnd + 2, m_avail); ++at) {
        if (m_data[at] != "\r\n"[at - payloadEnd])
            return done(ParseResult::failure(
                QStringLiteral("RESP bulk string of %1 bytes is not followed by \"\\r\\n\": "
                               "%2 at byte %3")
                    .arg(length)
                    .arg(byteText(uchar(m_data[at])))
                    .arg(at)));
    }
    if (payloadEnd + 2 > m_avail) {
        const ParseResult r = incomplete(payloadEnd + 2, true);
        if (r.status == ParseResult::Status::NeedMore)
            m_state.scanned = r.length > 0 ? -r.length : payloadEnd + 1;
        return done(r);
    }
    m_pos = payloadEnd + 2;
    return Step::Ended;
}

// A count, "\r\n", then that many values (twice as many for a map's pairs).
RespScan::Step RespScan::aggregate(uchar type)
{
    qint64 count = 0;
    qint64 headerEnd = 0;
    QString error;
    switch (readRespNumber(m_data, m_avail, m_pos, m_max / kMinRespValue, m_max, type == '*',
        "element count", count, headerEnd, error)) {
    case NumberStatus::Error:
        return done(ParseResult::failure(error));
    case NumberStatus::Partial:
        return done(incomplete(std::max(m_avail + 1, m_pos + kMinRespValue), false));
    case NumberStatus::Ok:
        break;
    }
    const qint64 start = m_pos;
    m_pos = headerEnd;
    // count <= max / 3, so these cannot overflow.
    const qint64 values = type == '%' ? 2 * count : type == '|' ? 2 * count + 1 : count;
    if (values <= 0) // *0 or *-1 (null): complete already
        return Step::Ended;
    const qint64 room = (m_max - m_pos) / kMinRespValue - m_notStarted;
    if (values > room)
        return done(
            ParseResult::failure(QStringLiteral("RESP aggregate %1 of %2 values cannot fit in %3")
                                     .arg(quotedBytes(m_data + start, headerEnd - 2 - start))
                                     .arg(values)
                                     .arg(limitText(m_max))));
    if (m_depth > kMaxRespDepth)
        return done(ParseResult::failure(
            QStringLiteral("RESP value nested more than %1 levels deep").arg(kMaxRespDepth)));
    m_remaining[m_depth++] = values;
    m_notStarted += values;
    return Step::Opened;
}

} // namespace

ParseResult parseResp(const char* data, qint64 size, ParserState& state, qint64 max)
{
    return RespScan(data, size, state, max).run();
}

} // namespace swarm
