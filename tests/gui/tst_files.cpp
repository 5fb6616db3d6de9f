// The window's files: unsaved changes are asked about (Save / Discard / Cancel), File > Open
// loads the scenario with its module, the protocol combo switches modules, and a broken
// scenario on the command line opens with its problems and runs once fixed.
#include "FileController.h"
#include "MainWindow.h"
#include "RecentFiles.h"
#include "console/ConsoleServer.h"
#include "editor/ActionDetails.h"
#include "editor/CodeEditor.h"
#include "editor/DiagnosticsView.h"
#include "editor/ProtocolEditor.h"
#include "editor/ScenarioDocument.h"
#include "editor/ScenarioEditor.h"
#include "editor/ScenarioTabs.h"
#include "editor/YamlEditor.h"
#include "run/ConsolePane.h"
#include "run/RunController.h"
#include "run/RunSession.h"

#include <QComboBox>
#include <QFile>
#include <QFileInfo>
#include <QListWidget>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include "GuiTestUtil.h"

using namespace swarm;

namespace {
constexpr int kTimeout = 5000;
}

class TestFiles : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void unsavedChangesAreAskedAbout();
    void brokenScenarioOnTheCommandLine();
    void openAndProtocolSwitch();
};

void TestFiles::initTestCase()
{
    test::useFreshSettings();
}

void TestFiles::unsavedChangesAreAskedAbout()
{
    Options options;
    options.console.port = 0;
    MainWindow window(options);
    FileController* files = window.files();
    QStringList asked;
    QMessageBox::StandardButton answer = QMessageBox::Cancel;
    files->setAskUnsaved([&](const QString& q) {
        asked << q;
        return answer;
    });
    QTemporaryDir dir;
    files->setAskPath([&](const QString&, const QString&, const QString&, bool) {
        return dir.filePath("saved.yml");
    });
    ScenarioDocument* doc = window.document();
    // Nothing changed: New goes ahead without a question.
    files->newScenario();
    QVERIFY(asked.isEmpty());
    QCOMPARE(doc->scenarioName(), QString("untitled.yml"));

    window.scenarioTabs()->yaml()->editor()->setPlainText(doc->yaml() + "# mine\n");
    QVERIFY(doc->isModified());
    QVERIFY(window.isWindowModified());
    // Cancel: the edit stays.
    files->newScenario();
    QCOMPARE(asked.size(), 1);
    QVERIFY(asked[0].contains("untitled.yml"));
    QVERIFY(doc->yaml().endsWith("# mine\n"));
    // Save: written (untitled asks where), then New.
    answer = QMessageBox::Save;
    files->newScenario();
    QCOMPARE(asked.size(), 2);
    QFile saved(dir.filePath("saved.yml"));
    QVERIFY(saved.open(QIODevice::ReadOnly));
    QVERIFY(saved.readAll().endsWith("# mine\n"));
    QVERIFY(!doc->isModified());
    QVERIFY(!doc->yaml().contains("# mine"));
    // Discard: lost on purpose.
    window.scenarioTabs()->yaml()->editor()->setPlainText(doc->yaml() + "# again\n");
    answer = QMessageBox::Discard;
    files->newScenario();
    QVERIFY(!doc->yaml().contains("# again"));
    // Open Recent lists the saved file.
    QVERIFY(window.recentFiles()->files().contains(
        QFileInfo(dir.filePath("saved.yml")).absoluteFilePath()));
}

