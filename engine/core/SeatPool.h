#pragma once

#include <QtGlobal>

#include <functional>
#include <queue>
#include <vector>

namespace swarm {

// Seats of the open connections: each takes the lowest number no other open connection holds,
// and gives it back when closed. A seat is a connection's row of each unique data file, so a
// file of N rows serves N connections at a time however often they are closed and reopened.
class SeatPool
{
public:
    qint64 take()
    {
        if (m_free.empty()) return m_next++;
        const qint64 seat = m_free.top();
        m_free.pop();
        return seat;
    }
    void give(qint64 seat) { m_free.push(seat); }

private:
    std::priority_queue<qint64, std::vector<qint64>, std::greater<qint64>> m_free;
    qint64 m_next = 0;
};

} // namespace swarm
