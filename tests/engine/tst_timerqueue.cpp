#include "core/TimerQueue.h"

#include <QRandomGenerator>
#include <QTest>

#include <map>

using namespace swarm;

class TstTimerQueue : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void popsInDeadlineOrder();
    void rescheduleAndCancelAgreeWithAModel();
};

void TstTimerQueue::popsInDeadlineOrder()
{
    TimerQueue q;
    q.schedule(3, 300);
    q.schedule(1, 100);
    q.schedule(2, 200);
    QCOMPARE(q.nextDeadline(), qint64(100));
    quint32 slot = 0;
    QVERIFY(!q.popDue(99, &slot));
    QVERIFY(q.popDue(250, &slot));
    QCOMPARE(slot, quint32(1));
    QVERIFY(q.popDue(250, &slot));
    QCOMPARE(slot, quint32(2));
    QVERIFY(!q.popDue(250, &slot));
    QCOMPARE(q.size(), size_t(1));
}

// Random schedule / reschedule / cancel / pop against a plain map: same answers throughout.
void TstTimerQueue::rescheduleAndCancelAgreeWithAModel()
{
    QRandomGenerator rng(42);
    TimerQueue q;
    std::map<quint32, qint64> model;
    qint64 now = 0;
    for (int step = 0; step < 200000; ++step) {
        const quint32 slot = rng.bounded(500u);
        switch (rng.bounded(4u)) {
        case 0:
        case 1: {
            const qint64 deadline = now + qint64(rng.bounded(10000u));
            q.schedule(slot, deadline);
            model[slot] = deadline;
            break;
        }
        case 2:
            q.cancel(slot);
            model.erase(slot);
            break;
        case 3: {
            now += rng.bounded(50u);
            quint32 popped = 0;
            while (q.popDue(now, &popped)) {
                QVERIFY(model.count(popped));
                QVERIFY(model[popped] <= now);
                model.erase(popped);
            }
            for (const auto& [s, d] : model)
                QVERIFY2(d > now, "a due deadline was not popped");
            break;
        }
        }
        QCOMPARE(q.size(), model.size());
        QCOMPARE(q.isScheduled(slot), model.count(slot) == 1);
    }
}

QTEST_GUILESS_MAIN(TstTimerQueue)
#include "tst_timerqueue.moc"
