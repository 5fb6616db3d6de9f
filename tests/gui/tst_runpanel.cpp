// The run panel against a real server: + and − go through the console interpreter (the mirror
// shows them as "gui") and the connections the engine reports, and the test server sees, follow;
// Stop keeps the final figures and + starts a new run; the server address cannot change under
// running connections; an edited scenario is applied without dropping any.
#include "FileController.h"
#include "MainWindow.h"
#include "TestServers.h"
#include "console/ConsoleServer.h"
#include "core/Engine.h"
#include "editor/ActionDetails.h"
#include "editor/CodeEditor.h"
#include "editor/RangeEdit.h"
#include "editor/ScenarioDocument.h"
#include "editor/ScenarioEditor.h"
#include "editor/ScenarioTabs.h"
#include "editor/YamlEditor.h"
#include "run/ChartsPanel.h"
#include "run/CommandStatsModel.h"
#include "run/ConsolePane.h"
#include "run/RunController.h"
#include "run/RunPanel.h"
#include "run/RunSession.h"
#include "run/StateCountsView.h"
#include "run/TimeChart.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSet>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include "GuiTestUtil.h"

using namespace swarm;

namespace {

constexpr int kTimeout = 15000;

// Accepts connections and reads whatever comes (the `simple` protocol's one-way heartbeats).
class LineServer : public QObject
{
public:
    bool listen()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* s = m_server.nextPendingConnection()) {
                live << s;
                ++accepted;
                connect(s, &QTcpSocket::readyRead, this, [this, s] {
                    const QByteArray data = s->readAll();
                    bytes += data.size();
                    received[s] += data;
                });
                connect(s, &QTcpSocket::disconnected, this, [this, s] {
                    live.removeAll(s);
                    received.remove(s);
                    s->deleteLater();
                });
            }
        });
        return m_server.listen(QHostAddress::LocalHost, 0);
    }
    quint16 port() const { return m_server.serverPort(); }
    int connections() const { return int(live.size()); }
    QSet<quint16> peerPorts() const
    {
        QSet<quint16> ports;
        for (QTcpSocket* s : live)
            ports.insert(s->peerPort());
        return ports;
    }
    // Peer ports of the live connections that have sent `text`.
    QSet<quint16> peersThatSent(const QByteArray& text) const
    {
        QSet<quint16> ports;
        for (QTcpSocket* s : live)
            if (received.value(s).contains(text)) ports.insert(s->peerPort());
        return ports;
    }
    QList<QTcpSocket*> live;
    QHash<QTcpSocket*, QByteArray> received; // every byte each live connection sent
    qint64 bytes = 0;
    int accepted = 0;

private:
    QTcpServer m_server;
};

} // namespace

class TestRunPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void plusSendsIncrAndConnectionsRise();
    void targetBoxSetsTheNumber();
    void stopKeepsFiguresAndPlusStartsANewRun();
    void serverCannotChangeUnderLoad();
    void applyKeepsConnections();
    void chartsAndTableFollowTheRun();
    void commandStatsModelKeepsTheModelContract();
    void durationAndThresholdsFromThePanel();

private:
    Options options() const;
    LineServer m_server;
    std::unique_ptr<MainWindow> m_window;
};

void TestRunPanel::initTestCase()
{
    test::useFreshSettings();
    QVERIFY(m_server.listen());
}

Options TestRunPanel::options() const
{
    Options o;
    QString message;
    const QStringList args = {"swarm", "-r", QStringLiteral("127.0.0.1:%1").arg(m_server.port()),
        "-s", test::sourcePath("scripts/heartbeat.yml"), "-l", "127.0.0.1:0", "--threads", "2",
        "--connect-spread", "0"};
    if (parseOptions(args, &o, &message) != ParseOutcome::Run)
        qFatal("options: %s", qPrintable(message));
    return o;
}

