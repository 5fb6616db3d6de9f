// The scenario editors kept in sync: a visual edit changes the YAML text, a YAML edit changes
// the visual editor, an invalid text shows its problems with line numbers and is never thrown
// away, and the protocol module view checks its source. Real loaders, real widgets.
#include "FileController.h"
#include "MainWindow.h"
#include "RecentFiles.h"
#include "console/ConsoleServer.h"
#include "editor/ActionDetails.h"
#include "editor/ArgsTable.h"
#include "editor/CodeEditor.h"
#include "editor/DataFilesView.h"
#include "editor/DiagnosticsView.h"
#include "editor/ProtocolEditor.h"
#include "editor/RangeEdit.h"
#include "editor/ScenarioDocument.h"
#include "editor/ScenarioEditor.h"
#include "editor/ScenarioTabs.h"
#include "editor/YamlEditor.h"
#include "run/ConsolePane.h"
#include "run/RunController.h"
#include "run/RunSession.h"
#include "scenario/ScenarioLoader.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QToolButton>

#include "GuiTestUtil.h"
#include <QTreeWidget>

using namespace swarm;

namespace {

constexpr int kTimeout = 5000;

QString yamlText(ScenarioTabs* tabs)
{
    return tabs->yaml()->editor()->toPlainText();
}

// The line of the YAML text `n` lines after the first that contains `marker`.
QString lineAfter(const QString& text, const QString& marker, int n)
{
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (int i = 0; i < lines.size(); ++i)
        if (lines[i].contains(marker)) return i + n < lines.size() ? lines[i + n] : QString();
    return QString();
}

} // namespace

class TestScenarioEditor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void visualEditChangesYaml();
    void argsTableNamesAndValues();
    void addRemoveDuplicateReorder();
    void yamlEditChangesVisual();
    void typedYamlChangesVisual();
    void invalidYamlShowsErrorAndKeepsText();
    void syntaxErrorKeepsText();
    void visualEditKeepsHeaderComments();
    void visualEditKeepsUntouchedValuesAsWritten();
    void indentationMistakeReportedOnItsLine();
    void syntaxMistakesReportedOnTheirLine_data();
    void syntaxMistakesReportedOnTheirLine();
    void moduleCheckShowsLineNumbers();
    void moduleEditUpdatesCommands();
    void moduleCheckFindsUnknownMethodAndWarnings();
    void dataFilesShownAndChecked();
    void rateFieldRoundTrips();

private:
    std::unique_ptr<ScenarioDocument> m_doc;
    std::unique_ptr<ScenarioTabs> m_tabs;
};

void TestScenarioEditor::initTestCase()
{
    test::useFreshSettings();
}

void TestScenarioEditor::init()
{
    m_doc = std::make_unique<ScenarioDocument>(QString(), 1000);
    QString error;
    QVERIFY2(
        m_doc->openScenario(QStringLiteral(":/scripts/example.yml"), &error), qPrintable(error));
    QVERIFY(m_doc->bundle());
    m_tabs = std::make_unique<ScenarioTabs>(m_doc.get());
    m_tabs->resize(600, 800);
    m_tabs->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_tabs.get()));
}

void TestScenarioEditor::cleanup()
{
    m_tabs.reset();
    m_doc.reset();
}

