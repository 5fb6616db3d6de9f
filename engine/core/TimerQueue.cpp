#include "core/TimerQueue.h"

namespace swarm {

void TimerQueue::schedule(quint32 slot, qint64 deadline)
{
    if (slot >= m_position.size()) m_position.resize(slot + 1, -1);
    const qint32 at = m_position[slot];
    if (at >= 0) {
        const qint64 old = m_heap[size_t(at)].deadline;
        m_heap[size_t(at)].deadline = deadline;
        if (deadline < old)
            siftUp(size_t(at));
        else
            siftDown(size_t(at));
        return;
    }
    m_heap.push_back({deadline, slot});
    m_position[slot] = qint32(m_heap.size() - 1);
    siftUp(m_heap.size() - 1);
}

void TimerQueue::cancel(quint32 slot)
{
    if (!isScheduled(slot)) return;
    removeAt(size_t(m_position[slot]));
}

bool TimerQueue::popDue(qint64 now, quint32* slot)
{
    if (m_heap.empty() || m_heap.front().deadline > now) return false;
    *slot = m_heap.front().slot;
    removeAt(0);
    return true;
}

void TimerQueue::removeAt(size_t i)
{
    m_position[m_heap[i].slot] = -1;
    const Item last = m_heap.back();
    m_heap.pop_back();
    if (i == m_heap.size()) return;
    place(i, last);
    siftUp(i);
    siftDown(size_t(m_position[last.slot]));
}

void TimerQueue::siftUp(size_t i)
{
    const Item item = m_heap[i];
    while (i > 0) {
        const size_t parent = (i - 1) / 2;
        if (m_heap[parent].deadline <= item.deadline) break;
        place(i, m_heap[parent]);
        i = parent;
    }
    place(i, item);
}

void TimerQueue::siftDown(size_t i)
{
    const Item item = m_heap[i];
    const size_t n = m_heap.size();
    while (true) {
        size_t child = 2 * i + 1;
        if (child >= n) break;
        if (child + 1 < n && m_heap[child + 1].deadline < m_heap[child].deadline) ++child;
        if (m_heap[child].deadline >= item.deadline) break;
        place(i, m_heap[child]);
        i = child;
    }
    place(i, item);
}

} // namespace swarm
