#pragma once

#include <QRandomGenerator>
#include <QString>
#include <QtGlobal>

namespace swarm {

// A scenario number: a fixed value or a [min, max] range drawn anew at every use.
// Rounds are counts; sleeps are seconds (decimals allowed, e.g. 0.25).
// When both bounds were written as integers a draw picks a whole number in [min, max]
// (the original tool used randint); otherwise a uniform real number, to the millisecond.
struct ValueRange
{
    double min = 0;
    double max = 0;
    bool integral = true; // every bound written as an integer
    bool isRange = false; // written as [min, max]
    // As the file wrote it ("[0.5, 2]", "1.50"): toYaml gives it back while the value is the one
    // read, so an editor that rewrites the file leaves values nobody touched as they were.
    // Empty for values made in an editor. Not part of ==.
    QString written;

    static ValueRange fixed(double value, bool integral = true);
    static ValueRange range(double min, double max, bool integral);

    // A draw for a count (rounds): integral ranges only.
    int drawCount(QRandomGenerator& rng) const;
    // A draw of seconds, returned in milliseconds.
    qint64 drawMilliseconds(QRandomGenerator& rng) const;

    // The way a user writes it in YAML: "1", "0.25", "[1, 5]" (or as it was written).
    QString toYaml() const;

    bool operator==(const ValueRange& o) const
    {
        return min == o.min && max == o.max && integral == o.integral && isRange == o.isRange;
    }
    bool operator!=(const ValueRange& o) const { return !(*this == o); }
};

} // namespace swarm
