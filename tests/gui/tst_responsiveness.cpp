// The window stays responsive with 10,000 connections running: a real redis-server on loopback,
// the window opening 10,000 connections with +, and the GUI thread's event loop measured all
// along (a 20 ms timer must never wait long) while the user types and switches tabs.
#include "FileController.h"
#include "MainWindow.h"
#include "TestServers.h"
#include "core/Engine.h"
#include "editor/CodeEditor.h"
#include "editor/ScenarioTabs.h"
#include "editor/YamlEditor.h"
#include "run/ConsolePane.h"
#include "run/RunPanel.h"
#include "run/RunSession.h"

#include <QComboBox>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTest>
#include <QTimer>

#include "GuiTestUtil.h"

#include <atomic>
#include <chrono>
#include <thread>

using namespace swarm;

namespace {

// The limits. The GUI thread's work per statistics interval (a snapshot, the table, the charts)
// does not grow with the number of connections, and the workers have threads of their own: what
// can hold the GUI thread up is a repaint and the scheduler (two busy workers on two cores).
// - At load, 250 ms: a freeze a user notices as lag but not as a hang; measured on a quiet
//   2-core machine: under 30 ms.
// - While 10,000 connections open, 500 ms: the workers are busiest then; measured: about 100 ms.
// - Typing: each key is handled within one 60 Hz frame (16 ms) on average, or it visibly lags
//   behind the fingers; measured: 42 keys in 1 ms.
// Under a sanitizer swarm's own code (a Debug build, instrumented) runs several times slower:
// the limits are 4x. The stalls are counted beyond the longest wake-up delay of a control thread
// that only sleeps 20 ms at a time, in the same phase (ControlBeat): the delay the machine's
// load imposes on any thread. (On a machine at a load of 20 the GUI thread stalled 1.2-2.4 s
// while the control thread woke within 40 ms: the GUI thread's own work, slowed by sharing a
// core with ten others, then exceeds the limits. The test needs a machine that is not
// overloaded, as CI's is.)
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr qint64 kSlowdown = 4;
#else
constexpr qint64 kSlowdown = 1;
#endif
constexpr qint64 kStallAtLoadMs = 250 * kSlowdown;
constexpr qint64 kStallConnectingMs = 500 * kSlowdown;
constexpr qint64 kKeyMs = 16 * kSlowdown;

// A thread that sleeps 20 ms at a time and records how late it woke up: what the machine's load
// imposes on any thread, as opposed to what the window's own work does to the GUI thread.
class ControlBeat
{
public:
    ControlBeat()
        : m_thread([this] { run(); })
    { }
    ~ControlBeat()
    {
        m_stop = true;
        m_thread.join();
    }
    qint64 takeWorst() { return m_worst.exchange(0); } // the worst delay since the last call

private:
    void run()
    {
        while (!m_stop) {
            const auto start = std::chrono::steady_clock::now();
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            const qint64 late = std::chrono::duration_cast<std::chrono::milliseconds>(
                                    std::chrono::steady_clock::now() - start)
                                    .count()
                - 20;
            qint64 worst = m_worst.load();
            while (late > worst && !m_worst.compare_exchange_weak(worst, late)) { }
        }
    }
    std::atomic<bool> m_stop {false};
    std::atomic<qint64> m_worst {0};
    std::thread m_thread;
};

} // namespace

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
    QVERIFY2(redis.start(&error), qPrintable(error)); // a missing redis-server fails

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
    ControlBeat control;

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
    const qint64 controlBefore = control.takeWorst();
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
    const QString typedText = QStringLiteral("# typed while ten thousand connections run");
    QTest::keyClicks(editor, typedText);
    const qint64 typed = typing.elapsed();
    QVERIFY(editor->toPlainText().endsWith(typedText));
    QTest::keyClicks(window.consolePane()->input(), "status");
    QTest::keyClick(window.consolePane()->input(), Qt::Key_Return);
    QTest::qWait(5000); // five statistics intervals at full load
    qInfo("at 10,000 connections: longest GUI stall %lld ms; %d keys typed in %lld ms", worst,
        int(typedText.size()), typed);
    QCOMPARE(window.session()->engine()->snapshot().connections, kConnections);
    const qint64 controlAtLoad = control.takeWorst();
    qInfo("the control thread woke up at most %lld ms late while connecting, %lld ms at load",
        controlBefore, controlAtLoad);
    QVERIFY2(worst - controlAtLoad < kStallAtLoadMs,
        qPrintable(
            QString("the window froze for %1 ms (limit %2)").arg(worst).arg(kStallAtLoadMs)));
    QVERIFY2(before - controlBefore < kStallConnectingMs,
        qPrintable(QString("the window froze for %1 ms while connecting (limit %2)")
                       .arg(before)
                       .arg(kStallConnectingMs)));
    QVERIFY2(typed < kKeyMs * typedText.size(),
        qPrintable(QString("%1 keys took %2 ms").arg(typedText.size()).arg(typed)));

    window.files()->setAskUnsaved([](const QString&) { return QMessageBox::Discard; });
    window.close();
    QTRY_VERIFY_WITH_TIMEOUT(!window.isVisible(), 60000);
    QCOMPARE(window.session()->state(), RunSession::State::Finished);
}

QTEST_MAIN(TestResponsiveness)
#include "tst_responsiveness.moc"
