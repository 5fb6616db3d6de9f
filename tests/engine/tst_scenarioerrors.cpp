#include "ScenarioTestUtil.h"
#include "scenario/ScenarioLoader.h"
#include "script/ProtocolSourceReader.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLocalServer>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace swarm;
using namespace swarm::test;

// Every error the scenario loader reports, with its file, line, column, action and key; and the
// check of a scenario against its protocol module.
class TestScenarioErrors : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void errors_data();
    void errors();
    void allErrorsAtOnce();
    void neverThrows_data();
    void neverThrows();
    void fileErrors();
    void checkAgainstModule_data();
    void checkAgainstModule();
    void checkAgainstModuleReportsEveryProblem();
};

void TestScenarioErrors::errors_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<int>("action");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("message");

    const QByteArray a = kHead + "  - command: x\n"; // the action's other keys start on line 4

    // The file as a whole.
    QTest::newRow("empty") << QByteArray() << 0 << 0 << 0 << ""
                           << "the scenario is empty";
    QTest::newRow("on_close with rounds")
        << "protocol: durian\non_close:\n  command: bye\n  rounds: 2\n"
            + QByteArray("actions:\n  - command: x\n")
        << 4 << 3 << 0 << "rounds"
        << "not allowed in on_close: the goodbye runs once";
    QTest::newRow("on_close a number")
        << "protocol: durian\non_close: 12\nactions:\n  - command: x\n" + QByteArray() << 2 << 11
        << 0 << "on_close"
        << "expected the name of the goodbye command";
    QTest::newRow("only comments") << QByteArray("# nothing\n\n   # here\n") << 0 << 0 << 0 << ""
                                   << "the scenario is empty";
    QTest::newRow("only whitespace") << QByteArray("  \n\n\t\n") << 0 << 0 << 0 << ""
                                     << "the scenario is empty";
    QTest::newRow("only document marker") << QByteArray("---\n") << 0 << 0 << 0 << ""
                                          << "the scenario is empty";
    // yaml-cpp notices these a line or more later, in its own words ("end of sequence flow not
    // found", "illegal map value"), or not at all (a quote left open swallows the lines below):
    // each is reported where it was typed, in words a user knows (issue 19 item 8).
    QTest::newRow("syntax: unclosed flow")
        << QByteArray("protocol: durian\nactions: [a, b\n") << 2 << 10 << 0 << ""
        << "the '[' opened here is never closed: end the list with ']'";
    QTest::newRow("syntax: unclosed [ mid-file")
        << QByteArray("protocol: durian\nactions:\n  - command: say\n    args: [a, b\n"
                      "    rounds: 2\n  - command: login\n")
        << 4 << 11 << 0 << ""
        << "the '[' opened here is never closed: end the list with ']'";
    QTest::newRow("syntax: unclosed {")
        << QByteArray("protocol: durian\nactions:\n  - {command: say, args: {uid: 1}\n"
                      "  - command: login\n")
        << 3 << 5 << 0 << ""
        << "the '{' opened here is never closed: end the mapping with '}'";
    QTest::newRow("syntax: unclosed double quote")
        << QByteArray("protocol: durian\nactions:\n  - command: \"say\n    rounds: 2\n"
                      "  - command: login\n")
        << 3 << 14 << 0 << ""
        << "the double quote (\") opened here is never closed on this line";
    QTest::newRow("syntax: unclosed single quote at the end")
        << QByteArray("protocol: durian\nactions:\n  - command: 'say\n") << 3 << 14 << 0 << ""
        << "the single quote (') opened here is never closed on this line";
    QTest::newRow("syntax: tab indents a key")
        << QByteArray("protocol: durian\nactions:\n  - command: say\n\trounds: 2\n") << 4 << 1 << 0
        << ""
        << "this line is indented with a tab: YAML indents with spaces only";
    QTest::newRow("syntax: tab indents an item")
        << QByteArray("protocol: durian\nactions:\n\t- command: say\n") << 3 << 1 << 0 << ""
        << "indented with a tab";
    QTest::newRow("syntax: no space after a top-level key")
        << QByteArray("protocol:durian\nactions:\n  - command: say\n") << 1 << 9 << 0 << ""
        << "'protocol:durian' needs a space after the ':' (write 'protocol: durian')";
    QTest::newRow("syntax: no space after an action's key")
        << QByteArray("protocol: durian\nactions:\n  - command: say\n    rounds:2\n"
                      "    args: {uid: 1}\n")
        << 4 << 11 << 0 << ""
        << "'rounds:2' needs a space after the ':' (write 'rounds: 2')";
    // YAML accepts these (a key "rounds:2", a text "command:say"): still the missing space.
    QTest::newRow("syntax: glued key taken for a key")
        << QByteArray("protocol: durian\nactions:\n  - command: say\n    rounds:2\n") << 4 << 5 << 1
        << "rounds:2"
        << "'rounds:2' needs a space after the ':' (write 'rounds: 2')";
    QTest::newRow("syntax: glued key taken for a text")
        << QByteArray("protocol: durian\nactions:\n  - command:say\n") << 3 << 5 << 1 << ""
        << "'command:say' needs a space after the ':' (write 'command: say')";
    // A block text's lines are text: a quote or '[' in them is no mistake.
    QTest::newRow("syntax: quotes inside a block text")
        << QByteArray("protocol: durian\nactions:\n  - command: say\n    args:\n      text: |\n"
                      "        \"hello [\n        rounds: 2\n    roundz: 1\n")
        << 8 << 5 << 1 << "roundz"
        << "unknown key; did you mean 'rounds'?";
    QTest::newRow("syntax: a URL value is no glued key")
        << QByteArray("protocol: a\n  b: http://x\n") << 2 << 4 << 0 << ""
        << "YAML syntax error: illegal map value";
    QTest::newRow("syntax: bad indentation")
        << QByteArray("protocol: a\n  b: c\n") << 2 << 4 << 0 << ""
        << "YAML syntax error: illegal map value";
    QTest::newRow("two documents")
        << QByteArray("protocol: a\nactions: [{command: x}]\n---\nfoo: 1\n") << 3 << 1 << 0 << ""
        << "more than one YAML document";
    QTest::newRow("top level list") << QByteArray("- a\n- b\n") << 1 << 1 << 0 << ""
                                    << "the scenario must be a mapping with the keys 'protocol' "
                                       "and 'actions', found a list";
    QTest::newRow("top level null") << QByteArray("# c\n~\n") << 1 << 1 << 0 << ""
                                    << "must be a mapping with the keys 'protocol' and "
                                       "'actions', found nothing (null)";
    // yaml-cpp 0.7's LoadAll() loops forever on this one.
    QTest::newRow("lone comma") << QByteArray(",") << 1 << 1 << 0 << ""
                                << "found nothing (null)";
    QTest::newRow("top level scalar") << QByteArray("hello\n") << 1 << 1 << 0 << ""
                                      << "found a string (\"hello\")";

    // Top-level keys.
    QTest::newRow("protocol missing")
        << QByteArray("actions:\n  - command: x\n") << 1 << 1 << 0 << "protocol"
        << "missing key 'protocol'";
    QTest::newRow("protocol number")
        << QByteArray("protocol: 123\nactions:\n  - command: x\n") << 1 << 11 << 0 << "protocol"
        << "wrong type: expected the name of the protocol module (a string), found an integer "
           "(123)";
    QTest::newRow("protocol empty")
        << QByteArray("protocol: \"\"\nactions:\n  - command: x\n") << 1 << 11 << 0 << "protocol"
        << "empty: expected the name of the protocol module";
    QTest::newRow("protocol null")
        << QByteArray("protocol:\nactions:\n  - command: x\n") << 1 << 1 << 0 << "protocol"
        << "found nothing (null)";
    QTest::newRow("protocol list")
        << QByteArray("protocol: [a]\nactions:\n  - command: x\n") << 1 << 11 << 0 << "protocol"
        << "found a list";
    QTest::newRow("actions missing") << QByteArray("protocol: durian\n") << 1 << 1 << 0 << "actions"
                                     << "missing key 'actions'";
    QTest::newRow("actions scalar")
        << QByteArray("protocol: durian\nactions: 5\n") << 2 << 10 << 0 << "actions"
        << "wrong type: expected a list of actions ('- command: NAME'), found an integer (5)";
    QTest::newRow("actions mapping")
        << QByteArray("protocol: durian\nactions:\n  command: x\n") << 3 << 3 << 0 << "actions"
        << "found a mapping: each action starts with '- ' ('- command: NAME')";
    QTest::newRow("actions null") << QByteArray("protocol: durian\nactions:\n") << 2 << 1 << 0
                                  << "actions"
                                  << "found nothing (null): the key has no value; put the "
                                     "actions on the lines below it, each starting with '- '";
    QTest::newRow("actions empty")
        << QByteArray("protocol: durian\nactions: []\n") << 2 << 10 << 0 << "actions"
        << "no actions: add at least one";
    QTest::newRow("unknown key, close")
        << QByteArray("protocl: durian\nactions: [{command: x}]\n") << 1 << 1 << 0 << "protocl"
        << "unknown key; did you mean 'protocol'?";
    QTest::newRow("unknown key, far")
        << QByteArray("protocol: d\nactions: [{command: x}]\nname: x\n") << 3 << 1 << 0 << "name"
        << "unknown key (a scenario has the keys 'protocol', 'actions', 'on_close', 'data' and "
           "'tls')";
    QTest::newRow("duplicate top-level key")
        << QByteArray("protocol: a\nprotocol: b\nactions: [{command: x}]\n") << 2 << 1 << 0
        << "protocol"
        << "duplicate key (already given at line 1)";
    QTest::newRow("top-level key not a string")
        << QByteArray("protocol: a\nactions: [{command: x}]\n[k]: 1\n") << 3 << 1 << 0 << ""
        << "a key of the scenario must be a string, found a list";

    // Actions.
    QTest::newRow("action not a mapping")
        << kHead + "  - heartbeat\n"
        << 3 << 5 << 1 << ""
        << "wrong type: an action must be a mapping with at least 'command', found a string "
           "(\"heartbeat\")";
    QTest::newRow("second action not a mapping") << kHead + "  - command: x\n  - [a]\n"
                                                 << 4 << 5 << 2 << ""
                                                 << "found a list";
    QTest::newRow("command missing") << kHead + "  - rounds: 1\n"
                                     << 3 << 5 << 1 << "command"
                                     << "missing key 'command'";
    QTest::newRow("command list") << kHead + "  - command: [a]\n"
                                  << 3 << 14 << 1 << "command"
                                  << "wrong type: expected the name of a protocol function (a "
                                     "string), found a list";
    QTest::newRow("command number") << kHead + "  - command: 5\n"
                                    << 3 << 14 << 1 << "command"
                                    << "found an integer (5)";
    QTest::newRow("command empty") << kHead + "  - command: ''\n"
                                   << 3 << 14 << 1 << "command"
                                   << "empty: expected the name of a protocol function";
    QTest::newRow("command null") << kHead + "  - command:\n"
                                  << 3 << 5 << 1 << "command"
                                  << "found nothing (null)";
    QTest::newRow("typo in key") << a + "    sleep_afer_action: 1\n"
                                 << 4 << 5 << 1 << "sleep_afer_action"
                                 << "unknown key; did you mean 'sleep_after_action'?";
    QTest::newRow("typo in args") << a + "    arg: {}\n"
                                  << 4 << 5 << 1 << "arg"
                                  << "unknown key; did you mean 'args'?";
    QTest::newRow("unknown action key")
        << a + "    colour: red\n"
        << 4 << 5 << 1 << "colour"
        << "unknown key (an action has the keys 'command', 'args', 'rounds', "
           "'sleep_between_rounds', 'sleep_after_action', 'rate')";
    QTest::newRow("duplicate action key") << a + "    rounds: 1\n    rounds: 2\n"
                                          << 5 << 5 << 1 << "rounds"
                                          << "duplicate key (already given at line 4)";
    QTest::newRow("duplicate command") << kHead + "  - command: x\n    command: y\n"
                                       << 4 << 5 << 1 << "command"
                                       << "duplicate key (already given at line 3)";
    QTest::newRow("action key not a string") << a + "    [k]: 1\n"
                                             << 4 << 5 << 1 << ""
                                             << "a key of an action must be a string";

    // args.
    QTest::newRow("args list") << a + "    args: [1, 2]\n"
                               << 4 << 11 << 1 << "args"
                               << "wrong type: expected a mapping of parameter names to values "
                                  "(uid: 123), found a list";
    QTest::newRow("args string") << a + "    args: uid\n"
                                 << 4 << 11 << 1 << "args"
                                 << "found a string (\"uid\")";
    QTest::newRow("args key integer") << a + "    args: {1: a}\n"
                                      << 4 << 12 << 1 << "1"
                                      << "a parameter name must be a string, found an integer (1)";
    QTest::newRow("args key boolean") << a + "    args:\n      true: 1\n"
                                      << 5 << 7 << 1 << "true"
                                      << "a parameter name must be a string, found a boolean";
    QTest::newRow("args key list") << a + "    args: {[a]: 1}\n"
                                   << 4 << 12 << 1 << ""
                                   << "a key in 'args' must be a string, found a list";
    QTest::newRow("args key empty") << a + "    args: {'': 1}\n"
                                    << 4 << 12 << 1 << "args"
                                    << "empty parameter name";
    QTest::newRow("args duplicate") << a + "    args:\n      uid: 1\n      uid: 2\n"
                                    << 6 << 7 << 1 << "uid"
                                    << "duplicate key (already given at line 5)";
    QTest::newRow("args nested duplicate") << a + "    args:\n      m: {k: 1, k: 2}\n"
                                           << 5 << 17 << 1 << "k"
                                           << "duplicate key";
    QTest::newRow("args too deep")
        << a + "    args:\n      v: " + QByteArray(70, '[') + QByteArray(70, ']') + "\n"
        << 5 << 75 << 1 << "v"
        << "nested too deeply";
    QTest::newRow("args cyclic alias") << a + "    args:\n      v: &a [*a]\n"
                                       << 5 << 10 << 1 << "v"
                                       << "nested too deeply";

    // rounds.
    const QString wholeRounds
        = "wrong type: expected a whole number of rounds (0 or more) or [min, max], found ";
    QTest::newRow("rounds decimal")
        << a + "    rounds: 2.5\n"
        << 4 << 13 << 1 << "rounds" << wholeRounds + "a decimal number (2.5)";
    QTest::newRow("rounds negative")
        << a + "    rounds: -1\n"
        << 4 << 13 << 1 << "rounds" << wholeRounds + "a negative number (-1)";
    QTest::newRow("rounds quoted") << a + "    rounds: \"5\"\n"
                                   << 4 << 13 << 1 << "rounds" << wholeRounds + "a string (\"5\")";
    QTest::newRow("rounds word") << a + "    rounds: many\n"
                                 << 4 << 13 << 1 << "rounds" << wholeRounds + "a string (\"many\")";
    QTest::newRow("rounds boolean") << a + "    rounds: true\n"
                                    << 4 << 13 << 1 << "rounds" << wholeRounds + "a boolean (true)";
    QTest::newRow("rounds mapping") << a + "    rounds: {min: 1}\n"
                                    << 4 << 13 << 1 << "rounds" << wholeRounds + "a mapping";
    QTest::newRow("rounds null") << a + "    rounds:\n"
                                 << 4 << 5 << 1 << "rounds" << wholeRounds + "nothing (null)";
    QTest::newRow("rounds one item") << a + "    rounds: [1]\n"
                                     << 4 << 13 << 1 << "rounds"
                                     << "a range must be [min, max]: a list of exactly two "
                                        "numbers, found 1 item(s)";
    QTest::newRow("rounds three items") << a + "    rounds: [1, 2, 3]\n"
                                        << 4 << 13 << 1 << "rounds"
                                        << "found 3 item(s)";
    QTest::newRow("rounds empty range") << a + "    rounds: []\n"
                                        << 4 << 13 << 1 << "rounds"
                                        << "found 0 item(s)";
    QTest::newRow("rounds min > max") << a + "    rounds: [5, 2]\n"
                                      << 4 << 13 << 1 << "rounds"
                                      << "min is greater than max in [min, max]: [5, 2]";
    QTest::newRow("rounds range string")
        << a + "    rounds: [1, x]\n"
        << 4 << 17 << 1 << "rounds"
        << "wrong type: expected a whole number of rounds (0 or more) in [min, max], found a "
           "string (\"x\")";
    QTest::newRow("rounds range decimal") << a + "    rounds: [1, 2.5]\n"
                                          << 4 << 17 << 1 << "rounds"
                                          << "found a decimal number (2.5)";
    QTest::newRow("rounds range negative") << a + "    rounds: [-1, 2]\n"
                                           << 4 << 14 << 1 << "rounds"
                                           << "found a negative number (-1)";
    QTest::newRow("rounds range nested") << a + "    rounds: [[1], 2]\n"
                                         << 4 << 14 << 1 << "rounds"
                                         << "found a list";
    QTest::newRow("rounds too large") << a + "    rounds: 2000000000\n"
                                      << 4 << 13 << 1 << "rounds"
                                      << "too large: at most 1000000000 rounds, found 2000000000";
    QTest::newRow("rounds overflow") << a + "    rounds: 123456789012345678901234567890\n"
                                     << 4 << 13 << 1 << "rounds"
                                     << "too large";
    QTest::newRow("rounds range too large") << a + "    rounds: [1, 0x7fffffffffffffff]\n"
                                            << 4 << 17 << 1 << "rounds"
                                            << "too large";

    // The open model's rate.
    const QString rate = "wrong type: expected a number of rounds per second over all "
                         "connections, above 0 up to 10000000, found ";
    QTest::newRow("rate zero") << a + "    rate: 0\n" << 4 << 11 << 1 << "rate" << rate + "0";
    QTest::newRow("rate word") << a + "    rate: fast\n"
                               << 4 << 11 << 1 << "rate" << rate + "a string (\"fast\")";
    QTest::newRow("rate too large") << a + "    rate: 1e9\n"
                                    << 4 << 11 << 1 << "rate" << rate + "1e9";
    QTest::newRow("rate typo") << a + "    rat: 5\n"
                               << 4 << 5 << 1 << "rat"
                               << "unknown key; did you mean 'rate'?";

    // Sleeps.
    const QString seconds = "wrong type: expected a number of seconds (0 or more, decimals "
                            "allowed) or [min, max], found ";
    QTest::newRow("sleep negative")
        << a + "    sleep_after_action: -0.5\n"
        << 4 << 25 << 1 << "sleep_after_action" << seconds + "a negative number (-0.5)";
    QTest::newRow("sleep quoted") << a + "    sleep_between_rounds: '1'\n"
                                  << 4 << 27 << 1 << "sleep_between_rounds"
                                  << seconds + "a string (\"1\")";
    QTest::newRow("sleep word") << a + "    sleep_between_rounds: fast\n"
                                << 4 << 27 << 1 << "sleep_between_rounds"
                                << seconds + "a string (\"fast\")";
    QTest::newRow("sleep boolean")
        << a + "    sleep_after_action: false\n"
        << 4 << 25 << 1 << "sleep_after_action" << seconds + "a boolean (false)";
    QTest::newRow("sleep list of one") << a + "    sleep_after_action: [1]\n"
                                       << 4 << 25 << 1 << "sleep_after_action"
                                       << "exactly two numbers";
    QTest::newRow("sleep mapping") << a + "    sleep_after_action: {a: 1}\n"
                                   << 4 << 25 << 1 << "sleep_after_action" << seconds + "a mapping";
    QTest::newRow("sleep too large") << a + "    sleep_after_action: 40000000\n"
                                     << 4 << 25 << 1 << "sleep_after_action"
                                     << "too large: at most one year (31536000 seconds)";
    QTest::newRow("sleep infinite") << a + "    sleep_after_action: .inf\n"
                                    << 4 << 25 << 1 << "sleep_after_action"
                                    << "too large";
    QTest::newRow("sleep nan") << a + "    sleep_after_action: .nan\n"
                               << 4 << 25 << 1 << "sleep_after_action"
                               << seconds + "a decimal number (.nan)";
    QTest::newRow("sleep range reversed") << a + "    sleep_after_action: [2, 1.5]\n"
                                          << 4 << 25 << 1 << "sleep_after_action"
                                          << "min is greater than max in [min, max]: [2, 1.5]";
    QTest::newRow("sleep range boolean")
        << a + "    sleep_after_action: [1, false]\n"
        << 4 << 29 << 1 << "sleep_after_action"
        << "wrong type: expected a number of seconds (0 or more, decimals allowed) in [min, "
           "max], found a boolean (false)";
    QTest::newRow("sleep in the second action")
        << a + "  - command: y\n    sleep_between_rounds: -3\n"
        << 5 << 27 << 2 << "sleep_between_rounds"
        << "a negative number (-3)";
}

