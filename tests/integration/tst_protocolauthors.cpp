// What a protocol author meets (issue #18), against a real QTcpServer in this process: pushed
// messages counted as messages, not requests; the on_close goodbye on decr and stop;
// close_connection honouring sleep_after_action; script errors backing off; reply timeouts that
// say what had arrived; error lines merged across workers. Both transports where sockets matter.
#include "core/Engine.h"
#include "scenario/BundleLoader.h"

#include <QElapsedTimer>
#include <QMap>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

#include <functional>

using namespace swarm;

namespace {

// A line server: every line a client sends is counted by its text; what it answers is up to
// `reply` (nothing when it returns an empty array). `pushEveryMs` > 0 pushes "push N\r\n" to
// every connection on its own.
class LineServer : public QObject
{
public:
    std::function<QByteArray(const QByteArray& line)> reply
        = [](const QByteArray& line) { return "OK " + line + "\r\n"; };
    QByteArray greeting; // written on accept
    int accepted = 0;
    QMap<QByteArray, int> lines;
    quint64 pushed = 0;
    QList<QTcpSocket*> live;

    bool listen(int pushEveryMs = 0)
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] { accept(); });
        if (pushEveryMs > 0) {
            connect(&m_push, &QTimer::timeout, this, [this] {
                for (QTcpSocket* s : live) {
                    s->write("push " + QByteArray::number(++pushed) + "\r\n");
                }
            });
            m_push.start(pushEveryMs);
        }
        return m_server.listen(QHostAddress::LocalHost, 0);
    }
    void stopPushing() { m_push.stop(); }
    quint16 port() const { return m_server.serverPort(); }

private:
    void accept()
    {
        while (QTcpSocket* s = m_server.nextPendingConnection()) {
            ++accepted;
            live << s;
            if (!greeting.isEmpty()) s->write(greeting);
            connect(s, &QTcpSocket::readyRead, this, [this, s] {
                while (s->canReadLine()) {
                    const QByteArray line = s->readLine().trimmed();
                    ++lines[line];
                    const QByteArray answer = reply(line);
                    if (!answer.isEmpty()) s->write(answer);
                }
            });
            connect(s, &QTcpSocket::disconnected, this, [this, s] {
                live.removeAll(s);
                s->deleteLater();
            });
        }
    }
    QTcpServer m_server;
    QTimer m_push;
};

ScenarioBundlePtr bundle(const QByteArray& yaml, const QString& module)
{
    const BundleLoader::Result r
        = BundleLoader::fromTexts(yaml, QStringLiteral("a.yml"), module, QStringLiteral("a.js"));
    if (!r.ok()) qWarning().noquote() << formatDiagnostics(r.diagnostics);
    return r.bundle;
}

QByteArray action(const char* command, const char* sleepAfter = "0")
{
    return QByteArray("  - command: ") + command
        + "\n    rounds: 1\n    sleep_between_rounds: 0\n    sleep_after_action: " + sleepAfter
        + "\n";
}

EngineConfig configFor(quint16 port, const QString& io, int threads = 1)
{
    EngineConfig c;
    c.server.address = QHostAddress::LocalHost;
    c.server.port = port;
    c.threads = threads;
    QString ioError;
    if (!io.isEmpty() && !parseIo(io, &c.io, &ioError)) qWarning().noquote() << ioError;
    c.connectSpreadMinMs = 0;
    c.connectSpreadMaxMs = 0;
    c.replyTimeoutMs = 2000;
    c.reconnectBaseMs = 20;
    c.reconnectMaxMs = 1000;
    c.statsIntervalMs = 100;
    return c;
}

bool startEngine(Engine& engine)
{
    QSignalSpy started(&engine, &Engine::started);
    engine.start();
    return started.wait(10000);
}

void stopEngine(Engine& engine)
{
    QSignalSpy stopped(&engine, &Engine::stopped);
    engine.stop();
    QVERIFY(stopped.wait(10000));
}

void addIoRows()
{
    QTest::addColumn<QString>("io");
#ifdef SWARM_HAVE_EPOLL
    QTest::newRow("epoll") << QStringLiteral("epoll");
#endif
    QTest::newRow("qt") << QStringLiteral("qt");
}

} // namespace

