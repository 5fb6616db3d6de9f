#include "TestServers.h"
#include "scenario/ClosestMatch.h"
#include "script/ProtocolSourceReader.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QTest>

#include <ctime>

using namespace swarm;

namespace {

ProtocolModuleInfo readOk(const QString& source)
{
    Diagnostics diagnostics;
    ProtocolModuleInfo info
        = ProtocolSourceReader::read(source, QStringLiteral("test.js"), &diagnostics);
    if (!diagnostics.isEmpty()) qWarning().noquote() << formatDiagnostics(diagnostics);
    return info;
}

QString readFile(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return QString();
    return QString::fromUtf8(f.readAll());
}

} // namespace

class TestProtocolSourceReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parameters_data();
    void parameters();
    void generatorsAndAsync();
    void helpers();
    void nestedFunctionsAreNotCommands();
    void skipsCommentsStringsTemplatesRegexes();
    void regexVersusDivision_data();
    void regexVersusDivision();
    void varStatements();
    void lineAndColumn();
    void unicodeIdentifiers();
    void redeclarationReplaces();
    void bundledModules_data();
    void bundledModules();
    void unterminated_data();
    void unterminated();
    void validSourceHasNoDiagnostics();
    void deepNesting();
    void noQuadraticRescans();
    void randomInputDoesNotCrash();
    void truncatedInputDoesNotCrash();
    void closestMatch_data();
    void closestMatch();
};

void TestProtocolSourceReader::parameters_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("client");
    QTest::addColumn<QStringList>("params");
    QTest::addColumn<QStringList>("withDefault");
    QTest::addColumn<bool>("hasRest");

    QTest::newRow("plain") << "function cmd(client, uid, roomid = 7) {}"
                           << "client" << QStringList {"uid", "roomid"} << QStringList {"roomid"}
                           << false;
    QTest::newRow("no parameters") << "function cmd() {}"
                                   << "" << QStringList {} << QStringList {} << false;
    QTest::newRow("client only") << "function cmd(c) { return 1; }"
                                 << "c" << QStringList {} << QStringList {} << false;
    QTest::newRow("trailing comma")
        << "function cmd(client, a, b,\n) {}"
        << "client" << QStringList {"a", "b"} << QStringList {} << false;
    QTest::newRow("defaults with commas")
        << "function cmd(client, a = f(1, 2), b = {x: 1, y: [2, 3]}, c = [1, 2], d = 'x,y',\n"
           "             e = \"p, q\", g) {}"
        << "client" << QStringList {"a", "b", "c", "d", "e", "g"}
        << QStringList {"a", "b", "c", "d", "e"} << false;
    QTest::newRow("template default")
        << "function cmd(client, t = `a,${[1, 2].join(',')},${`n${1, 2}`}`, u) {}"
        << "client" << QStringList {"t", "u"} << QStringList {"t"} << false;
    QTest::newRow("arrow defaults")
        << "function cmd(client, cb = (x, y) => x + y, id = x => x, z = () => { return 1, 2; }) {}"
        << "client" << QStringList {"cb", "id", "z"} << QStringList {"cb", "id", "z"} << false;
    QTest::newRow("regex and division defaults")
        << "function cmd(client, re = /,\\(/g, half = 10 / 2, q = (4) / 2) {}"
        << "client" << QStringList {"re", "half", "q"} << QStringList {"re", "half", "q"} << false;
    QTest::newRow("rest") << "function cmd(client, a, ...more) {}"
                          << "client" << QStringList {"a"} << QStringList {} << true;
    QTest::newRow("destructuring")
        << "function cmd(client, {a, b = 2}, [c, d] = [1, 2], e = 1) {}"
        << "client" << QStringList {"", "", "e"} << QStringList {"e"} << false;
    QTest::newRow("destructured client") << "function cmd({send}, uid) {}"
                                         << "" << QStringList {"uid"} << QStringList {} << false;
    QTest::newRow("comments in list")
        << "function cmd(client /* the client */, a /* , b */ = 1, // c,\n d) {}"
        << "client" << QStringList {"a", "d"} << QStringList {"a"} << false;
    QTest::newRow("const function") << "const cmd = function (client, a = 1) {};"
                                    << "client" << QStringList {"a"} << QStringList {"a"} << false;
    QTest::newRow("const named function") << "let cmd = function other(cl, x) {}"
                                          << "cl" << QStringList {"x"} << QStringList {} << false;
    QTest::newRow("arrow") << "var cmd = (client, uid, n = 3) => client.send(uid);"
                           << "client" << QStringList {"uid", "n"} << QStringList {"n"} << false;
    QTest::newRow("arrow one param") << "const cmd = client => client.close();"
                                     << "client" << QStringList {} << QStringList {} << false;
    QTest::newRow("async arrow") << "const cmd = async (client, a) => {};"
                                 << "client" << QStringList {"a"} << QStringList {} << false;
    QTest::newRow("async arrow one param") << "const cmd = async client => {};"
                                           << "client" << QStringList {} << QStringList {} << false;
}