void TestScenarioErrors::errors()
{
    QFETCH(QByteArray, yaml);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(int, action);
    QFETCH(QString, key);
    QFETCH(QString, message);

    const ScenarioLoader::Result r = parse(yaml);
    QVERIFY(!r.ok());
    QVERIFY(!r.scenario.has_value());
    QVERIFY(!r.diagnostics.isEmpty());
    bool found = false;
    for (const Diagnostic& d : r.diagnostics) {
        QCOMPARE(d.file, QString("test.yml"));
        if (d.line == line && d.column == column && d.actionIndex == action && d.key == key
            && d.message.contains(message))
            found = true;
    }
    QVERIFY2(found, qPrintable(formatDiagnostics(r.diagnostics)));
}

void TestScenarioErrors::allErrorsAtOnce()
{
    const QByteArray yaml = "protocl: durian\n"
                            "actions:\n"
                            "  - command: heartbeat\n"
                            "    rounds: 2.5\n"
                            "  - 42\n"
                            "  - command: say\n"
                            "    sleep_afer_action: 1\n"
                            "    args: [1]\n"
                            "    sleep_between_rounds: [3, 1]\n"
                            "  - command: ok\n"
                            "  - rounds: 1\n";
    const ScenarioLoader::Result r = parse(yaml);
    QVERIFY(!r.ok());
    QStringList got;
    for (const Diagnostic& d : r.diagnostics)
        got << QStringLiteral("%1:%2 #%3 %4")
                   .arg(d.line)
                   .arg(d.column)
                   .arg(d.actionIndex)
                   .arg(d.key);
    const QStringList expected = {
        "1:1 #0 protocl",
        "1:1 #0 protocol",
        "4:13 #1 rounds",
        "5:5 #2 ",
        "7:5 #3 sleep_afer_action",
        "8:11 #3 args",
        "9:27 #3 sleep_between_rounds",
        "11:5 #5 command",
    };
    QCOMPARE(got, expected);
    const QString text = formatDiagnostics(r.diagnostics);
    QVERIFY(text.contains("test.yml:7:5: action 3, 'sleep_afer_action': unknown key; did you "
                          "mean 'sleep_after_action'?"));
}

