// The window stays responsive with 10,000 connections running: a real redis-server on loopback,
// the window opening 10,000 connections with +, and the GUI thread's event loop measured all
// along (a 20 ms timer must never wait long) while the user types and switches tabs.
#include "editor/CodeEditor.h"
#include "run/ConsolePane.h"
#include "core/Engine.h"
#include "FileController.h"
#include "MainWindow.h"
#include "run/RunPanel.h"
#include "run/RunSession.h"
#include "editor/ScenarioTabs.h"
#include "TestServers.h"
#include "editor/YamlEditor.h"

#include <QComboBox>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QtTest>

#include "GuiTestUtil.h"

using namespace swarm;

class TestResponsiveness : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void tenThousandConnections();
};

void TestResponsiveness::tenThousandConnections()
{
    test::useFreshSettings();
    test::RedisServer redis;
    QString error;
    if (!redis.start(&error)) QSKIP(qPrintable(error));

    constexpr int kConnections = 10000;
    Options options;
    QString message;
    const QStringList args = {"swarm", "-r", QStringLiteral("127.0.0.1:%1").arg(redis.port()), "-s",
        test::sourcePath("scripts/redis-idle.yml"), "-l", "127.0.0.1:0", "--connect-spread", "0-2"};
    QCOMPARE(parseOptions(args, &options, &message), ParseOutcome::Run);
    MainWindow window(options);
    window.resize(1400, 900);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.startInitialRun();
    QTRY_COMPARE_WITH_TIMEOUT(window.session()->state(), RunSession::State::Ready, 15000);

    // The GUI thread's heartbeat: the longest wait of a 20 ms timer is how long it was frozen.
    QElapsedTimer clock;
    clock.start();
    qint64 last = 0;
    qint64 worst = 0;
    QTimer beat;
    beat.setTimerType(Qt::PreciseTimer);
    connect(&beat, &QTimer::timeout, this, [&] {
        const qint64 now = clock.elapsed();
        worst = qMax(worst, now - last - 20);
        last = now;
    });
    last = clock.elapsed();
    beat.start(20);

    test::child<QComboBox>(window.runPanel(), "stepBox")
        ->setCurrentText(QString::number(kConnections));
    QTest::mouseClick(test::child<QPushButton>(window.runPanel(), "plusButton"), Qt::LeftButton);
    QElapsedTimer rise;
    rise.start();
    QTRY_VERIFY_WITH_TIMEOUT(
        window.session()->engine()->snapshot().connections >= kConnections, 120000);
    // Really open: the server counts them too.
    QTRY_VERIFY_WITH_TIMEOUT(redis.connectedClients() >= kConnections, 60000);
    qInfo("10,000 connections open after %lld ms; longest GUI stall so far %lld ms", rise.elapsed(),
        worst);

    // The user works in the window meanwhile: tabs, typing, the console.
    const qint64 before = worst;
    worst = 0;
    for (int i = 0; i < 3; ++i) {
        window.scenarioTabs()->setCurrentIndex(i % 3);
        QTest::qWait(300);
    }
    window.scenarioTabs()->setCurrentIndex(ScenarioTabs::YamlTab);
    CodeEditor* editor = window.scenarioTabs()->yaml()->editor();
    editor->moveCursor(QTextCursor::End);
    QElapsedTimer typing;
    typing.start();
    QTest::keyClicks(editor, "# typed while ten thousand connections run");
    const qint64 typed = typing.elapsed();
    QTest::keyClicks(window.consolePane()->input(), "status");
    QTest::keyClick(window.consolePane()->input(), Qt::Key_Return);
    QTest::qWait(5000); // five statistics intervals at full load
    qInfo(
        "at 10,000 connections: longest GUI stall %lld ms; 43 keys typed in %lld ms", worst, typed);
    QCOMPARE(window.session()->engine()->snapshot().connections, kConnections);
    QVERIFY2(worst < 1000, qPrintable(QString("the window froze for %1 ms").arg(worst)));
    QVERIFY2(before < 2000,
        qPrintable(QString("the window froze for %1 ms while connecting").arg(before)));

    window.files()->setAskUnsaved([](const QString&) { return QMessageBox::Discard; });
    window.close();
    QTRY_VERIFY_WITH_TIMEOUT(!window.isVisible(), 60000);
    QCOMPARE(window.session()->state(), RunSession::State::Finished);
}

QTEST_MAIN(TestResponsiveness)
#include "tst_responsiveness.moc"
