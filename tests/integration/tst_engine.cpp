// The engine against a real QTcpServer in this process: connection counts seen by the server,
// every fault kind counted under its own name while the other connections carry on.
#include "TestServers.h"
#include "core/Engine.h"
#include "scenario/BundleLoader.h"

#include <QElapsedTimer>
#include <QSet>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <functional>

using namespace swarm;

namespace {

// A line server whose behaviour is chosen per accepted connection (by its accept order):
// answers "OK <line>\r\n" by default; or closes in the middle of a reply, never answers, or
// sends a reply the script's parser rejects.
class FaultServer : public QObject
{
public:
    enum class Mode { Answer, CloseMidReply, Silent, Refuse };

    std::function<Mode(int acceptIndex)> modeFor = [](int) { return Mode::Answer; };
    int accepted = 0;
    quint64 requests = 0;
    QList<QTcpSocket*> live;

    bool listen()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] { accept(); });
        m_server.setListenBacklogSize(4096);
        return m_server.listen(QHostAddress::LocalHost, 0);
    }
    quint16 port() const { return m_server.serverPort(); }
    int connections() const { return int(live.size()); }
    // Peer ports of the live connections: unchanged when those connections were left alone.
    QSet<quint16> peerPorts() const
    {
        QSet<quint16> ports;
        for (QTcpSocket* s : live)
            ports.insert(s->peerPort());
        return ports;
    }

private:
    void accept()
    {
        while (QTcpSocket* s = m_server.nextPendingConnection()) {
            const Mode mode = modeFor(accepted++);
            if (mode == Mode::Refuse) {
                s->abort();
                s->deleteLater();
                continue;
            }
            live << s;
            connect(s, &QTcpSocket::readyRead, this, [this, s, mode] { serve(s, mode); });
            connect(s, &QTcpSocket::disconnected, this, [this, s] {
                live.removeAll(s);
                s->deleteLater();
            });
        }
    }
    void serve(QTcpSocket* s, Mode mode)
    {
        while (s->canReadLine()) {
            const QByteArray line = s->readLine().trimmed();
            ++requests;
            switch (mode) {
            case Mode::Answer:
                s->write("OK " + line + "\r\n");
                break;
            case Mode::CloseMidReply:
                s->write("OK half a rep");
                s->flush();
                s->disconnectFromHost();
                return;
            case Mode::Silent:
            case Mode::Refuse:
                break;
            }
        }
    }
    QTcpServer m_server;
};

const char* kModule = R"JS(
const LINE = swarm.crlf();
function ping(client, text = 'ping') {
    client.send_for_reply(text + '\n', LINE);
}
function* checked(client) {
    const r = yield client.send_for_reply('check\n', LINE);
    if (!r.text.startsWith('OK check')) throw new Error('unexpected reply ' + r.text);
    client.vars.checked = (client.vars.checked || 0) + 1;
}
function boom(client) {
    if (!client.vars.fine) throw new TypeError('boom in the script');
    client.send_for_reply('fine\n', LINE);
}
// A custom parser with the original contract: all the reply's bytes so far in, how many more
// are needed out (0: complete). Asks one byte at a time until the line ends.
function* custom(client) {
    const r = yield client.send_for_reply('custom\n', function (bytes) {
        if (bytes.length === 0) return 3; // "OK " at least
        return bytes[bytes.length - 1] === 10 ? 0 : 1;
    });
    if (r.text !== 'OK custom\r\n') throw new Error('custom parser gave ' + JSON.stringify(r.text));
    client.vars.custom = (client.vars.custom || 0) + 1;
}
function negative(client) {
    client.send_for_reply('neg\n', function (bytes) { return bytes.length ? -1 : 1; });
}
)JS";

ScenarioBundlePtr bundleFor(const QByteArray& yaml)
{
    const BundleLoader::Result r = BundleLoader::fromTexts(
        yaml, QStringLiteral("test.yml"), QString::fromUtf8(kModule), QStringLiteral("test.js"));
    if (!r.ok()) qWarning().noquote() << formatDiagnostics(r.diagnostics);
    return r.bundle;
}

