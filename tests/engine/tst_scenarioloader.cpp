#include "ScenarioTestUtil.h"
#include "scenario/ScenarioLoader.h"
#include "script/ProtocolModuleInfo.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace swarm;
using namespace swarm::test;

// What the scenario loader reads from valid files, and what Scenario::toYaml() writes back.
class TestScenarioLoader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void loadFileReadsAndNamesTheFile();
    void bundledScenarios_data();
    void bundledScenarios();
    void fullScenarioAndPositions();
    void defaults();
    void ranges_data();
    void ranges();
    void argTypes_data();
    void argTypes();
    void nestedArgs();
    void argsNullMeansNone();
    void roundTrip_data();
    void roundTrip();
    void roundTripProgrammatic();
    void canonicalText();
    void actionEquality();
};

void TestScenarioLoader::loadFileReadsAndNamesTheFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString good = dir.filePath("good.yml");
    const QString bad = dir.filePath("bad.yml");
    const QString empty = dir.filePath("empty.yml");
    const QList<QPair<QString, QByteArray>> files = {
        {good, kHead + "  - command: heartbeat\n    args: {uid: 1}\n"},
        {bad, kHead + "  - command: heartbeat\n    rounds: -1\n"},
        {empty, "# just a comment\n"},
    };
    for (const auto& [path, text] : files) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(text);
    }
    ScenarioLoader::Result r = ScenarioLoader::loadFile(good);
    QVERIFY2(r.ok(), qPrintable(formatDiagnostics(r.diagnostics)));
    QCOMPARE(r.scenario->file, good);
    QCOMPARE(r.scenario->protocol, QString("durian"));

    r = ScenarioLoader::loadFile(bad);
    QVERIFY(!r.ok());
    QCOMPARE(r.diagnostics.size(), 1);
    QCOMPARE(r.diagnostics[0].file, bad);
    QCOMPARE(r.diagnostics[0].line, 4);
    QVERIFY(r.diagnostics[0].toString().startsWith(bad + ":4:13: action 1, 'rounds': "));

    r = ScenarioLoader::loadFile(empty);
    QVERIFY(!r.ok());
    QCOMPARE(r.diagnostics[0].line, 0);
    QVERIFY(r.diagnostics[0].message.contains("is empty"));
}

void TestScenarioLoader::bundledScenarios_data()
{
    QTest::addColumn<QString>("path");
    const QDir dir(QStringLiteral(SWARM_SOURCE_DIR "/scripts"));
    for (const QString& name : dir.entryList({"*.yml"}, QDir::Files))
        QTest::newRow(qPrintable(name)) << dir.filePath(name);
    if (dir.entryList({"*.yml"}, QDir::Files).isEmpty()) QTest::newRow("none") << QString();
}

void TestScenarioLoader::bundledScenarios()
{
    QFETCH(QString, path);
    QVERIFY2(!path.isEmpty(), "no bundled scenario in scripts/");
    const ScenarioLoader::Result r = ScenarioLoader::loadFile(path);
    QVERIFY2(r.ok(), qPrintable(formatDiagnostics(r.diagnostics)));
    QVERIFY(!r.scenario->actions.isEmpty());
    // Round trip of a real scenario.
    const ScenarioLoader::Result again = parse(r.scenario->toYaml().toUtf8());
    QVERIFY2(again.ok(), qPrintable(formatDiagnostics(again.diagnostics)));
    QCOMPARE(*again.scenario, *r.scenario);
}

