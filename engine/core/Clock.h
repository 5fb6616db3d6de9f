#pragma once

#include <QtGlobal>
#include <chrono>

namespace swarm {

// Monotonic microseconds, for latencies and deadlines.
inline qint64 nowUs()
{
    using namespace std::chrono;
    return duration_cast<microseconds>(steady_clock::now().time_since_epoch()).count();
}

} // namespace swarm