QByteArray loop(const char* command, const char* sleep = "0.05")
{
    return QByteArray("protocol: test\nactions:\n  - command: ") + command
        + "\n    rounds: 1\n    sleep_between_rounds: 0\n    sleep_after_action: " + sleep + "\n";
}

EngineConfig configFor(quint16 port, int threads = 2)
{
    EngineConfig c;
    c.server.address = QHostAddress::LocalHost;
    c.server.port = port;
    c.threads = threads;
    c.connectSpreadMinMs = 0;
    c.connectSpreadMaxMs = 0;
    c.replyTimeoutMs = 500;
    c.reconnectBaseMs = 20;
    c.reconnectMaxMs = 200;
    c.statsIntervalMs = 100;
    return c;
}

qint64 transitionsInto(const Engine& e, ConnState s)
{
    return e.snapshot().transitions[size_t(s)];
}

} // namespace

class TstEngine : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void countsMatchTheServer_data();
    void countsMatchTheServer();
    void nothingConnectsUntilTold();
    void faultIsCountedAndOthersCarryOn_data();
    void faultIsCountedAndOthersCarryOn();
    void generatorReadsReplies();
    void customParserCompletesReplies();
    void refusedWhenNobodyListens_data();
    void refusedWhenNobodyListens();
};

void TstEngine::countsMatchTheServer_data()
{
    QTest::addColumn<QString>("io");
    for (const QString& io : swarm::test::transports())
        QTest::newRow(qPrintable(io)) << io;
}

void TstEngine::countsMatchTheServer()
{
    QFETCH(QString, io);
    FaultServer server;
    QVERIFY(server.listen());
    EngineConfig config = configFor(server.port());
    QString ioError;
    QVERIFY2(parseIo(io, &config.io, &ioError), qPrintable(ioError));
    Engine engine(config, bundleFor(loop("ping")));
    QSignalSpy started(&engine, &Engine::started);
    engine.start();
    QVERIFY(started.wait(10000));

    engine.incr(150);
    engine.incr(50); // adds up with the first
    QTRY_COMPARE_WITH_TIMEOUT(server.connections(), 200, 15000);
    QCOMPARE(engine.target(), 200);
    QTRY_COMPARE_WITH_TIMEOUT(engine.snapshot().connections, 200, 5000);

    QCOMPARE(engine.decr(50), 50);
    QTRY_COMPARE_WITH_TIMEOUT(server.connections(), 150, 10000);
    QCOMPARE(engine.target(), 150);

    // Requests flow on every connection; the server's count and ours agree once quiet.
    QTRY_VERIFY_WITH_TIMEOUT(engine.snapshot().requests > 1000, 10000);

    QCOMPARE(engine.decr(1000), 150); // more than exist: all of them
    QTRY_COMPARE_WITH_TIMEOUT(server.connections(), 0, 10000);

    QSignalSpy stopped(&engine, &Engine::stopped);
    engine.stop();
    QVERIFY(stopped.wait(10000));
    QCOMPARE(engine.phase(), Engine::Phase::Stopped);
    // Every request the server answered was counted, and nothing more.
    QVERIFY(engine.snapshot().requests <= server.requests);
    QVERIFY2(engine.snapshot().requests + 200 >= server.requests,
        qPrintable(
            QStringLiteral("%1 vs %2").arg(engine.snapshot().requests).arg(server.requests)));
}

void TstEngine::nothingConnectsUntilTold()
{
    FaultServer server;
    QVERIFY(server.listen());
    Engine engine(configFor(server.port()), bundleFor(loop("ping")));
    QSignalSpy started(&engine, &Engine::started);
    engine.start();
    QVERIFY(started.wait(10000));
    QTest::qWait(500);
    QCOMPARE(server.accepted, 0);
    engine.incr(3);
    QTRY_COMPARE_WITH_TIMEOUT(server.connections(), 3, 5000);
}