void TestScenarioEditor::visualEditChangesYaml()
{
    ScenarioEditor* visual = m_tabs->visual();
    QCOMPARE(visual->scenario().actions.size(), 5);
    QCOMPARE(visual->actionList()->count(), 5);
    visual->actionList()->setCurrentRow(2); // say: rounds [2, 5]
    ActionDetails* details = visual->details();
    QCOMPARE(details->commandBox()->currentText(), QString("say"));
    QVERIFY(details->roundsEdit()->rangeBox()->isChecked());

    // Rounds: a fixed 4 instead of the range.
    details->roundsEdit()->rangeBox()->click();
    QVERIFY(!details->roundsEdit()->maximumBox()->isVisible());
    details->roundsEdit()->minimumBox()->setValue(4);
    QCOMPARE(lineAfter(yamlText(m_tabs.get()), "command: say", 4), QString("    rounds: 4"));
    QCOMPARE(m_doc->yaml(), yamlText(m_tabs.get()));
    QVERIFY(m_doc->scenarioModified());

    // Sleep after the action: a range of real seconds.
    details->sleepAfterEdit()->rangeBox()->click();
    details->sleepAfterEdit()->maximumBox()->setValue(2.5);
    QCOMPARE(lineAfter(yamlText(m_tabs.get()), "command: say", 6),
        QString("    sleep_after_action: [1, 2.5]")); // 2.5 says "real seconds" already

    // The command, picked from the module's commands with the keyboard, as a user would.
    QComboBox* command = details->commandBox();
    QVERIFY(command->count() >= 7);
    QVERIFY(command->findText("heartbeat") >= 0 && command->findText("close_connection") >= 0);
    command->setFocus();
    const int before = command->currentIndex();
    QTest::keyClick(command, Qt::Key_Down);
    QCOMPARE(command->currentIndex(), before + 1);
    const QString picked = command->currentText();
    QVERIFY(yamlText(m_tabs.get()).contains("  - command: " + picked + "\n"));
    QVERIFY(!yamlText(m_tabs.get()).contains("command: say"));

    // Undo in the YAML text brings the previous text back: the edit was one undoable step.
    m_tabs->yaml()->editor()->undo();
    QVERIFY(yamlText(m_tabs.get()).contains("command: say"));

    // The edited text is what the document validates: still valid, a bundle to run.
    m_doc->validateNow();
    QVERIFY(m_doc->scenarioDiagnostics().isEmpty());
    QVERIFY(m_doc->bundle());
}

void TestScenarioEditor::argsTableNamesAndValues()
{
    ScenarioEditor* visual = m_tabs->visual();
    visual->actionList()->setCurrentRow(0); // login(uid="${row.users.uid}", password=...)
    ArgsTable* args = visual->details()->argsTable();
    // One row per parameter of login, named by the module.
    QCOMPARE(args->rowCount(), 2);
    QCOMPARE(args->item(0, ArgsTable::NameColumn)->text(), QString("uid"));
    QCOMPARE(args->item(1, ArgsTable::NameColumn)->text(), QString("password"));
    QCOMPARE(args->item(0, ArgsTable::ValueColumn)->text(), QString("\"${row.users.uid}\""));

    args->item(0, ArgsTable::ValueColumn)->setText("456");
    QCOMPARE(lineAfter(yamlText(m_tabs.get()), "command: login", 2), QString("      uid: 456"));
    // A string that looks like a number stays a string: the YAML says so with quotes.
    args->item(1, ArgsTable::ValueColumn)->setText("\"007\"");
    QCOMPARE(
        lineAfter(yamlText(m_tabs.get()), "command: login", 3), QString("      password: \"007\""));
    // Empty: the parameter's default; the arg leaves the YAML.
    args->item(1, ArgsTable::ValueColumn)->setText("");
    QVERIFY(!yamlText(m_tabs.get()).contains("password:"));
    // Not one YAML value: marked, and the action keeps its last good value.
    const QString before = yamlText(m_tabs.get());
    args->item(0, ArgsTable::ValueColumn)->setText("[1, 2");
    QCOMPARE(yamlText(m_tabs.get()), before);
    QVERIFY(!args->item(0, ArgsTable::ValueColumn)->toolTip().isEmpty());
}

