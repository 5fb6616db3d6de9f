// Every number the window shows is true (issue 19, item 4), checked on what the widgets show
// after real runs: against redis-server, and against a port where nothing listens. The window
// opens idle (nothing to stop), the run's clock and its report start at the first connection
// (not when the window opened), after Stop the "now" figures are 0, the headline tells connected
// from failing, and "Applied version N" goes once it no longer holds.
#include "FileController.h"
#include "MainWindow.h"
#include "TestServers.h"
#include "core/Engine.h"
#include "editor/CodeEditor.h"
#include "editor/ScenarioTabs.h"
#include "editor/YamlEditor.h"
#include "run/ChartsPanel.h"
#include "run/ConsolePane.h"
#include "run/RunHistory.h"
#include "run/RunPanel.h"
#include "run/RunSession.h"
#include "run/StateCountsView.h"
#include "run/TimeChart.h"

#include <QAction>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineSeries>
#include <QPushButton>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

#include "GuiTestUtil.h"

using namespace swarm;

namespace {

constexpr int kTimeout = 15000;
// Long enough that a clock started when the window opened would be far off from one started at
// the first connection: the checks below compare against the time since the + click.
constexpr int kIdleMs = 3000;

QString field(const MainWindow& w, const char* name)
{
    return test::child<QLabel>(&w, name)->text();
}

} // namespace

class TestRunTruth : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void idleAtOpenClockFromFirstConnectionZerosAfterStop_data();
    void idleAtOpenClockFromFirstConnectionZerosAfterStop();
    void headlineTellsConnectedFromFailing();
    void appliedMessageClearsWhenItNoLongerHolds();
    void runSettingsReachTheEngine();
    void newRunKeepsTheFinishedOne();

private:
    void open(const QString& server, const QString& io = QStringLiteral("epoll"));
    void clickPlus();
    test::RedisServer m_redis;
    std::unique_ptr<MainWindow> m_window;
};

void TestRunTruth::initTestCase()
{
    test::useFreshSettings();
    QString error;
    QVERIFY2(m_redis.start(&error), qPrintable(error)); // a missing redis-server fails
}

void TestRunTruth::open(const QString& server, const QString& io)
{
    Options options;
    QString message;
    const QStringList args = {"swarm", "-r", server, "-s", test::sourcePath("scripts/redis.yml"),
        "-l", "127.0.0.1:0", "--threads", "2", "--io", io, "--connect-spread", "0"};
    QCOMPARE(parseOptions(args, &options, &message), ParseOutcome::Run);
    test::forgetRunHistory(); // the runs of the test before are not this window's
    m_window = std::make_unique<MainWindow>(options);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_window->startInitialRun();
    QTRY_COMPARE_WITH_TIMEOUT(m_window->session()->state(), RunSession::State::Ready, kTimeout);
}

void TestRunTruth::clickPlus()
{
    QTest::mouseClick(test::child<QPushButton>(m_window->runPanel(), "plusButton"), Qt::LeftButton);
}

void TestRunTruth::cleanup()
{
    if (m_window) {
        m_window->files()->setAskUnsaved([](const QString&) { return QMessageBox::Discard; });
        m_window->close();
        QTRY_VERIFY_WITH_TIMEOUT(!m_window->isVisible(), kTimeout);
    }
    m_window.reset();
}

void TestRunTruth::idleAtOpenClockFromFirstConnectionZerosAfterStop_data()
{
    QTest::addColumn<QString>("io");
    for (const QString& io : test::transports())
        QTest::newRow(qPrintable(io)) << io;
}

