#pragma once

#include <QMetaObject>

#include <utility>

// ThreadSanitizer is told of the hand-over only in its builds (GCC: __SANITIZE_THREAD__; clang:
// __has_feature(thread_sanitizer)).
#if defined(__SANITIZE_THREAD__)
#define SWARM_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define SWARM_TSAN 1
#endif
#endif
#ifdef SWARM_TSAN
extern "C" void __tsan_acquire(void* address);
extern "C" void __tsan_release(void* address);
#endif

namespace swarm {

// Runs `work` on `receiver`'s thread, from its event loop (a queued call): how the engine hands
// work to a worker. Qt orders the hand-over with its own futex-based mutex, which ThreadSanitizer
// cannot see in a Qt not built for it, so in TSan builds the sender releases and the receiver
// acquires on the receiver's address: what `work` carries (a vector built by the sender) is then
// known to be ordered, and a real race stays visible. Plain builds: just the queued call.
template<typename Receiver, typename Work> void postTo(Receiver* receiver, Work&& work)
{
#ifdef SWARM_TSAN
    __tsan_release(receiver);
    QMetaObject::invokeMethod(
        receiver,
        [receiver, work = std::forward<Work>(work)]() mutable {
            __tsan_acquire(receiver);
            work();
        },
        Qt::QueuedConnection);
#else
    QMetaObject::invokeMethod(receiver, std::forward<Work>(work), Qt::QueuedConnection);
#endif
}

} // namespace swarm
