// The run history outlives the window (issue 19 item 5): the runs a window kept are stored in
// the application's data location (here a temporary XDG_DATA_HOME) and a new window opens with
// them, their reports, series and thresholds as they were; a history file that is corrupt or
// cannot be read is reported, set aside, and does not stop the window from opening.
#include "FileController.h"
#include "MainWindow.h"
#include "TestServers.h"
#include "run/ChartsPanel.h"
#include "run/ConsolePane.h"
#include "run/RunHistory.h"
#include "run/RunSession.h"
#include "run/TimeChart.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QLineSeries>
#include <QMessageBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include "GuiTestUtil.h"

using namespace swarm;

namespace {
constexpr int kTimeout = 15000;
}

class TestRunHistory : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void historySurvivesTheWindow();
    void unreadableHistoryIsReported_data();
    void unreadableHistoryIsReported();

private:
    void openWindow();
    void closeWindow();
    QTemporaryDir m_home;
    std::unique_ptr<MainWindow> m_window;
};

void TestRunHistory::initTestCase()
{
    QVERIFY(m_home.isValid());
    // Not QStandardPaths' test mode: the window's own location, under a home of the test's.
    qputenv("XDG_DATA_HOME", QDir(m_home.path()).filePath("data").toUtf8());
    qputenv("XDG_CONFIG_HOME", QDir(m_home.path()).filePath("config").toUtf8());
    QCoreApplication::setOrganizationName(QStringLiteral("swarm-tests"));
    QVERIFY(RunHistoryFile::defaultPath().startsWith(m_home.path()));
}

void TestRunHistory::openWindow()
{
    Options options;
    QString message;
    // No --server: the embedded demo server, with the bundled example scenario.
    const QStringList args = {"swarm", "-l", "127.0.0.1:0", "--threads", "1", "--connect-spread",
        "0", "--threshold", "errors<1000000"};
    QCOMPARE(parseOptions(args, &options, &message), ParseOutcome::Run);
    m_window = std::make_unique<MainWindow>(options);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_window->startInitialRun();
    QTRY_COMPARE_WITH_TIMEOUT(m_window->session()->state(), RunSession::State::Ready, kTimeout);
}

void TestRunHistory::closeWindow()
{
    if (!m_window) return;
    m_window->files()->setAskUnsaved([](const QString&) { return QMessageBox::Discard; });
    m_window->close();
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->isVisible(), kTimeout);
    m_window.reset();
}

void TestRunHistory::cleanup()
{
    closeWindow();
}

