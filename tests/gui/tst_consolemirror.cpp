// The console mirror: a command typed over a real TCP console session shows in the window's
// console pane, labelled by its peer address, and the pane's own commands go to the same
// interpreter (labelled "gui").
#include "MainWindow.h"
#include "console/ConsoleServer.h"
#include "core/Engine.h"
#include "run/ConsolePane.h"
#include "run/DemoServer.h"
#include "run/RunController.h"
#include "run/RunPanel.h"
#include "run/RunSession.h"

#include "TestServers.h"

#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include "GuiTestUtil.h"

using namespace swarm;
using swarm::test::RedisServer;

namespace {
constexpr int kTimeout = 15000;
}

class TestConsoleMirror : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void telnetCommandsAppearInTheMirror();
    void paneCommandsGoToTheSameInterpreter();
    void busyConsolePortIsReportedAndFixable();
    void everyCommandInThePane();
};

void TestConsoleMirror::initTestCase()
{
    test::useFreshSettings();
}

void TestConsoleMirror::telnetCommandsAppearInTheMirror()
{
    Options options;
    options.console.port = 0; // any free port
    options.engine.connectSpreadMaxMs = 0;
    MainWindow window(options);
    window.show();
    window.startInitialRun();
    QTRY_COMPARE_WITH_TIMEOUT(window.session()->state(), RunSession::State::Ready, kTimeout);
    const quint16 port = window.session()->controller()->console()->port();
    QVERIFY(port > 0);

    // A colleague's telnet session, over real TCP.
    QTcpSocket telnet;
    QByteArray received;
    connect(&telnet, &QTcpSocket::readyRead, this, [&] { received += telnet.readAll(); });
    telnet.connectToHost(QHostAddress::LocalHost, port);
    QTRY_VERIFY_WITH_TIMEOUT(telnet.state() == QAbstractSocket::ConnectedState, kTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(received.contains("Welcome to Swarm Remote Console"), kTimeout);
    const QString peer = QStringLiteral("127.0.0.1:%1").arg(telnet.localPort());
    ConsolePane* pane = window.consolePane();
    QTRY_VERIFY_WITH_TIMEOUT(pane->text().contains(peer + " connected"), kTimeout);

    telnet.write("incr 4\r\n");
    QTRY_VERIFY_WITH_TIMEOUT(pane->text().contains(peer + " › incr 4"), kTimeout);
    QVERIFY(pane->text().contains("OK: 4 more connections (target 4)"));
    QTRY_VERIFY_WITH_TIMEOUT(received.contains("OK: 4 more connections"), kTimeout);
    // The window follows what the colleague did.
    QTRY_COMPARE_WITH_TIMEOUT(
        test::child<QSpinBox>(window.runPanel(), "targetBox")->value(), 4, kTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(
        window.session()->controller()->demoServer()->connections(), 4, kTimeout);

    QTRY_COMPARE_WITH_TIMEOUT(window.session()->engine()->snapshot().connections, 4, kTimeout);
    telnet.write("status\n");
    QTRY_VERIFY_WITH_TIMEOUT(pane->text().contains(peer + " › status"), kTimeout);
    QVERIFY(pane->text().contains("Realtime: total: 4"));

    // A dashboard asking `stats json` every second: its session gets the whole reply, the
    // mirror a cut of it, so the mirror's work per reply does not grow with the scenario's
    // commands (about 350 characters each in the JSON).
    received.clear();
    telnet.write("stats json\n");
    QTRY_VERIFY_WITH_TIMEOUT(received.contains("\"errors_by_kind\""), kTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(pane->text().contains(peer + " › stats json"), kTimeout);
    QVERIFY(received.size() > 400); // long enough to be cut
    const QStringList shown = pane->text().section(peer + " › stats json", 1).split('\n');
    QVERIFY(shown.size() > 1);
    QVERIFY2(shown[1].contains("characters in all"), qPrintable(shown[1]));
    // 9 columns of indent, 240 characters of the reply, the note.
    for (const QString& line : shown)
        QVERIFY2(line.size() < 300, qPrintable(line));

    telnet.write("quit\n");
    QTRY_VERIFY_WITH_TIMEOUT(pane->text().contains(peer + " › quit"), kTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(telnet.state() == QAbstractSocket::UnconnectedState, kTimeout);

    window.close();
    QTRY_VERIFY_WITH_TIMEOUT(!window.isVisible(), kTimeout);
}

void TestConsoleMirror::paneCommandsGoToTheSameInterpreter()
{
    Options options;
    options.console.port = 0;
    options.engine.connectSpreadMaxMs = 0;
    MainWindow window(options);
    window.show();
    window.startInitialRun();
    QTRY_COMPARE_WITH_TIMEOUT(window.session()->state(), RunSession::State::Ready, kTimeout);
    ConsolePane* pane = window.consolePane();
    QLineEdit* input = pane->input();
    input->setFocus();
    QTest::keyClicks(input, "incr 3");
    QTest::keyClick(input, Qt::Key_Return);
    QVERIFY(input->text().isEmpty());
    QVERIFY(pane->text().contains("gui › incr 3"));
    QCOMPARE(window.session()->engine()->target(), 3);
    QTRY_COMPARE_WITH_TIMEOUT(
        window.session()->controller()->demoServer()->connections(), 3, kTimeout);
    // History: Up brings the last command back.
    QTest::keyClick(input, Qt::Key_Up);
    QCOMPARE(input->text(), QString("incr 3"));
    input->clear();
    QTest::keyClicks(input, "bogus");
    QTest::keyClick(input, Qt::Key_Return);
    QVERIFY(pane->text().contains("gui › bogus"));
    QVERIFY(pane->text().contains("ERROR"));
    // `stop` ends the run, not the window.
    QTest::keyClicks(input, "stop");
    QTest::keyClick(input, Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(window.session()->state(), RunSession::State::Finished, kTimeout);
    QVERIFY(window.isVisible());
    window.close();
    QTRY_VERIFY_WITH_TIMEOUT(!window.isVisible(), kTimeout);
}

void TestConsoleMirror::busyConsolePortIsReportedAndFixable()
{
    // Another swarm already listens on the console port: the window says so, and a new address
    // typed in the Console field starts the run.
    QTcpServer other;
    QVERIFY(other.listen(QHostAddress::LocalHost, 0));
    Options options;
    options.console.port = other.serverPort();
    MainWindow window(options);
    window.show();
    window.startInitialRun();
    QCOMPARE(window.session()->state(), RunSession::State::NotStarted);
    QVERIFY(window.consolePane()->text().contains("console"));
    QVERIFY(window.consolePane()->text().contains(QString::number(other.serverPort())));
    QVERIFY(window.findChild<QLabel*>("runSummary")->text().contains("could not start"));
    QLineEdit* listen = test::child<QLineEdit>(window.runPanel(), "listenEdit");
    // The field reads addresses as --listen does: '*' is every interface, which without a token
    // is refused for its security problem, not as malformed; a host name is malformed.
    QString why;
    QVERIFY(!window.session()->setListen("*:0", &why));
    QVERIFY2(why.contains("not a loopback address"), qPrintable(why));
    QVERIFY(!window.session()->setListen("example.org:0", &why));
    QVERIFY2(why.contains("not an IP address"), qPrintable(why));
    QCOMPARE(window.session()->state(), RunSession::State::NotStarted);
    listen->setText("127.0.0.1:0");
    Q_EMIT listen->editingFinished();
    QTRY_COMPARE_WITH_TIMEOUT(window.session()->state(), RunSession::State::Ready, kTimeout);
    QVERIFY(window.session()->controller()->console()->port() != other.serverPort());
    // The field shows where it listens now.
    QCOMPARE(listen->text(),
        QStringLiteral("127.0.0.1:%1").arg(window.session()->controller()->console()->port()));
    window.close();
    QTRY_VERIFY_WITH_TIMEOUT(!window.isVisible(), kTimeout);
}

// The console's commands typed in the window's pane, against a real redis-server: the same
// interpreter as telnet, so the same replies, and what they did as the server sees it.
void TestConsoleMirror::everyCommandInThePane()
{
    RedisServer redis;
    QString error;
    QVERIFY2(redis.start(&error), qPrintable(error));
    QTemporaryDir dir;
    const QString scenario = dir.filePath(QStringLiteral("pane.yml"));
    const auto writeScenario = [&](const char* command) {
        QFile f(scenario);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(QByteArray("protocol: redis\nactions:\n  - command: ") + command
            + "\n    sleep_after_action: 0.01\n");
    };
    writeScenario("set");
    Options options;
    options.console.port = 0;
    options.engine.connectSpreadMaxMs = 0;
    options.server = QStringLiteral("127.0.0.1:%1").arg(redis.port());
    options.serverHost = QStringLiteral("127.0.0.1");
    options.serverPort = redis.port();
    options.script = scenario;
    options.protocolDir = QStringLiteral(SWARM_SOURCE_DIR "/protocols");
    MainWindow window(options);
    window.show();
    window.startInitialRun();
    QTRY_COMPARE_WITH_TIMEOUT(window.session()->state(), RunSession::State::Ready, kTimeout);
    ConsolePane* pane = window.consolePane();
    QLineEdit* input = pane->input();
    input->setFocus();
    const auto type = [&](const char* line) {
        QTest::keyClicks(input, line);
        QTest::keyClick(input, Qt::Key_Return);
        return pane->text();
    };

    QVERIFY(type("help").contains("decr N [random|newest|oldest]"));
    QVERIFY(type("help watch").contains("until any key"));
    QVERIFY(type("target 10").contains("OK: target 10 (was 0): 10 more connections"));
    QTRY_COMPARE_WITH_TIMEOUT(redis.connectedClients(), 10, kTimeout);
    QVERIFY(type("decr 2 oldest").contains("OK: closing 2 oldest connections (target 8)"));
    QTRY_COMPARE_WITH_TIMEOUT(redis.connectedClients(), 8, kTimeout);
    QVERIFY(type("decr 3").contains("OK: closing 3 random connections (target 5)"));
    QTRY_COMPARE_WITH_TIMEOUT(redis.connectedClients(), 5, kTimeout);
    QVERIFY(type("ramp 50").contains("OK: ramp 50 per second (was off (all at once))"));
    QVERIFY(type("rate 5").contains("OK: rate 5 rounds per second (was off"));
    QVERIFY(type("rate 0").contains("OK: rate off (the closed loop"));
    QVERIFY(type("status connections").contains("Connections: 5 open, target 5"));
    // The figures are merged once a second: wait for the first requests to be counted.
    QTRY_VERIFY_WITH_TIMEOUT(window.session()->engine()->snapshot().requests > 0, kTimeout);
    QVERIFY(type("status commands").contains("p99.9"));
    QVERIFY(type("status errors").contains("Errors:"));
    QVERIFY(type("stauts").contains("did you mean 'status"));

    // reload: the file on disk goes to the running load; the later answer shows in the pane.
    QTRY_VERIFY_WITH_TIMEOUT(redis.command("INFO commandstats").contains("cmdstat_set"), kTimeout);
    writeScenario("get");
    QVERIFY(type("reload").contains("OK: reloading"));
    QTRY_VERIFY_WITH_TIMEOUT(pane->text().contains("version 2 is running"), kTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(redis.command("INFO commandstats").contains("cmdstat_get"), kTimeout);
    QCOMPARE(redis.connectedClients(), 5);

    // watch: blocks come until a key is pressed; the key is not typed.
    const int blocksBefore = int(pane->text().count("<----------"));
    type("watch 1");
    QVERIFY(pane->isWatching());
    QTRY_VERIFY_WITH_TIMEOUT(pane->text().count("<----------") >= blocksBefore + 3, kTimeout);
    QTest::keyClick(input, Qt::Key_X);
    QVERIFY(!pane->isWatching());
    QVERIFY(input->text().isEmpty());
    QVERIFY(pane->text().contains("(watch stopped)"));

    type("stop");
    QTRY_COMPARE_WITH_TIMEOUT(window.session()->state(), RunSession::State::Finished, kTimeout);
    window.close();
    QTRY_VERIFY_WITH_TIMEOUT(!window.isVisible(), kTimeout);
}

QTEST_MAIN(TestConsoleMirror)
#include "tst_consolemirror.moc"
