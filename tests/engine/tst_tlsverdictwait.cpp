// TlsVerdictWait: how long a TLS 1.3 connection waits for the server's verdict on its client
// certificate when the server sends nothing (twice the handshake's time, 20 ms to 1 s), and that
// the waits end in deadline order whatever the order they were added in.
#include "net/TlsVerdictWait.h"

#include <QElapsedTimer>
#include <QTest>

using namespace swarm;

class TstTlsVerdictWait : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void waitsTwiceTheHandshakeWithinBounds();
};

void TstTlsVerdictWait::waitsTwiceTheHandshakeWithinBounds()
{
    QElapsedTimer clock;
    QList<QPair<quint32, qint64>> ended; // slot, ms after the start
    TlsVerdictWait wait([&](quint32 slot, quint32 generation) {
        QCOMPARE(generation, slot + 100);
        ended.append({slot, clock.elapsed()});
    });
    clock.start();
    wait.add(0, 100, 5000000); // a 5 s handshake: capped at 1 s
    wait.add(1, 101, 100000); // 100 ms: 200 ms
    wait.add(2, 102, 1000); // 1 ms: the floor, 20 ms
    QTRY_COMPARE_WITH_TIMEOUT(ended.size(), 3, 5000);
    QCOMPARE(ended[0].first, 2u);
    QCOMPARE(ended[1].first, 1u);
    QCOMPARE(ended[2].first, 0u);
    // Never early; late by at most the event loop's latency on a busy machine (QTRY polls
    // every 50 ms, and a loaded 2-core VM has stalled for a few hundred ms).
    QVERIFY2(ended[0].second >= 20 && ended[0].second < 20 + 500,
        qPrintable(QString::number(ended[0].second)));
    QVERIFY2(ended[1].second >= 200 && ended[1].second < 200 + 500,
        qPrintable(QString::number(ended[1].second)));
    QVERIFY2(ended[2].second >= 1000 && ended[2].second < 1000 + 500,
        qPrintable(QString::number(ended[2].second)));
}

QTEST_GUILESS_MAIN(TstTlsVerdictWait)
#include "tst_tlsverdictwait.moc"