void TestProtocolSourceReader::parameters()
{
    QFETCH(QString, source);
    QFETCH(QString, client);
    QFETCH(QStringList, params);
    QFETCH(QStringList, withDefault);
    QFETCH(bool, hasRest);

    Diagnostics diagnostics;
    const ProtocolModuleInfo info = ProtocolSourceReader::read(source, "m.js", &diagnostics);
    QVERIFY2(diagnostics.isEmpty(), qPrintable(formatDiagnostics(diagnostics)));
    QCOMPARE(info.commandNames(), QStringList {"cmd"});
    const CommandInfo& c = info.commands.first();
    QCOMPARE(c.clientParam, client);
    QCOMPARE(c.params, params);
    QCOMPARE(c.paramsWithDefault, withDefault);
    QCOMPARE(c.hasRest, hasRest);
    QVERIFY(!c.generator);
}

void TestProtocolSourceReader::generatorsAndAsync()
{
    const ProtocolModuleInfo info = readOk("function* a(client) {}\n"
                                           "function *b(client, x) {}\n"
                                           "function * c(client) {}\n"
                                           "async function d(client, y) {}\n"
                                           "async function* e(client) {}\n"
                                           "const f = function* (client, z = 1) {};\n"
                                           "let g = function*named(client) {};\n"
                                           "function h(client) {}\n");
    QCOMPARE(info.commandNames(), (QStringList {"a", "b", "c", "d", "e", "f", "g", "h"}));
    const QList<bool> expected = {true, true, true, false, true, true, true, false};
    for (int i = 0; i < expected.size(); ++i)
        QVERIFY2(info.commands[i].generator == expected[i], qPrintable(info.commands[i].name));
    QCOMPARE(info.command("b")->params, QStringList {"x"});
    QCOMPARE(info.command("d")->params, QStringList {"y"});
    QCOMPARE(info.command("f")->paramsWithDefault, QStringList {"z"});
}

void TestProtocolSourceReader::helpers()
{
    const ProtocolModuleInfo info = readOk("function _request(method, params) {}\n"
                                           "function* _chat(client) {}\n"
                                           "const _twice = x => x * 2;\n"
                                           "function ping(client) { return _twice(1); }\n"
                                           "function __proto_ish(client) {}\n");
    QCOMPARE(info.commandNames(), QStringList {"ping"});
    QCOMPARE(info.helpers, (QStringList {"_request", "_chat", "_twice", "__proto_ish"}));
}

void TestProtocolSourceReader::nestedFunctionsAreNotCommands()
{
    const ProtocolModuleInfo info = readOk(R"JS(
function outer(client) {
    function inner(c, x) {}
    const innerArrow = (c) => 1;
    return function () {};
}
class Helper {
    method(client) {}
    static other(client) { function deep(a) {} }
}
const api = {
    send(client) {},
    go: function (client) {},
    run: (client) => 1,
};
(function iife(client) {})();
if (true) { function blockScoped(client) {} }
const list = [function inList(client) {}];
const value = 5;
let counter = 0, name = 'x';
last(function callback(client) {});
function after(client) {}
)JS");
    QCOMPARE(info.commandNames(), (QStringList {"outer", "after"}));
    QVERIFY(info.helpers.isEmpty());
}