void TestScenarioLoader::fullScenarioAndPositions()
{
    const QByteArray yaml = "# comment\n"
                            "protocol: durian\n"
                            "actions:\n"
                            "  - command: login\n"
                            "    args:\n"
                            "      uid: 123\n"
                            "      password: secret\n"
                            "    rounds: 1\n"
                            "    sleep_between_rounds: 0\n"
                            "    sleep_after_action: [1, 3]\n"
                            "\n"
                            "  - command: heartbeat\n"
                            "    rounds: [2, 10]\n"
                            "    sleep_between_rounds: [0.5, 2]\n"
                            "    sleep_after_action: 0.25\n"
                            "  -   {command:   say, args: {text: hi}}\n";
    const ScenarioLoader::Result r = parse(yaml);
    QVERIFY2(r.ok(), qPrintable(formatDiagnostics(r.diagnostics)));
    const Scenario& s = *r.scenario;
    QCOMPARE(s.file, QString("test.yml"));
    QCOMPARE(s.protocol, QString("durian"));
    QCOMPARE(s.protocolPos.line, 2);
    QCOMPARE(s.protocolPos.column, 11);
    QCOMPARE(s.actions.size(), 3);

    const Action& login = s.actions[0];
    QCOMPARE(login.command, QString("login"));
    QCOMPARE(login.pos.line, 4);
    QCOMPARE(login.pos.column, 5);
    QCOMPARE(login.commandPos.line, 4);
    QCOMPARE(login.commandPos.column, 14);
    QCOMPARE(login.args.size(), 2);
    QCOMPARE(login.args[0].name, QString("uid"));
    QCOMPARE(login.args[0].value, QVariant(qint64(123)));
    QCOMPARE(login.args[0].pos.line, 6);
    QCOMPARE(login.args[0].pos.column, 7);
    QCOMPARE(login.args[1].name, QString("password"));
    QCOMPARE(login.args[1].value, QVariant(QString("secret")));
    QCOMPARE(login.args[1].pos.line, 7);
    QCOMPARE(login.rounds, ValueRange::fixed(1));
    QCOMPARE(login.sleepBetweenRounds, ValueRange::fixed(0));
    QCOMPARE(login.sleepAfterAction, ValueRange::range(1, 3, true));

    const Action& heartbeat = s.actions[1];
    QCOMPARE(heartbeat.pos.line, 12);
    QVERIFY(heartbeat.args.isEmpty());
    QCOMPARE(heartbeat.rounds, ValueRange::range(2, 10, true));
    QCOMPARE(heartbeat.sleepBetweenRounds, ValueRange::range(0.5, 2, false));
    QCOMPARE(heartbeat.sleepAfterAction, ValueRange::fixed(0.25, false));

    const Action& say = s.actions[2];
    QCOMPARE(say.pos.line, 16);
    QCOMPARE(say.pos.column, 7);
    QCOMPARE(say.commandPos.column, 19);
    QCOMPARE(say.args[0].pos.column, 31);
    QCOMPARE(say.args[0].value, QVariant(QString("hi")));
}

void TestScenarioLoader::defaults()
{
    const Scenario s = parseOk(kHead + "  - command: ping\n  - {command: pong, args: {}}\n");
    QCOMPARE(s.actions.size(), 2);
    for (const Action& a : s.actions) {
        QVERIFY(a.args.isEmpty());
        QCOMPARE(a.rounds, ValueRange::fixed(1));
        QCOMPARE(a.sleepBetweenRounds, ValueRange::fixed(1));
        QCOMPARE(a.sleepAfterAction, ValueRange::fixed(1));
        QVERIFY(a.rounds.integral);
        QVERIFY(!a.rounds.isRange);
    }
}

void TestScenarioLoader::ranges_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<double>("min");
    QTest::addColumn<double>("max");
    QTest::addColumn<bool>("integral");
    QTest::addColumn<bool>("isRange");

    QTest::newRow("rounds fixed") << "rounds" << QByteArray("3") << 3.0 << 3.0 << true << false;
    QTest::newRow("rounds zero") << "rounds" << QByteArray("0") << 0.0 << 0.0 << true << false;
    QTest::newRow("rounds hex") << "rounds" << QByteArray("0x10") << 16.0 << 16.0 << true << false;
    QTest::newRow("rounds plus") << "rounds" << QByteArray("+4") << 4.0 << 4.0 << true << false;
    QTest::newRow("rounds range") << "rounds" << QByteArray("[2, 10]") << 2.0 << 10.0 << true
                                  << true;
    QTest::newRow("rounds block range")
        << "rounds" << QByteArray("\n      - 1\n      - 1") << 1.0 << 1.0 << true << true;
    QTest::newRow("rounds maximum")
        << "rounds" << QByteArray("1000000000") << 1e9 << 1e9 << true << false;
    QTest::newRow("sleep integer")
        << "sleep_after_action" << QByteArray("3") << 3.0 << 3.0 << true << false;
    QTest::newRow("sleep decimal")
        << "sleep_after_action" << QByteArray("0.25") << 0.25 << 0.25 << false << false;
    QTest::newRow("sleep decimal whole")
        << "sleep_after_action" << QByteArray("2.0") << 2.0 << 2.0 << false << false;
    QTest::newRow("sleep exponent")
        << "sleep_between_rounds" << QByteArray("1e-3") << 0.001 << 0.001 << false << false;
    QTest::newRow("sleep leading dot")
        << "sleep_between_rounds" << QByteArray(".5") << 0.5 << 0.5 << false << false;
    QTest::newRow("sleep integral range")
        << "sleep_between_rounds" << QByteArray("[1, 5]") << 1.0 << 5.0 << true << true;
    QTest::newRow("sleep decimal range")
        << "sleep_between_rounds" << QByteArray("[0.5, 2]") << 0.5 << 2.0 << false << true;
    QTest::newRow("sleep mixed range")
        << "sleep_after_action" << QByteArray("[1, 2.5]") << 1.0 << 2.5 << false << true;
    QTest::newRow("sleep equal bounds")
        << "sleep_after_action" << QByteArray("[2, 2]") << 2.0 << 2.0 << true << true;
    QTest::newRow("sleep one year") << "sleep_after_action" << QByteArray("31536000") << 31536000.0
                                    << 31536000.0 << true << false;
}

