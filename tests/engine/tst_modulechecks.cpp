// The checks acorn's syntax tree makes possible (ModuleChecks, ScenarioLoader::checkAgainstModule)
// as --check, the window's protocol editor and a run meet them: through BundleLoader, the one
// path all three take, and through the swarm binary for --check.
#include "TestServers.h"
#include "scenario/BundleLoader.h"
#include "script/ModuleChecks.h"
#include "script/ProtocolSourceReader.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <ctime>

using namespace swarm;
using swarm::test::swarmBinary;

namespace {

Diagnostics checkModule(const QString& source)
{
    ProtocolModuleInfo info;
    return BundleLoader::checkModule(source, QStringLiteral("m.js"), 1000, &info);
}

// The one diagnostic at line:column whose message holds every part; a failure lists them all.
bool has(const Diagnostics& all, int line, int column, const QStringList& parts,
    Diagnostic::Severity severity = Diagnostic::Severity::Error)
{
    for (const Diagnostic& d : all) {
        if (d.line != line || d.column != column || d.severity != severity) continue;
        bool every = true;
        for (const QString& p : parts)
            every = every && d.message.contains(p);
        if (every) return true;
    }
    qWarning().noquote() << "got:\n" << formatDiagnostics(all);
    return false;
}

BundleLoader::Result loadTexts(const QByteArray& yaml, const QString& module)
{
    return BundleLoader::fromTexts(yaml, QStringLiteral("s.yml"), module, QStringLiteral("m.js"));
}

} // namespace

class TestModuleChecks : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void yieldWithoutStar();
    void yieldInArrow();
    void yieldAsNameIsNotFlagged();
    void unknownClientMethod();
    void unknownSwarmMember();
    void swarmAgentMembers();
    void everyPreludeNameIsKnown();
    void unyieldedReply();
    void unyieldedReplyInPlainFunction();
    void yieldedReplyIsFine();
    void unreachableAfterClose();
    void scenarioNamesHelperOrValue();
    void ignoredParameters();
    void bundledModulesAreClean();
    void checkCommandReportsThem();
    void largeModuleIsQuick();
};

void TestModuleChecks::yieldWithoutStar()
{
    const Diagnostics d = checkModule("function ping(client) {\n"
                                      "    const r = yield client.recv(swarm.crlf());\n"
                                      "}\n");
    QVERIFY(has(d, 2, 15, {"'yield' in 'ping' (line 1)", "not a generator", "function* ping"}));
    QCOMPARE(d.size(), 1); // not also the JS engine's own, vaguer syntax error
}

void TestModuleChecks::yieldInArrow()
{
    const Diagnostics d
        = checkModule("function* ping(client) {\n"
                      "    [1].forEach(x => { yield client.recv(swarm.crlf()); });\n"
                      "}\n");
    QVERIFY(has(d, 2, 24, {"'yield' in an arrow function", "cannot be a generator"}));
}

void TestModuleChecks::yieldAsNameIsNotFlagged()
{
    // Outside strict mode `yield` may name a variable; an operator after it is no yield.
    const Diagnostics d = checkModule("function ping(client) {\n"
                                      "    var yield = 2; const n = yield - 1;\n"
                                      "    client.send_noreply(String(n));\n"
                                      "}\n");
    QVERIFY2(d.isEmpty(), qPrintable(formatDiagnostics(d)));
}

void TestModuleChecks::unknownClientMethod()
{
    const Diagnostics d = checkModule("function* ask(c, q = 'x') {\n"
                                      "    const r = yield c.send_for_replay(q, swarm.crlf());\n"
                                      "    c.clse_connection();\n"
                                      "    return c.varz;\n"
                                      "}\n");
    QVERIFY(has(d, 2, 23,
        {"'c' (the client) has no method 'send_for_replay'", "did you mean 'send_for_reply'?",
            "send_noreply"}));
    QVERIFY(has(d, 3, 7, {"has no method 'clse_connection'", "did you mean 'close_connection'?"}));
    QVERIFY(has(d, 4, 14, {"has no member 'varz'", "did you mean 'vars'?"}));
}

