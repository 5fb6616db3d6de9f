// The open model in the window (issue 14), after real runs against redis-server: with --rate the
// latency chart draws the latency from each round's intended start beside the service time, with
// its legend entries; in the closed loop it has neither. File > Export Report (HTML… and JSON)
// carries the run's thresholds, passed or failed, as the headless --html and --report do.
#include "FileController.h"
#include "MainWindow.h"
#include "TestServers.h"
#include "run/ChartsPanel.h"
#include "run/RunPanel.h"
#include "run/RunSession.h"
#include "run/TimeChart.h"

#include <QChart>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>

#include "GuiTestUtil.h"

using namespace swarm;

namespace {

constexpr int kTimeout = 15000;

QStringList seriesNames(const TimeChart* chart)
{
    QStringList names;
    for (int i = 0; i < chart->seriesCount(); ++i)
        names << chart->series(i)->name();
    return names;
}

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestOpenModelWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void latencyFromIntendedStartBesideServiceTime_data();
    void latencyFromIntendedStartBesideServiceTime();
    void closedLoopHasServiceTimeOnly();

private:
    void open(const QStringList& extra, const QString& io = QStringLiteral("auto"));
    test::RedisServer m_redis;
    std::unique_ptr<MainWindow> m_window;
};

void TestOpenModelWindow::initTestCase()
{
    test::useFreshSettings();
    QString error;
    QVERIFY2(m_redis.start(&error), qPrintable(error)); // a missing redis-server fails
}

void TestOpenModelWindow::open(const QStringList& extra, const QString& io)
{
    Options options;
    QString message;
    const QStringList args
        = QStringList {"swarm", "-r", QStringLiteral("127.0.0.1:%1").arg(m_redis.port()), "-s",
              test::sourcePath("scripts/redis.yml"), "-l", "127.0.0.1:0", "--threads", "2", "--io",
              io, "--connect-spread", "0"}
        + extra;
    QCOMPARE(parseOptions(args, &options, &message), ParseOutcome::Run);
    m_window = std::make_unique<MainWindow>(options);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_window->startInitialRun();
    QTRY_COMPARE_WITH_TIMEOUT(m_window->session()->state(), RunSession::State::Ready, kTimeout);
    // + opens the step's 10 connections.
    QTest::mouseClick(test::child<QPushButton>(m_window->runPanel(), "plusButton"), Qt::LeftButton);
}

void TestOpenModelWindow::cleanup()
{
    if (m_window) {
        m_window->files()->setAskUnsaved([](const QString&) { return QMessageBox::Discard; });
        m_window->close();
        QTRY_VERIFY_WITH_TIMEOUT(!m_window->isVisible(), kTimeout);
    }
    m_window.reset();
}

void TestOpenModelWindow::latencyFromIntendedStartBesideServiceTime_data()
{
    QTest::addColumn<QString>("io");
    for (const QString& io : test::transports())
        QTest::newRow(qPrintable(io)) << io;
}

void TestOpenModelWindow::latencyFromIntendedStartBesideServiceTime()
{
    QFETCH(QString, io);
    // 200 rounds/s over 10 connections: far below what redis serves, so it keeps up.
    open({"--rate", "200", "--threshold", "p99<10s", "--threshold", "rps>1000000"}, io);
    TimeChart* latency = m_window->chartsPanel()->latencyChart();
    QTRY_VERIFY_WITH_TIMEOUT(latency->seriesCount() == 4 && latency->pointCount(2) >= 3, kTimeout);
    QCOMPARE(seriesNames(latency),
        (QStringList {
            "p50 service", "p99 service", "p50 from intended start", "p99 from intended start"}));
    // Each line has its visible legend entry, as the report has.
    for (int i = 0; i < 4; ++i) {
        const QList<QLegendMarker*> markers
            = latency->chart()->legend()->markers(latency->series(i));
        QCOMPARE(markers.size(), 1);
        QVERIFY(markers.first()->isVisible());
        QVERIFY(latency->series(i)->isVisible());
    }
    // The same seconds on both: a round's latency from its intended start includes its service
    // time, so each second's percentile from the intended start is at least the service one.
    // Both come from histograms with the same buckets; a bucket's rounding is the same for both
    // (so no tolerance is needed beyond exact equality).
    const int points = qMin(latency->pointCount(1), latency->pointCount(3));
    QVERIFY(points >= 3);
    for (int i = 0; i < points; ++i) {
        const QPointF service = latency->series(1)->at(latency->pointCount(1) - 1 - i);
        const QPointF intended = latency->series(3)->at(latency->pointCount(3) - 1 - i);
        if (service.x() != intended.x()) continue; // a second without a reply has no point
        QVERIFY2(intended.y() >= service.y(),
            qPrintable(QStringLiteral("%1 s: p99 from intended start %2 ms < service %3 ms")
                           .arg(service.x())
                           .arg(intended.y())
                           .arg(service.y())));
    }

    // File > Export Report: the thresholds of the run, one passed, one failed, as headless.
    QTemporaryDir dir;
    QVERIFY(m_window->files()->exportHtml(dir.filePath("r.html")));
    const QByteArray page = readAll(dir.filePath("r.html"));
    QVERIFY(page.contains("p99&lt;10s"));
    QVERIFY(page.contains("rps&gt;1000000"));
    QVERIFY(page.contains("<span class=\"pass\">passed</span>"));
    QVERIFY(page.contains("<span class=\"fail\">FAILED</span>"));
    QVERIFY(!page.contains("No thresholds were set"));
    QVERIFY(page.contains("p99 from intended start"));
    QVERIFY(m_window->files()->exportReport(dir.filePath("r.json")));
    const QJsonArray thresholds
        = QJsonDocument::fromJson(readAll(dir.filePath("r.json"))).object()["thresholds"].toArray();
    QCOMPARE(thresholds.size(), 2);
    QCOMPARE(thresholds[0].toObject()["threshold"].toString(), QString("p99<10s"));
    QVERIFY(thresholds[0].toObject()["passed"].toBool());
    QVERIFY(!thresholds[1].toObject()["passed"].toBool());
}

void TestOpenModelWindow::closedLoopHasServiceTimeOnly()
{
    open({});
    TimeChart* latency = m_window->chartsPanel()->latencyChart();
    QTRY_VERIFY_WITH_TIMEOUT(latency->pointCount(1) >= 3, kTimeout);
    QCOMPARE(seriesNames(latency), (QStringList {"p50", "p99"}));
    // Without thresholds the exported page says so.
    QTemporaryDir dir;
    QVERIFY(m_window->files()->exportHtml(dir.filePath("r.html")));
    const QByteArray page = readAll(dir.filePath("r.html"));
    QVERIFY(page.contains("No thresholds were set"));
    QVERIFY(!page.contains("from intended start"));
}

QTEST_MAIN(TestOpenModelWindow)
#include "tst_openmodelwindow.moc"