void TestRunTruth::idleAtOpenClockFromFirstConnectionZerosAfterStop()
{
    QFETCH(QString, io);
    open(QStringLiteral("127.0.0.1:%1").arg(m_redis.port()), io);
    MainWindow& w = *m_window;
    RunPanel* panel = w.runPanel();
    auto* stop = test::child<QPushButton>(panel, "stopButton");
    // Open and idle: the console listens, nothing runs, nothing to stop.
    QCOMPARE(field(w, "statusState"), QString("Idle"));
    QVERIFY(!stop->isEnabled());
    QVERIFY(!w.action("actionStop")->isEnabled());
    QVERIFY(test::child<QLabel>(panel, "runSummary")->text().contains("Idle"));
    QTest::qWait(kIdleMs);
    QCOMPARE(field(w, "statusState"), QString("Idle"));

    const QDateTime clickedAt = QDateTime::currentDateTime();
    QElapsedTimer sinceClick;
    sinceClick.start();
    clickPlus();
    QTRY_COMPARE_WITH_TIMEOUT(field(w, "statusState"), QString("Running"), kTimeout);
    QVERIFY(stop->isEnabled());
    QVERIFY(w.action("actionStop")->isEnabled());
    QTRY_COMPARE_WITH_TIMEOUT(field(w, "statusConnections"), QString("Connected: 10"), kTimeout);
    QCOMPARE(field(w, "statusTarget"), QString("Target: 10"));
    QTRY_VERIFY_WITH_TIMEOUT(w.session()->snapshot().requests > 0, kTimeout);
    // The clock started at the click, not when the window opened kIdleMs before.
    const StatsSnapshot s = w.session()->snapshot();
    QVERIFY2(s.elapsedMs <= sinceClick.elapsed(),
        qPrintable(QStringLiteral("elapsed %1 ms, %2 ms since +")
                       .arg(s.elapsedMs)
                       .arg(sinceClick.elapsed())));
    // No idle samples: at most one a second since the click (and the first interval's).
    QVERIFY(w.session()->timeSeries().size() <= sinceClick.elapsed() / 1000 + 1);
    // The exported report's start and duration are the run's, so its average rate is too.
    QTemporaryDir dir;
    QVERIFY(w.files()->exportReport(dir.filePath("r.json")));
    QFile file(dir.filePath("r.json"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject report = QJsonDocument::fromJson(file.readAll()).object();
    const QDateTime started
        = QDateTime::fromString(report["started_at"].toString(), Qt::ISODateWithMs);
    QVERIFY2(started >= clickedAt.addMSecs(-1), qPrintable(report["started_at"].toString()));
    QVERIFY(report["duration_s"].toDouble() * 1000 <= double(sinceClick.elapsed()));

    // Stop: the last interval's figures were "now"; now nothing runs, and everything says 0.
    QTest::mouseClick(stop, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(w.session()->state(), RunSession::State::Finished, kTimeout);
    QCOMPARE(field(w, "statusState"), QString("Finished"));
    QCOMPARE(field(w, "statusConnections"), QString("Connected: 0"));
    QCOMPARE(field(w, "statusTarget"), QString("Target: 0"));
    QCOMPARE(field(w, "statusRps"), QLocale().toString(0.0, 'f', 1).prepend("Requests/s: "));
    auto* states = test::child<StateCountsView>(panel, "stateCounts");
    for (int i = 0; i < kStateCount; ++i)
        QCOMPARE(states->count(StateCountsView::NowRow, ConnState(i)), qint64(0));
    // The run's totals stay.
    QVERIFY(states->count(StateCountsView::TotalRow, ConnState::Acting) >= 10);
    QVERIFY(test::child<QLabel>(panel, "runSummary")->text().contains("Run finished"));
}

void TestRunTruth::headlineTellsConnectedFromFailing()
{
    // Nothing listens there: every connection is refused, waits, and tries again.
    open(QStringLiteral("127.0.0.1:%1").arg(test::freePort()));
    MainWindow& w = *m_window;
    QLabel* summary = test::child<QLabel>(w.runPanel(), "runSummary");
    clickPlus();
    QTRY_VERIFY_WITH_TIMEOUT(summary->text().contains("failing"), kTimeout);
    QVERIFY2(summary->text().contains("<b style='font-size:large'>0</b> connected"),
        qPrintable(summary->text()));
    QVERIFY(summary->text().contains("target 10"));
    QCOMPARE(field(w, "statusConnections"), QString("Connected: 0"));
    QCOMPARE(field(w, "statusTarget"), QString("Target: 10"));
    QVERIFY(field(w, "statusFailing") != QString("Failing: 0"));
}

void TestRunTruth::appliedMessageClearsWhenItNoLongerHolds()
{
    open(QStringLiteral("127.0.0.1:%1").arg(m_redis.port()));
    MainWindow& w = *m_window;
    RunPanel* panel = w.runPanel();
    QLabel* message = test::child<QLabel>(panel, "runMessage");
    clickPlus();
    QTRY_COMPARE_WITH_TIMEOUT(field(w, "statusConnections"), QString("Connected: 10"), kTimeout);
    CodeEditor* yaml = w.scenarioTabs()->yaml()->editor();
    const QString original = yaml->toPlainText();
    yaml->setPlainText(QString(original).replace("value: hello", "value: hello2"));
    auto* apply = test::child<QPushButton>(panel, "applyButton");
    QTRY_VERIFY_WITH_TIMEOUT(apply->isEnabled(), kTimeout);
    QTest::mouseClick(apply, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(message->text().contains("Applied version"), kTimeout);
    QVERIFY(message->isVisible());
    // The editor changes again: the load no longer runs what it shows; the message goes.
    yaml->setPlainText(QString(original).replace("value: hello", "value: hello3"));
    QTRY_VERIFY_WITH_TIMEOUT(apply->isEnabled(), kTimeout);
    QVERIFY(!message->isVisible());
    QVERIFY(!message->text().contains("Applied version"));
}

// Issue 19 item 6: ramp and timeouts in the run panel, not only on the command line.
void TestRunTruth::runSettingsReachTheEngine()
{
    open(QStringLiteral("127.0.0.1:%1").arg(m_redis.port()));
    MainWindow& w = *m_window;
    auto* ramp = test::child<QDoubleSpinBox>(w.runPanel(), "rampBox");
    ramp->setValue(5);
    QCOMPARE(w.session()->engine()->ramp(), 5.0); // the running engine, at once
    QVERIFY(w.consolePane()->text().contains("gui › ramp 5"));
    // Paced: 20 connections at 5 a second cannot all be asked for within the first second.
    w.runPanel()->setStepText("20");
    clickPlus();
    QTest::qWait(500);
    QVERIFY(w.session()->engine()->pendingRamp() > 0);
    test::child<QSpinBox>(w.runPanel(), "connectTimeoutBox")->setValue(1234);
    test::child<QSpinBox>(w.runPanel(), "replyTimeoutBox")->setValue(4321);
    w.session()->stop();
    QTRY_COMPARE_WITH_TIMEOUT(w.session()->state(), RunSession::State::Finished, kTimeout);
    QTest::mouseClick(test::child<QPushButton>(w.runPanel(), "newRunButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(w.session()->state(), RunSession::State::Ready, kTimeout);
    QCOMPARE(w.session()->engine()->config().connectTimeoutMs, 1234);
    QCOMPARE(w.session()->engine()->config().replyTimeoutMs, 4321);
    QCOMPARE(w.session()->engine()->ramp(), 5.0); // kept for the next run
}

// Issue 19 item 5: a new run keeps the finished one: its figures, time series and report can
// be compared in the charts and saved.
void TestRunTruth::newRunKeepsTheFinishedOne()
{
    open(QStringLiteral("127.0.0.1:%1").arg(m_redis.port()));
    MainWindow& w = *m_window;
    clickPlus();
    QTRY_VERIFY_WITH_TIMEOUT(w.session()->timeSeries().size() >= 2, kTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(w.session()->snapshot().requests > 0, kTimeout);
    w.session()->stop();
    QTRY_COMPARE_WITH_TIMEOUT(w.session()->state(), RunSession::State::Finished, kTimeout);
    const quint64 requests = w.session()->snapshot().requests;
    const int samples = w.session()->timeSeries().size();
    QVERIFY(w.history()->runs().isEmpty()); // finished, still shown: not history yet

    QTest::mouseClick(test::child<QPushButton>(w.runPanel(), "newRunButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(w.session()->state(), RunSession::State::Ready, kTimeout);
    QCOMPARE(w.history()->runs().size(), 1);
    const RunHistory::PastRun& past = w.history()->runs().first();
    QCOMPARE(quint64(past.report["totals"].toObject()["requests"].toDouble()), requests);
    QCOMPARE(past.series->size(), samples);
    QVERIFY(past.label.startsWith("Run 1"));
    // Compared in the charts: its requests/s beside the new run's.
    QComboBox* compare = w.chartsPanel()->compareBox();
    QCOMPARE(compare->count(), 2);
    compare->setCurrentIndex(1);
    QLineSeries* overlay = w.chartsPanel()->throughputChart()->overlay();
    QVERIFY(overlay);
    QCOMPARE(overlay->count(), samples);
    // Its report, as it was.
    QTemporaryDir dir;
    QString error;
    QVERIFY2(w.history()->writeReport(0, dir.filePath("run1.json"), &error), qPrintable(error));
    QFile file(dir.filePath("run1.json"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject report = QJsonDocument::fromJson(file.readAll()).object();
    QCOMPARE(quint64(report["totals"].toObject()["requests"].toDouble()), requests);
    compare->setCurrentIndex(0);
    QVERIFY(!w.chartsPanel()->throughputChart()->overlay());
}

QTEST_MAIN(TestRunTruth)
#include "tst_runtruth.moc"