void TestScenarioLoader::ranges()
{
    QFETCH(QString, key);
    QFETCH(QByteArray, value);
    QFETCH(double, min);
    QFETCH(double, max);
    QFETCH(bool, integral);
    QFETCH(bool, isRange);
    const Scenario s = parseOk(kHead + "  - command: x\n    " + key.toUtf8() + ": " + value + "\n");
    QCOMPARE(s.actions.size(), 1);
    const Action& a = s.actions[0];
    const ValueRange& r = key == "rounds" ? a.rounds
        : key == "sleep_after_action"     ? a.sleepAfterAction
                                          : a.sleepBetweenRounds;
    QCOMPARE(r.min, min);
    QCOMPARE(r.max, max);
    QCOMPARE(r.integral, integral);
    QCOMPARE(r.isRange, isRange);
}

void TestScenarioLoader::argTypes_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QVariant>("expected");

    QTest::newRow("integer") << QByteArray("123") << QVariant(qint64(123));
    QTest::newRow("negative") << QByteArray("-5") << QVariant(qint64(-5));
    QTest::newRow("plus") << QByteArray("+7") << QVariant(qint64(7));
    QTest::newRow("hex") << QByteArray("0x1F") << QVariant(qint64(31));
    QTest::newRow("octal") << QByteArray("0o17") << QVariant(qint64(15));
    QTest::newRow("big integer") << QByteArray("9223372036854775807")
                                 << QVariant(qint64(9223372036854775807LL));
    QTest::newRow("integer overflow") << QByteArray("99999999999999999999") << QVariant(1e20);
    QTest::newRow("decimal") << QByteArray("1.5") << QVariant(1.5);
    QTest::newRow("exponent") << QByteArray("1e3") << QVariant(1000.0);
    QTest::newRow("negative decimal") << QByteArray("-0.25") << QVariant(-0.25);
    QTest::newRow("infinity") << QByteArray(".inf") << QVariant(qInf());
    QTest::newRow("minus infinity") << QByteArray("-.Inf") << QVariant(-qInf());
    QTest::newRow("true") << QByteArray("true") << QVariant(true);
    QTest::newRow("False") << QByteArray("False") << QVariant(false);
    QTest::newRow("null") << QByteArray("null") << QVariant();
    QTest::newRow("tilde") << QByteArray("~") << QVariant();
    QTest::newRow("nothing") << QByteArray("") << QVariant();
    QTest::newRow("quoted integer") << QByteArray("\"123\"") << QVariant(QString("123"));
    QTest::newRow("quoted boolean") << QByteArray("'true'") << QVariant(QString("true"));
    QTest::newRow("quoted null") << QByteArray("\"null\"") << QVariant(QString("null"));
    QTest::newRow("quoted empty") << QByteArray("''") << QVariant(QString(""));
    QTest::newRow("str tag") << QByteArray("!!str 5") << QVariant(QString("5"));
    QTest::newRow("text") << QByteArray("hello world") << QVariant(QString("hello world"));
    QTest::newRow("yes is text") << QByteArray("yes") << QVariant(QString("yes"));
    QTest::newRow("version is text") << QByteArray("1.2.3") << QVariant(QString("1.2.3"));
    QTest::newRow("0x alone is text") << QByteArray("0x") << QVariant(QString("0x"));
    QTest::newRow("escapes") << QByteArray("\"a\\tb\\u00e9\"")
                             << QVariant(QString::fromUtf8("a\tbé"));
    QTest::newRow("unicode") << QByteArray("h\xc3\xa9llo") << QVariant(QString::fromUtf8("héllo"));
    QTest::newRow("literal block")
        << QByteArray("|\n        two\n        lines\n") << QVariant(QString("two\nlines\n"));
    QTest::newRow("list") << QByteArray("[1, a, \"2\", 1.5, null]")
                          << QVariant(QVariantList {
                                 qint64(1), QString("a"), QString("2"), 1.5, QVariant()});
    QTest::newRow("block list") << QByteArray("\n        - x\n        - 2\n")
                                << QVariant(QVariantList {QString("x"), qint64(2)});
    QTest::newRow("empty list") << QByteArray("[]") << QVariant(QVariantList {});
    QTest::newRow("map") << QByteArray("{b: 1, a: [true]}")
                         << QVariant(QVariantMap {{"b", qint64(1)}, {"a", QVariantList {true}}});
    QTest::newRow("empty map") << QByteArray("{}") << QVariant(QVariantMap {});
}

