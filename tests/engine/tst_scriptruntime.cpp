// The JS bridge on its own: a module compiled in a worker's runtime, commands called with a
// client whose calls are captured as operations.
#include "CompiledModule.h"

#include <QTest>

using namespace swarm;

namespace {

using Compiled = CompiledModule;

std::unique_ptr<Compiled> compile(const QString& module, const QByteArray& actions)
{
    return compileModule(module, actions);
}

QString text(const ScriptOp& op)
{
    return requestText(op);
}

} // namespace

class TstScriptRuntime : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void argsByName();
    void swarmAgentIsTheFleetPlace();
    void plainFunctionQueuesCallsInOrder();
    void generatorReadsItsReply();
    void binaryRequests();
    void varsPersistPerConnection();
    void errorsNameFileAndLine_data();
    void errorsNameFileAndLine();
    void loadErrorsNameTheLine();
    void parserArgumentsAreChecked();
    void customParserContract();
    void customParserViews();
    void recvTakesACustomParser();
    void preludeErrorsNameTheUsersLine();
    void internalErrorsSaySo();
    void sendsSayHowTheyCount();
    void binaryHelpersWrite();
    void binaryHelpersRead();
    void binaryHelpersRejectBadInput_data();
    void binaryHelpersRejectBadInput();
    void varintPrefixedParser();
};

// swarm.agent: this swarm's {index, count} of --agent-index (0 of 1 alone), frozen.
void TstScriptRuntime::swarmAgentIsTheFleetPlace()
{
    ScriptRuntime alone {1000};
    QCOMPARE(alone.engine().evaluate("swarm.agent.index + '/' + swarm.agent.count").toString(),
        QString("0/1"));
    ScriptRuntime agent {1000, Fleet {2, 3}};
    QCOMPARE(agent.engine().evaluate("swarm.agent.index + '/' + swarm.agent.count").toString(),
        QString("2/3"));
    QVERIFY(
        agent.engine().evaluate("Object.isFrozen(swarm.agent) && Object.isFrozen(swarm)").toBool());
    QVERIFY(agent.engine()
                .evaluate("(function () { 'use strict'; swarm.agent.index = 0; })()")
                .isError());
    QCOMPARE(agent.engine().evaluate("swarm.agent.index").toInt(), 2);
}

void TstScriptRuntime::argsByName()
{
    auto c = compile(QStringLiteral("function cmd(client, b, a = 'dflt', c) {\n"
                                    "  client.send_noreply(`${a}|${b}|${c}`);\n}\n"),
        "  - command: cmd\n    args: {b: 2}\n"
        "  - command: cmd\n    args: {c: [1, 2], a: x, b: {k: v}}\n");
    QVERIFY2(c->ok, qPrintable(c->error.toString()));
    std::vector<ScriptOp> ops;
    QJSValue vars;
    QJSValue gen;
    ScriptError e;
    QCOMPARE(
        c->runtime.call(c->plan.actions[0], {&ops, &vars}, &gen, &e), ScriptRuntime::Outcome::Done);
    QCOMPARE(text(ops.at(0)), QStringLiteral("dflt|2|undefined")); // default and undefined
    ops.clear();
    QCOMPARE(
        c->runtime.call(c->plan.actions[1], {&ops, &vars}, &gen, &e), ScriptRuntime::Outcome::Done);
    QCOMPARE(text(ops.at(0)), QStringLiteral("x|[object Object]|1,2")); // by name, not order
}

void TstScriptRuntime::plainFunctionQueuesCallsInOrder()
{
    auto c = compile(QStringLiteral("const L = swarm.crlf();\n"
                                    "function cmd(client) {\n"
                                    "  client.send_for_reply('a\\r\\n', L);\n"
                                    "  client.send_noreply('b');\n"
                                    "  client.sleep(0.25);\n"
                                    "  client.send_for_reply('c', swarm.line('\\n'));\n"
                                    "  client.close_connection();\n}\n"),
        "  - command: cmd\n");
    QVERIFY2(c->ok, qPrintable(c->error.toString()));
    std::vector<ScriptOp> ops;
    QJSValue vars;
    QJSValue gen;
    ScriptError e;
    QCOMPARE(
        c->runtime.call(c->plan.actions[0], {&ops, &vars}, &gen, &e), ScriptRuntime::Outcome::Done);
    QCOMPARE(int(ops.size()), 5);
    QCOMPARE(text(ops[0]), QStringLiteral("a\r\n"));
    QCOMPARE(c->runtime.parserSpec(ops[0].parserId).kind, ParserSpec::Kind::Crlf);
    QCOMPARE(ops[1].parserId, ScriptRuntime::kNone);
    QCOMPARE(ops[2].kind, ScriptOp::Kind::Sleep);
    QCOMPARE(ops[2].sleepMs, qint64(250));
    QCOMPARE(c->runtime.parserSpec(ops[3].parserId).kind, ParserSpec::Kind::Line);
    QCOMPARE(c->runtime.parserSpec(ops[3].parserId).delimiter, QByteArray("\n"));
    QCOMPARE(ops[4].kind, ScriptOp::Kind::Close);
}