void TestRunPanel::init()
{
    QSettings().clear();
    m_window = std::make_unique<MainWindow>(options());
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_window->startInitialRun();
    QTRY_COMPARE_WITH_TIMEOUT(m_window->session()->state(), RunSession::State::Ready, kTimeout);
    // The console listens at once; nothing is connected.
    QVERIFY(m_window->session()->controller()->console()->port() > 0);
    QCOMPARE(m_window->session()->engine()->target(), 0);
    QCOMPARE(m_server.connections(), 0);
}

void TestRunPanel::cleanup()
{
    if (m_window) {
        m_window->files()->setAskUnsaved([](const QString&) { return QMessageBox::Discard; });
        m_window->close();
        QTRY_VERIFY_WITH_TIMEOUT(!m_window->isVisible(), kTimeout);
    }
    m_window.reset();
    QTRY_COMPARE_WITH_TIMEOUT(m_server.connections(), 0, kTimeout);
}

void TestRunPanel::plusSendsIncrAndConnectionsRise()
{
    RunPanel* panel = m_window->runPanel();
    QCOMPARE(test::child<QPushButton>(panel, "plusButton")->text(), QString("+ 10"));
    QTest::mouseClick(test::child<QPushButton>(panel, "plusButton"), Qt::LeftButton);
    // Through the interpreter, as the console would: the mirror shows it, labelled "gui".
    QVERIFY(m_window->consolePane()->text().contains("gui › incr 10"));
    QVERIFY(m_window->consolePane()->text().contains("OK: 10 more connections (target 10)"));
    QCOMPARE(m_window->session()->engine()->target(), 10);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->session()->engine()->snapshot().connections, 10, kTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(m_server.connections(), 10, kTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(m_server.bytes > 0, kTimeout);
    // The counters and the status bar say so.
    QTRY_COMPARE_WITH_TIMEOUT(test::child<StateCountsView>(panel, "stateCounts")
                                  ->count(StateCountsView::TotalRow, ConnState::Connecting),
        qint64(10), kTimeout);
    auto* status = m_window->findChild<QLabel*>("statusConnections");
    QTRY_COMPARE_WITH_TIMEOUT(status->text(), QString("Connected: 10"), kTimeout);
    QCOMPARE(m_window->findChild<QLabel*>("statusTarget")->text(), QString("Target: 10"));

    test::child<QComboBox>(panel, "stepBox")->setCurrentText("3");
    QCOMPARE(test::child<QPushButton>(panel, "minusButton")->text(), QString("− 3"));
    QTest::mouseClick(test::child<QPushButton>(panel, "minusButton"), Qt::LeftButton);
    QVERIFY(m_window->consolePane()->text().contains("gui › decr 3"));
    QTRY_COMPARE_WITH_TIMEOUT(m_server.connections(), 7, kTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->session()->engine()->snapshot().connections, 7, kTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(test::child<QSpinBox>(panel, "targetBox")->value(), 7, kTimeout);

    // The keyboard shortcut does what the button does.
    m_window->action("actionAddConnections")->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(m_server.connections(), 10, kTimeout);
}

void TestRunPanel::targetBoxSetsTheNumber()
{
    QSpinBox* target = test::child<QSpinBox>(m_window->runPanel(), "targetBox");
    target->setFocus();
    target->selectAll();
    QTest::keyClicks(target, "25");
    // Nothing is sent while typing ("2" would have opened 2 connections).
    QCOMPARE(m_window->session()->engine()->target(), 0);
    QTest::keyClick(target, Qt::Key_Return);
    QVERIFY(m_window->consolePane()->text().contains("gui › incr 25"));
    QTRY_COMPARE_WITH_TIMEOUT(m_server.connections(), 25, kTimeout);
    target->selectAll();
    QTest::keyClicks(target, "5");
    QTest::keyClick(target, Qt::Key_Return);
    QVERIFY(m_window->consolePane()->text().contains("gui › decr 20"));
    QTRY_COMPARE_WITH_TIMEOUT(m_server.connections(), 5, kTimeout);
}

void TestRunPanel::stopKeepsFiguresAndPlusStartsANewRun()
{
    RunPanel* panel = m_window->runPanel();
    QTest::mouseClick(test::child<QPushButton>(panel, "plusButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(m_server.connections(), 10, kTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(
        m_window->session()->engine()->snapshot().actionsCompleted > 0, kTimeout);
    const quint16 firstConsole = m_window->session()->controller()->console()->port();
    QVERIFY(test::child<QPushButton>(panel, "stopButton")->isEnabled());
    QTest::mouseClick(test::child<QPushButton>(panel, "stopButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->session()->state(), RunSession::State::Finished, kTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(m_server.connections(), 0, kTimeout);
    // The window stays, with the final figures.
    QVERIFY(m_window->isVisible());
    QVERIFY(m_window->findChild<QLabel*>("runSummary")->text().contains("Run finished"));
    QVERIFY(m_window->session()->engine()->snapshot().actionsCompleted > 0);
    QVERIFY(test::child<QPushButton>(panel, "newRunButton")->isEnabled());
    QVERIFY(!test::child<QPushButton>(panel, "stopButton")->isEnabled());
    QVERIFY(test::child<StateCountsView>(panel, "stateCounts")
                ->count(StateCountsView::TotalRow, ConnState::Connecting)
        >= 10);

    // + starts the next run: a new RunController, the console listening again.
    QTest::mouseClick(test::child<QPushButton>(panel, "plusButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->session()->state(), RunSession::State::Ready, kTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(m_server.connections(), 10, kTimeout);
    ConsoleServer* console = m_window->session()->controller()->console();
    QVERIFY(console->port() > 0);
    Q_UNUSED(firstConsole);
    QTcpSocket telnet;
    telnet.connectToHost(QHostAddress::LocalHost, console->port());
    QTRY_VERIFY_WITH_TIMEOUT(telnet.state() == QAbstractSocket::ConnectedState, kTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(console->sessionCount() == 1, kTimeout);
}

void TestRunPanel::serverCannotChangeUnderLoad()
{
    RunPanel* panel = m_window->runPanel();
    QTest::mouseClick(test::child<QPushButton>(panel, "plusButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(m_server.connections(), 10, kTimeout);
    const QString before = test::child<QLineEdit>(panel, "serverEdit")->text();
    test::child<QLineEdit>(panel, "serverEdit")->setFocus();
    test::child<QLineEdit>(panel, "serverEdit")->selectAll();
    QTest::keyClicks(test::child<QLineEdit>(panel, "serverEdit"), "127.0.0.1:1");
    QTest::keyClick(test::child<QLineEdit>(panel, "serverEdit"), Qt::Key_Return);
    QVERIFY(test::child<QLabel>(panel, "runMessage")->isVisible());
    QVERIFY(test::child<QLabel>(panel, "runMessage")
                ->text()
                .contains("cannot change while connections run"));
    QCOMPARE(test::child<QLineEdit>(panel, "serverEdit")->text(), before);
    QCOMPARE(m_server.connections(), 10);

    // At 0 connections it may change: a new run against the new address.
    test::child<QComboBox>(panel, "stepBox")->setCurrentText("10");
    QTest::mouseClick(test::child<QPushButton>(panel, "minusButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->session()->engine()->snapshot().connections, 0, kTimeout);
    LineServer other;
    QVERIFY(other.listen());
    test::child<QLineEdit>(panel, "serverEdit")
        ->setText(QStringLiteral("127.0.0.1:%1").arg(other.port()));
    Q_EMIT test::child<QLineEdit>(panel, "serverEdit")->editingFinished();
    QTRY_COMPARE_WITH_TIMEOUT(m_window->session()->state(), RunSession::State::Ready, kTimeout);
    QVERIFY(m_window->session()->serverDescription().contains(QString::number(other.port())));
    QTest::mouseClick(test::child<QPushButton>(panel, "plusButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(other.connections(), 10, kTimeout);
    QCOMPARE(m_server.connections(), 0);
    m_window->session()->stop();
    QTRY_COMPARE_WITH_TIMEOUT(other.connections(), 0, kTimeout);
}

void TestRunPanel::applyKeepsConnections()
{
    RunPanel* panel = m_window->runPanel();
    QTest::mouseClick(test::child<QPushButton>(panel, "plusButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(m_server.connections(), 10, kTimeout);
    const QSet<quint16> ports = m_server.peerPorts();
    QVERIFY(!test::child<QPushButton>(panel, "applyButton")->isEnabled()); // nothing to apply yet

    // An edit in the visual editor: the load does not have it until applied.
    ScenarioEditor* visual = m_window->scenarioTabs()->visual();
    visual->actionList()->setCurrentRow(0);
    visual->details()->sleepAfterEdit()->rangeBox()->setChecked(false);
    visual->details()->sleepAfterEdit()->minimumBox()->setValue(0.2);
    QTRY_VERIFY_WITH_TIMEOUT(test::child<QPushButton>(panel, "applyButton")->isEnabled(), kTimeout);
    QVERIFY(test::child<QLabel>(panel, "applyState")->text().contains("does not have yet"));
    QVERIFY(m_window->action("actionApply")->isEnabled());
    QTest::mouseClick(test::child<QPushButton>(panel, "applyButton"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(
        test::child<QLabel>(panel, "runMessage")->text().contains("Applied version"), kTimeout);
    QVERIFY(!m_window->action("actionApply")->isEnabled());
    QVERIFY(
        test::child<QLabel>(panel, "applyState")->text().contains("runs the scenario as edited"));
    QCOMPARE(m_window->session()->runningBundle()->scenario.actions[0].sleepAfterAction.max, 0.2);
    // None of the connections was dropped.
    QCOMPARE(m_server.peerPorts(), ports);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->session()->engine()->snapshot().connections, 10, kTimeout);
    QCOMPARE(m_server.peerPorts(), ports);

    // Across a full iteration: a connection takes the applied scenario at its next iteration.
    // This edit changes what every heartbeat says, so the server must hear the new text from
    // every one of the original peers, on the sockets it accepted before the apply. The longest
    // iteration still running is the original one: up to 5 rounds 3 s apart, then 2 s, 14 s.
    const int acceptedBefore = m_server.accepted;
    m_window->scenarioTabs()->yaml()->editor()->setPlainText(
        "protocol: simple\nactions:\n  - command: heartbeat\n    args:\n      uid: 456\n"
        "    rounds: 1\n    sleep_between_rounds: 0.1\n    sleep_after_action: 0.2\n");
    QTRY_VERIFY_WITH_TIMEOUT(test::child<QPushButton>(panel, "applyButton")->isEnabled(), kTimeout);
    QTest::mouseClick(test::child<QPushButton>(panel, "applyButton"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(
        test::child<QLabel>(panel, "applyState")->text().contains("runs the scenario as edited"),
        kTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(m_server.peersThatSent("hello 456\r\n"), ports, (14000 + kTimeout));
    QCOMPARE(m_server.accepted, acceptedBefore);
    QCOMPARE(m_server.peerPorts(), ports);

    // An invalid edit cannot be applied, and the panel says why.
    m_window->scenarioTabs()->yaml()->editor()->setPlainText("protocol: simple\nactions: 3\n");
    QTRY_VERIFY_WITH_TIMEOUT(
        test::child<QLabel>(panel, "applyState")->text().contains("problem"), kTimeout);
    QVERIFY(!test::child<QPushButton>(panel, "applyButton")->isEnabled());
    QVERIFY(!m_window->action("actionApply")->isEnabled());
    panel->applyChanges();
    QVERIFY(test::child<QLabel>(panel, "runMessage")->text().contains("Cannot apply"));
    QCOMPARE(m_server.peerPorts(), ports);
}

void TestRunPanel::chartsAndTableFollowTheRun()
{
    RunPanel* panel = m_window->runPanel();
    QTest::mouseClick(test::child<QPushButton>(panel, "plusButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(m_server.connections(), 10, kTimeout);
    // A row per command and a total, from the engine's snapshot.
    CommandStatsModel* model = test::child<CommandStatsModel>(panel, "commandStatsModel");
    // Every reset and row the live run causes obeys the model contract.
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QTRY_VERIFY_WITH_TIMEOUT(model->rowCount() == 2, kTimeout);
    QCOMPARE(model->index(0, CommandStatsModel::Name).data().toString(), QString("heartbeat"));
    QCOMPARE(model->index(1, CommandStatsModel::Name).data().toString(), QString("Total"));
    QTRY_VERIFY_WITH_TIMEOUT(
        model->index(0, CommandStatsModel::Requests).data(Qt::UserRole).toULongLong() > 0,
        kTimeout);
    // Charts: a point a second, the connections line reaching 10.
    TimeChart* connections = m_window->chartsPanel()->connectionsChart();
    QTRY_VERIFY_WITH_TIMEOUT(connections->pointCount(0) >= 2, kTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(
        connections->series(0)->at(connections->pointCount(0) - 1).y(), 10.0, kTimeout);
    QVERIFY(m_window->chartsPanel()->throughputChart()->pointCount(0) >= 2);
    // The window can be narrowed; the points follow.
    m_window->chartsPanel()->setWindowSeconds(60);
    QVERIFY(connections->pointCount(0) >= 2);
    // Exports write the report and the CSV.
    QTemporaryDir dir;
    QVERIFY(m_window->files()->exportReport(dir.filePath("r.json")));
    QVERIFY(m_window->files()->exportCsv(dir.filePath("r.csv")));
    QFile json(dir.filePath("r.json"));
    QVERIFY(json.open(QIODevice::ReadOnly));
    QVERIFY(json.readAll().contains("heartbeat"));
    // File > Export Report (HTML…): the self-contained page with the command and the charts.
    QVERIFY(m_window->findChild<QAction*>(QStringLiteral("actionExportHtml")));
    QVERIFY(m_window->files()->exportHtml(dir.filePath("r.html")));
    QFile html(dir.filePath("r.html"));
    QVERIFY(html.open(QIODevice::ReadOnly));
    const QByteArray page = html.readAll();
    QVERIFY(page.contains("<td>heartbeat</td>"));
    QVERIFY(page.contains("<svg class=\"chart\""));
    QString error;
    QVERIFY(connections->savePng(dir.filePath("c.png"), &error));
    QVERIFY(QImage(dir.filePath("c.png")).width() > 100);
}

// The per-command table against the model contract (QAbstractItemModelTester) through what a run
// does to it: no commands, commands appearing, figures changing, a new run clearing it.
void TestRunPanel::commandStatsModelKeepsTheModelContract()
{
    CommandStatsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    StatsSnapshot s;
    model.setSnapshot(s);
    QCOMPARE(model.columnCount(), int(CommandStatsModel::ColumnCount));
    s.commands.resize(2);
    s.commands[0].name = QStringLiteral("get");
    s.commands[0].requests = 5;
    s.commands[0].latency.record(1000);
    s.commands[1].name = QStringLiteral("set");
    s.commands[1].errors = 2;
    s.requests = 5;
    model.setSnapshot(s);
    QCOMPARE(model.rowCount(), 3); // two commands and the total
    QCOMPARE(model.index(1, CommandStatsModel::Name).data().toString(), QString("set"));
    QCOMPARE(
        model.index(0, CommandStatsModel::Requests).data(Qt::UserRole).toULongLong(), quint64(5));
    s.commands[0].requests = 9;
    model.setSnapshot(s);
    QCOMPARE(
        model.index(0, CommandStatsModel::Requests).data(Qt::UserRole).toULongLong(), quint64(9));
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

QTEST_MAIN(TestRunPanel)
// Issue 19 item 6: the duration and the thresholds are set in the run panel, parsed as
// --duration and --threshold are. A bad one is named under the fields and changes nothing; a
// duration typed while the run goes stops it by itself (counted from its first connection); the
// thresholds' outcome shows in the panel and in the reports exported from the window.
void TestRunPanel::durationAndThresholdsFromThePanel()
{
    RunSession* session = m_window->session();
    auto* thresholds = test::child<QLineEdit>(m_window.get(), "thresholdsEdit");
    auto* duration = test::child<QLineEdit>(m_window.get(), "durationEdit");
    auto* problem = test::child<QLabel>(m_window.get(), "settingsProblem");
    const auto type = [](QLineEdit* edit, const QString& text) {
        edit->setText(text);
        Q_EMIT edit->editingFinished();
    };
    type(thresholds, "errors<1, p99<<5");
    QVERIFY(problem->isVisibleTo(m_window.get()));
    QVERIFY2(problem->text().contains("'p99<<5'"), qPrintable(problem->text()));
    QVERIFY(session->thresholds().isEmpty()); // nothing half-applied
    type(duration, "5 parsecs");
    QVERIFY2(problem->text().contains("'5 parsecs'"), qPrintable(problem->text()));
    QCOMPARE(session->duration(), qint64(0));
    type(duration, "");
    // errors<1 passes (the line server accepts every connection and heartbeat needs no reply);
    // a billion requests cannot happen in 2 s.
    type(thresholds, "errors<1, requests>1000000000");
    QVERIFY2(!problem->isVisibleTo(m_window.get()), qPrintable(problem->text()));
    QCOMPARE(session->thresholds().size(), 2);

    QElapsedTimer clock;
    clock.start();
    QTest::mouseClick(test::child<QPushButton>(m_window->runPanel(), "plusButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(m_server.connections(), 10, kTimeout);
    type(duration, "2s"); // while the run goes: it applies to this run
    QCOMPARE(session->duration(), qint64(2000));
    QVERIFY(session->state() == RunSession::State::Ready);
    // A timeout changed now is for the next run, and the panel says so where it was typed.
    auto* connectTimeout = test::child<QSpinBox>(m_window.get(), "connectTimeoutBox");
    connectTimeout->setValue(connectTimeout->value() + 500);
    auto* note = test::child<QLabel>(m_window.get(), "settingsNote");
    QVERIFY(note->isVisibleTo(m_window.get()));
    QVERIFY2(note->text().contains("apply from the next run"), qPrintable(note->text()));
    QTRY_COMPARE_WITH_TIMEOUT(session->state(), RunSession::State::Finished, kTimeout);
    // Counted from the first connection, asked for after the clock above started.
    QVERIFY2(clock.elapsed() >= 2000, qPrintable(QString::number(clock.elapsed())));
    QTRY_COMPARE_WITH_TIMEOUT(m_server.connections(), 0, kTimeout);

    const QString summary = test::child<QLabel>(m_window.get(), "runSummary")->text();
    QVERIFY2(summary.contains("Thresholds: 1 of 2 failed"), qPrintable(summary));
    QVERIFY2(summary.contains("errors&lt;1 passed"), qPrintable(summary));
    QVERIFY2(summary.contains("requests&gt;1000000000 FAILED"), qPrintable(summary));

    QTemporaryDir dir;
    const QString json = dir.filePath("r.json");
    const QString html = dir.filePath("r.html");
    QVERIFY(m_window->files()->exportReport(json));
    QVERIFY(m_window->files()->exportHtml(html));
    QFile jf(json);
    QVERIFY(jf.open(QIODevice::ReadOnly));
    const QJsonObject report = QJsonDocument::fromJson(jf.readAll()).object();
    const QJsonArray results = report.value("thresholds").toArray();
    QCOMPARE(results.size(), 2);
    QCOMPARE(results[0].toObject().value("threshold").toString(), QString("errors<1"));
    QCOMPARE(results[0].toObject().value("passed").toBool(), true);
    QCOMPARE(results[1].toObject().value("passed").toBool(), false);
    QFile hf(html);
    QVERIFY(hf.open(QIODevice::ReadOnly));
    const QString page = QString::fromUtf8(hf.readAll());
    QVERIFY(page.contains("requests&gt;1000000000"));
    QVERIFY(page.contains("FAILED"));
    QVERIFY(!page.contains("No thresholds were set"));
}

#include "tst_runpanel.moc"