void TestScenarioLoader::argTypes()
{
    QFETCH(QByteArray, value);
    QFETCH(QVariant, expected);
    const Scenario s = parseOk(kHead + "  - command: x\n    args:\n      v: " + value + "\n");
    QCOMPARE(s.actions.size(), 1);
    QCOMPARE(s.actions[0].args.size(), 1);
    const QVariant got = s.actions[0].args[0].value;
    QCOMPARE(got.metaType(), expected.metaType());
    QCOMPARE(got, expected);
}

void TestScenarioLoader::nestedArgs()
{
    const Scenario s = parseOk(kHead
        + "  - command: x\n"
          "    args:\n"
          "      nan: .nan\n"
          "      deep:\n"
          "        list:\n"
          "          - {k: 0x10}\n"
          "          - [~, 'q']\n"
          "        '1': one\n");
    QCOMPARE(s.actions.size(), 1);
    const QList<ActionArg>& args = s.actions[0].args;
    QCOMPARE(args.size(), 2);
    QCOMPARE(args[0].value.metaType(), QMetaType::fromType<double>());
    QVERIFY(std::isnan(args[0].value.toDouble()));
    const QVariantMap deep = args[1].value.toMap();
    QCOMPARE(args[1].value.metaType(), QMetaType::fromType<QVariantMap>());
    QCOMPARE(deep.value("1"), QVariant(QString("one")));
    const QVariantList list = deep.value("list").toList();
    QCOMPARE(list.size(), 2);
    QCOMPARE(list[0].toMap().value("k"), QVariant(qint64(16)));
    QCOMPARE(list[1].toList(), (QVariantList {QVariant(), QString("q")}));
}

void TestScenarioLoader::argsNullMeansNone()
{
    for (const QByteArray& args : {QByteArray("    args:\n"), QByteArray("    args: ~\n"),
             QByteArray("    args: null\n"), QByteArray("    args: {}\n")}) {
        const Scenario s = parseOk(kHead + "  - command: x\n" + args);
        QCOMPARE(s.actions.size(), 1);
        QVERIFY(s.actions[0].args.isEmpty());
    }
}

