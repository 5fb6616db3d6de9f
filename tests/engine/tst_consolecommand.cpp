#include "console/ConsoleCommand.h"

#include <QtTest>

using namespace swarm;
using Kind = ConsoleCommand::Kind;

Q_DECLARE_METATYPE(ConsoleCommand::Kind)

class TstConsoleCommand : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parses_data();
    void parses();
};

void TstConsoleCommand::parses_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<Kind>("kind");
    QTest::addColumn<int>("amount");
    QTest::newRow("incr") << QByteArray("incr 1000") << Kind::Incr << 1000;
    QTest::newRow("upper case") << QByteArray("INCR 5") << Kind::Incr << 5;
    QTest::newRow("blanks") << QByteArray("  decr \t 7  ") << Kind::Decr << 7;
    QTest::newRow("stop") << QByteArray("stop") << Kind::Stop << 0;
    QTest::newRow("quit") << QByteArray("Quit") << Kind::Quit << 0;
    QTest::newRow("help") << QByteArray("help") << Kind::Help << 0;
    QTest::newRow("status") << QByteArray("status") << Kind::Status << 0;
    QTest::newRow("stats json") << QByteArray("stats JSON") << Kind::StatsJson << 0;
    QTest::newRow("auth") << QByteArray("auth s3cret") << Kind::Auth << 0;
    QTest::newRow("empty") << QByteArray("   ") << Kind::Empty << 0;
    QTest::newRow("incr without number") << QByteArray("incr") << Kind::Invalid << 0;
    QTest::newRow("incr zero") << QByteArray("incr 0") << Kind::Invalid << 0;
    QTest::newRow("incr negative") << QByteArray("incr -5") << Kind::Invalid << 0;
    QTest::newRow("incr too many") << QByteArray("incr 99999999999") << Kind::Invalid << 0;
    QTest::newRow("incr word") << QByteArray("incr lots") << Kind::Invalid << 0;
    QTest::newRow("stop with argument") << QByteArray("stop now") << Kind::Invalid << 0;
    QTest::newRow("unknown") << QByteArray("launch") << Kind::Invalid << 0;
    QTest::newRow("stats alone") << QByteArray("stats") << Kind::Invalid << 0;
}

void TstConsoleCommand::parses()
{
    QFETCH(QByteArray, line);
    QFETCH(Kind, kind);
    QFETCH(int, amount);
    const ConsoleCommand c = parseConsoleLine(line);
    QCOMPARE(c.kind, kind);
    QCOMPARE(c.amount, amount);
    if (kind == Kind::Invalid)
        QVERIFY(!c.error.isEmpty());
    if (kind == Kind::Auth) {
        QCOMPARE(c.argument, QStringLiteral("s3cret"));
        QVERIFY2(!c.text.contains(QLatin1String("s3cret")), "the token must not reach the transcript");
    }
}

QTEST_GUILESS_MAIN(TstConsoleCommand)
#include "tst_consolecommand.moc"
