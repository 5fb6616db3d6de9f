#include "net/TlsVerdictWait.h"

#include <QtGlobal>
#include <chrono>

namespace swarm {

TlsVerdictWait::TlsVerdictWait(Expired expired, QObject* parent)
    : QObject(parent)
    , m_expired(std::move(expired))
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, [this] { fire(); });
}

qint64 TlsVerdictWait::nowUs()
{
    return std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

void TlsVerdictWait::add(quint32 slot, quint32 generation, qint64 handshakeUs)
{
    const qint64 waitUs = qBound(kMinMs * 1000, 2 * handshakeUs, kMaxMs * 1000);
    m_queue.push({nowUs() + waitUs, slot, generation});
    arm();
}

// Entries whose connection got its verdict meanwhile (or closed) are reported all the same:
// the caller drops those whose generation or state no longer matches.
void TlsVerdictWait::fire()
{
    const qint64 now = nowUs();
    while (!m_queue.empty() && m_queue.top().deadlineUs <= now) {
        const Item item = m_queue.top();
        m_queue.pop();
        m_expired(item.slot, item.generation);
    }
    arm();
}

void TlsVerdictWait::arm()
{
    if (m_queue.empty()) {
        m_timer.stop();
        return;
    }
    const qint64 inMs = (m_queue.top().deadlineUs - nowUs() + 999) / 1000;
    m_timer.start(int(qMax<qint64>(0, inMs)));
}

} // namespace swarm
