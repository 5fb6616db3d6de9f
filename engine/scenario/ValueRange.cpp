#include "scenario/ValueRange.h"

#include <cmath>

namespace swarm {

ValueRange ValueRange::fixed(double value, bool integral)
{
    ValueRange r;
    r.min = r.max = value;
    r.integral = integral;
    return r;
}

ValueRange ValueRange::range(double min, double max, bool integral)
{
    ValueRange r;
    r.min = min;
    r.max = max;
    r.integral = integral;
    r.isRange = true;
    return r;
}

int ValueRange::drawCount(QRandomGenerator& rng) const
{
    const qint64 lo = qint64(min);
    const qint64 hi = qint64(max);
    if (hi <= lo) return int(lo);
    return int(lo + qint64(rng.bounded(quint64(hi - lo + 1))));
}

qint64 ValueRange::drawMilliseconds(QRandomGenerator& rng) const
{
    if (integral) {
        const qint64 lo = qint64(min);
        const qint64 hi = qint64(max);
        const qint64 seconds = hi <= lo ? lo : lo + qint64(rng.bounded(quint64(hi - lo + 1)));
        return seconds * 1000;
    }
    const qint64 lo = std::llround(min * 1000.0);
    const qint64 hi = std::llround(max * 1000.0);
    if (hi <= lo) return lo;
    return lo + qint64(rng.bounded(quint64(hi - lo + 1)));
}

static QString number(double v, bool integral)
{
    if (integral) return QString::number(qint64(v));
    QString s = QString::number(v, 'g', 15);
    if (!s.contains(QLatin1Char('.')) && !s.contains(QLatin1Char('e'))) s += QStringLiteral(".0");
    return s;
}

QString ValueRange::toYaml() const
{
    if (!written.isEmpty()) return written;
    if (!isRange) return number(min, integral);
    // A real range needs its ".0" only when both bounds are whole: [0.5, 2] says it already.
    const bool mark = integral || (std::floor(min) == min && std::floor(max) == max);
    if (!mark)
        return QStringLiteral("[%1, %2]")
            .arg(QString::number(min, 'g', 15), QString::number(max, 'g', 15));
    return QStringLiteral("[%1, %2]").arg(number(min, integral), number(max, integral));
}

} // namespace swarm