void TestScenarioErrors::neverThrows_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::newRow("binary") << QByteArray("\x00\x01\xff\xfe protocol: \x00", 16);
    QTest::newRow("invalid utf-8")
        << QByteArray("protocol: \xc3\x28\nactions: [{command: \xff}]\n");
    QTest::newRow("deep flow") << QByteArray(100000, '[');
    QTest::newRow("deep flow maps") << QByteArray(50000, '{');
    QTest::newRow("deep block") << QByteArray("- ").repeated(3000);
    QTest::newRow("lone comma") << QByteArray("\n,\n");
    QTest::newRow("flow openers") << QByteArray("[:{:[:]{,},]");
    QTest::newRow("unknown alias") << QByteArray("protocol: *nope\nactions: []\n");
    QTest::newRow("tags") << QByteArray("protocol: !!binary x\nactions: !!map [1]\n");
    QTest::newRow("directive") << QByteArray("%YAML 1.2\n%TAG ! tag:x\n--- !foo\nprotocol: d\n");
    QTest::newRow("complex keys") << QByteArray("? [a]\n: 1\n? {b: c}\n: 2\nactions: [? x]\n");
    QTest::newRow("tabs") << QByteArray("protocol:\td\n\tactions: 1\n");
    QTest::newRow("billion laughs")
        << QByteArray("protocol: d\nactions:\n  - command: x\n    args:\n"
                      "      a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n"
                      "      b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                      "      c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                      "      d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                      "      e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
                      "      f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
                      "      g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
                      "      h: [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]\n");
}