void TstScriptRuntime::generatorReadsItsReply()
{
    auto c = compile(
        QStringLiteral("function* cmd(client) {\n"
                       "  const r = yield client.send_for_reply('q', swarm.crlf());\n"
                       "  client.send_noreply(`${r.text.trim()}:${r.length}:${r.bytes[0]}`);\n"
                       "  const e = yield client.send_for_reply('', swarm.bytes(0));\n"
                       "  client.send_noreply(`empty:${e.length}:${e.bytes.length}`);\n}\n"),
        "  - command: cmd\n");
    QVERIFY2(c->ok, qPrintable(c->error.toString()));
    std::vector<ScriptOp> ops;
    QJSValue vars;
    QJSValue gen;
    ScriptError e;
    QCOMPARE(c->runtime.call(c->plan.actions[0], {&ops, &vars}, &gen, &e),
        ScriptRuntime::Outcome::Yielded);
    QCOMPARE(int(ops.size()), 1);
    ops.clear();
    QCOMPARE(c->runtime.resumeWithReply(gen, "OK\r\n", 4, {&ops, &vars}, &e),
        ScriptRuntime::Outcome::Yielded);
    QCOMPARE(text(ops.at(0)), QStringLiteral("OK:4:79"));
    ops.clear();
    QCOMPARE(
        c->runtime.resumeWithReply(gen, "", 0, {&ops, &vars}, &e), ScriptRuntime::Outcome::Done);
    QCOMPARE(text(ops.at(0)), QStringLiteral("empty:0:0"));
}

void TstScriptRuntime::binaryRequests()
{
    auto c = compile(
        QStringLiteral("function cmd(client) {\n"
                       "  client.send_noreply(new Uint8Array([0, 1, 255]));\n"
                       "  client.send_noreply(new Uint8Array([9, 8, 7, 6]).subarray(1, 3));\n"
                       "  client.send_noreply(new Uint8Array([65, 66]).buffer);\n"
                       "  client.send_noreply([67, 68]);\n"
                       "  client.send_noreply('é');\n}\n"),
        "  - command: cmd\n");
    QVERIFY2(c->ok, qPrintable(c->error.toString()));
    std::vector<ScriptOp> ops;
    QJSValue vars;
    QJSValue gen;
    ScriptError e;
    QCOMPARE(
        c->runtime.call(c->plan.actions[0], {&ops, &vars}, &gen, &e), ScriptRuntime::Outcome::Done);
    QCOMPARE(ops.at(0).request, QByteArray("\x00\x01\xff", 3));
    QCOMPARE(ops.at(1).request, QByteArray("\x08\x07"));
    QCOMPARE(ops.at(2).request, QByteArray("AB"));
    QCOMPARE(ops.at(3).request, QByteArray("CD"));
    QCOMPARE(ops.at(4).request, QByteArray("\xc3\xa9"));
}

void TstScriptRuntime::varsPersistPerConnection()
{
    auto c = compile(QStringLiteral("function cmd(client) {\n"
                                    "  client.vars.n = (client.vars.n || 0) + 1;\n"
                                    "  client.send_noreply(String(client.vars.n));\n}\n"),
        "  - command: cmd\n");
    QVERIFY(c->ok);
    std::vector<ScriptOp> ops;
    QJSValue one;
    QJSValue two;
    QJSValue gen;
    ScriptError e;
    c->runtime.call(c->plan.actions[0], {&ops, &one}, &gen, &e);
    c->runtime.call(c->plan.actions[0], {&ops, &one}, &gen, &e);
    c->runtime.call(c->plan.actions[0], {&ops, &two}, &gen, &e);
    QCOMPARE(text(ops.at(1)), QStringLiteral("2"));
    QCOMPARE(text(ops.at(2)), QStringLiteral("1")); // another connection, its own vars
}

