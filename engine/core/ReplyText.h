#pragma once

#include <QString>
#include <QtGlobal>

#include <limits>

namespace swarm {

// The reply limit when --max-reply-bytes is 0: none.
inline constexpr qint64 kNoLimit = std::numeric_limits<qint64>::max();

// How the reply parsers quote bytes in their messages, so every parser's errors read alike.

// Control and non-ASCII bytes escaped: \r, \n, \t, \0, \", \\, \xNN.
QString escapedBytes(const char* data, qint64 size);
// The same in double quotes.
QString quotedBytes(const char* data, qint64 size);
// "0x48 'H'": the byte's value always, its character when that is readable.
QString byteText(uchar c);
// "--max-reply-bytes (N)": the limit a reply ran into.
QString limitText(qint64 max);

} // namespace swarm