void TestModuleChecks::unknownSwarmMember()
{
    const Diagnostics d = checkModule("const LINE = swarm.crfl();\n"
                                      "function ping(client) { client.send_noreply('x'); }\n");
    QVERIFY(has(d, 1, 20, {"swarm has no method 'crfl'", "did you mean 'crlf'?"}));
}

// swarm.agent is known, and so are its index and count; a misspelt member of it is named with
// its own list (not swarm's), and a local `swarm` is nobody's business.
void TestModuleChecks::swarmAgentMembers()
{
    const Diagnostics ok
        = checkModule("const A = swarm.agent;\n"
                      "const I = swarm.agent.index + swarm.agent.count;\n"
                      "function ping(client) { client.send_noreply('x' + A.index); }\n");
    QVERIFY2(ok.isEmpty(), qPrintable(formatDiagnostics(ok)));
    const Diagnostics d = checkModule("const I = swarm.agent.indx;\n"
                                      "const N = swarm.agents;\n"
                                      "function ping(client) { client.send_noreply('x'); }\n");
    QVERIFY(has(d, 1, 23,
        {"swarm.agent has no member 'indx'", "did you mean 'index'?", "(it has: index, count)"}));
    QVERIFY(has(d, 2, 17, {"swarm has no member 'agents'", "did you mean 'agent'?"}));
    const Diagnostics local = checkModule("const swarm = {agent: {}};\n"
                                          "const I = swarm.agent.indx;\n"
                                          "function ping(client) { client.send_noreply('x'); }\n");
    QVERIFY2(local.isEmpty(), qPrintable(formatDiagnostics(local)));
}

void TestModuleChecks::everyPreludeNameIsKnown()
{
    // The list comes from the prelude itself: everything it defines is accepted, inherited
    // members too, and the names of `client` are not those of `swarm`.
    const Diagnostics ok
        = checkModule("const P = [swarm.crlf(), swarm.line('\\n'), swarm.bytes(4), swarm.resp(),\n"
                      "           swarm.length_prefixed(4), swarm.version];\n"
                      "function* all(client) {\n"
                      "    yield client.send_for_reply('a', P[0]);\n"
                      "    yield client.recv(P[1]);\n"
                      "    client.send_noreply('b'); client.sleep(0); client.vars.n = 1;\n"
                      "    client.hasOwnProperty('x'); client.toString();\n"
                      "    client.close_connection();\n"
                      "}\n");
    QVERIFY2(ok.isEmpty(), qPrintable(formatDiagnostics(ok)));
    const Diagnostics crossed = checkModule("function ping(client) { client.crlf(); }\n");
    QVERIFY(has(crossed, 1, 32, {"client has no method 'crlf'"}));
}

void TestModuleChecks::unyieldedReply()
{
    const Diagnostics d
        = checkModule("function* get(client, key = 'k') {\n"
                      "    const r = client.send_for_reply(`GET ${key}\\r\\n`, swarm.crlf());\n"
                      "    if (r.text !== 'x') throw new Error('bad');\n"
                      "    return client.recv(swarm.crlf()).length;\n"
                      "}\n");
    QVERIFY(has(d, 3, 9,
        {"'r.text' reads what client.send_for_reply(...) returns (line 2), not its reply",
            "write `const r = yield client.send_for_reply(...)`"}));
    QVERIFY(has(d, 4, 38, {"'.length' is read from what client.recv(...) returns"}));
}

void TestModuleChecks::unyieldedReplyInPlainFunction()
{
    const Diagnostics d = checkModule("function get(client) {\n"
                                      "    const r = client.recv(swarm.crlf());\n"
                                      "    return r.text;\n"
                                      "}\n");
    QVERIFY(has(d, 3, 12, {"a plain function cannot wait for replies", "`function* get(...)`"}));
}