void TestScenarioErrors::neverThrows()
{
    QFETCH(QByteArray, yaml);
    QElapsedTimer timer;
    timer.start();
    ScenarioLoader::Result r;
    try {
        r = parse(yaml);
    } catch (...) {
        QFAIL("the loader threw");
    }
    QCOMPARE(r.scenario.has_value(), r.diagnostics.isEmpty());
    QVERIFY(timer.elapsed() < 10000);
    // Every truncation of it, too.
    const int step = std::max(1, int(yaml.size() / 25));
    for (int n = 0; n < yaml.size(); n += step) {
        try {
            parse(yaml.left(n));
        } catch (...) {
            QFAIL("the loader threw on a truncated input");
        }
    }
}

namespace {

// loadFile(path) fails with one diagnostic about the file (line 0) starting with `prefix`.
void expectCannotRead(const QString& path, const char* prefix)
{
    const ScenarioLoader::Result r = ScenarioLoader::loadFile(path);
    QVERIFY2(!r.ok(), qPrintable(path));
    QCOMPARE(r.diagnostics.size(), 1);
    QCOMPARE(r.diagnostics[0].file, path);
    QCOMPARE(r.diagnostics[0].line, 0);
    QVERIFY2(r.diagnostics[0].message.startsWith(QLatin1String(prefix))
            && r.diagnostics[0].message.size() > int(qstrlen(prefix)),
        qPrintable(r.diagnostics[0].message));
}

} // namespace