void TestProtocolSourceReader::skipsCommentsStringsTemplatesRegexes()
{
    const ProtocolModuleInfo info = readOk(R"JS(// function c1(client) {}
/* function c2(client) {}
   function c2b(client) {} */
const s1 = "function c3(client) {} \" {";
const s2 = 'function c4(client) { \' (';
const s3 = "line \
function c5(client) {}";
const t = `function c6(client) {} ${ "}" + `nested ${ { a: '{' }.a } function c7() {}` } {(`;
const r = /function c8\(client\) {}[/}]"'`/g;
const _r2 = x => /[}]{/.test(x) && /\/'/.source;
const tpl = `a ${ {x: "}"}.x } b ${ `inner ${ 1 + { y: 2 }.y }` } c`;
function real(client) {}
)JS");
    QCOMPARE(info.commandNames(), QStringList {"real"});
    QCOMPARE(info.helpers, QStringList {"_r2"});
    QCOMPARE(info.commands.first().line, 12);
}

void TestProtocolSourceReader::regexVersusDivision_data()
{
    QTest::addColumn<QString>("source");

    // Each reads a stray quote wrongly if the slash is taken for the other meaning.
    QTest::newRow("after identifier") << "const ratio = total / count; const q = \"/\";\n";
    QTest::newRow("after paren") << "const r = (a + b) / 2; const q = \"/\";\n";
    QTest::newRow("after bracket") << "const r = arr[0] / 2 / 1; const q = \"/\";\n";
    QTest::newRow("after number") << "const r = 10 / 2; const q = '/';\n";
    QTest::newRow("after string") << "const r = 'a' / 2; const q = \"/\";\n";
    QTest::newRow("compound") << "let r = 1; r /= 2; const q = \"/\";\n";
    QTest::newRow("postfix") << "let i = 0; const r = i++ / 2; const q = \"/\";\n";
    QTest::newRow("after assignment") << "const re = /\"/;\n";
    QTest::newRow("after paren open") << "const ok = test(/'/);\n";
    QTest::newRow("after comma") << "const both = [/'/, /\"/];\n";
    QTest::newRow("after colon") << "const o = {re: /'/};\n";
    QTest::newRow("after return") << "function _h(x) { return /'/.test(x); }\n";
    QTest::newRow("after typeof") << "const t = typeof /'/;\n";
    QTest::newRow("after not") << "const n = !/'/.test(s);\n";
    QTest::newRow("after logical") << "const n = a && /'/.test(s) || /\"/.test(s);\n";
    QTest::newRow("after ternary") << "const n = a ? /'/ : /\"/;\n";
    QTest::newRow("after brace") << "{}\n/'/.test(s);\n";
    QTest::newRow("after semicolon") << "x;/'/.test(s);\n";
    QTest::newRow("at start") << "/'/.test(s);\n";
    QTest::newRow("class with slash") << "const cls = /[/\"]'/;\n";
    QTest::newRow("escaped slash") << "const esc = /\\/'/;\n";
    QTest::newRow("flags") << "const f = /'/gimsuy; const q = 1 / 2;\n";
    QTest::newRow("in template") << "const t = `${/`'/.source}`;\n";
}

void TestProtocolSourceReader::regexVersusDivision()
{
    QFETCH(QString, source);
    Diagnostics diagnostics;
    const ProtocolModuleInfo info = ProtocolSourceReader::read(
        source + "function after(client, a) {}\n", "m.js", &diagnostics);
    QVERIFY2(diagnostics.isEmpty(), qPrintable(formatDiagnostics(diagnostics)));
    QVERIFY(info.command("after"));
    QCOMPARE(info.command("after")->params, QStringList {"a"});
}

