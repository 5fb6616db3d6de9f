#include "fleet/HostLookup.h"

#include <QMutex>
#include <QThreadPool>

namespace swarm {

// The owner is cleared under the mutex when it is destroyed: a pool thread posts an answer only
// while holding it, so it never posts to a destroyed object, and an answer posted before the
// owner's end is dropped with the owner's other pending events.
struct HostLookup::Mailbox
{
    QMutex mutex;
    HostLookup* owner = nullptr;
};

HostLookup::HostLookup(QObject* parent)
    : QObject(parent)
    , m_mailbox(std::make_shared<Mailbox>())
{
    m_mailbox->owner = this;
}

HostLookup::~HostLookup()
{
    const QMutexLocker lock(&m_mailbox->mutex);
    m_mailbox->owner = nullptr;
}

void HostLookup::lookup(const QString& name, Done done)
{
    QThreadPool::globalInstance()->start([mailbox = m_mailbox, name, done = std::move(done)] {
        const QHostInfo answer = QHostInfo::fromName(name);
        const QMutexLocker lock(&mailbox->mutex);
        if (!mailbox->owner) return;
        QMetaObject::invokeMethod(
            mailbox->owner, [answer, done] { done(answer); }, Qt::QueuedConnection);
    });
}

} // namespace swarm