void TstScriptRuntime::errorsNameFileAndLine_data()
{
    QTest::addColumn<QString>("body");
    QTest::addColumn<QString>("expected");
    QTest::newRow("TypeError") << "\n  null.x;"
                               << "m.js:2: TypeError";
    QTest::newRow("thrown Error") << "\n\n  throw new Error('nope');"
                                  << "m.js:3: Error: nope";
    QTest::newRow("thrown string") << "throw 'just text';"
                                   << "uncaught exception: just text";
    QTest::newRow("bad request") << "client.send_noreply({});"
                                 << "must be a string, a Uint8Array";
    QTest::newRow("bad parser") << "client.send_for_reply('x', 42);"
                                << "the reply parser must be";
    QTest::newRow("endless loop") << "for (;;) {}"
                                  << "ran longer than the script timeout";
}

void TstScriptRuntime::errorsNameFileAndLine()
{
    QFETCH(QString, body);
    QFETCH(QString, expected);
    auto c = compile(QStringLiteral("function cmd(client) {") + body
            + QStringLiteral("\n}\nfunction good(client) { client.send_noreply('x'); }\n"),
        "  - command: cmd\n  - command: good\n");
    QVERIFY2(c->ok, qPrintable(c->error.toString()));
    std::vector<ScriptOp> ops;
    QJSValue vars;
    QJSValue gen;
    ScriptError e;
    QCOMPARE(c->runtime.call(c->plan.actions[0], {&ops, &vars}, &gen, &e),
        ScriptRuntime::Outcome::Error);
    QVERIFY2(e.toString().contains(expected), qPrintable(e.toString()));
    // The same runtime runs the next call (an interrupted engine is re-enabled), twice: the
    // second one shows that the first did not leave a pending interrupt behind.
    for (int i = 0; i < 2; ++i) {
        ops.clear();
        ScriptError again;
        QCOMPARE(c->runtime.call(c->plan.actions[1], {&ops, &vars}, &gen, &again),
            ScriptRuntime::Outcome::Done);
        QVERIFY2(again.message.isEmpty(), qPrintable(again.toString()));
        QCOMPARE(ops.size(), size_t(1));
        QCOMPARE(text(ops.at(0)), QStringLiteral("x"));
    }
}

void TstScriptRuntime::loadErrorsNameTheLine()
{
    ProtocolModuleInfo info;
    Diagnostics d = BundleLoader::checkModule(
        QStringLiteral("function a(client) {}\n\nfunction b(client) { let = ; }\n"),
        QStringLiteral("bad.js"), 1000, &info);
    QVERIFY(!d.isEmpty());
    QVERIFY2(d.first().toString().startsWith(QLatin1String("bad.js:3:")),
        qPrintable(d.first().toString()));
    d = BundleLoader::checkModule(
        QStringLiteral("function a(client) {}\nthrow new Error('at load');\n"),
        QStringLiteral("throws.js"), 1000, &info);
    QVERIFY(!d.isEmpty());
    QVERIFY2(d.first().toString().contains(QLatin1String("throws.js:2: Error: at load")),
        qPrintable(d.first().toString()));
    d = BundleLoader::checkModule(
        QStringLiteral("function a(client) { client.send_noreply('x'); }\n"
                       "const twice = _h(2);\nfunction _h(x) { return x * 2; }\n"
                       "const LINE = swarm.crlf();\n"),
        QStringLiteral("ok.js"), 1000, &info);
    QVERIFY2(d.isEmpty(), qPrintable(formatDiagnostics(d)));
}