void TestRunHistory::historySurvivesTheWindow()
{
    QFile::remove(RunHistoryFile::defaultPath());
    openWindow();
    RunSession* session = m_window->session();
    session->incr(3);
    QTRY_VERIFY_WITH_TIMEOUT(session->timeSeries().size() >= 2, kTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(session->snapshot().requests > 0, kTimeout);
    session->stop();
    QTRY_COMPARE_WITH_TIMEOUT(session->state(), RunSession::State::Finished, kTimeout);
    const quint64 requests = session->snapshot().requests;
    const int samples = session->timeSeries().size();
    QVERIFY(session->restart()); // a new run: the finished one joins the history
    QTRY_COMPARE_WITH_TIMEOUT(session->state(), RunSession::State::Ready, kTimeout);
    QCOMPARE(m_window->history()->runs().size(), 1);
    const QString label = m_window->history()->runs().first().label;
    QVERIFY(QFile::exists(RunHistoryFile::defaultPath()));
    // Run 2 is still going when the window closes: closing stops it, and it is kept too.
    session->incr(1);
    QTRY_VERIFY_WITH_TIMEOUT(session->snapshot().requests > 0, kTimeout);
    closeWindow();

    openWindow();
    const QList<RunHistory::PastRun>& runs = m_window->history()->runs();
    QCOMPARE(runs.size(), 2);
    QCOMPARE(runs[0].number, 2);
    QVERIFY(runs[0].label.startsWith("Run 2"));
    QCOMPARE(runs[1].label, label);
    QCOMPARE(runs[1].number, 1);
    const QJsonObject report = runs[1].report;
    QCOMPARE(quint64(report["totals"].toObject()["requests"].toDouble()), requests);
    const QJsonArray thresholds = report["thresholds"].toArray();
    QCOMPARE(thresholds.size(), 1);
    QCOMPARE(thresholds[0].toObject()["passed"].toBool(), true);
    QCOMPARE(runs[1].series->size(), samples);
    QVERIFY(m_window->history()->loadProblem().isEmpty());
    // Compared in the charts as a run of this window would be.
    QComboBox* compare = m_window->chartsPanel()->compareBox();
    QCOMPARE(compare->count(), 3);
    QVERIFY(compare->isEnabled());
    compare->setCurrentIndex(2);
    QLineSeries* overlay = m_window->chartsPanel()->throughputChart()->overlay();
    QVERIFY(overlay);
    QCOMPARE(overlay->count(), samples);

    // The next run the new window keeps is number 3, beside the others.
    session = m_window->session();
    session->incr(1);
    QTRY_VERIFY_WITH_TIMEOUT(session->snapshot().requests > 0, kTimeout);
    session->stop();
    QTRY_COMPARE_WITH_TIMEOUT(session->state(), RunSession::State::Finished, kTimeout);
    QVERIFY(session->restart());
    QCOMPARE(m_window->history()->runs().size(), 3);
    QCOMPARE(m_window->history()->runs().first().number, 3);
    QList<RunHistoryFile::Entry> stored;
    QString error;
    QVERIFY2(
        RunHistoryFile::load(RunHistoryFile::defaultPath(), &stored, &error), qPrintable(error));
    QCOMPARE(stored.size(), 3);
}

void TestRunHistory::unreadableHistoryIsReported_data()
{
    QTest::addColumn<bool>("directory");
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("words");
    QTest::newRow("not JSON") << false << QByteArray("{\"format\": 1, \"runs\": [")
                              << "not a swarm run history";
    QTest::newRow("another JSON") << false << QByteArray("{\"hello\": 1}")
                                  << "no format 1 'runs' list";
    QTest::newRow("a directory") << true << QByteArray() << "cannot read";
}

void TestRunHistory::unreadableHistoryIsReported()
{
    QFETCH(bool, directory);
    QFETCH(QByteArray, content);
    QFETCH(QString, words);
    const QString path = RunHistoryFile::defaultPath();
    QFile::remove(path);
    QFile::remove(path + ".bad");
    QDir(path + ".bad").removeRecursively();
    QDir().mkpath(QFileInfo(path).absolutePath());
    if (directory) {
        QVERIFY(QDir().mkpath(path));
    } else {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(content);
    }
    openWindow(); // it opens, and runs
    const QString problem = m_window->history()->loadProblem();
    QVERIFY2(problem.contains(words) && problem.contains(path), qPrintable(problem));
    QVERIFY(m_window->history()->runs().isEmpty());
    QVERIFY2(m_window->consolePane()->text().contains("The run history could not be read"),
        qPrintable(m_window->consolePane()->text()));
    // Set aside for the user to look at, not overwritten by the next run's history.
    QVERIFY(QFileInfo::exists(path + ".bad"));
    QVERIFY(!QFileInfo::exists(path));
    if (!directory) {
        QFile aside(path + ".bad");
        QVERIFY(aside.open(QIODevice::ReadOnly));
        QCOMPARE(aside.readAll(), content);
    }
    m_window->session()->incr(1);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->session()->snapshot().requests > 0, kTimeout);
    m_window->session()->stop();
    QTRY_COMPARE_WITH_TIMEOUT(m_window->session()->state(), RunSession::State::Finished, kTimeout);
    QVERIFY(m_window->session()->restart());
    QCOMPARE(m_window->history()->runs().size(), 1);
    QVERIFY(QFileInfo(path).isFile());
}

QTEST_MAIN(TestRunHistory)
#include "tst_runhistory.moc"
