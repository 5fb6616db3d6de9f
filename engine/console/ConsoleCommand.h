#pragma once

#include <QByteArray>
#include <QString>

namespace swarm {

// One console line, parsed. Pure: bytes in, value out (tested and fuzzed on its own).
struct ConsoleCommand
{
    enum class Kind { Empty, Incr, Decr, Stop, Quit, Help, Status, StatsJson, Auth, Invalid };
    Kind kind = Kind::Empty;
    int amount = 0; // incr / decr
    QString argument; // auth token
    QString error; // Invalid: what is wrong, for the user
    QString text; // the line as typed (trimmed), for the transcript; auth tokens masked
};

// The largest `incr`/`decr` amount accepted at once.
constexpr int kMaxConsoleAmount = 1000000;

// Parses a line without its line ending. Commands are case-insensitive; extra blanks are fine.
ConsoleCommand parseConsoleLine(const QByteArray& line);

} // namespace swarm
