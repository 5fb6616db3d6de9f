// The telnet console's guards, over real TCP sessions: tokens, session limit, idle sessions,
// binary input, over-long lines, floods of invalid commands, telnet negotiation.
#include "TestServers.h"
#include "console/ConsoleInterpreter.h"
#include "console/ConsoleServer.h"
#include "core/Engine.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

using namespace swarm;
using swarm::test::ConsoleClient;

namespace {

struct Console
{
    explicit Console(ConsoleOptions options)
        : engine(EngineConfig(), std::make_shared<ScenarioBundle>())
        , interpreter(&engine, RunInfo())
        , server(&interpreter, options)
    { }
    Engine engine; // never started: the console only needs the facade
    ConsoleInterpreter interpreter;
    ConsoleServer server;
};

ConsoleOptions loopback()
{
    ConsoleOptions o;
    o.port = 0;
    return o;
}

} // namespace

class TstConsoleServer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void refusesOffLoopbackWithoutToken();
    void tokenGuardsEveryCommand();
    void wrongTokenIsSlowCountedAndLogged();
    void limitsSessions();
    void closesIdleSessions();
    void cutsOffBinaryLongLinesAndFloods_data();
    void cutsOffBinaryLongLinesAndFloods();
    void skipsTelnetNegotiation();
    void publishesEverySessionsTraffic();
};

void TstConsoleServer::refusesOffLoopbackWithoutToken()
{
    ConsoleOptions o = loopback();
    o.address = QHostAddress::AnyIPv4;
    QVERIFY(!o.securityProblem().isEmpty());
    Console c(o);
    QString error;
    QVERIFY(!c.server.listen(&error));
    QVERIFY2(error.contains(QLatin1String("--console-token")), qPrintable(error));
    o.token = QStringLiteral("t0ken");
    QVERIFY(o.securityProblem().isEmpty());
    o.token.clear();
    o.insecure = true;
    QVERIFY(o.securityProblem().isEmpty());
}

void TstConsoleServer::tokenGuardsEveryCommand()
{
    ConsoleOptions o = loopback();
    o.token = QStringLiteral("s3cret");
    Console c(o);
    QString error;
    QVERIFY2(c.server.listen(&error), qPrintable(error));
    ConsoleClient s;
    QVERIFY(s.connectTo(c.server.port()));
    QVERIFY(s.readAll().contains(QLatin1String("needs a token")));
    QVERIFY(s.send("incr 5").contains(QLatin1String("needs a token first")));
    QCOMPARE(c.engine.target(), 0);
    QVERIFY(s.send("auth s3cret").contains(QLatin1String("OK: authenticated")));
    QVERIFY(s.send("incr 5").contains(QLatin1String("OK")));
    QCOMPARE(c.engine.target(), 5);
}

void TstConsoleServer::wrongTokenIsSlowCountedAndLogged()
{
    ConsoleOptions o = loopback();
    o.token = QStringLiteral("s3cret");
    Console c(o);
    QString error;
    QVERIFY(c.server.listen(&error));
    QSignalSpy log(&c.server, &ConsoleServer::logMessage);
    ConsoleClient s;
    QVERIFY(s.connectTo(c.server.port()));
    s.readAll();
    QElapsedTimer t;
    t.start();
    s.write("auth guess\n");
    QVERIFY(s.waitForDisconnected(5000));
    QVERIFY2(t.elapsed() >= 900, qPrintable(QString::number(t.elapsed())));
    QCOMPARE(c.server.failedAuthentications(), quint64(1));
    QTRY_VERIFY(!log.isEmpty());
    QVERIFY(log.first().first().toString().contains(QLatin1String("127.0.0.1:")));
}

void TstConsoleServer::limitsSessions()
{
    ConsoleOptions o = loopback();
    o.maxSessions = 2;
    Console c(o);
    QString error;
    QVERIFY(c.server.listen(&error));
    ConsoleClient a;
    ConsoleClient b;
    ConsoleClient third;
    QVERIFY(a.connectTo(c.server.port()));
    a.readAll();
    QVERIFY(b.connectTo(c.server.port()));
    b.readAll();
    QVERIFY(third.connectTo(c.server.port()));
    QVERIFY(third.readAll().contains(QLatin1String("too many console sessions")));
    QVERIFY(third.waitForDisconnected(3000));
    QVERIFY(a.send("help").contains(QLatin1String("incr")));
}

