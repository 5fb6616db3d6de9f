// Closing the window with a run going stops it cleanly: every connection is closed (the server
// sees them go), --report is written as in headless mode, then the window closes. Unsaved changes
// are asked about first, and Cancel keeps both the window and the run.
#include "FileController.h"
#include "MainWindow.h"
#include "core/Engine.h"
#include "editor/ScenarioDocument.h"
#include "run/DemoServer.h"
#include "run/RunController.h"
#include "run/RunPanel.h"
#include "run/RunSession.h"

#include <QComboBox>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include "GuiTestUtil.h"

using namespace swarm;

namespace {
constexpr int kTimeout = 15000;
}

class TestCloseWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void closingStopsTheRunCleanly();
    void cancelKeepsWindowAndRun();
    void closingWhileTheRunStartsClosesAtOnce();
};

void TestCloseWindow::initTestCase()
{
    test::useFreshSettings();
}

void TestCloseWindow::closingStopsTheRunCleanly()
{
    QTemporaryDir dir;
    Options options;
    options.console.port = 0;
    options.engine.connectSpreadMaxMs = 0;
    options.reportFile = dir.filePath("report.json");
    MainWindow window(options);
    window.show();
    window.startInitialRun();
    QTRY_COMPARE_WITH_TIMEOUT(window.session()->state(), RunSession::State::Ready, kTimeout);
    test::child<QComboBox>(window.runPanel(), "stepBox")->setCurrentText("50");
    QTest::mouseClick(test::child<QPushButton>(window.runPanel(), "plusButton"), Qt::LeftButton);
    DemoServer* demo = window.session()->controller()->demoServer();
    QTRY_COMPARE_WITH_TIMEOUT(demo->connections(), 50, kTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(window.session()->engine()->snapshot().requests > 0, kTimeout);

    QSignalSpy finished(window.session()->controller(), &RunController::finished);
    window.close(); // the user closes the window mid-run
    QTRY_VERIFY_WITH_TIMEOUT(!window.isVisible(), kTimeout);
    QCOMPARE(finished.size(), 1);
    QCOMPARE(window.session()->state(), RunSession::State::Finished);
    QCOMPARE(window.session()->engine()->phase(), Engine::Phase::Stopped);
    QTRY_COMPARE_WITH_TIMEOUT(demo->connections(), 0, kTimeout);
    QFile report(options.reportFile);
    QVERIFY(report.open(QIODevice::ReadOnly));
    const QJsonObject json = QJsonDocument::fromJson(report.readAll()).object();
    QVERIFY(!json.isEmpty());
}

void TestCloseWindow::cancelKeepsWindowAndRun()
{
    QSettings().clear();
    Options options;
    options.console.port = 0;
    options.engine.connectSpreadMaxMs = 0;
    MainWindow window(options);
    window.show();
    window.startInitialRun();
    QTRY_COMPARE_WITH_TIMEOUT(window.session()->state(), RunSession::State::Ready, kTimeout);
    QTest::mouseClick(test::child<QPushButton>(window.runPanel(), "plusButton"), Qt::LeftButton);
    DemoServer* demo = window.session()->controller()->demoServer();
    QTRY_COMPARE_WITH_TIMEOUT(demo->connections(), 10, kTimeout);

    // An unsaved edit: closing asks; Cancel keeps the window and the run.
    window.document()->setYaml(window.document()->yaml() + "# edited\n");
    int asked = 0;
    QMessageBox::StandardButton answer = QMessageBox::Cancel;
    window.files()->setAskUnsaved([&](const QString&) {
        ++asked;
        return answer;
    });
    window.close();
    QCOMPARE(asked, 1);
    QVERIFY(window.isVisible());
    QCOMPARE(window.session()->state(), RunSession::State::Ready);
    QCOMPARE(demo->connections(), 10);

    answer = QMessageBox::Discard;
    window.close();
    QCOMPARE(asked, 2);
    QTRY_VERIFY_WITH_TIMEOUT(!window.isVisible(), kTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(demo->connections(), 0, kTimeout);
    QCOMPARE(window.session()->state(), RunSession::State::Finished);
}

// A run still starting (just after New Run) stops inside stop() itself; the window closed at
// once before, not after its 15 s "did not stop" timeout (the close it asked for came while its
// own close was under way and was dropped).
void TestCloseWindow::closingWhileTheRunStartsClosesAtOnce()
{
    QSettings().clear();
    Options options;
    options.console.port = 0;
    MainWindow window(options);
    window.show();
    window.startInitialRun();
    QTRY_COMPARE_WITH_TIMEOUT(window.session()->state(), RunSession::State::Ready, kTimeout);
    window.session()->stop();
    QTRY_COMPARE_WITH_TIMEOUT(window.session()->state(), RunSession::State::Finished, kTimeout);
    QVERIFY(window.session()->restart());
    QCOMPARE(window.session()->state(), RunSession::State::Starting);
    QElapsedTimer clock;
    clock.start();
    window.close();
    // Stopping workers that never ran is a thread join: well under a second. 5 s leaves room for
    // a loaded machine and still fails the 15 s timeout.
    QTRY_VERIFY_WITH_TIMEOUT(!window.isVisible(), 5000);
    QVERIFY2(clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(window.session()->state(), RunSession::State::Finished);
}

QTEST_MAIN(TestCloseWindow)
#include "tst_closewindow.moc"
