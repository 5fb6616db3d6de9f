#pragma once

#include <QObject>
#include <QTimer>
#include <functional>
#include <queue>
#include <vector>

namespace swarm {

// TLS 1.3 ends the client's side of the handshake before the server has checked the client's
// certificate: a server that refuses it (or requires one that was not sent) says so one round
// trip later, with an alert. Until then a connection is not counted as secured. The server's
// first record after the handshake (a session ticket, data or the alert) ends the wait; a
// server that sends nothing unasked is given twice the handshake's own time (the refusal
// travels one round trip, the handshake took at least one), between kMinMs and kMaxMs. This
// class holds the connections waiting, by deadline, and reports the ones whose wait ran out.
class TlsVerdictWait : public QObject
{
public:
    static constexpr qint64 kMinMs = 20;
    static constexpr qint64 kMaxMs = 1000;
    using Expired = std::function<void(quint32 slot, quint32 generation)>;

    explicit TlsVerdictWait(Expired expired, QObject* parent = nullptr);
    // For a transport's entries by slot (each with generation, verdict and handshakeStartUs):
    // calls secured(slot) for an entry still waiting when its wait ends.
    template<class Entry, class Secured>
    static TlsVerdictWait* forEntries(
        const std::vector<Entry>* entries, Secured secured, QObject* parent)
    {
        return new TlsVerdictWait(
            [entries, secured](quint32 slot, quint32 generation) {
                if (slot < entries->size() && (*entries)[slot].generation == generation
                    && (*entries)[slot].verdict)
                    secured(slot);
            },
            parent);
    }
    static qint64 nowUs(); // a monotonic clock
    // The entry of `slot` waits for its verdict from now on.
    template<class Entry> void wait(quint32 slot, Entry& e)
    {
        e.verdict = true;
        add(slot, e.generation, nowUs() - e.handshakeStartUs);
    }
    // Waits for the slot's verdict; its handshake took handshakeUs.
    void add(quint32 slot, quint32 generation, qint64 handshakeUs);

private:
    struct Item
    {
        qint64 deadlineUs;
        quint32 slot;
        quint32 generation;
        bool operator>(const Item& o) const { return deadlineUs > o.deadlineUs; }
    };
    void fire();
    void arm();

    Expired m_expired;
    std::priority_queue<Item, std::vector<Item>, std::greater<Item>> m_queue;
    QTimer m_timer;
};

} // namespace swarm