void TestProtocolSourceReader::varStatements()
{
    const ProtocolModuleInfo info = readOk("const a = 1, b = (client) => 1, c = 'x';\n"
                                           "let d = 2\n"
                                           "const e = (client, x) => x\n"
                                           "f = (client) => 1\n" // an assignment, no declaration
                                           "var g = function (client) {}, h = client => 2\n"
                                           "const i = (1, 2)\n"
                                           "const j = call(x => x)\n"
                                           "const k = async(1)\n"
                                           "const l = async => 1\n");
    QCOMPARE(info.commandNames(), (QStringList {"b", "e", "g", "h", "l"}));
    QCOMPARE(info.command("e")->params, QStringList {"x"});
    QCOMPARE(info.command("l")->clientParam, QString("async"));
}

void TestProtocolSourceReader::lineAndColumn()
{
    const ProtocolModuleInfo info = readOk("// header\n"
                                           "\n"
                                           "function a(client) {}\n"
                                           "  function* b(client) {\n"
                                           "    /* multi\n"
                                           "       line */ }\n"
                                           "\tconst c = (client) => {\n"
                                           "  `x\n"
                                           "y`; }; async function d(client) {}\r\n"
                                           "function e(client) {}\r"
                                           "function f(client) {}\n");
    QCOMPARE(info.commandNames(), (QStringList {"a", "b", "c", "d", "e", "f"}));
    const QList<QPair<int, int>> expected = {{3, 1}, {4, 3}, {7, 2}, {9, 14}, {10, 1}, {11, 1}};
    for (int i = 0; i < expected.size(); ++i) {
        QCOMPARE(info.commands[i].line, expected[i].first);
        QCOMPARE(info.commands[i].column, expected[i].second);
    }
}

void TestProtocolSourceReader::unicodeIdentifiers()
{
    const ProtocolModuleInfo info
        = readOk(QString::fromUtf8("function héllo(клиент, 名前 = 'x', $dollar, _u) {}\n"
                                   "function $(client) {}\n"
                                   "const ünï = (c, ß) => 1;\n"
                                   "function 𝑓𝑛(client) {}\n"));
    QCOMPARE(info.commandNames(),
        (QStringList {
            QString::fromUtf8("héllo"), "$", QString::fromUtf8("ünï"), QString::fromUtf8("𝑓𝑛")}));
    const CommandInfo* c = info.command(QString::fromUtf8("héllo"));
    QVERIFY(c);
    QCOMPARE(c->clientParam, QString::fromUtf8("клиент"));
    QCOMPARE(c->params, (QStringList {QString::fromUtf8("名前"), "$dollar", "_u"}));
}

void TestProtocolSourceReader::redeclarationReplaces()
{
    const ProtocolModuleInfo info = readOk("function a(client, x) {}\n"
                                           "function b(client) {}\n"
                                           "function a(client, y) {}\n");
    QCOMPARE(info.commandNames(), (QStringList {"a", "b"}));
    QCOMPARE(info.command("a")->params, QStringList {"y"});
    QCOMPARE(info.command("a")->line, 3);
}

void TestProtocolSourceReader::bundledModules_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QStringList>("commands");
    QTest::addColumn<QStringList>("helpers");
    QTest::newRow("durian") << "durian.js"
                            << QStringList {"heartbeat", "login", "create_chatroom",
                                   "enter_chatroom", "say", "leave_chatroom", "close_chatroom",
                                   "close_connection"}
                            << QStringList {"_request", "_expectOk", "_chat"};
    QTest::newRow("simple") << "simple.js" << QStringList {"heartbeat", "close_connection"}
                            << QStringList {};
    QTest::newRow("redis") << "redis.js"
                           << QStringList {"ping", "set", "get", "get_checked", "incr",
                                  "close_connection"}
                           << QStringList {"_inline"};
}

