#pragma once

#include <QHostInfo>
#include <QObject>

#include <functional>
#include <memory>

namespace swarm {

// Looks a host name up afresh on every call, off the calling thread. QHostInfo::lookupHost is
// not enough for a name whose records change (a Kubernetes headless Service): it answers from
// Qt's own cache of successful lookups for 60 s (QHostInfoLookupManager's QHostInfoCache, Qt 6.4
// and later), so an address that left the name would stay an agent for up to a minute.
// QHostInfo::fromName asks the system's resolver every time (it fills that cache, never reads
// it), but blocks: it runs on a thread of Qt's global pool and the answer is delivered on this
// object's thread through its event loop. Destroying this object drops answers still to come;
// the application, at its end, waits for a lookup under way (as it does for QHostInfo's own).
class HostLookup : public QObject
{
    Q_OBJECT
public:
    using Done = std::function<void(const QHostInfo&)>;

    explicit HostLookup(QObject* parent = nullptr);
    ~HostLookup() override;

    // done(answer) runs on this object's thread, unless it is destroyed first. A caller that
    // looks names up on a timer keeps at most one lookup per name under way: a resolver that
    // hangs then holds one thread, not one more each interval.
    void lookup(const QString& name, Done done);

private:
    struct Mailbox; // where a pool thread hands the answer back; outlives this object
    std::shared_ptr<Mailbox> m_mailbox;
};

} // namespace swarm
