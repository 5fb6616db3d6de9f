// ArrivalSchedule: the open model's intended start times, on plain numbers (no clock).
#include "core/ArrivalSchedule.h"

#include <QRandomGenerator>
#include <QTest>

#include <cmath>

using namespace swarm;

class TstArrivalSchedule : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fixedArrivalsAreExactlyApart();
    void poissonGapsHaveTheMean();
    void backlogCountsArrivalsDue();
    void resetStartsAgainFromNow();
    void kindsParse();
};

void TstArrivalSchedule::fixedArrivalsAreExactlyApart()
{
    QRandomGenerator rng(1);
    ArrivalSchedule s;
    const qint64 now = 1000000;
    const qint64 first = s.next(now, 10000, ArrivalKind::Fixed, rng);
    // The first falls at a random phase within one interval, so that connections started
    // together spread out.
    QVERIFY(first >= now && first < now + 10000);
    qint64 at = first;
    for (int i = 1; i <= 1000; ++i) {
        // Later arrivals run on the schedule whatever the time is now: a connection that is
        // late gets arrivals in the past and catches up.
        at = s.next(now, 10000, ArrivalKind::Fixed, rng);
        QCOMPARE(at, first + qint64(i) * 10000);
    }
}

void TstArrivalSchedule::poissonGapsHaveTheMean()
{
    QRandomGenerator rng(7);
    ArrivalSchedule s;
    const int n = 100000;
    const qint64 first = s.next(0, 1000, ArrivalKind::Poisson, rng);
    double sumSquares = 0;
    qint64 prev = first;
    for (int i = 0; i < n; ++i) {
        const qint64 at = s.next(0, 1000, ArrivalKind::Poisson, rng);
        sumSquares += double(at - prev) * double(at - prev);
        prev = at;
    }
    const double mean = double(prev - first) / n;
    // Exponential gaps: the standard deviation equals the mean (1000 µs), so the mean of 100,000
    // is within 1000 / sqrt(100000) = 3.2 µs one sigma: 2 % is over 6 sigma.
    QVERIFY2(qAbs(mean - 1000) < 20, qPrintable(QString::number(mean)));
    // And the spread is that of an exponential (a fixed schedule would have none): E[g²] = 2m².
    const double secondMoment = sumSquares / n;
    QVERIFY2(qAbs(secondMoment / (2.0 * 1000 * 1000) - 1) < 0.05,
        qPrintable(QString::number(secondMoment)));
}

void TstArrivalSchedule::backlogCountsArrivalsDue()
{
    QRandomGenerator rng(3);
    ArrivalSchedule s;
    QCOMPARE(s.backlog(5000000), 0); // not running
    const qint64 at = s.next(0, 1000, ArrivalKind::Fixed, rng);
    QCOMPARE(s.backlog(at - 1), 0); // the arrival taken is still ahead
    QCOMPARE(s.backlog(at + 999), 0); // the next is not due yet
    QCOMPARE(s.backlog(at + 1000), 1);
    QCOMPARE(s.backlog(at + 10500), 10); // a connection busy for 10.5 intervals
    QCOMPARE(s.intervalUs(), 1000);
}

void TstArrivalSchedule::resetStartsAgainFromNow()
{
    QRandomGenerator rng(5);
    ArrivalSchedule s;
    s.next(0, 1000, ArrivalKind::Fixed, rng);
    s.reset();
    QVERIFY(!s.isRunning());
    const qint64 at = s.next(50000000, 1000, ArrivalKind::Fixed, rng);
    QVERIFY(at >= 50000000 && at < 50001000);
}

void TstArrivalSchedule::kindsParse()
{
    ArrivalKind k = ArrivalKind::Fixed;
    QVERIFY(parseArrivalKind(QStringLiteral("Poisson"), &k));
    QCOMPARE(k, ArrivalKind::Poisson);
    QVERIFY(parseArrivalKind(QStringLiteral("fixed"), &k));
    QCOMPARE(k, ArrivalKind::Fixed);
    QVERIFY(!parseArrivalKind(QStringLiteral("uniform"), &k));
    QCOMPARE(QLatin1String(arrivalKindName(ArrivalKind::Poisson)), QLatin1String("poisson"));
}

QTEST_GUILESS_MAIN(TstArrivalSchedule)
#include "tst_arrivalschedule.moc"