void TestProtocolSourceReader::bundledModules()
{
    QFETCH(QString, file);
    QFETCH(QStringList, commands);
    QFETCH(QStringList, helpers);
    const QString path = QStringLiteral(SWARM_SOURCE_DIR "/protocols/") + file;
    const QString source = readFile(path);
    QVERIFY2(!source.isEmpty(), qPrintable(path + QStringLiteral(": not readable")));
    Diagnostics diagnostics;
    const ProtocolModuleInfo info = ProtocolSourceReader::read(source, path, &diagnostics);
    QVERIFY2(diagnostics.isEmpty(), qPrintable(formatDiagnostics(diagnostics)));
    // Modules may grow: every listed command and helper must be there.
    for (const QString& c : commands)
        QVERIFY2(info.command(c), qPrintable(c));
    for (const QString& h : helpers)
        QVERIFY2(info.helpers.contains(h), qPrintable(h));
    QCOMPARE(info.name, file.chopped(3));
    if (file == QLatin1String("durian.js")) {
        const CommandInfo* login = info.command("login");
        QVERIFY(login->generator);
        QCOMPARE(login->clientParam, QString("client"));
        QCOMPARE(login->params, (QStringList {"uid", "password"}));
        QCOMPARE(login->paramsWithDefault, (QStringList {"uid", "password"}));
        QVERIFY(!info.command("heartbeat")->generator);
    }
}

void TestProtocolSourceReader::unterminated_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("message");

    QTest::newRow("comment") << "function a(client) {}\n  /* never\nclosed" << 2 << 3
                             << "unterminated comment";
    QTest::newRow("double-quoted string") << "const x = 1;\nconst s = \"abc\nfunction a() {}\n"
                                          << 2 << 11 << "unterminated string";
    QTest::newRow("single-quoted string") << "const s = 'abc" << 1 << 11 << "unterminated string";
    QTest::newRow("template") << "\n\nconst t = `abc\n\n"
                              << 3 << 11 << "unterminated template literal";
    QTest::newRow("template expression") << "const t = `a ${ b + (1\n"
                                         << 1 << 14 << "unterminated template literal";
    QTest::newRow("open brace") << "function a(client) {\n  if (x) {\n  }\n"
                                << 1 << 20 << "'{' is never closed";
    QTest::newRow("open paren") << "\nfoo(1, 2;\n" << 2 << 4 << "'(' is never closed";
    QTest::newRow("stray closer") << "function a(client) {}\n}\n" << 2 << 1 << "unexpected '}'";
    QTest::newRow("mismatch") << "function a(client) {\n  call(1}\n"
                              << 2 << 9 << "'}' does not match '(' opened at 2:7";
}

void TestProtocolSourceReader::unterminated()
{
    QFETCH(QString, source);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(QString, message);
    Diagnostics diagnostics;
    ProtocolSourceReader::read(source, "bad.js", &diagnostics);
    QVERIFY(!diagnostics.isEmpty());
    bool found = false;
    for (const Diagnostic& d : diagnostics) {
        QCOMPARE(d.file, QString("bad.js"));
        if (d.line == line && d.column == column && d.message.contains(message)) found = true;
    }
    QVERIFY2(found, qPrintable(formatDiagnostics(diagnostics)));
    // Without a diagnostics list the same input is read silently.
    ProtocolSourceReader::read(source, "bad.js");
}

void TestProtocolSourceReader::validSourceHasNoDiagnostics()
{
    Diagnostics diagnostics;
    const ProtocolModuleInfo info
        = ProtocolSourceReader::read("#!/usr/bin/env swarm\n"
                                     "const a = b ?.c ?? d?.[0] ?? e?.(1);\n"
                                     "const n = 1_000 + 0x1F + 1e-3 + .5 + 10n + 1.5E+3;\n"
                                     "const o = {get x() { return 1; }, ['k' + 1]: 2, ...rest};\n"
                                     "label: for (const k of [1, 2]) { if (k) continue label; }\n"
                                     "const cond = a ?.5 : 1;\n"
                                     "class C { #p = 1; static { this.q = /}/; } }\n"
                                     "function tail(client) {}\n",
            "ok.js", &diagnostics);
    QVERIFY2(diagnostics.isEmpty(), qPrintable(formatDiagnostics(diagnostics)));
    QCOMPARE(info.commandNames(), QStringList {"tail"});
}

