#include "console/ConsoleCommand.h"

#include <QTest>

using namespace swarm;
using Kind = ConsoleCommand::Kind;

Q_DECLARE_METATYPE(ConsoleCommand::Kind)

class TstConsoleCommand : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parses_data();
    void parses();
    void namesTheNearestCommand();
    void readsOrderAndView();
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
    QTest::newRow("stats snapshot") << QByteArray("stats Snapshot") << Kind::StatsSnapshot << 0;
    QTest::newRow("stats typo") << QByteArray("stats snapshto") << Kind::Invalid << 0;
    QTest::newRow("stats too many") << QByteArray("stats snapshot now") << Kind::Invalid << 0;
    QTest::newRow("decr newest") << QByteArray("decr 4 newest") << Kind::Decr << 4;
    QTest::newRow("decr bad order") << QByteArray("decr 4 newst") << Kind::Invalid << 0;
    QTest::newRow("decr too many words") << QByteArray("decr 4 oldest now") << Kind::Invalid << 0;
    QTest::newRow("target zero") << QByteArray("target 0") << Kind::Target << 0;
    QTest::newRow("target negative") << QByteArray("target -1") << Kind::Invalid << 0;
    QTest::newRow("ramp") << QByteArray("ramp 2.5") << Kind::Ramp << 0;
    QTest::newRow("ramp nan") << QByteArray("ramp nan") << Kind::Invalid << 0;
    QTest::newRow("rate") << QByteArray("rate 100") << Kind::Rate << 0;
    QTest::newRow("rate off") << QByteArray("rate 0") << Kind::Rate << 0;
    QTest::newRow("rate negative") << QByteArray("rate -5") << Kind::Invalid << 0;
    QTest::newRow("rate missing") << QByteArray("rate") << Kind::Invalid << 0;
    QTest::newRow("reload") << QByteArray("reload") << Kind::Reload << 0;
    QTest::newRow("status errors") << QByteArray("status ERRORS") << Kind::Status << 0;
    QTest::newRow("status typo") << QByteArray("status comands") << Kind::Invalid << 0;
    QTest::newRow("watch") << QByteArray("watch") << Kind::Watch << 2;
    QTest::newRow("watch 5") << QByteArray("watch 5") << Kind::Watch << 5;
    QTest::newRow("watch 0") << QByteArray("watch 0") << Kind::Invalid << 0;
    QTest::newRow("help topic") << QByteArray("help decr") << Kind::Help << 0;
}

void TstConsoleCommand::parses()
{
    QFETCH(QByteArray, line);
    QFETCH(Kind, kind);
    QFETCH(int, amount);
    const ConsoleCommand c = parseConsoleLine(line);
    QCOMPARE(c.kind, kind);
    QCOMPARE(c.amount, amount);
    if (kind == Kind::Invalid) QVERIFY(!c.error.isEmpty());
    if (kind == Kind::Invalid && line.contains(' ') && !line.startsWith("stats"))
        QVERIFY2(c.error.contains(QString::fromUtf8(line.split(' ').last())), qPrintable(c.error));
    if (kind == Kind::Auth) {
        QCOMPARE(c.argument, QStringLiteral("s3cret"));
        QVERIFY2(
            !c.text.contains(QLatin1String("s3cret")), "the token must not reach the transcript");
    }
}

void TstConsoleCommand::namesTheNearestCommand()
{
    const ConsoleCommand c = parseConsoleLine("stauts");
    QCOMPARE(c.kind, Kind::Invalid);
    QVERIFY2(c.error.contains(QLatin1String("unknown command 'stauts'")), qPrintable(c.error));
    QVERIFY2(c.error.contains(QLatin1String("did you mean 'status")), qPrintable(c.error));
    const ConsoleCommand far = parseConsoleLine("frobnicate");
    QVERIFY2(!far.error.contains(QLatin1String("did you mean")), qPrintable(far.error));
    const ConsoleCommand arg = parseConsoleLine("decr 3 olddest");
    QVERIFY2(arg.error.contains(QLatin1String("did you mean 'oldest'")), qPrintable(arg.error));
    const ConsoleCommand stats = parseConsoleLine("stats snapshto");
    QVERIFY2(
        stats.error.contains(QLatin1String("did you mean 'snapshot'")), qPrintable(stats.error));
    QVERIFY2(stats.error.contains(QLatin1String("stats json|snapshot")), qPrintable(stats.error));
}

void TstConsoleCommand::readsOrderAndView()
{
    QCOMPARE(parseConsoleLine("decr 3").order, ConsoleCommand::Order::Random);
    QCOMPARE(parseConsoleLine("decr 3 random").order, ConsoleCommand::Order::Random);
    QCOMPARE(parseConsoleLine("decr 3 Newest").order, ConsoleCommand::Order::Newest);
    QCOMPARE(parseConsoleLine("decr 3 oldest").order, ConsoleCommand::Order::Oldest);
    QCOMPARE(parseConsoleLine("status").view, ConsoleCommand::View::Summary);
    QCOMPARE(parseConsoleLine("status errors").view, ConsoleCommand::View::Errors);
    QCOMPARE(parseConsoleLine("status commands").view, ConsoleCommand::View::Commands);
    QCOMPARE(parseConsoleLine("status connections").view, ConsoleCommand::View::Connections);
    QCOMPARE(parseConsoleLine("status agents").view, ConsoleCommand::View::Agents);
    QCOMPARE(parseConsoleLine("ramp 2.5").rate, 2.5);
    QCOMPARE(parseConsoleLine("rate 750.5").rate, 750.5);
    QCOMPARE(parseConsoleLine("help decr").argument, QStringLiteral("decr"));
}

QTEST_GUILESS_MAIN(TstConsoleCommand)
#include "tst_consolecommand.moc"