void TestScenarioErrors::fileErrors()
{
    ScenarioLoader::Result r = ScenarioLoader::loadFile("/nonexistent/dir/x.yml");
    QVERIFY(!r.ok());
    QCOMPARE(r.diagnostics.size(), 1);
    QCOMPARE(r.diagnostics[0].file, QString("/nonexistent/dir/x.yml"));
    QCOMPARE(r.diagnostics[0].line, 0);
    QVERIFY(r.diagnostics[0].message.contains("no such file"));

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    r = ScenarioLoader::loadFile(dir.path());
    QVERIFY(!r.ok());
    QCOMPARE(r.diagnostics.size(), 1);
    QCOMPARE(r.diagnostics[0].line, 0);
    QVERIFY(r.diagnostics[0].message.contains("is a directory"));

    const QString unreadable = dir.filePath("secret.yml");
    {
        QFile f(unreadable);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(kHead + "  - command: x\n");
    }
    QFile::setPermissions(unreadable, QFileDevice::Permissions());
    QFile probe(unreadable);
    // Root reads a file of mode 000 all the same (CI runs as root): then only the cases below,
    // where open() or read() fails whoever runs them, show the error path.
    if (!probe.open(QIODevice::ReadOnly))
        expectCannotRead(unreadable, "cannot read the scenario: ");

    // A Unix socket: it exists and is not a directory, but open() fails (ENXIO on Linux) even for
    // root.
    QLocalServer socket;
    socket.setSocketOptions(QLocalServer::UserAccessOption);
    const QString socketPath = dir.filePath("socket.yml");
    QVERIFY2(socket.listen(socketPath), qPrintable(socket.errorString()));
    expectCannotRead(socketPath, "cannot read the scenario: ");
#ifdef Q_OS_LINUX
    // open() succeeds and read() fails (EIO at address 0): the read error is reported too.
    expectCannotRead("/proc/self/mem", "cannot read the scenario: ");
#endif
}

