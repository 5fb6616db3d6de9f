// The console mirror: a command typed over a real TCP console session shows in the window's
// console pane, labelled by its peer address, and the pane's own commands go to the same
// interpreter (labelled "gui").
#include "run/ConsolePane.h"
#include "console/ConsoleServer.h"
#include "run/DemoServer.h"
#include "core/Engine.h"
#include "MainWindow.h"
#include "run/RunController.h"
#include "run/RunPanel.h"
#include "run/RunSession.h"

#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QtTest>

#include "GuiTestUtil.h"

using namespace swarm;

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

QTEST_MAIN(TestConsoleMirror)
#include "tst_consolemirror.moc"