void TstScriptRuntime::parserArgumentsAreChecked()
{
    auto c
        = compile(QStringLiteral("function cmd(client, kind) {\n"
                                 "  if (kind === 1) swarm.length_prefixed(3);\n"
                                 "  if (kind === 2) swarm.length_prefixed(4, {endian: 'middle'});\n"
                                 "  if (kind === 3) swarm.length_prefixed(4, {typo: true});\n"
                                 "  if (kind === 4) swarm.bytes(-1);\n"
                                 "  if (kind === 5) swarm.line('');\n"
                                 "  client.send_for_reply('x', swarm.length_prefixed(2, {endian: "
                                 "'little', includes_header: true, offset: 1}));\n}\n"),
            "  - command: cmd\n    args: {kind: 1}\n  - command: cmd\n    args: {kind: 2}\n"
            "  - command: cmd\n    args: {kind: 3}\n  - command: cmd\n    args: {kind: 4}\n"
            "  - command: cmd\n    args: {kind: 5}\n  - command: cmd\n    args: {kind: 0}\n");
    QVERIFY2(c->ok, qPrintable(c->error.toString()));
    const char* expected[] = {"size must be 1, 2, 4 or 8", "endian must be",
        "unknown option 'typo'", "non-negative integer", "must not be empty"};
    std::vector<ScriptOp> ops;
    QJSValue vars;
    QJSValue gen;
    for (int i = 0; i < 5; ++i) {
        ScriptError e;
        QCOMPARE(c->runtime.call(c->plan.actions[size_t(i)], {&ops, &vars}, &gen, &e),
            ScriptRuntime::Outcome::Error);
        QVERIFY2(e.message.contains(QLatin1String(expected[i])), qPrintable(e.message));
    }
    ScriptError e;
    QCOMPARE(
        c->runtime.call(c->plan.actions[5], {&ops, &vars}, &gen, &e), ScriptRuntime::Outcome::Done);
    const ParserSpec& spec = c->runtime.parserSpec(ops.back().parserId);
    QCOMPARE(spec.kind, ParserSpec::Kind::LengthPrefixed);
    QCOMPARE(int(spec.headerSize), 2);
    QVERIFY(spec.littleEndian);
    QVERIFY(spec.lengthIncludesHeader);
    QCOMPARE(spec.offset, quint32(1));
}

void TstScriptRuntime::customParserContract()
{
    auto c = compile(
        QStringLiteral(
            "function cmd(client) {\n"
            "  client.send_for_reply('x', (b) => b.length === 0 ? 2 : (b[0] === 33 ? -1 : 0));\n"
            "  client.send_for_reply('y', (b) => 'many');\n}\n"),
        "  - command: cmd\n");
    QVERIFY2(c->ok, qPrintable(c->error.toString()));
    std::vector<ScriptOp> ops;
    QJSValue vars;
    QJSValue gen;
    ScriptError e;
    c->runtime.call(c->plan.actions[0], {&ops, &vars}, &gen, &e);
    QCOMPARE(ops.at(0).parserId, ScriptRuntime::kCustom);
    QString error;
    QCOMPARE(c->runtime.callParser(ops[0].customParser, "", 0, &error), qint64(2));
    QCOMPARE(c->runtime.callParser(ops[0].customParser, "ok", 2, &error), qint64(0));
    QCOMPARE(c->runtime.callParser(ops[0].customParser, "!!", 2, &error), qint64(-1));
    QVERIFY2(error.contains(QLatin1String("returned -1")), qPrintable(error));
    QCOMPARE(c->runtime.callParser(ops[1].customParser, "", 0, &error), qint64(-1));
    QVERIFY2(error.contains(QLatin1String("not a number")), qPrintable(error));
    QVERIFY2(error.contains(QLatin1String("the string \"many\"")), qPrintable(error));
}

namespace {

// Calls the only action of `c` as a new connection would and returns its queued operations.
std::vector<ScriptOp> callOnce(Compiled& c, ScriptError* e, QJSValue* gen = nullptr)
{
    std::vector<ScriptOp> ops;
    QJSValue vars;
    QJSValue g;
    c.runtime.call(c.plan.actions[0], {&ops, &vars}, gen ? gen : &g, e);
    return ops;
}

} // namespace