void TestScenarioEditor::addRemoveDuplicateReorder()
{
    ScenarioEditor* visual = m_tabs->visual();
    auto commands = [this] {
        QStringList names;
        const QStringList lines = yamlText(m_tabs.get()).split('\n');
        for (const QString& l : lines)
            if (l.startsWith("  - command: ")) names << l.mid(13);
        return names;
    };
    QCOMPARE(
        commands(), QStringList({"login", "enter_chatroom", "say", "leave_chatroom", "heartbeat"}));
    visual->actionList()->setCurrentRow(1);
    visual->findChild<QToolButton*>("duplicateActionButton")->click();
    QCOMPARE(commands(),
        QStringList(
            {"login", "enter_chatroom", "enter_chatroom", "say", "leave_chatroom", "heartbeat"}));
    QCOMPARE(visual->currentAction(), 2);
    visual->findChild<QToolButton*>("removeActionButton")->click();
    QCOMPARE(commands().size(), 5);
    visual->actionList()->setCurrentRow(4);
    visual->findChild<QToolButton*>("moveUpButton")->click();
    QCOMPARE(
        commands(), QStringList({"login", "enter_chatroom", "say", "heartbeat", "leave_chatroom"}));
    visual->actionList()->setCurrentRow(0);
    visual->findChild<QToolButton*>("addActionButton")->click();
    QCOMPARE(commands().size(), 6);
    QCOMPARE(commands().at(1), m_doc->moduleInfo().commands.first().name);

    // Reordering by drag: the list's rows move, the actions follow.
    QAbstractItemModel* model = visual->actionList()->model();
    QVERIFY(model->moveRow(QModelIndex(), 0, QModelIndex(), 6)); // login to the end
    QTRY_COMPARE_WITH_TIMEOUT(commands().last(), QString("login"), kTimeout);
    QCOMPARE(visual->scenario().actions.last().command, QString("login"));

    // The last action cannot be removed: a scenario needs one.
    Scenario one = visual->scenario();
    one.actions.resize(1);
    visual->setScenario(one);
    QVERIFY(!visual->findChild<QToolButton*>("removeActionButton")->isEnabled());
}

void TestScenarioEditor::yamlEditChangesVisual()
{
    CodeEditor* editor = m_tabs->yaml()->editor();
    QString text = editor->toPlainText();
    text.replace("roomid: 7\n    rounds: 1", "roomid: 9\n    rounds: 3");
    editor->setPlainText(text); // as a paste would
    QCOMPARE(m_doc->yaml(), text);
    ScenarioEditor* visual = m_tabs->visual();
    QTRY_COMPARE_WITH_TIMEOUT(visual->scenario().actions[1].rounds.min, 3.0, kTimeout);
    QCOMPARE(visual->scenario().actions[1].args[0].value.toInt(), 9);
    QVERIFY(visual->actionList()->item(1)->text().contains("roomid=9"));
    visual->actionList()->setCurrentRow(1);
    QCOMPARE(visual->details()->roundsEdit()->minimumBox()->value(), 3.0);
    QCOMPARE(visual->details()->argsTable()->item(0, ArgsTable::ValueColumn)->text(), QString("9"));
    // The text itself was not rewritten: comments and layout are as typed.
    QCOMPARE(editor->toPlainText(), text);
}

void TestScenarioEditor::typedYamlChangesVisual()
{
    CodeEditor* editor = m_tabs->yaml()->editor();
    editor->setFocus();
    // Types at the end of "      roomid: 7" of the second action, key by key.
    const QTextBlock block = editor->document()->find("roomid: 7").block();
    QVERIFY(block.isValid());
    QTextCursor c(block);
    c.movePosition(QTextCursor::EndOfBlock);
    editor->setTextCursor(c);
    QTest::keyClicks(editor, "4");
    QTRY_COMPARE_WITH_TIMEOUT(
        m_tabs->visual()->scenario().actions[1].args[0].value.toInt(), 74, kTimeout);
}

void TestScenarioEditor::invalidYamlShowsErrorAndKeepsText()
{
    CodeEditor* editor = m_tabs->yaml()->editor();
    const Scenario before = m_tabs->visual()->scenario();
    QString text = editor->toPlainText();
    const int line = int(text.left(text.indexOf("rounds: [2, 5]")).count('\n')) + 1;
    text.replace("rounds: [2, 5]", "rounds: lots");
    editor->setPlainText(text);

    DiagnosticsView* problems = m_tabs->yaml()->diagnostics();
    QTRY_VERIFY_WITH_TIMEOUT(m_tabs->visual()->isBlocked(), kTimeout);
    QCOMPARE(problems->problemCount(), 1);
    QVERIFY2(problems->item(0)->text().startsWith(QString("line %1").arg(line)),
        qPrintable(problems->item(0)->text()));
    QVERIFY(problems->item(0)->text().contains("rounds"));
    // The text stays exactly as typed, and the visual editor neither changes nor overwrites it.
    QCOMPARE(editor->toPlainText(), text);
    QCOMPARE(m_doc->yaml(), text);
    QCOMPARE(m_tabs->visual()->scenario(), before);
    QVERIFY(!m_doc->bundle());
    QVERIFY(m_tabs->tabText(ScenarioTabs::YamlTab).contains("1 ✘"));
    // The red wave is under that line.
    bool marked = false;
    for (const QTextEdit::ExtraSelection& s : editor->extraSelections())
        marked = marked
            || (s.format.underlineStyle() == QTextCharFormat::WaveUnderline
                && s.cursor.blockNumber() + 1 == line);
    QVERIFY(marked);

    // A click on the problem goes to its line.
    editor->moveCursor(QTextCursor::Start);
    QTest::mouseClick(problems->viewport(), Qt::LeftButton, {},
        problems->visualItemRect(problems->item(0)).center());
    QCOMPARE(editor->cursorLine(), line);

    // Fixed: the visual editor shows it again.
    text.replace("rounds: lots", "rounds: 6");
    editor->setPlainText(text);
    QTRY_VERIFY_WITH_TIMEOUT(!m_tabs->visual()->isBlocked(), kTimeout);
    QCOMPARE(m_tabs->visual()->scenario().actions[2].rounds.min, 6.0);
    QCOMPARE(problems->problemCount(), 0);
}