void TestScenarioErrors::checkAgainstModule_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<int>("action");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("message");

    QTest::newRow("valid") << kHead
            + "  - command: heartbeat\n    args: {uid: 1, roomid: 2}\n"
              "  - command: close_chatroom\n  - command: login\n    args: {user: a}\n"
                           << 0 << 0 << 0 << ""
                           << "";
    QTest::newRow("unknown command, close")
        << kHead + "  - command: heartbeat\n  - command: create_chatroom\n"
        << 4 << 14 << 2 << "command"
        << "protocol 'durian' has no command 'create_chatroom'; did you mean 'close_chatroom'? "
           "(it has: heartbeat, close_chatroom, login, varargs)";
    QTest::newRow("unknown command, far")
        << kHead + "  - command: dance\n"
        << 3 << 14 << 1 << "command"
        << "protocol 'durian' has no command 'dance' (it has: heartbeat, close_chatroom, login, "
           "varargs)";
    QTest::newRow("case differs") << kHead + "  - command: HeartBeat\n"
                                  << 3 << 14 << 1 << "command"
                                  << "did you mean 'heartbeat'?";
    QTest::newRow("helper") << kHead + "  - command: _secret\n"
                            << 3 << 14 << 1 << "command"
                            << "has no command '_secret' ('_secret' is a helper: names starting "
                               "with '_' are not commands)";
    QTest::newRow("unknown parameter, close")
        << kHead + "  - command: heartbeat\n    args:\n      uid: 1\n      uuid: 2\n"
        << 6 << 7 << 1 << "uuid"
        << "command 'heartbeat' takes no parameter 'uuid'; did you mean 'uid'? (it takes: uid, "
           "roomid)";
    QTest::newRow("unknown parameter, far")
        << kHead + "  - command: login\n    args: {colour: red}\n"
        << 4 << 12 << 1 << "colour"
        << "command 'login' takes no parameter 'colour' (it takes: user, password)";
    QTest::newRow("no parameters")
        << kHead + "  - command: close_chatroom\n    args: {roomid: 7}\n"
        << 4 << 12 << 1 << "roomid"
        << "command 'close_chatroom' takes no parameter 'roomid' (it takes no parameters besides "
           "the client)";
    QTest::newRow("rest cannot be named")
        << kHead + "  - command: varargs\n    args: {more: 1}\n"
        << 4 << 12 << 1 << "more"
        << "command 'varargs' takes no parameter 'more' (it takes: first)";
    QTest::newRow("client cannot be named") << kHead + "  - command: login\n    args: {client: 1}\n"
                                            << 4 << 12 << 1 << "client"
                                            << "takes no parameter 'client'";
}