void TstConsoleServer::closesIdleSessions()
{
    ConsoleOptions o = loopback();
    o.idleTimeoutMs = 300;
    Console c(o);
    QString error;
    QVERIFY(c.server.listen(&error));
    ConsoleClient s;
    QVERIFY(s.connectTo(c.server.port()));
    s.readAll();
    QVERIFY(s.waitForDisconnected(4000));
    QTRY_COMPARE(c.server.sessionCount(), 0);
}

void TstConsoleServer::cutsOffBinaryLongLinesAndFloods_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("reason");
    QTest::newRow("NUL and control bytes") << QByteArray("sta\x00\x01tus\n", 9) << "binary";
    QTest::newRow("invalid UTF-8") << QByteArray("status \xc3\x28\n") << "binary";
    QTest::newRow("a megabyte without newline") << QByteArray(1 << 20, 'a') << "longer than";
    QByteArray flood;
    for (int i = 0; i < 25; ++i)
        flood += "nonsense\n";
    QTest::newRow("a flood of invalid commands") << flood << "invalid commands";
}

void TstConsoleServer::cutsOffBinaryLongLinesAndFloods()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, reason);
    Console c(loopback());
    QString error;
    QVERIFY(c.server.listen(&error));
    ConsoleClient other;
    QVERIFY(other.connectTo(c.server.port()));
    other.readAll();
    ConsoleClient s;
    QVERIFY(s.connectTo(c.server.port()));
    s.readAll();
    s.write(input);
    const QString got = s.readAll(500, 5000);
    QVERIFY2(got.contains(reason) && got.contains(QLatin1String("closing this session")),
        qPrintable(got.right(300)));
    QVERIFY(s.waitForDisconnected(3000));
    // Another session is untouched.
    QVERIFY(other.send("status").contains(QLatin1String("Realtime")));
}

void TstConsoleServer::skipsTelnetNegotiation()
{
    Console c(loopback());
    QString error;
    QVERIFY(c.server.listen(&error));
    ConsoleClient s;
    QVERIFY(s.connectTo(c.server.port()));
    s.readAll();
    // IAC WILL NAWS, IAC SB ... IAC SE, then a command; then IAC IP (Ctrl-C) ends the session.
    s.write(QByteArray("\xff\xfb\x1f\xff\xfa\x1f\x00\x50\x00\x18\xff\xf0help\r\n", 18));
    QVERIFY(s.readAll().contains(QLatin1String("incr N")));
    s.write(QByteArray("\xff\xf4", 2));
    QVERIFY(s.readAll().contains(QLatin1String("Bye")));
    QVERIFY(s.waitForDisconnected(3000));
}

void TstConsoleServer::publishesEverySessionsTraffic()
{
    Console c(loopback());
    QString error;
    QVERIFY(c.server.listen(&error));
    QSignalSpy transcript(&c.interpreter, &ConsoleInterpreter::transcript);
    ConsoleClient s;
    QVERIFY(s.connectTo(c.server.port()));
    s.readAll();
    s.send("incr 3");
    QTRY_COMPARE(transcript.size(), 1);
    QVERIFY(transcript.first().at(0).toString().startsWith(QLatin1String("127.0.0.1:")));
    QCOMPARE(transcript.first().at(1).toString(), QStringLiteral("incr 3"));
    QVERIFY(transcript.first().at(2).toString().startsWith(QLatin1String("OK")));
    // The GUI's own line goes through the same interpreter.
    c.interpreter.executeLine(QStringLiteral("gui"), QStringLiteral("decr 1"));
    QCOMPARE(transcript.size(), 2);
    QCOMPARE(transcript.last().at(0).toString(), QStringLiteral("gui"));
    QCOMPARE(c.engine.target(), 2);
}

QTEST_GUILESS_MAIN(TstConsoleServer)
#include "tst_consoleserver.moc"