void TestScenarioEditor::syntaxErrorKeepsText()
{
    CodeEditor* editor = m_tabs->yaml()->editor();
    const QString text = "protocol: durian\nactions: [login, say\n";
    editor->setPlainText(text);
    QTRY_VERIFY_WITH_TIMEOUT(m_tabs->visual()->isBlocked(), kTimeout);
    QVERIFY(m_tabs->yaml()->diagnostics()->problemCount() >= 1);
    QVERIFY(m_tabs->yaml()->diagnostics()->item(0)->text().contains("line"));
    // Keeps typing into the broken text: nothing is replaced under the user's hands.
    editor->moveCursor(QTextCursor::End);
    QTest::keyClicks(editor, "# still typing");
    QTest::qWait(ScenarioDocument::kValidateDelayMs * 2);
    QCOMPARE(editor->toPlainText(), text + "# still typing");
    // Buttons of the blocked visual editor do nothing to the text.
    m_tabs->visual()->addAction();
    QCOMPARE(editor->toPlainText(), text + "# still typing");
}

void TestScenarioEditor::visualEditKeepsHeaderComments()
{
    QVERIFY(yamlText(m_tabs.get()).startsWith("# The demo scenario"));
    m_tabs->visual()->actionList()->setCurrentRow(4);
    m_tabs->visual()->details()->roundsEdit()->maximumBox()->setValue(20);
    const QString text = yamlText(m_tabs.get());
    QVERIFY(text.startsWith("# The demo scenario"));
    QVERIFY(text.contains("    rounds: [2, 20]\n"));
    // The cursor sits on the edited action.
    QCOMPARE(
        m_tabs->yaml()->editor()->textCursor().block().text(), QString("  - command: heartbeat"));
}

// Issue 19 item 8: a visual edit rewrites the file, but values nobody touched stay as written.
void TestScenarioEditor::visualEditKeepsUntouchedValuesAsWritten()
{
    CodeEditor* editor = m_tabs->yaml()->editor();
    editor->setPlainText("protocol: durian\nactions:\n  - command: login\n"
                         "    sleep_after_action: [0.5, 2]\n    sleep_between_rounds: 1.50\n"
                         "  - command: say\n    rounds: [2, 5]\n");
    QTRY_COMPARE_WITH_TIMEOUT(m_tabs->visual()->actionList()->count(), 2, kTimeout);
    m_tabs->visual()->actionList()->setCurrentRow(1);
    m_tabs->visual()->details()->roundsEdit()->maximumBox()->setValue(9);
    const QString text = yamlText(m_tabs.get());
    QVERIFY2(text.contains("    rounds: [2, 9]\n"), qPrintable(text));
    QVERIFY2(text.contains("    sleep_after_action: [0.5, 2]\n"), qPrintable(text));
    QVERIFY2(text.contains("    sleep_between_rounds: 1.50\n"), qPrintable(text));
    // An edited real range gets no ".0" where a bound already says it is real.
    m_tabs->visual()->actionList()->setCurrentRow(0);
    m_tabs->visual()->details()->sleepAfterEdit()->minimumBox()->setValue(0.25);
    QVERIFY2(yamlText(m_tabs.get()).contains("    sleep_after_action: [0.25, 2]\n"),
        qPrintable(yamlText(m_tabs.get())));
}

