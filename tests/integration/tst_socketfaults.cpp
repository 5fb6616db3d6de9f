// Socket failures that arrive while a connection is busy, on both transports. The Transport seam
// promises that no event is delivered from inside one of its methods; a failure the socket
// layer detects inside write() (Qt's flush emits errorOccurred there) must reach the connection
// later, once, and be counted once.
#include "TestServers.h"
#include "core/Engine.h"
#include "scenario/BundleLoader.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

using namespace swarm;

namespace {

// Resets (RST, not FIN) the first `resets` connections it accepts, `resetAfterMs` after the
// accept; answers "OK\r\n" to every line on the others.
class ResettingServer : public swarm::test::LoopbackServer
{
public:
    int resets = 0;
    int resetAfterMs = 30;
    int resetDone = 0;

private:
    void serveConnection(QTcpSocket* s, int index) override
    {
        if (index < resets) {
            QTimer::singleShot(resetAfterMs, s, [this, s] {
                swarm::test::abortWithReset(s);
                ++resetDone;
            });
            return;
        }
        connect(s, &QTcpSocket::readyRead, s, [s] {
            while (s->canReadLine()) {
                s->readLine();
                s->write("OK\r\n");
            }
        });
    }
};

// Each action first keeps the worker busy (the script runs for 150 ms) so that the server's
// reset arrives before the request is written: the failure is then found by the write itself.
const char* kModule = R"JS(
function busy() { const until = Date.now() + 150; while (Date.now() < until) {} }
function line(bytes) { return bytes.length && bytes[bytes.length - 1] === 10 ? 0 : 1; }
function custom(client) {
    busy();
    client.send_for_reply('ping\n', line);
}
function noreply_first(client) {
    busy();
    client.send_noreply('hello\n');
    client.send_for_reply('ping\n', line);
}
)JS";

ScenarioBundlePtr bundleFor(const char* command)
{
    const QByteArray yaml = QByteArray("protocol: test\nactions:\n  - command: ") + command
        + "\n    rounds: 1\n    sleep_between_rounds: 0\n    sleep_after_action: 0\n";
    const BundleLoader::Result r = BundleLoader::fromTexts(
        yaml, QStringLiteral("test.yml"), QString::fromUtf8(kModule), QStringLiteral("test.js"));
    if (!r.ok()) qWarning().noquote() << formatDiagnostics(r.diagnostics);
    return r.bundle;
}

} // namespace

class TstSocketFaults : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void resetWhileWriting_data();
    void resetWhileWriting();
};

void TstSocketFaults::resetWhileWriting_data()
{
    QTest::addColumn<QString>("io");
    QTest::addColumn<QString>("command");
    for (const QString& io : swarm::test::transports()) {
        QTest::addRow("%s, custom parser", qPrintable(io)) << io << QStringLiteral("custom");
        QTest::addRow("%s, send_noreply first", qPrintable(io))
            << io << QStringLiteral("noreply_first");
    }
}

void TstSocketFaults::resetWhileWriting()
{
    QFETCH(QString, io);
    QFETCH(QString, command);
    ResettingServer server;
    server.resets = 5;
    QVERIFY(server.listen());
    EngineConfig c;
    c.server = {QHostAddress::LocalHost, server.port()};
    QString ioError;
    QVERIFY2(parseIo(io, &c.io, &ioError), qPrintable(ioError));
    c.threads = 1;
    c.connectSpreadMinMs = c.connectSpreadMaxMs = 0;
    c.scriptTimeoutMs = 2000;
    c.replyTimeoutMs = 2000;
    c.reconnectBaseMs = 20;
    c.reconnectMaxMs = 50;
    c.statsIntervalMs = 100;
    Engine engine(c, bundleFor(command.toLatin1().constData()));
    QSignalSpy started(&engine, &Engine::started);
    engine.start();
    QVERIFY(started.wait(10000));
    // One connection, so that every reset lands while its script is busy (not while waiting).
    engine.incr(1);
    QTRY_VERIFY_WITH_TIMEOUT(server.accepted > server.resets, 15000);
    QTRY_VERIFY_WITH_TIMEOUT(engine.snapshot().requests > 20, 10000);
    const StatsSnapshot s = engine.snapshot();
    qInfo().noquote() << engine.statusText() << s.recentErrors.join(QLatin1Char('\n'));
    // Each reset is one error of kind `reset`, one failed request and one reconnect: not also a
    // `closed` for the same socket, not a request counted as sent on a dead connection.
    QCOMPARE(server.resetDone, server.resets);
    QCOMPARE(s.transitions[size_t(ConnState::Reset)], qint64(server.resets));
    QCOMPARE(qint64(s.errors()), qint64(server.resets));
    QCOMPARE(qint64(s.requestErrors), qint64(server.resets));
    QCOMPARE(server.accepted, server.resets + 1);
    QSignalSpy stopped(&engine, &Engine::stopped);
    QElapsedTimer t;
    t.start();
    engine.stop();
    QVERIFY(stopped.wait(10000));
    // The stop waits for the script call under way (150 ms) and one connection's close, not for
    // the continuations that would follow it: the "send_noreply first" rows find their next
    // reply already buffered (the server answers the noreply line too), so each round ran on
    // at once, and 64 back-to-back rounds of 150 ms kept the stop waiting 9.6 s. 3 s leaves a
    // loaded machine room.
    qInfo("stopped in %lld ms", t.elapsed());
    QVERIFY2(t.elapsed() < 3000, qPrintable(QString::number(t.elapsed())));
}

QTEST_GUILESS_MAIN(TstSocketFaults)
#include "tst_socketfaults.moc"
