#pragma once

#include <QJsonValue>
#include <QString>

namespace swarm::wire {

// JSON numbers are doubles to most readers: integers up to 2^53 are exact, larger ones are not.
// The agent state's 64-bit counters go as numbers up to 2^53 and as strings of decimal digits
// above, so that no reader rounds one silently; a reader refuses a number above 2^53.
constexpr quint64 kMaxExactInteger = quint64(1) << 53;

inline QJsonValue integer(quint64 v)
{
    return v <= kMaxExactInteger ? QJsonValue(qint64(v)) : QJsonValue(QString::number(v));
}

} // namespace swarm::wire