void TestModuleChecks::yieldedReplyIsFine()
{
    const Diagnostics d
        = checkModule("function* get(client) {\n"
                      "    let r = client.recv(swarm.crlf());\n"
                      "    r = yield client.recv(swarm.crlf());\n"
                      "    const s = yield client.send_for_reply('x', swarm.crlf());\n"
                      "    return r.text + s.text + (yield client.recv(swarm.crlf())).text;\n"
                      "}\n");
    QVERIFY2(d.isEmpty(), qPrintable(formatDiagnostics(d)));
}

void TestModuleChecks::unreachableAfterClose()
{
    const QString module = "function* bye(client) {\n"
                           "    yield client.close_connection();\n"
                           "    function inner() {}\n"
                           "    client.send_noreply('late');\n"
                           "}\n"
                           "function quit(client) { client.close_connection(); return; }\n";
    const Diagnostics d = checkModule(module);
    QVERIFY(has(d, 4, 5, {"unreachable", "client.close_connection() (line 2)"},
        Diagnostic::Severity::Warning));
    QCOMPARE(d.size(), 1);
    // A warning does not stop a run.
    const BundleLoader::Result r = loadTexts("protocol: m\nactions:\n  - command: bye\n", module);
    QVERIFY2(r.ok(), qPrintable(formatDiagnostics(r.diagnostics)));
    QVERIFY(r.diagnostics.first().toString().contains(QLatin1String("m.js:4:5: 'bye': warning: ")));
}

void TestModuleChecks::scenarioNamesHelperOrValue()
{
    const QString module = "const LINE = swarm.crlf();\nconst LIMIT = 5;\n"
                           "function _helper(client) {}\nfunction ping(client) {}\n";
    const BundleLoader::Result r = loadTexts("protocol: m\nactions:\n  - command: _helper\n"
                                             "  - command: LINE\n  - command: LIMIT\n",
        module);
    QVERIFY(!r.ok());
    QVERIFY(has(r.diagnostics, 3, 14, {"'_helper' is a helper"}));
    QVERIFY(has(r.diagnostics, 4, 14,
        {"no command 'LINE'", "'LINE' at line 1 of m.js is the result of a call, not a function"}));
    QVERIFY(has(r.diagnostics, 5, 14, {"'LIMIT' at line 2 of m.js is a number, not a function"}));
}

void TestModuleChecks::ignoredParameters()
{
    const QString module
        = "function say(client, room = 7, text = 'hi', ...rest) {\n"
          "    client.send_noreply(`say ${room}`);\n"
          "}\n"
          "function both(client, a, b) { const f = () => b; client.send_noreply(a + f()); }\n"
          "function all(client, a) { client.send_noreply(arguments[1]); }\n";
    const BundleLoader::Result r = loadTexts("protocol: m\nactions:\n"
                                             "  - command: say\n    args: {room: 1, text: yo}\n"
                                             "  - command: both\n    args: {a: 1, b: 2}\n"
                                             "  - command: all\n    args: {a: 1}\n",
        module);
    QVERIFY2(r.ok(), qPrintable(formatDiagnostics(r.diagnostics))); // warnings only
    QCOMPARE(r.diagnostics.size(), 1);
    QVERIFY(has(r.diagnostics, 4, 21,
        {"command 'say' never reads its parameter 'text' (line 1 of m.js)", "no effect"},
        Diagnostic::Severity::Warning));
}

void TestModuleChecks::bundledModulesAreClean()
{
    for (const char* name : {"durian", "redis", "simple"}) {
        const QString path = QStringLiteral(SWARM_SOURCE_DIR "/protocols/%1.js").arg(name);
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        ProtocolModuleInfo info;
        const Diagnostics d
            = BundleLoader::checkModule(QString::fromUtf8(f.readAll()), path, 1000, &info);
        QVERIFY2(d.isEmpty(), qPrintable(formatDiagnostics(d)));
    }
}