// Issue 19 item 8: an indentation mistake is reported on its own line, in plain words, not on
// the next line as yaml-cpp's "end of map not found".
void TestScenarioEditor::indentationMistakeReportedOnItsLine()
{
    CodeEditor* editor = m_tabs->yaml()->editor();
    const QString text = "protocol: durian\n" // 1
                         "actions:\n" // 2
                         "  - command: login\n" // 3
                         "    args:\n" // 4
                         "      uid: 1\n" // 5
                         "     password: x\n" // 6: one space short
                         "    rounds: 1\n"; // 7
    editor->setPlainText(text);
    QTRY_VERIFY_WITH_TIMEOUT(m_tabs->visual()->isBlocked(), kTimeout);
    m_doc->validateNow();
    QVERIFY(!m_doc->scenarioDiagnostics().isEmpty());
    const Diagnostic d = m_doc->scenarioDiagnostics().first();
    QCOMPARE(d.line, 6);
    QVERIFY2(d.message.contains("indented by 5 spaces"), qPrintable(d.message));
    QVERIFY2(!d.message.contains("end of map"), qPrintable(d.message));
    QVERIFY(m_tabs->yaml()->diagnostics()->item(0)->text().contains("6"));
}

void TestScenarioEditor::syntaxMistakesReportedOnTheirLine_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("words");
    const QString head = "protocol: durian\nactions:\n  - command: login\n"; // lines 1-3
    QTest::newRow("unclosed [") << head + "    args: {uid: [1, 2}\n    rounds: 1\n"
                                << 4 << "the '[' opened here is never closed";
    QTest::newRow("unclosed quote") << head + "    args: {uid: \"1}\n    rounds: 1\n"
                                    << 4 << "double quote (\") opened here is never closed";
    QTest::newRow("tab") << head + "\trounds: 1\n" << 4 << "indented with a tab";
    QTest::newRow("glued key") << head + "    rounds:1\n    args: {uid: 1}\n"
                               << 4 << "'rounds:1' needs a space after the ':'";
}

// Issue 19 item 8: the other common slips are shown in the editor on the line typed wrong.
void TestScenarioEditor::syntaxMistakesReportedOnTheirLine()
{
    QFETCH(QString, text);
    QFETCH(int, line);
    QFETCH(QString, words);
    m_tabs->yaml()->editor()->setPlainText(text);
    QTRY_VERIFY_WITH_TIMEOUT(m_tabs->visual()->isBlocked(), kTimeout);
    m_doc->validateNow();
    QVERIFY(!m_doc->scenarioDiagnostics().isEmpty());
    const Diagnostic d = m_doc->scenarioDiagnostics().first();
    QCOMPARE(d.line, line);
    QVERIFY2(d.message.contains(words), qPrintable(d.message));
    const QString shown = m_tabs->yaml()->diagnostics()->item(0)->text();
    QVERIFY2(shown.contains(QString::number(line)) && shown.contains(words), qPrintable(shown));
}

void TestScenarioEditor::moduleCheckShowsLineNumbers()
{
    ProtocolEditor* module = m_tabs->protocol();
    QVERIFY(module->check());
    QVERIFY(module->checkResult()->text().contains("OK"));
    QVERIFY(module->checkResult()->text().contains("heartbeat"));
    QString source = module->editor()->toPlainText();
    const int line = int(source.left(source.indexOf("function* say")).count('\n')) + 1;
    source.replace("function* say(client, roomid = 7, text = 'hello') {",
        "function* say(client, roomid = 7, text = 'hello') { let = ;");
    module->editor()->setPlainText(source);
    QVERIFY(!module->check());
    QVERIFY(module->diagnostics()->problemCount() >= 1);
    QVERIFY2(module->diagnostics()->item(0)->text().startsWith(QString("line %1").arg(line)),
        qPrintable(module->diagnostics()->item(0)->text()));
    QVERIFY(module->checkResult()->text().contains("1 problem"));
    // The document knows too: no bundle to run while the module is broken.
    QTRY_VERIFY_WITH_TIMEOUT(!m_doc->validationPending(), kTimeout);
    QVERIFY(!m_doc->bundle());
    QVERIFY(m_doc->moduleModified());
}