void TestScenarioLoader::roundTrip_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::newRow("simple") << kHead + "  - command: heartbeat\n    args: {uid: 123}\n";
    QTest::newRow("ranges") << kHead
            + "  - command: a\n    rounds: [0, 1000000000]\n"
              "    sleep_between_rounds: [0.001, 31536000]\n    sleep_after_action: 2.0\n"
              "  - command: b\n    rounds: 0\n    sleep_between_rounds: [1, 2.5]\n"
              "    sleep_after_action: 0.1\n";
    QTest::newRow("strings that need quotes") << kHead
            + "  - command: say\n    args:\n"
              "      a: \"123\"\n      b: \"true\"\n      c: \"\"\n      d: \"a: b\"\n"
              "      e: \"# not a comment\"\n      f: \" leading\"\n      g: \"trailing \"\n"
              "      h: \"multi\\nline\"\n      i: \"quote\\\" and back\\\\slash\"\n"
              "      j: \"null\"\n      k: \"~\"\n      l: \"- dash\"\n      m: \"yes\"\n"
              "      n: \"0x10\"\n      o: \"1.5\"\n      p: \"[x]\"\n      q: \"{y}\"\n"
              "      r: \"a, b\"\n      s: \"tab\\there\"\n      t: \"*star\"\n"
              "      u: \"&amp\"\n      v: \"!bang\"\n      w: \"%pct\"\n      x: \"@at\"\n"
              "      y: \"`tick\"\n      z: \"'single'\"\n      aa: \"bell\\a\"\n"
              "      ab: \".inf\"\n      ac: \"?\"\n      ad: \"|\"\n      ae: \">\"\n"
              "      af: \"-\"\n      ag: \"h\xc3\xa9llo w\xc3\xb6rld\"\n"
              "      ah: \"line\\u2028sep\"\n      ai: \"key:value\"\n      aj: \"a #b\"\n"
              "      \"123\": numeric key\n      \"with space\": 1\n      \"\": empty key\n";
    QTest::newRow("on_close") << QByteArray(
        "protocol: mqtt\non_close:\n  command: disconnect\n"
        "  args: {reason: done}\nactions:\n  - command: ping\n");
    QTest::newRow("values") << kHead
            + "  - command: v\n    args:\n"
              "      int: -42\n      big: 9223372036854775807\n      dec: 0.1\n      nan: .nan\n"
              "      whole: 3.0\n      exp: 1e+20\n      tiny: 5e-324\n      inf: -.inf\n"
              "      t: true\n      f: false\n      n: null\n      s: plain text here\n"
              "      list: [1, [2, [3]], {a: b}, '', null]\n"
              "      map: {z: 1, a: {nested: [x, 'y: z']}, \"k k\": []}\n"
              "      block:\n        - one\n        - two: 2\n";
}

void TestScenarioLoader::roundTrip()
{
    QFETCH(QByteArray, yaml);
    // The empty-key row is refused by the loader: drop that line for this row's source.
    QByteArray source = yaml;
    source.replace("      \"\": empty key\n", "");
    const ScenarioLoader::Result first = parse(source);
    QVERIFY2(first.ok(), qPrintable(formatDiagnostics(first.diagnostics)));
    const QString text = first.scenario->toYaml();
    const ScenarioLoader::Result second = parse(text.toUtf8());
    QVERIFY2(second.ok(), qPrintable(formatDiagnostics(second.diagnostics) + "\n" + text));
    QVERIFY2(*second.scenario == *first.scenario, qPrintable(text));
    // And the canonical form is a fixed point.
    QCOMPARE(second.scenario->toYaml(), text);
}

void TestScenarioLoader::roundTripProgrammatic()
{
    Scenario s;
    s.protocol = "my proto";
    Action a;
    a.command = "do:it";
    a.args << arg("i", 5) << arg("u", 7u) << arg("d", 2.5) << arg("f", 1.0f) << arg("b", false)
           << arg("s", QString("true")) << arg("n", QVariant())
           << arg("m", QVariantMap {{"x", QVariantList {1, "y"}}});
    a.rounds = ValueRange::range(1, 4, true);
    a.sleepBetweenRounds = ValueRange::fixed(0.5, false);
    a.sleepAfterAction = ValueRange::range(0.5, 1.5, false);
    s.actions << a;
    Action b;
    b.command = "second";
    s.actions << b;

    const QString text = s.toYaml();
    const ScenarioLoader::Result r = parse(text.toUtf8());
    QVERIFY2(r.ok(), qPrintable(formatDiagnostics(r.diagnostics) + "\n" + text));
    QVERIFY2(*r.scenario == s, qPrintable(text));

    // Other list and map types are written as lists and maps.
    Scenario other;
    other.protocol = "p";
    Action c;
    c.command = "c";
    c.args << arg("sl", QStringList {"a", "1"}) << arg("h", QVariantHash {{"k", 1}});
    other.actions << c;
    // Keys longer than YAML's 1024-character limit for implicit keys.
    Action d;
    d.command = "d";
    const QString longKey = QString("k").repeated(1100);
    d.args << arg(longKey, 1) << arg("m", QVariantMap {{longKey + ":", QVariantList {2}}});
    Scenario longKeys;
    longKeys.protocol = "p";
    longKeys.actions << d;
    const ScenarioLoader::Result reread = parse(longKeys.toYaml().toUtf8());
    QVERIFY2(reread.ok(), qPrintable(formatDiagnostics(reread.diagnostics)));
    QVERIFY(*reread.scenario == longKeys);
    const QString otherText = other.toYaml();
    QVERIFY2(otherText.contains("      sl: [a, \"1\"]\n"), qPrintable(otherText));
    QVERIFY2(otherText.contains("      h: {k: 1}\n"), qPrintable(otherText));
    QVERIFY(parse(otherText.toUtf8()).ok());
}