void TestModuleChecks::checkCommandReportsThem()
{
    QTemporaryDir dir;
    QFile js(dir.filePath(QStringLiteral("typo.js")));
    QVERIFY(js.open(QIODevice::WriteOnly));
    js.write("function* ask(client) {\n    yield client.send_for_replay('x', swarm.crlf());\n}\n"
             "function bye(client, why) { client.close_connection(); }\n");
    js.close();
    const auto run = [&](const QByteArray& yaml, QString* out, QString* err) {
        QFile yml(dir.filePath(QStringLiteral("s.yml")));
        if (!yml.open(QIODevice::WriteOnly)) return -1;
        yml.write(yaml);
        yml.close();
        QProcess p;
        p.start(swarmBinary(),
            {QStringLiteral("--check"), QStringLiteral("-s"), yml.fileName(), QStringLiteral("-p"),
                dir.path()});
        if (!p.waitForFinished(20000)) return -1;
        *out = QString::fromUtf8(p.readAllStandardOutput());
        *err = QString::fromUtf8(p.readAllStandardError());
        return p.exitCode();
    };
    QString out, err;
    QCOMPARE(run("protocol: typo\nactions:\n  - command: ask\n", &out, &err), 2);
    QVERIFY2(err.contains(QLatin1String("typo.js:2:18: 'ask': client has no method "
                                        "'send_for_replay'; did you mean 'send_for_reply'?")),
        qPrintable(err));
    // Fixed, a warning is left: --check prints it and says OK.
    QVERIFY(js.open(QIODevice::WriteOnly | QIODevice::Truncate));
    js.write("function bye(client, why) { client.close_connection(); }\n");
    js.close();
    QCOMPARE(
        run("protocol: typo\nactions:\n  - command: bye\n    args: {why: x}\n", &out, &err), 0);
    QVERIFY2(out.startsWith(QLatin1String("OK")), qPrintable(out));
    QVERIFY2(err.contains(QLatin1String("s.yml:4:12: action 1, 'why': warning: command 'bye' "
                                        "never reads its parameter 'why'")),
        qPrintable(err));
}

void TestModuleChecks::largeModuleIsQuick()
{
    // A 240-line module of 40 commands. Measured in CPU time of the process (std::clock): the
    // machine the tests run on is shared, and wall time there says little. A read costs about
    // 30 ms of CPU here; 10 reads must stay under 3 s of it, a margin for sanitizer builds that
    // still catches a reader gone quadratic (a 241-line module squared is 58,000 lines' work).
    QString source;
    for (int i = 0; i < 40; ++i)
        source += QStringLiteral("function* cmd%1(client, key = 'k%1', n = %1) {\n"
                                 "    const r = yield client.send_for_reply(`GET ${key}\\r\\n`, "
                                 "swarm.crlf());\n"
                                 "    if (!r.text.startsWith('+')) throw new Error(r.text);\n"
                                 "    client.vars.last = [key, n, r.length].join(',');\n"
                                 "    return r.text.length > n ? _trim(r.text) : r.text;\n"
                                 "}\n")
                      .arg(i);
    source += QStringLiteral("function _trim(s) { return s.trim(); }\n");
    QVERIFY(source.count(QLatin1Char('\n')) > 200);
    ProtocolSourceReader::read(source, QStringLiteral("warm.js")); // loads acorn once
    const std::clock_t start = std::clock();
    for (int i = 0; i < 10; ++i) {
        Diagnostics d;
        const ProtocolModuleInfo info = ProtocolSourceReader::read(source, "big.js", &d);
        QVERIFY(d.isEmpty());
        QCOMPARE(info.commands.size(), 40);
        QVERIFY2(info.findings.isEmpty(),
            qPrintable(formatDiagnostics(ModuleChecks::diagnostics(info))));
    }
    const qint64 cpuMs = qint64(std::clock() - start) * 1000 / CLOCKS_PER_SEC;
    qInfo("10 reads of a %lld-line module: %lld ms of CPU",
        qlonglong(source.count(QLatin1Char('\n'))), qlonglong(cpuMs));
    QVERIFY(cpuMs < 3000);
}

QTEST_GUILESS_MAIN(TestModuleChecks)
#include "tst_modulechecks.moc"