// The views a custom parser reads are kept, one per length (issue 17: a `subarray` per call cost
// more than the rest of the call): each call must still see exactly its own bytes, whatever view
// came before — the same length with other bytes, a buffer grown past its first 4 KiB (every view
// made again), more lengths than are kept (1,024) — with `n` equal to `bytes.length`, and nothing
// a parser attaches to a view may reach the next call.
void TstScriptRuntime::customParserViews()
{
    auto c = compile(QStringLiteral("function digest(b, n) {\n"
                                    "  if (n !== b.length) return -1;\n"
                                    "  let h = 7;\n"
                                    "  for (let i = 0; i < n; ++i) h = (h * 31 + b[i]) % 1000003;\n"
                                    "  return h;\n}\n"
                                    "function tagged(b, n) {\n"
                                    "  const before = b.tag;\n"
                                    "  try { b.tag = 1; } catch (e) {}\n"
                                    "  return before === undefined ? n : -1;\n}\n"
                                    "function cmd(client) {\n"
                                    "  client.send_for_reply('x', digest);\n"
                                    "  client.send_for_reply('y', tagged);\n}\n"),
        "  - command: cmd\n");
    QVERIFY2(c->ok, qPrintable(c->error.toString()));
    ScriptError e;
    const std::vector<ScriptOp> ops = callOnce(*c, &e);
    QCOMPARE(int(ops.size()), 2);
    const auto digest = [](const QByteArray& b) {
        qint64 h = 7;
        for (char ch : b)
            h = (h * 31 + quint8(ch)) % 1000003;
        return h;
    };
    QString error;
    const auto check = [&](const QByteArray& bytes) {
        const qint64 got
            = c->runtime.callParser(ops[0].customParser, bytes.constData(), bytes.size(), &error);
        if (got != digest(bytes))
            qWarning("size %lld: parser saw digest %lld, expected %lld (%s)", qint64(bytes.size()),
                got, digest(bytes), qPrintable(error));
        return got == digest(bytes);
    };
    QVERIFY(check(QByteArray()));
    QVERIFY(check("abc"));
    QVERIFY(check("xyz")); // the kept view of length 3, other bytes
    QVERIFY(check(QByteArray(5000, 'q'))); // past the first buffer: a new one, new views
    QVERIFY(check("abd"));
    QByteArray bytes;
    for (int n = 1; n <= 1100; ++n) { // more lengths than are kept
        bytes.append(char(n * 7));
        QVERIFY2(check(bytes), qPrintable(QStringLiteral("length %1").arg(n)));
    }
    QVERIFY(check(bytes.left(1050))); // a length made after the kept ones were full
    QCOMPARE(c->runtime.callParser(ops[1].customParser, "ab", 2, &error), qint64(2));
    QCOMPARE(c->runtime.callParser(ops[1].customParser, "cd", 2, &error), qint64(2));
}

// Issue #18 item 1: the prelude passed the custom parser's id without the function.
void TstScriptRuntime::recvTakesACustomParser()
{
    auto c = compile(
        QStringLiteral("function* cmd(client) {\n"
                       "  const r = yield client.recv((b) => b.length < 3 ? 3 - b.length : 0);\n"
                       "  client.send_noreply(r.text);\n}\n"),
        "  - command: cmd\n");
    QVERIFY2(c->ok, qPrintable(c->error.toString()));
    ScriptError e;
    QJSValue gen;
    const std::vector<ScriptOp> ops = callOnce(*c, &e, &gen);
    QCOMPARE(int(ops.size()), 1);
    QCOMPARE(ops[0].parserId, ScriptRuntime::kCustom);
    QVERIFY(ops[0].request.isEmpty());
    QCOMPARE(ops[0].count, ScriptOp::Count::Pushed);
    QString error;
    QCOMPARE(c->runtime.callParser(ops[0].customParser, "", 0, &error), qint64(3));
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(c->runtime.callParser(ops[0].customParser, "abc", 3, &error), qint64(0));
}

// A check of the user's argument raised inside the prelude names the user's line.
void TstScriptRuntime::preludeErrorsNameTheUsersLine()
{
    auto c = compile(QStringLiteral("function cmd(client) {\n\n  client.send_noreply(42);\n}\n"),
        "  - command: cmd\n");
    QVERIFY2(c->ok, qPrintable(c->error.toString()));
    ScriptError e;
    callOnce(*c, &e);
    QVERIFY2(e.toString().startsWith(QLatin1String("m.js:3: TypeError: client.send_noreply")),
        qPrintable(e.toString()));
    QVERIFY2(!e.toString().contains(QLatin1String("swarm-prelude")), qPrintable(e.toString()));
}

