#pragma once

#include <QtGlobal>

class QRandomGenerator;

namespace swarm {

// How arrivals of the open model are spaced: exactly `interval` apart, or as a Poisson process
// (exponential gaps with that mean).
enum class ArrivalKind : quint8 { Fixed, Poisson };

const char* arrivalKindName(ArrivalKind kind);
bool parseArrivalKind(const QString& text, ArrivalKind* kind);

// One connection's arrival schedule in the open model (--rate, an action's `rate:`): the
// intended start times of its rounds. The schedule runs on whether or not the connection keeps
// up: an arrival that finds the connection busy waits, and its latency counts from its intended
// start (no coordinated omission). Plain arithmetic on microsecond times: no clock, no thread.
class ArrivalSchedule
{
public:
    // The intended start of the next arrival, `intervalUs` after the previous one (on average,
    // for Poisson). The first after a reset() falls at a random phase within one interval from
    // `nowUs`, so that connections started together do not arrive together.
    qint64 next(qint64 nowUs, qint64 intervalUs, ArrivalKind kind, QRandomGenerator& rng);
    // Forgets the schedule: the next arrival starts a new one (a new TCP connection, a round
    // that was not paced, a changed rate).
    void reset();
    bool isRunning() const { return m_lastUs != 0; }
    qint64 lastUs() const { return m_lastUs; }
    qint64 intervalUs() const { return m_intervalUs; }
    // Arrivals due by `nowUs` that have not started: those after the last one taken (a
    // connection still busy with an earlier round is behind by this many).
    qint64 backlog(qint64 nowUs) const;

    // A gap of `meanUs` on average: itself (fixed) or an exponential draw (Poisson), never 0.
    static qint64 gap(qint64 meanUs, ArrivalKind kind, QRandomGenerator& rng);

private:
    qint64 m_lastUs = 0; // intended start of the last arrival taken; 0: not running
    qint64 m_intervalUs = 0;
};

} // namespace swarm
