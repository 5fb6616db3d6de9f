#pragma once

#include <QtGlobal>
#include <limits>
#include <vector>

namespace swarm {

// The deadlines of one worker's connections in one indexed binary min-heap: each connection
// (slot) has at most one deadline — its sleep, its connect or reply timeout, or its reconnect —
// and the worker keeps a single timer armed at the earliest. Scheduling, moving and cancelling
// are O(log n); nothing fires for a connection before its deadline.
class TimerQueue
{
public:
    static constexpr qint64 kNever = std::numeric_limits<qint64>::max();

    void schedule(quint32 slot, qint64 deadline);
    void cancel(quint32 slot);
    bool isScheduled(quint32 slot) const
    {
        return slot < m_position.size() && m_position[slot] >= 0;
    }
    qint64 nextDeadline() const { return m_heap.empty() ? kNever : m_heap.front().deadline; }
    // Removes and returns a slot whose deadline is <= now; false when there is none.
    bool popDue(qint64 now, quint32* slot);
    size_t size() const { return m_heap.size(); }

private:
    struct Item
    {
        qint64 deadline;
        quint32 slot;
    };
    void siftUp(size_t i);
    void siftDown(size_t i);
    void place(size_t i, const Item& item)
    {
        m_heap[i] = item;
        m_position[item.slot] = qint32(i);
    }
    void removeAt(size_t i);

    std::vector<Item> m_heap;
    std::vector<qint32> m_position; // by slot; -1 when not scheduled
};

} // namespace swarm