void TstEngine::faultIsCountedAndOthersCarryOn_data()
{
    QTest::addColumn<QString>("io");
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<int>("mode");
    QTest::addColumn<int>("expected");
    QTest::addColumn<QString>("why");
    // Every fault on every transport: the same kind and message whichever counts it.
    for (const QString& io : swarm::test::transports()) {
        const QByteArray name = io.toLatin1();
        const char* n = name.constData();
        QTest::addRow("%s: server closes mid-reply", n)
            << io << loop("ping") << int(FaultServer::Mode::CloseMidReply) << int(ConnState::Closed)
            << "closed by the server";
        QTest::addRow("%s: server never replies", n)
            << io << loop("ping") << int(FaultServer::Mode::Silent) << int(ConnState::TimedOut)
            << "no reply within 500 ms";
        QTest::addRow("%s: server resets at once (accepts, then aborts)", n)
            << io << loop("ping") << int(FaultServer::Mode::Refuse) << int(ConnState::Reset)
            << "reset by peer";
        QTest::addRow("%s: exception in the script", n)
            << io << loop("boom") << int(FaultServer::Mode::Answer) << int(ConnState::ScriptError)
            << "test.js:12: TypeError: boom in the script";
        QTest::addRow("%s: parser returns a negative number", n)
            << io << loop("negative") << int(FaultServer::Mode::Answer)
            << int(ConnState::ProtocolError) << "reply parser returned -1";
    }
}

void TstEngine::faultIsCountedAndOthersCarryOn()
{
    QFETCH(QString, io);
    QFETCH(QByteArray, yaml);
    QFETCH(int, mode);
    QFETCH(int, expected);
    QFETCH(QString, why);
    const bool scriptFault
        = expected == int(ConnState::ScriptError) || expected == int(ConnState::ProtocolError);
    FaultServer server;
    QVERIFY(server.listen());
    // Healthy connections first, then the faulty ones: connections 10 and later misbehave.
    const int healthy = 10;
    server.modeFor
        = [&](int i) { return i < healthy ? FaultServer::Mode::Answer : FaultServer::Mode(mode); };
    EngineConfig config = configFor(server.port());
    QString ioError;
    QVERIFY2(parseIo(io, &config.io, &ioError), qPrintable(ioError));
    Engine engine(config, bundleFor(scriptFault ? loop("ping") : yaml));
    QSignalSpy started(&engine, &Engine::started);
    engine.start();
    QVERIFY(started.wait(10000));
    engine.incr(healthy);
    QTRY_COMPARE_WITH_TIMEOUT(server.connections(), healthy, 5000);
    const QSet<quint16> healthyPorts = server.peerPorts();
    if (scriptFault) {
        // The same connections, now running the faulty scenario: applied to a running load.
        QSignalSpy applied(&engine, &Engine::applied);
        engine.apply(bundleFor(yaml));
        QVERIFY(applied.wait(5000));
        QVERIFY(applied.first().at(0).toBool());
    } else {
        engine.incr(5);
    }
    QTRY_VERIFY_WITH_TIMEOUT(transitionsInto(engine, ConnState(expected)) >= 3, 10000);
    const QString status = engine.statusText();
    QVERIFY2(status.contains(QLatin1String(stateName(expected))), qPrintable(status));
    QTRY_VERIFY_WITH_TIMEOUT(!engine.snapshot().recentErrors.isEmpty(), 5000);
    const QString recent = engine.snapshot().recentErrors.join(QLatin1Char('\n'));
    QVERIFY2(recent.contains(why), qPrintable(recent));
    if (!scriptFault) {
        // The healthy connections were never dropped: the same sockets, still answering.
        const quint64 before = engine.snapshot().requests;
        QTRY_VERIFY_WITH_TIMEOUT(engine.snapshot().requests > before + 50, 5000);
        QVERIFY(server.peerPorts().contains(healthyPorts));
        // Every faulty connection reconnected (more accepts than connections asked for).
        QVERIFY(server.accepted > healthy + 5);
    }
    QCOMPARE(engine.target(), scriptFault ? healthy : healthy + 5);
    QSignalSpy stopped(&engine, &Engine::stopped);
    engine.stop();
    QVERIFY(stopped.wait(10000));
}

