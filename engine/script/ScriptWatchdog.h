#pragma once

#include <QtGlobal>

#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace swarm {

class ScriptRuntime;

// Stops runaway scripts: one thread for the whole process looks at every worker's JS engine a
// few times per script timeout and interrupts (QJSEngine::setInterrupted, which is thread-safe) a
// call that has been running for longer than the timeout. The hot path pays two relaxed atomic
// stores per call into JS; nothing else.
class ScriptWatchdog
{
public:
    static ScriptWatchdog& instance();

    void add(ScriptRuntime* runtime);
    void remove(ScriptRuntime* runtime);

    ~ScriptWatchdog();

private:
    ScriptWatchdog() = default;
    void run();

    struct Watched
    {
        ScriptRuntime* runtime;
        quint32 sequence = 0;
        qint64 since = 0;
        bool fired = false;
    };

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::vector<Watched> m_watched;
    std::thread m_thread;
    bool m_stop = false;
};

} // namespace swarm