class TstProtocolAuthors : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void pushedMessagesAreNotRequests_data() { addIoRows(); }
    void pushedMessagesAreNotRequests();
    void recvWithACustomParser();
    void goodbyeOnDecrAndStop_data() { addIoRows(); }
    void goodbyeOnDecrAndStop();
    void goodbyeIsBounded();
    void closeConnectionHonoursTheSleep();
    void scriptErrorsBackOff();
    void replyTimeoutSaysWhatArrived();
    void errorLinesMergedAcrossWorkers();
};

// Issue #18 item 3: a message the server pushes, read with recv, is a message received; the
// ack sent with {request: false} is a message sent; neither is a request.
void TstProtocolAuthors::pushedMessagesAreNotRequests()
{
    QFETCH(QString, io);
    LineServer server;
    server.reply = [](const QByteArray&) { return QByteArray(); }; // acks get no answer
    QVERIFY(server.listen(20));
    const QString module = QStringLiteral(
        "const LINE = swarm.crlf();\n"
        "function* wait(client) {\n"
        "  const r = yield client.recv(LINE);\n"
        "  if (!r.text.startsWith('push ')) throw new Error('not a push: ' + r.text);\n"
        "  client.send_noreply('ack\\n', {request: false});\n"
        "}\n");
    Engine engine(
        configFor(server.port(), io), bundle("protocol: a\nactions:\n" + action("wait"), module));
    QVERIFY(startEngine(engine));
    engine.incr(4);
    QTRY_VERIFY_WITH_TIMEOUT(engine.snapshot().messagesReceived >= 100, 15000);
    server.stopPushing();
    QTest::qWait(300); // the last pushes are read and acknowledged
    stopEngine(engine);
    const StatsSnapshot& s = engine.snapshot();
    const CommandTotals* wait = s.command(QStringLiteral("wait"));
    QVERIFY(wait);
    QCOMPARE(wait->requests, quint64(0));
    QCOMPARE(s.requests, quint64(0));
    QCOMPARE(wait->latency.count(), quint64(0)); // no 2 µs "latencies"
    QCOMPARE(wait->messagesReceived, s.messagesReceived);
    // Every push read was acknowledged, and the server saw every ack.
    QCOMPARE(s.messagesSent, s.messagesReceived);
    QTRY_COMPARE_WITH_TIMEOUT(quint64(server.lines.value("ack")), s.messagesSent, 5000);
    QVERIFY2(s.messagesReceived <= server.pushed, qPrintable(QString::number(server.pushed)));
    QCOMPARE(s.errors(), quint64(0));
}

// Issue #18 item 1, end to end: recv(fn) completes messages.
void TstProtocolAuthors::recvWithACustomParser()
{
    LineServer server;
    server.greeting = "hello world\r\n";
    QVERIFY(server.listen());
    const QString module = QStringLiteral(
        "function* hello(client) {\n"
        "  if (client.vars.greeted) { yield client.sleep(10); return; }\n"
        "  const r = yield client.recv((b) => b.length < 11 ? 11 - b.length : 0);\n"
        "  if (r.text !== 'hello world') throw new Error('got ' + JSON.stringify(r.text));\n"
        "  client.vars.greeted = true;\n"
        "}\n");
    Engine engine(configFor(server.port(), QString()),
        bundle("protocol: a\nactions:\n" + action("hello"), module));
    QVERIFY(startEngine(engine));
    engine.incr(3);
    QTRY_COMPARE_WITH_TIMEOUT(engine.snapshot().messagesReceived, quint64(3), 10000);
    stopEngine(engine);
    QCOMPARE(engine.snapshot().errors(), quint64(0));
}