void TstEngine::generatorReadsReplies()
{
    FaultServer server;
    QVERIFY(server.listen());
    Engine engine(configFor(server.port(), 1), bundleFor(loop("checked", "0")));
    QSignalSpy started(&engine, &Engine::started);
    engine.start();
    QVERIFY(started.wait(10000));
    engine.incr(5);
    QTRY_VERIFY_WITH_TIMEOUT(engine.snapshot().actionsCompleted > 100, 10000);
    QCOMPARE(engine.snapshot().errors(), quint64(0));
}

void TstEngine::customParserCompletesReplies()
{
    FaultServer server;
    QVERIFY(server.listen());
    Engine engine(configFor(server.port(), 1), bundleFor(loop("custom", "0")));
    QSignalSpy started(&engine, &Engine::started);
    engine.start();
    QVERIFY(started.wait(10000));
    engine.incr(3);
    QTRY_VERIFY_WITH_TIMEOUT(engine.snapshot().actionsCompleted > 100, 10000);
    QVERIFY2(engine.snapshot().errors() == 0, qPrintable(engine.statusText()));
}

void TstEngine::refusedWhenNobodyListens_data()
{
    QTest::addColumn<QString>("io");
    for (const QString& io : swarm::test::transports())
        QTest::newRow(qPrintable(io)) << io;
}

void TstEngine::refusedWhenNobodyListens()
{
    QFETCH(QString, io);
    quint16 port = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        port = probe.serverPort();
    }
    EngineConfig config = configFor(port);
    QString ioError;
    QVERIFY2(parseIo(io, &config.io, &ioError), qPrintable(ioError));
    Engine engine(config, bundleFor(loop("ping")));
    QSignalSpy started(&engine, &Engine::started);
    engine.start();
    QVERIFY(started.wait(10000));
    const int n = 20;
    engine.incr(n);
    QTRY_VERIFY_WITH_TIMEOUT(transitionsInto(engine, ConnState::Refused) >= 2 * n, 10000);
    // Backing off: they wait in the refused state, not in a busy loop.
    QTRY_VERIFY_WITH_TIMEOUT(engine.snapshot().current[size_t(ConnState::Refused)] > 0, 5000);

    // The attempt rate. configFor: the backoff ceiling starts at 20 ms and doubles up to 200 ms,
    // and each wait is drawn from the upper half of the ceiling, so a connection waits at least
    // 10, 20, 40, 80, then 100 ms between attempts: over T ms at most 5 + T / 100 attempts. (No
    // doubling would allow T / 10; a busy loop thousands.) The longest wait is 200 ms: at least
    // one attempt per connection per second leaves 5x for timers late on a loaded machine or
    // under a sanitizer. The snapshot is merged every statsIntervalMs (100): the window is
    // widened by that at both ends for the upper bound and narrowed for the lower one.
    const qint64 before = transitionsInto(engine, ConnState::Refused);
    QElapsedTimer window;
    window.start();
    QTest::qWait(3000);
    const qint64 attempts = transitionsInto(engine, ConnState::Refused) - before;
    const qint64 ms = window.elapsed();
    const qint64 most = n * (5 + (ms + 200) / 100);
    const qint64 least = n * ((ms - 200) / 1000);
    QVERIFY2(attempts <= most && attempts >= least,
        qPrintable(QStringLiteral("%1 refused connects in %2 ms by %3 connections; expected "
                                  "%4 to %5")
                       .arg(attempts)
                       .arg(ms)
                       .arg(n)
                       .arg(least)
                       .arg(most)));
}

QTEST_GUILESS_MAIN(TstEngine)
#include "tst_engine.moc"
