#pragma once

#include <QByteArray>
#include <QString>

namespace swarm {

// One console line, parsed. Pure: bytes in, value out (tested and fuzzed on its own). Limits
// that depend on the running process (the open-files limit) are the interpreter's to check.
struct ConsoleCommand
{
    enum class Kind {
        Empty,
        Incr,
        Decr,
        Target,
        Ramp,
        Rate,
        Reload,
        Status,
        Watch,
        StatsJson,
        StatsSnapshot,
        Stop,
        Quit,
        Help,
        Auth,
        Invalid
    };
    // Which connections `decr` closes.
    enum class Order { Random, Newest, Oldest };
    // What `status` shows.
    enum class View { Summary, Errors, Commands, Connections, Agents };

    Kind kind = Kind::Empty;
    int amount = 0; // incr / decr / target; watch: seconds
    double rate = 0; // ramp: connections per second (0: no pacing); rate: rounds per second
    Order order = Order::Random;
    View view = View::Summary;
    QString argument; // auth token; help topic
    QString error; // Invalid: what is wrong, for the user
    QString text; // the line as typed (trimmed), for the transcript; auth tokens masked
};

// The largest `incr`/`decr`/`target` amount accepted at once.
constexpr int kMaxConsoleAmount = 1000000;
// The largest `ramp` rate, as for --ramp.
constexpr double kMaxConsoleRamp = 1e7;
// `watch`: seconds between two status blocks, by default and at most.
constexpr int kDefaultWatchSeconds = 2;
constexpr int kMaxWatchSeconds = 3600;

// Parses a line without its line ending. Commands and their words are case-insensitive; extra
// blanks are fine.
ConsoleCommand parseConsoleLine(const QByteArray& line);

} // namespace swarm