void TestScenarioLoader::canonicalText()
{
    const Scenario s = parseOk("protocol:   durian\n"
                               "actions:\n"
                               "- {command: login, args: {uid: 123, password: '1234'}}\n"
                               "- command: heartbeat\n"
                               "  args: ~\n"
                               "  rounds: [2, 10]\n"
                               "  sleep_after_action: 0.5\n");
    QCOMPARE(s.toYaml(),
        QString("protocol: durian\n"
                "actions:\n"
                "  - command: login\n"
                "    args:\n"
                "      uid: 123\n"
                "      password: \"1234\"\n"
                "    rounds: 1\n"
                "    sleep_between_rounds: 1\n"
                "    sleep_after_action: 1\n"
                "\n"
                "  - command: heartbeat\n"
                "    rounds: [2, 10]\n"
                "    sleep_between_rounds: 1\n"
                "    sleep_after_action: 0.5\n"));
}

void TestScenarioLoader::actionEquality()
{
    const Scenario a = parseOk(kHead + "  - command: x\n    args: {uid: 1, roomid: 2}\n");
    const Scenario b = parseOk(kHead
        + "\n\n  -   command: x\n      args:\n        uid: 1\n"
          "        roomid: 2\n");
    QCOMPARE(a.actions.size(), 1);
    QVERIFY(a.actions[0].pos.line != b.actions[0].pos.line);
    QVERIFY(a == b); // positions do not count

    const QList<QByteArray> different = {
        kHead + "  - command: y\n    args: {uid: 1, roomid: 2}\n",
        kHead + "  - command: x\n    args: {roomid: 2, uid: 1}\n",
        kHead + "  - command: x\n    args: {uid: '1', roomid: 2}\n",
        kHead + "  - command: x\n    args: {uid: 1}\n",
        kHead + "  - command: x\n    args: {uid: 1, roomid: 2}\n    rounds: 2\n",
        kHead + "  - command: x\n    args: {uid: 1, roomid: 2}\n    rounds: [1, 1]\n",
        kHead + "  - command: x\n    args: {uid: 1, roomid: 2}\n    sleep_after_action: 1.0\n",
        kHead + "  - command: x\n    args: {uid: 1, roomid: 2}\n    sleep_between_rounds: 2\n",
        "protocol: other\nactions:\n  - command: x\n    args: {uid: 1, roomid: 2}\n",
    };
    // Values compare by type and value: the number 1 is not the string "1", but a number is
    // the same number whatever its C++ type.
    Action x;
    x.command = "x";
    x.args << arg("v", 1);
    Action y = x;
    y.args[0].value = qint64(1);
    QVERIFY(x == y);
    y.args[0].value = 1.0;
    QVERIFY(x == y);
    y.args[0].value = QString("1");
    QVERIFY(x != y);
    y.args[0].value = true;
    QVERIFY(x != y);
    y.args[0].value = QVariantList {1};
    QVERIFY(x != y);
    y.args[0].name = "w";
    y.args[0].value = 1;
    QVERIFY(x != y);

    for (const QByteArray& yaml : different) {
        const Scenario c = parseOk(yaml);
        QVERIFY2(!c.actions.isEmpty(), yaml.constData());
        QVERIFY2(a != c, yaml.constData());
    }
}

QTEST_GUILESS_MAIN(TestScenarioLoader)
#include "tst_scenarioloader.moc"