// A failure inside the prelude with no user frame is swarm's, and says so.
void TstScriptRuntime::internalErrorsSaySo()
{
    auto c = compile(QStringLiteral("function cmd(client) {}\n"), "  - command: cmd\n");
    QVERIFY2(c->ok, qPrintable(c->error.toString()));
    QString error;
    QCOMPARE(c->runtime.callParser(QJSValue(), "", 0, &error), qint64(-1)); // no function
    QVERIFY2(error.contains(QLatin1String("internal error in swarm (swarm-prelude.js:")),
        qPrintable(error));
    QVERIFY2(error.contains(QLatin1String("please report it")), qPrintable(error));
}

void TstScriptRuntime::sendsSayHowTheyCount()
{
    auto c = compile(QStringLiteral("const L = swarm.crlf();\n"
                                    "function cmd(client, bad) {\n"
                                    "  if (bad) client.send_noreply('x', {requests: false});\n"
                                    "  client.send_for_reply('a', L);\n"
                                    "  client.send_noreply('b');\n"
                                    "  client.send_noreply('c', {request: false});\n"
                                    "  client.recv(L);\n}\n"),
        "  - command: cmd\n  - command: cmd\n    args: {bad: true}\n");
    QVERIFY2(c->ok, qPrintable(c->error.toString()));
    ScriptError e;
    const std::vector<ScriptOp> ops = callOnce(*c, &e);
    QCOMPARE(int(ops.size()), 4);
    QCOMPARE(ops[0].count, ScriptOp::Count::Request);
    QCOMPARE(ops[1].count, ScriptOp::Count::Request);
    QCOMPARE(ops[2].count, ScriptOp::Count::MessageSent);
    QCOMPARE(ops[2].parserId, ScriptRuntime::kNone);
    QCOMPARE(ops[3].count, ScriptOp::Count::Pushed);
    std::vector<ScriptOp> more;
    QJSValue vars;
    QJSValue gen;
    QCOMPARE(c->runtime.call(c->plan.actions[1], {&more, &vars}, &gen, &e),
        ScriptRuntime::Outcome::Error);
    QVERIFY2(e.toString().contains(QLatin1String("m.js:3: TypeError: client.send_noreply: unknown "
                                                 "option 'requests'")),
        qPrintable(e.toString()));
}

void TstScriptRuntime::binaryHelpersWrite()
{
    auto c = compile(
        QStringLiteral(
            "function cmd(client) {\n"
            "  client.send_noreply(swarm.utf8_encode('é€'));\n"
            "  client.send_noreply(swarm.concat([1], swarm.u16be(0x0203), swarm.u16le(0x0203), "
            "'A',\n"
            "                                   new Uint8Array([9]).buffer, swarm.u8(255)));\n"
            "  client.send_noreply(swarm.concat(swarm.u32be(0x01020304), "
            "swarm.u32le(0x01020304)));\n"
            "  client.send_noreply(swarm.concat(swarm.u64be(2 ** 40 + 5), swarm.u64le(2 ** 40 + "
            "5)));\n"
            "  client.send_noreply(swarm.concat(swarm.varint(0), swarm.varint(127), "
            "swarm.varint(128),\n"
            "                                   swarm.varint(16383), swarm.varint(268435455)));\n"
            "}\n"),
        "  - command: cmd\n");
    QVERIFY2(c->ok, qPrintable(c->error.toString()));
    ScriptError e;
    const std::vector<ScriptOp> ops = callOnce(*c, &e);
    QVERIFY2(e.message.isEmpty(), qPrintable(e.toString()));
    QCOMPARE(int(ops.size()), 5);
    QCOMPARE(ops[0].request, QByteArray("\xc3\xa9\xe2\x82\xac"));
    QCOMPARE(ops[1].request,
        QByteArray("\x01\x02\x03\x03\x02"
                   "A"
                   "\x09\xff",
            8));
    QCOMPARE(ops[2].request, QByteArray("\x01\x02\x03\x04\x04\x03\x02\x01", 8));
    QCOMPARE(ops[3].request,
        QByteArray("\x00\x00\x01\x00\x00\x00\x00\x05\x05\x00\x00\x00\x00\x01\x00\x00", 16));
    // MQTT 3.1.1, 2.2.3: 0 = 0x00, 127 = 0x7F, 128 = 0x80 0x01, 16383 = 0xFF 0x7F,
    // 268435455 = 0xFF 0xFF 0xFF 0x7F.
    QCOMPARE(ops[4].request, QByteArray("\x00\x7f\x80\x01\xff\x7f\xff\xff\xff\x7f", 10));
}