void TestFiles::brokenScenarioOnTheCommandLine()
{
    // swarm -s broken.yml: the window opens with the text and its problems; the run (and the
    // console) start the moment the text is fixed.
    QTemporaryDir dir;
    QFile f(dir.filePath("broken.yml"));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("protocol: durian\nactions:\n  - command: heartbeat\n    rounds: [5, 1]\n");
    f.close();
    Options options;
    QString message;
    QCOMPARE(parseOptions({"swarm", "-s", f.fileName(), "-l", "127.0.0.1:0"}, &options, &message),
        ParseOutcome::Run);
    MainWindow window(options);
    window.show();
    window.startInitialRun();
    QCOMPARE(window.session()->state(), RunSession::State::NotStarted);
    CodeEditor* editor = window.scenarioTabs()->yaml()->editor();
    QVERIFY(editor->toPlainText().contains("rounds: [5, 1]"));
    QVERIFY(window.scenarioTabs()->yaml()->diagnostics()->problemCount() >= 1);
    QVERIFY(window.scenarioTabs()->yaml()->diagnostics()->item(0)->text().startsWith("line 4"));
    QVERIFY(window.consolePane()->text().contains("start as soon as it is valid"));
    QString text = editor->toPlainText();
    editor->setPlainText(text.replace("[5, 1]", "[1, 5]"));
    QTRY_COMPARE_WITH_TIMEOUT(window.session()->state(), RunSession::State::Ready, kTimeout);
    QVERIFY(window.session()->controller()->console()->port() > 0);
    window.files()->setAskUnsaved([](const QString&) { return QMessageBox::Discard; });
    window.close();
    QTRY_VERIFY_WITH_TIMEOUT(!window.isVisible(), kTimeout);

    // A file that does not exist: the bundled example opens instead, and the window says why.
    QVERIFY(parseOptions({"swarm", "-s", dir.filePath("missing.yml"), "-l", "127.0.0.1:0"},
                &options, &message)
        == ParseOutcome::Run);
    MainWindow second(options);
    QCOMPARE(second.document()->scenarioName(), QString("example.yml"));
    QVERIFY(second.consolePane()->text().contains("missing.yml"));
}

void TestFiles::openAndProtocolSwitch()
{
    Options options;
    options.console.port = 0;
    MainWindow window(options);
    window.show();
    window.files()->setAskPath([](const QString&, const QString&, const QString&, bool) {
        return QStringLiteral(SWARM_SOURCE_DIR "/scripts/redis.yml");
    });
    // File > Open, as the menu does it.
    window.action("actionOpen")->trigger();
    ScenarioDocument* doc = window.document();
    QCOMPARE(doc->scenarioName(), QString("redis.yml"));
    QCOMPARE(doc->modulePath(), QString(SWARM_SOURCE_DIR "/protocols/redis.js"));
    ScenarioEditor* visual = window.scenarioTabs()->visual();
    QTRY_COMPARE_WITH_TIMEOUT(visual->actionList()->count(), 3, kTimeout);
    QCOMPARE(visual->protocolBox()->currentText(), QString("redis"));
    QVERIFY(window.windowTitle().startsWith("redis.yml"));
    QCOMPARE(window.scenarioTabs()->tabText(ScenarioTabs::ProtocolTab), QString("redis.js"));
    QCOMPARE(window.recentFiles()->files().value(0),
        QFileInfo(SWARM_SOURCE_DIR "/scripts/redis.yml").absoluteFilePath());

    // Another protocol from the combo: its module is loaded, and the actions' commands that it
    // does not have are flagged, with the line.
    QComboBox* protocol = visual->protocolBox();
    const int simple = protocol->findText("simple");
    QVERIFY(simple >= 0);
    protocol->setCurrentIndex(simple);
    Q_EMIT protocol->activated(simple);
    QVERIFY(window.scenarioTabs()->yaml()->editor()->toPlainText().contains("protocol: simple\n"));
    QTRY_COMPARE_WITH_TIMEOUT(doc->moduleName(), QString("simple"), kTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(!doc->scenarioDiagnostics().isEmpty(), kTimeout);
    QVERIFY(doc->scenarioDiagnostics().first().message.contains("has no command 'set'"));
    QVERIFY(
        window.scenarioTabs()->protocol()->editor()->toPlainText().contains("function heartbeat"));
    QVERIFY(visual->details()->commandBox()->currentText().contains("not in"));

    // View shortcuts switch the tabs.
    window.action("actionTab2")->trigger();
    QCOMPARE(window.scenarioTabs()->currentIndex(), int(ScenarioTabs::ProtocolTab));
    window.action("actionTab0")->trigger();
    QCOMPARE(window.scenarioTabs()->currentIndex(), int(ScenarioTabs::VisualTab));
    window.files()->setAskUnsaved([](const QString&) { return QMessageBox::Discard; });
}

QTEST_MAIN(TestFiles)
#include "tst_files.moc"