void TestScenarioEditor::moduleEditUpdatesCommands()
{
    ProtocolEditor* module = m_tabs->protocol();
    module->editor()->moveCursor(QTextCursor::End);
    module->editor()->insertPlainText("\nfunction wave(client, hand, times = 2) {\n"
                                      "    client.send_noreply(`wave ${hand}\\r\\n`);\n}\n");
    QTRY_VERIFY_WITH_TIMEOUT(
        m_tabs->visual()->details()->commandBox()->findText("wave") >= 0, kTimeout);
    // Picking it lists its parameters by name.
    ActionDetails* details = m_tabs->visual()->details();
    m_tabs->visual()->actionList()->setCurrentRow(0);
    details->commandBox()->setCurrentIndex(details->commandBox()->findText("wave"));
    Q_EMIT details->commandBox()->activated(details->commandBox()->currentIndex());
    QCOMPARE(details->argsTable()->rowCount(), 2);
    QCOMPARE(details->argsTable()->item(0, 0)->text(), QString("hand"));
    QCOMPARE(details->argsTable()->item(1, 2)->text(), QString("optional"));
    QVERIFY(yamlText(m_tabs.get()).contains("  - command: wave\n    rounds: 1"));
}

void TestScenarioEditor::moduleCheckFindsUnknownMethodAndWarnings()
{
    ProtocolEditor* module = m_tabs->protocol();
    QString source = module->editor()->toPlainText();
    const int line = int(source.left(source.indexOf("function heartbeat")).count('\n')) + 2;
    source.replace("    client.send_for_reply(_request('tcp.heartbeat'",
        "    client.send_for_replay(_request('tcp.heartbeat'");
    module->editor()->setPlainText(source);
    QVERIFY(!module->check());
    QCOMPARE(module->diagnostics()->problemCount(), 1);
    const QString text = module->diagnostics()->item(0)->text();
    QVERIFY2(
        text.startsWith(QString("line %1, 'heartbeat': client has no method 'send_for_replay'; "
                                "did you mean 'send_for_reply'?")
                            .arg(line)),
        qPrintable(text));
    // A warning only: the check passes and says so.
    source.replace("client.send_for_replay(", "client.send_for_reply(");
    source.replace("function close_connection(client) {\n    client.close_connection();\n",
        "function close_connection(client) {\n    client.close_connection();\n    "
        "client.sleep(1);\n");
    module->editor()->setPlainText(source);
    QVERIFY(module->check());
    QVERIFY2(module->checkResult()->text().contains("(1 warning)"),
        qPrintable(module->checkResult()->text()));
    QVERIFY(module->diagnostics()->item(0)->text().contains("warning: unreachable"));
}

// The demo's data file in the visual editor (rows and columns as loaded), and a template naming
// a column the file lacks: an error with its line and column, and no bundle to run.
void TestScenarioEditor::dataFilesShownAndChecked()
{
    QTreeWidget* view = m_tabs->visual()->dataFiles();
    QCOMPARE(view->topLevelItemCount(), 1);
    const QTreeWidgetItem* users = view->topLevelItem(0);
    QCOMPARE(users->text(0), QString("users"));
    QCOMPARE(users->text(1), QString("users.csv (csv)"));
    QCOMPARE(users->text(2), QString("unique, wrap"));
    QCOMPARE(users->text(3), QLocale().toString(10000));
    QCOMPARE(users->text(4), QString("uid, name, password"));

    QString yaml = m_doc->yaml();
    const int line = int(yaml.left(yaml.indexOf("${row.users.uid}")).count('\n')) + 1;
    yaml.replace("${row.users.uid}\"\n      password", "${row.users.uidd}\"\n      password");
    m_doc->setYaml(yaml);
    m_doc->validateNow();
    QVERIFY(!m_doc->bundle());
    QCOMPARE(m_doc->scenarioDiagnostics().size(), 1);
    const Diagnostic d = m_doc->scenarioDiagnostics().first();
    QCOMPARE(d.line, line);
    QVERIFY2(d.message.contains("data file 'users' has no column 'uidd'; did you mean 'uid'?"),
        qPrintable(d.toString()));
}