void TestScenarioErrors::checkAgainstModule()
{
    QFETCH(QByteArray, yaml);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(int, action);
    QFETCH(QString, key);
    QFETCH(QString, message);

    Diagnostics moduleProblems;
    ProtocolModuleInfo module
        = ProtocolSourceReader::read("function heartbeat(client, uid, roomid = 7) {}\n"
                                     "function close_chatroom(client) {}\n"
                                     "function* login(client, user, password = 'x') {}\n"
                                     "function varargs(client, first, ...more) {}\n"
                                     "function _secret(client) {}\n",
            "/protocols/durian.js", &moduleProblems);
    QVERIFY(moduleProblems.isEmpty());
    QCOMPARE(module.name, QString("durian"));

    const Scenario s = parseOk(yaml);
    QVERIFY(!s.actions.isEmpty());
    // Errors only: the functions here have empty bodies, so every parameter an action gives
    // also draws the "never reads its parameter" warning (tst_modulechecks covers it).
    const Diagnostics diagnostics = errorsOf(ScenarioLoader::checkAgainstModule(s, module));
    if (message.isEmpty()) {
        QVERIFY2(diagnostics.isEmpty(), qPrintable(formatDiagnostics(diagnostics)));
        return;
    }
    QCOMPARE(diagnostics.size(), 1);
    const Diagnostic& d = diagnostics[0];
    QCOMPARE(d.file, QString("test.yml"));
    QCOMPARE(d.line, line);
    QCOMPARE(d.column, column);
    QCOMPARE(d.actionIndex, action);
    QCOMPARE(d.key, key);
    QVERIFY2(d.message.contains(message), qPrintable(d.message));
}