void TestProtocolSourceReader::deepNesting()
{
    // acorn descends once per nested bracket and V4 bounds the depth of calls: nesting that
    // modules use (50 levels) reads; 200,000 levels, balanced or not, give diagnostics that say
    // so (no crash, no exhausted stack) — the bracket pass that names them is iterative.
    const QList<QPair<QString, QString>> shapes
        = {{"(", ")"}, {"[", "]"}, {"{", "}"}, {"`${", "}`"}, {"function f(a = (", ")) {}"}};
    for (const int depth : {50, 200000}) {
        for (const auto& shape : shapes) {
            QString source;
            source.reserve(depth * (shape.first.size() + shape.second.size()) + 64);
            for (int i = 0; i < depth; ++i)
                source += shape.first;
            Diagnostics unclosed;
            ProtocolSourceReader::read(source, "deep.js", &unclosed);
            QVERIFY(!unclosed.isEmpty());
            QVERIFY(unclosed.size() <= 100);
            source += QLatin1Char('0'); // `()` alone is no expression
            for (int i = 0; i < depth; ++i)
                source += shape.second;
            source += "\nfunction after(client) {}\n";
            Diagnostics diagnostics;
            const ProtocolModuleInfo info
                = ProtocolSourceReader::read(source, "deep.js", &diagnostics);
            if (depth == 50) {
                QVERIFY2(diagnostics.isEmpty(), qPrintable(formatDiagnostics(diagnostics)));
                QVERIFY(info.command("after"));
            } else {
                QCOMPARE(diagnostics.size(), 1);
                QVERIFY2(diagnostics.first().message.contains(
                             QLatin1String("nested more than 1000 brackets deep")),
                    qPrintable(formatDiagnostics(diagnostics)));
                QCOMPARE(diagnostics.first().line, 1);
            }
        }
    }
}

void TestProtocolSourceReader::noQuadraticRescans()
{
    // Inputs that make a naive reader rescan the rest of the line (or file) at every character.
    // 20,000 units: acorn and the bracket pass run as JavaScript (tens of times slower than the
    // C++ lexer before them, about 10 µs a unit here), and a rescan would still cost
    // 20,000² = 4·10⁸ steps, far past the bound.
    const int n = 20000;
    const QStringList units
        = {"/[", "(/", "/*", "'", "\"\\", "`", "${", "`${`", "a/b/", "/\\", "}", ")", "x=/"};
    // CPU time, not wall time: a busy machine stretches the one, not the other. Sanitizers run
    // the JavaScript engine about ten times slower: 30 s there keeps the same margin to a rescan.
    const double boundSeconds = swarm::test::kSanitized ? 30.0 : 5.0;
    for (const QString& unit : units) {
        const std::clock_t start = std::clock();
        const QString source = unit.repeated(n);
        Diagnostics diagnostics;
        ProtocolSourceReader::read(source, "slow.js", &diagnostics);
        const double seconds = double(std::clock() - start) / CLOCKS_PER_SEC;
        QVERIFY2(
            seconds < boundSeconds, qPrintable(QStringLiteral("%1: %2 s").arg(unit).arg(seconds)));
        QVERIFY(diagnostics.size() <= 100);
    }
}