void TstScriptRuntime::binaryHelpersRead()
{
    auto c = compile(
        QStringLiteral(
            "function cmd(client) {\n"
            "  const b = new Uint8Array([0xc3, 0xa9, 1, 2, 3, 4, 0x80, 0x01, 0xff]);\n"
            "  const v = swarm.read_varint(b, 6);\n"
            "  client.send_noreply([swarm.utf8_decode(b, 0, 2), swarm.read_u8(b, 2),\n"
            "      swarm.read_u16be(b, 2), swarm.read_u16le(b, 2), swarm.read_u32be(b, 2),\n"
            "      swarm.read_u32le(b, 2), v.value, v.length, swarm.read_varint(b, 8),\n"
            "      swarm.read_u64be(swarm.u64be(2 ** 52 + 3)), "
            "swarm.read_u64le(swarm.u64le(7))].join('|'));\n"
            "}\n"),
        "  - command: cmd\n");
    QVERIFY2(c->ok, qPrintable(c->error.toString()));
    ScriptError e;
    const std::vector<ScriptOp> ops = callOnce(*c, &e);
    QVERIFY2(e.message.isEmpty(), qPrintable(e.toString()));
    QCOMPARE(QString::fromUtf8(ops.at(0).request),
        QStringLiteral("é|1|258|513|16909060|67305985|128|2||4503599627370499|7"));
}

void TstScriptRuntime::binaryHelpersRejectBadInput_data()
{
    QTest::addColumn<QString>("call");
    QTest::addColumn<QString>("expected");
    QTest::newRow("u8 too big") << "swarm.u8(256)"
                                << "swarm.u8: the value must be an integer from 0 to 255";
    QTest::newRow("u16 negative") << "swarm.u16be(-1)"
                                  << "from 0 to 65535";
    QTest::newRow("read past end") << "swarm.read_u32be([1, 2], 0)"
                                   << "4 bytes at offset 0 do not fit in 2 bytes";
    QTest::newRow("u64 unsafe") << "swarm.read_u64be([255,255,255,255,255,255,255,255])"
                                << "above 2^53";
    QTest::newRow("concat object") << "swarm.concat('a', {})"
                                   << "swarm.concat (part 2): expected a string";
    QTest::newRow("bad byte") << "swarm.concat([300])"
                              << "integers from 0 to 255";
    QTest::newRow("endless varint") << "swarm.read_varint([255,255,255,255,255,255,255,255,255])"
                                    << "more than 8 bytes";
    QTest::newRow("utf8 range") << "swarm.utf8_decode([65], 0, 5)"
                                << "is not a range of 1 bytes";
    QTest::newRow("varint_prefixed") << "swarm.varint_prefixed({max_bytes: 9})"
                                     << "max_bytes must be an integer from 1 to 8";
}

void TstScriptRuntime::binaryHelpersRejectBadInput()
{
    QFETCH(QString, call);
    QFETCH(QString, expected);
    auto c = compile(QStringLiteral("function cmd(client) {\n  ") + call + QStringLiteral(";\n}\n"),
        "  - command: cmd\n");
    QVERIFY2(c->ok, qPrintable(c->error.toString()));
    ScriptError e;
    callOnce(*c, &e);
    QVERIFY2(e.toString().startsWith(QLatin1String("m.js:2: ")), qPrintable(e.toString()));
    QVERIFY2(e.toString().contains(expected), qPrintable(e.toString()));
}

void TstScriptRuntime::varintPrefixedParser()
{
    auto c = compile(
        QStringLiteral(
            "const P = swarm.varint_prefixed({offset: 1, max_bytes: 4});\n"
            "function cmd(client) { client.recv(P); client.recv(swarm.varint_prefixed()); }\n"),
        "  - command: cmd\n");
    QVERIFY2(c->ok, qPrintable(c->error.toString()));
    ScriptError e;
    const std::vector<ScriptOp> ops = callOnce(*c, &e);
    QCOMPARE(int(ops.size()), 2);
    QCOMPARE(c->runtime.parserSpec(ops[0].parserId), ParserSpec::varintPrefixed(1, 4));
    QCOMPARE(c->runtime.parserSpec(ops[1].parserId), ParserSpec::varintPrefixed(0, 5));
}

QTEST_GUILESS_MAIN(TstScriptRuntime)
#include "tst_scriptruntime.moc"