void TestScenarioErrors::checkAgainstModuleReportsEveryProblem()
{
    ProtocolModuleInfo module;
    module.name = "simple";
    CommandInfo heartbeat;
    heartbeat.name = "heartbeat";
    heartbeat.clientParam = "client";
    heartbeat.params = QStringList {"uid", ""}; // a destructured second parameter has no name
    module.commands << heartbeat;

    const Scenario t = parseOk("protocol: simple\n"
                               "actions:\n"
                               "  - command: hearbeat\n"
                               "  - command: heartbeat\n"
                               "    args: {uid: 1, id: 2, uuid: 3}\n"
                               "  - command: nothing\n");
    const Diagnostics diagnostics = ScenarioLoader::checkAgainstModule(t, module);
    QCOMPARE(diagnostics.size(), 4);
    QCOMPARE(diagnostics[0].actionIndex, 1);
    QVERIFY(diagnostics[0].message.contains("did you mean 'heartbeat'?"));
    QCOMPARE(diagnostics[1].actionIndex, 2);
    QCOMPARE(diagnostics[1].key, QString("id"));
    QVERIFY(diagnostics[1].message.contains("did you mean 'uid'?"));
    QVERIFY(diagnostics[1].message.contains("(it takes: uid)"));
    QCOMPARE(diagnostics[2].key, QString("uuid"));
    QCOMPARE(diagnostics[3].actionIndex, 3);
    QCOMPARE(diagnostics[3].line, 6);
    QVERIFY(diagnostics[3].message.contains("(it has: heartbeat)"));
}

QTEST_GUILESS_MAIN(TestScenarioErrors)
#include "tst_scenarioerrors.moc"