void TestProtocolSourceReader::randomInputDoesNotCrash()
{
    QRandomGenerator rng(12345);
    const QString alphabet = QStringLiteral("function* (){}[]`'\"/\\$,=>.;:!?&|+-*%<>\n\t a_1\r")
        + QChar(0xd800) + QChar(0xdc00) + QChar(0x2028) + QChar(0xfeff) + QChar(0xe9);
    for (int round = 0; round < 3000; ++round) {
        const int length = int(rng.bounded(200));
        QString source;
        source.reserve(length);
        for (int i = 0; i < length; ++i) {
            // Some fully random UTF-16 units too, not only the interesting ones.
            if (rng.bounded(8) == 0)
                source += QChar(char16_t(rng.bounded(0x10000)));
            else
                source += alphabet[int(rng.bounded(alphabet.size()))];
        }
        Diagnostics diagnostics;
        const ProtocolModuleInfo info = ProtocolSourceReader::read(source, "rnd.js", &diagnostics);
        for (const CommandInfo& c : info.commands) {
            QVERIFY(!c.name.isEmpty());
            QVERIFY(c.line >= 1 && c.column >= 1);
        }
        for (const Diagnostic& d : diagnostics)
            QVERIFY(d.line >= 1 && d.column >= 1);
    }
    // Arbitrary bytes decoded as UTF-8, the way a module file is read.
    for (int round = 0; round < 1000; ++round) {
        QByteArray bytes(int(rng.bounded(300)), Qt::Uninitialized);
        for (char& b : bytes)
            b = char(rng.bounded(256));
        ProtocolSourceReader::read(QString::fromUtf8(bytes), "bytes.js");
    }
}

void TestProtocolSourceReader::truncatedInputDoesNotCrash()
{
    const QString durian = readFile(QStringLiteral(SWARM_SOURCE_DIR "/protocols/durian.js"));
    const QString source = durian
        + QStringLiteral("const t = `a${ {b: `c${ /d[`]/ }` } }`; /* x */ const r = x / 2;\n");
    for (int length = 0; length <= source.size(); ++length) {
        Diagnostics diagnostics;
        const ProtocolModuleInfo info
            = ProtocolSourceReader::read(source.left(length), "t.js", &diagnostics);
        for (const CommandInfo& c : info.commands)
            QVERIFY(!c.name.isEmpty());
    }
}

void TestProtocolSourceReader::closestMatch_data()
{
    QTest::addColumn<QString>("word");
    QTest::addColumn<QStringList>("candidates");
    QTest::addColumn<QString>("expected");

    const QStringList keys
        = {"command", "args", "rounds", "sleep_between_rounds", "sleep_after_action"};
    QTest::newRow("typo") << "sleep_afer_action" << keys << "sleep_after_action";
    QTest::newRow("case") << "ROUNDS" << keys << "rounds";
    QTest::newRow("missing letter") << "arg" << keys << "args";
    QTest::newRow("swapped letters") << "agrs" << keys << "args";
    QTest::newRow("swapped in a long key") << "sleep_aftre_action" << keys << "sleep_after_action";
    QTest::newRow("short word, one edit") << "ag" << QStringList {"ab", "x"} << "ab";
    QTest::newRow("too far") << "banana" << keys << "";
    QTest::newRow("no candidates") << "uid" << QStringList {} << "";
    QTest::newRow("empty candidates skipped") << "x" << QStringList {"", "y"} << "y";
    QTest::newRow("closest wins") << "create_chatroom"
                                  << QStringList {"close_chatroom", "heartbeat"}
                                  << "close_chatroom";
    QTest::newRow("first of equals") << "uuid" << QStringList {"uid", "uuids"} << "uid";
    QTest::newRow("exact") << "uid" << QStringList {"roomid", "uid"} << "uid";
    QTest::newRow("limit is a third") << "abcdef" << QStringList {"abcxyz"} << "";
    QTest::newRow("limit reached") << "abcdefghi" << QStringList {"abcxyzghi"} << "abcxyzghi";
}

void TestProtocolSourceReader::closestMatch()
{
    QFETCH(QString, word);
    QFETCH(QStringList, candidates);
    QFETCH(QString, expected);
    QCOMPARE(swarm::closestMatch(word, candidates), expected);
}

QTEST_GUILESS_MAIN(TestProtocolSourceReader)
#include "tst_protocolsourcereader.moc"
