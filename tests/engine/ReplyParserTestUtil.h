#pragma once

// Helpers shared by the reply parser's tests (tst_replyparser, tst_replyparsererrors).

#include "core/ReplyParser.h"

#include <QByteArray>
#include <QString>
#include <QTest>

#include <initializer_list>

using swarm::ParseResult;
using swarm::ParserSpec;
using swarm::ParserState;
using Status = swarm::ParseResult::Status;

Q_DECLARE_METATYPE(swarm::ParserSpec)

namespace swarm::test {

inline constexpr qint64 kDefaultMax = 16 * 1024 * 1024; // EngineConfig's default

inline ParseResult parse(const ParserSpec& spec, const QByteArray& data, ParserState& state,
    qint64 max = kDefaultMax, qint64 size = -1)
{
    return swarm::parseReply(spec, data.constData(), size < 0 ? data.size() : size, state, max);
}

inline ParseResult parseFresh(
    const ParserSpec& spec, const QByteArray& data, qint64 max = kDefaultMax, qint64 size = -1)
{
    ParserState state;
    return parse(spec, data, state, max, size);
}

inline QString resultText(const ParseResult& r)
{
    switch (r.status) {
    case Status::NeedMore:
        return QStringLiteral("NeedMore(%1)").arg(r.length);
    case Status::Complete:
        return QStringLiteral("Complete(%1)").arg(r.length);
    case Status::Error:
        return QStringLiteral("Error(%1)").arg(r.error);
    }
    return QString();
}

inline QByteArray bytes(std::initializer_list<int> values)
{
    QByteArray out;
    for (int v : values)
        out.append(char(v));
    return out;
}

inline QByteArray nestedArrays(int depth, const QByteArray& leaf = ":1\r\n")
{
    return QByteArray("*1\r\n").repeated(depth) + leaf;
}

inline ParserSpec lp(int headerSize, bool littleEndian, bool includesHeader, quint32 offset = 0)
{
    return ParserSpec::lengthPrefixed(headerSize, littleEndian, includesHeader, offset);
}

} // namespace swarm::test

// QVERIFY2 builds its message even when the check passes; the robustness test checks millions of
// times, and its messages (the input in hex) are expensive.
#define CHECK(condition, message)                                                                  \
    do {                                                                                           \
        if (!(condition)) QFAIL(qPrintable(QStringLiteral(#condition ": ") + (message)));          \
    } while (false)
