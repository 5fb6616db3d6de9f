#include "core/ArrivalSchedule.h"

#include <QRandomGenerator>
#include <QString>

#include <cmath>

namespace swarm {

const char* arrivalKindName(ArrivalKind kind)
{
    return kind == ArrivalKind::Poisson ? "poisson" : "fixed";
}

bool parseArrivalKind(const QString& text, ArrivalKind* kind)
{
    const QString t = text.trimmed().toLower();
    if (t == QLatin1String("fixed"))
        *kind = ArrivalKind::Fixed;
    else if (t == QLatin1String("poisson"))
        *kind = ArrivalKind::Poisson;
    else
        return false;
    return true;
}

qint64 ArrivalSchedule::gap(qint64 meanUs, ArrivalKind kind, QRandomGenerator& rng)
{
    if (kind == ArrivalKind::Fixed) return qMax<qint64>(1, meanUs);
    // Inverse transform: -ln(U) * mean with U in (0, 1]; capped at 20 means (e^-20: never in
    // practice) so one draw cannot stall a connection for good.
    const double u = 1.0 - rng.generateDouble();
    const double g = -std::log(u) * double(meanUs);
    return qMax<qint64>(1, qint64(qMin(g, 20.0 * double(meanUs))));
}

qint64 ArrivalSchedule::next(
    qint64 nowUs, qint64 intervalUs, ArrivalKind kind, QRandomGenerator& rng)
{
    intervalUs = qMax<qint64>(1, intervalUs);
    if (m_lastUs == 0) {
        // A random phase: uniform within one interval (fixed), or the process's own first gap.
        const qint64 phase = kind == ArrivalKind::Fixed ? qint64(rng.bounded(quint64(intervalUs)))
                                                        : gap(intervalUs, kind, rng);
        m_lastUs = nowUs + phase;
    } else {
        m_lastUs += gap(intervalUs, kind, rng);
    }
    m_intervalUs = intervalUs;
    return m_lastUs;
}

void ArrivalSchedule::reset()
{
    m_lastUs = 0;
    m_intervalUs = 0;
}

qint64 ArrivalSchedule::backlog(qint64 nowUs) const
{
    if (m_lastUs == 0 || m_intervalUs <= 0 || nowUs <= m_lastUs) return 0;
    return (nowUs - m_lastUs) / m_intervalUs;
}

} // namespace swarm
