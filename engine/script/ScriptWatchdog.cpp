#include "script/ScriptWatchdog.h"

#include "script/ScriptRuntime.h"

#include <algorithm>
#include <chrono>

namespace swarm {

namespace {
qint64 nowMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}
} // namespace

ScriptWatchdog& ScriptWatchdog::instance()
{
    static ScriptWatchdog watchdog;
    return watchdog;
}

ScriptWatchdog::~ScriptWatchdog()
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable()) m_thread.join();
}

void ScriptWatchdog::add(ScriptRuntime* runtime)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_watched.push_back({runtime});
    if (!m_thread.joinable()) m_thread = std::thread([this] { run(); });
}

void ScriptWatchdog::remove(ScriptRuntime* runtime)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_watched.erase(std::remove_if(m_watched.begin(), m_watched.end(),
                        [runtime](const Watched& w) { return w.runtime == runtime; }),
        m_watched.end());
}

void ScriptWatchdog::run()
{
    std::unique_lock<std::mutex> lock(m_mutex);
    while (!m_stop) {
        int shortest = 1000;
        const qint64 now = nowMs();
        for (Watched& w : m_watched) {
            const int timeout = w.runtime->scriptTimeoutMs();
            shortest = std::min(shortest, timeout);
            quint32 sequence = 0;
            const bool running = w.runtime->runningSince(&sequence);
            if (!running || sequence != w.sequence) {
                w.sequence = sequence;
                w.since = now;
                w.fired = false;
                continue;
            }
            if (!w.fired && now - w.since >= timeout) {
                w.runtime->interrupt();
                w.fired = true;
            }
        }
        // Look several times per timeout so a runaway call is stopped within about 1.25x it.
        const int period = std::clamp(shortest / 4, 5, 250);
        m_wake.wait_for(lock, std::chrono::milliseconds(period));
    }
}

} // namespace swarm