// The per-action rate (issue 14, the open model) in the visual editor: typed, it becomes `rate:`
// in the YAML as typed, and nothing else is rewritten; a refused value gets the YAML loader's
// own message and changes nothing; a rate written in the YAML shows in the field; emptied, the
// key goes.
void TestScenarioEditor::rateFieldRoundTrips()
{
    const QString original = "protocol: durian\nactions:\n  - command: login\n"
                             "    sleep_after_action: [0.5, 2]\n    sleep_between_rounds: 1.50\n"
                             "  - command: say\n    rounds: [2, 5]\n    rate: 1e3\n";
    m_tabs->yaml()->editor()->setPlainText(original);
    ScenarioEditor* visual = m_tabs->visual();
    QTRY_COMPARE_WITH_TIMEOUT(visual->actionList()->count(), 2, kTimeout);
    QLineEdit* rate = visual->details()->rateEdit();
    visual->actionList()->setCurrentRow(1);
    QCOMPARE(rate->text(), QString("1e3")); // as written
    visual->actionList()->setCurrentRow(0);
    QCOMPARE(rate->text(), QString()); // none: the closed loop
    QVERIFY(!rate->placeholderText().isEmpty());

    // Typed as a user types it: the YAML gains exactly that line, as typed.
    rate->setFocus();
    QTest::keyClicks(rate, "250.0");
    QTest::keyClick(rate, Qt::Key_Return);
    QCOMPARE(visual->scenario().actions[0].rate, 250.0);
    QString text = yamlText(m_tabs.get());
    QCOMPARE(lineAfter(text, "command: login", 4), QString("    rate: 250.0"));
    for (const char* kept : {"    sleep_after_action: [0.5, 2]\n",
             "    sleep_between_rounds: 1.50\n", "    rounds: [2, 5]\n", "    rate: 1e3\n"})
        QVERIFY2(text.contains(QLatin1String(kept)), qPrintable(text));
    // Without that line the text reads as the original scenario: nothing else changed.
    const auto before = ScenarioLoader::parse(original.toUtf8(), "s.yml");
    const auto after = ScenarioLoader::parse(
        QString(text).remove(QStringLiteral("    rate: 250.0\n")).toUtf8(), "s.yml");
    QVERIFY(before.ok() && after.ok());
    QVERIFY(*before.scenario == *after.scenario);
    QVERIFY(visual->actionList()->item(0)->text().contains("rate 250/s"));

    // Refused as the loader refuses it, in its words; the scenario and its text stay.
    for (const QString& bad : {QStringLiteral("fast"), QStringLiteral("0"), QStringLiteral("-5"),
             QStringLiteral("1e9"), QStringLiteral("[1, 2]")}) {
        const auto loaded = ScenarioLoader::parse(
            ("protocol: durian\nactions:\n  - command: login\n    rate: " + bad + "\n").toUtf8(),
            "s.yml");
        QCOMPARE(loaded.diagnostics.size(), 1);
        rate->selectAll();
        QTest::keyClicks(rate, bad);
        QTest::keyClick(rate, Qt::Key_Return);
        QCOMPARE(visual->details()->rateProblem(), "rate: " + loaded.diagnostics.first().message);
        QVERIFY(test::child<QLabel>(visual->details(), "rateProblem")->isVisible());
        QCOMPARE(yamlText(m_tabs.get()), text);
        QCOMPARE(visual->scenario().actions[0].rate, 250.0);
    }

    // A rate written in the YAML shows in the field.
    m_tabs->yaml()->editor()->setPlainText(QString(text).replace("rate: 250.0", "rate: 42"));
    QTRY_COMPARE_WITH_TIMEOUT(rate->text(), QString("42"), kTimeout);
    QVERIFY(!test::child<QLabel>(visual->details(), "rateProblem")->isVisible());

    // Emptied: the key goes, the action is paced by its sleeps again.
    rate->setFocus();
    rate->clear();
    QTest::keyClick(rate, Qt::Key_Return);
    QCOMPARE(visual->scenario().actions[0].rate, 0.0);
    text = yamlText(m_tabs.get());
    QVERIFY2(!text.contains("rate: 42") && text.contains("rate: 1e3"), qPrintable(text));
}

QTEST_MAIN(TestScenarioEditor)
#include "tst_scenarioeditor.moc"