// Issue #18 item 4: decr and stop run the scenario's on_close command before closing.
void TstProtocolAuthors::goodbyeOnDecrAndStop()
{
    QFETCH(QString, io);
    LineServer server;
    QVERIFY(server.listen());
    const QString module
        = QStringLiteral("const LINE = swarm.crlf();\n"
                         "function ping(client) { client.send_for_reply('ping\\n', LINE); }\n"
                         "function bye(client, word = 'bye') { client.send_noreply(word + '\\n'); "
                         "client.close_connection(); }\n");
    Engine engine(configFor(server.port(), io, 2),
        bundle("protocol: a\non_close:\n  command: bye\n  args: {word: goodbye}\n"
               "actions:\n"
                + action("ping", "0.05"),
            module));
    QVERIFY(startEngine(engine));
    engine.incr(10);
    QTRY_COMPARE_WITH_TIMEOUT(int(server.live.size()), 10, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(server.lines.value("ping") >= 20, 10000);
    QCOMPARE(engine.decr(4), 4);
    QTRY_COMPARE_WITH_TIMEOUT(int(server.live.size()), 6, 10000);
    QCOMPARE(server.lines.value("goodbye"), 4); // each closed connection said it, once
    stopEngine(engine);
    QTRY_COMPARE_WITH_TIMEOUT(int(server.live.size()), 0, 10000);
    QCOMPARE(server.lines.value("goodbye"), 10);
    // The goodbyes are in the final figures (reported after them).
    const CommandTotals* bye = engine.snapshot().command(QStringLiteral("bye"));
    QVERIFY(bye);
    QCOMPARE(bye->requests, quint64(10));
    QCOMPARE(engine.snapshot().errors(), quint64(0));
}

// A goodbye that waits for a reply that never comes is cut at the goodbye timeout.
void TstProtocolAuthors::goodbyeIsBounded()
{
    LineServer server;
    server.reply = [](const QByteArray& line) {
        return line == "ping" ? QByteArray("OK\r\n") : QByteArray();
    };
    QVERIFY(server.listen());
    const QString module
        = QStringLiteral("const LINE = swarm.crlf();\n"
                         "function ping(client) { client.send_for_reply('ping\\n', LINE); }\n"
                         "function bye(client) { client.send_for_reply('bye\\n', LINE); }\n");
    EngineConfig config = configFor(server.port(), QString());
    config.goodbyeTimeoutMs = 300;
    // A long sleep after one ping: at the stop no ping reply is pending. (A reply still pending
    // when a goodbye starts would be read as the goodbye's: a known limit, docs/PROTOCOLS.md.)
    Engine engine(
        config, bundle("protocol: a\non_close: bye\nactions:\n" + action("ping", "30"), module));
    QVERIFY(startEngine(engine));
    engine.incr(3);
    QTRY_COMPARE_WITH_TIMEOUT(int(server.live.size()), 3, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(engine.snapshot().requests, quint64(3), 10000);
    QElapsedTimer t;
    t.start();
    stopEngine(engine);
    // 300 ms of goodbye timeout, plus a scheduling margin for a loaded machine; far below the
    // 2 s reply timeout that would apply without the bound.
    QVERIFY2(t.elapsed() < 1500, qPrintable(QString::number(t.elapsed())));
    QCOMPARE(server.lines.value("bye"), 3);
    QTRY_COMPARE_WITH_TIMEOUT(int(server.live.size()), 0, 5000);
    const QStringList& recent = engine.snapshot().recentErrors;
    QVERIFY2(recent.join('\n').contains(QLatin1String("on_close command 'bye' did not finish "
                                                      "within 300 ms")),
        qPrintable(recent.join('\n')));
}

// Issue #18 item 5: close_connection ends the action: counted, and its sleep honoured.
void TstProtocolAuthors::closeConnectionHonoursTheSleep()
{
    LineServer server;
    QVERIFY(server.listen());
    const QString module = QStringLiteral("function* once(client) {\n"
                                          "  yield client.send_for_reply('hi\\n', swarm.crlf());\n"
                                          "  client.close_connection();\n"
                                          "}\n");
    Engine engine(configFor(server.port(), QString()),
        bundle("protocol: a\nactions:\n" + action("once", "0.5"), module));
    QVERIFY(startEngine(engine));
    QElapsedTimer t;
    t.start();
    engine.incr(4);
    QTest::qWait(1600);
    const qint64 elapsed = t.elapsed();
    stopEngine(engine);
    // Each connection connects, asks once, closes, sleeps 0.5 s: at most elapsed / 0.5 s + 1
    // connects each. Without the sleep, hundreds.
    const int bound = 4 * int(elapsed / 500 + 1);
    QVERIFY2(server.accepted <= bound,
        qPrintable(QStringLiteral("%1 connects, bound %2").arg(server.accepted).arg(bound)));
    QVERIFY2(server.accepted >= 8, qPrintable(QString::number(server.accepted))); // it reconnects
    // Every completed "once" is an action completed.
    QCOMPARE(engine.snapshot().actionsCompleted, engine.snapshot().requests);
    QVERIFY(engine.snapshot().actionsCompleted >= 4);
}

// Issue #18 item 6: a module that fails on its second action backs off; a reply that went
// through before the error does not reset the backoff.
void TstProtocolAuthors::scriptErrorsBackOff()
{
    LineServer server;
    QVERIFY(server.listen());
    const QString module = QStringLiteral(
        "function* ok(client) { yield client.send_for_reply('hi\\n', swarm.crlf()); }\n"
        "function broken(client) { null.x; }\n");
    Engine engine(configFor(server.port(), QString()),
        bundle("protocol: a\nactions:\n" + action("ok") + action("broken"), module));
    QVERIFY(startEngine(engine));
    QElapsedTimer t;
    t.start();
    engine.incr(20);
    QTest::qWait(2000);
    const qint64 elapsed = t.elapsed();
    stopEngine(engine);
    // Backoff from 20 ms doubling to the 1 s cap, each delay drawn from the upper half of its
    // ceiling: waits of at least 10, 20, 40, 80, 160, 320, 500, 500 ... ms, so 2 s hold at most
    // 8 attempts per connection (+1 for the margin of a late stop). Without backoff (20 ms each)
    // about 100 each.
    const int perConnection = 9 + int(qMax<qint64>(0, elapsed - 2000) / 500);
    QVERIFY2(server.accepted <= 20 * perConnection,
        qPrintable(QStringLiteral("%1 connects in %2 ms").arg(server.accepted).arg(elapsed)));
    QVERIFY(engine.snapshot().transitions[size_t(ConnState::ScriptError)] >= 20);
}

// Issue #18 item 7: a reply timeout says how much of the reply had arrived and what the parser
// asked for.
void TstProtocolAuthors::replyTimeoutSaysWhatArrived()
{
    LineServer server;
    server.reply = [](const QByteArray& line) {
        if (line == "lp")
            return QByteArray("\x00\x0a"
                              "abc",
                5); // announces 10 bytes, sends 3
        return QByteArray("OK hal"); // no \r\n
    };
    QVERIFY(server.listen());
    const QString module = QStringLiteral(
        "function line(client) { client.send_for_reply('line\\n', swarm.crlf()); }\n"
        "function lp(client) { client.send_for_reply('lp\\n', swarm.length_prefixed(2)); }\n");
    EngineConfig config = configFor(server.port(), QString());
    config.replyTimeoutMs = 200;
    config.reconnectBaseMs = 5000; // one attempt each within the test
    Engine engine(
        config, bundle("protocol: a\nactions:\n" + action("line") + action("lp"), module));
    QVERIFY(startEngine(engine));
    engine.incr(1);
    QTRY_VERIFY_WITH_TIMEOUT(!engine.snapshot().recentErrors.isEmpty(), 5000);
    stopEngine(engine);
    const QString text = engine.snapshot().recentErrors.join('\n');
    QVERIFY2(text.contains(QLatin1String("command 'line': no reply within 200 ms "
                                         "(--reply-timeout): 6 bytes of it had arrived; crlf had "
                                         "not found its end")),
        qPrintable(text));

    // The length-prefixed reply: the parser knows the total it waits for.
    Engine second(config, bundle("protocol: a\nactions:\n" + action("lp"), module));
    QVERIFY(startEngine(second));
    second.incr(1);
    QTRY_VERIFY_WITH_TIMEOUT(!second.snapshot().recentErrors.isEmpty(), 5000);
    stopEngine(second);
    const QString lp = second.snapshot().recentErrors.join('\n');
    QVERIFY2(lp.contains(QLatin1String("5 bytes of it had arrived; length_prefixed(2, big-endian, "
                                       "header excluded, offset 0) asked for 12 bytes in all")),
        qPrintable(lp));
}

// Issue #18 item 7: the same message from several workers is one line with the summed count.
void TstProtocolAuthors::errorLinesMergedAcrossWorkers()
{
    LineServer server;
    QVERIFY(server.listen());
    const QString module
        = QStringLiteral("function broken(client) { throw new Error('same everywhere'); }\n");
    EngineConfig config = configFor(server.port(), QString(), 4);
    config.statsIntervalMs = 1000; // enough time for every worker to fail in one interval
    Engine engine(config, bundle("protocol: a\nactions:\n" + action("broken"), module));
    QVERIFY(startEngine(engine));
    QSignalSpy messages(&engine, &Engine::errorMessages);
    engine.incr(8); // two on each worker
    QVERIFY(messages.wait(5000));
    stopEngine(engine);
    const QStringList lines = messages.first().first().toStringList();
    int same = 0;
    for (const QString& l : lines)
        if (l.contains(QLatin1String("same everywhere"))) ++same;
    QVERIFY2(same == 1, qPrintable(lines.join('\n')));
}

QTEST_GUILESS_MAIN(TstProtocolAuthors)
#include "tst_protocolauthors.moc"
