// The script runtime's fast paths (issue 17) keep what scripts see: client.vars handed to a
// resumed generator is the calling connection's own and unusable outside a command, a reply's
// fields (bytes made on first use) are its own copy, and a custom parser reads exactly the bytes
// it was given from one reused buffer, however large the reply grows.

#include "CompiledModule.h"

#include <QTest>

using namespace swarm;

namespace {

std::unique_ptr<CompiledModule> compile(const QString& module)
{
    return compileModule(module, "  - command: cmd\n");
}

QString text(const ScriptOp& op)
{
    return requestText(op);
}

// One connection as the worker drives it: its own vars and generator.
struct Conn
{
    std::vector<ScriptOp> ops;
    QJSValue vars;
    QJSValue gen;
    ScriptRuntime::CallContext ctx()
    {
        ScriptRuntime::CallContext c;
        c.ops = &ops;
        c.vars = &vars;
        return c;
    }
};

} // namespace

class TstScriptFastPath : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void generatorVarsAreTheConnections();
    void varsOutsideACommandStillFail();
    void replyIsItsOwnCopy();
    void customParserSeesExactlyItsBytes();
};

// Two connections interleave a generator that counts its replies in client.vars: each resume
// sees its own connection's vars, whether they exist yet or not.
void TstScriptFastPath::generatorVarsAreTheConnections()
{
    auto c
        = compile(QStringLiteral("function* cmd(client) {\n"
                                 "  for (let i = 0; i < 3; ++i) {\n"
                                 "    const r = yield client.send_for_reply('q', swarm.crlf());\n"
                                 "    client.vars.n = (client.vars.n || 0) + r.length;\n"
                                 "  }\n"
                                 "  client.send_noreply(String(client.vars.n));\n}\n"));
    QVERIFY2(c->ok, qPrintable(c->error.toString()));
    Conn a;
    Conn b;
    ScriptError e;
    QCOMPARE(
        c->runtime.call(c->plan.actions[0], a.ctx(), &a.gen, &e), ScriptRuntime::Outcome::Yielded);
    QCOMPARE(
        c->runtime.call(c->plan.actions[0], b.ctx(), &b.gen, &e), ScriptRuntime::Outcome::Yielded);
    for (int i = 0; i < 3; ++i) {
        a.ops.clear();
        b.ops.clear();
        const ScriptRuntime::Outcome want
            = i < 2 ? ScriptRuntime::Outcome::Yielded : ScriptRuntime::Outcome::Done;
        QCOMPARE(c->runtime.resumeWithReply(a.gen, "a\r\n", 3, a.ctx(), &e), want);
        QCOMPARE(c->runtime.resumeWithReply(b.gen, "bb\r\n", 4, b.ctx(), &e), want);
    }
    QCOMPARE(text(a.ops.at(0)), QStringLiteral("9"));
    QCOMPARE(text(b.ops.at(0)), QStringLiteral("12"));
    QCOMPARE(a.vars.property(QStringLiteral("n")).toInt(), 9);
    QCOMPARE(b.vars.property(QStringLiteral("n")).toInt(), 12);
}

// client.vars read through a client a command kept, after the command returned, fails as before:
// the vars handed to a call do not outlive it.
void TstScriptFastPath::varsOutsideACommandStillFail()
{
    auto c = compile(
        QStringLiteral("function* cmd(client) {\n"
                       "  kept = client; // a global: the test reads it after the command\n"
                       "  yield client.send_for_reply('q', swarm.crlf());\n"
                       "  client.vars.x = 1;\n}\n"));
    QVERIFY2(c->ok, qPrintable(c->error.toString()));
    Conn a;
    ScriptError e;
    QCOMPARE(
        c->runtime.call(c->plan.actions[0], a.ctx(), &a.gen, &e), ScriptRuntime::Outcome::Yielded);
    QCOMPARE(
        c->runtime.resumeWithReply(a.gen, "ok\r\n", 4, a.ctx(), &e), ScriptRuntime::Outcome::Done);
    QCOMPARE(a.vars.property(QStringLiteral("x")).toInt(), 1);
    const QJSValue after = c->runtime.engine().evaluate(QStringLiteral("kept.vars"));
    QVERIFY2(after.isError(), qPrintable(after.toString()));
    QVERIFY2(after.toString().contains(QLatin1String("outside a command")),
        qPrintable(after.toString()));
}

// A reply keeps its own bytes after the next one arrives; text, length and bytes agree, bytes is
// a Uint8Array made once (the same object on every read) and can be written like any array.
void TstScriptFastPath::replyIsItsOwnCopy()
{
    auto c = compile(QStringLiteral(
        "function* cmd(client) {\n"
        "  const r1 = yield client.send_for_reply('q', swarm.crlf());\n"
        "  const r2 = yield client.send_for_reply('q', swarm.crlf());\n"
        "  const same = r1.bytes === r1.bytes && r1.bytes instanceof Uint8Array;\n"
        "  r2.bytes[0] = 88;\n"
        "  client.send_noreply([r1.text, r1.length, r1.bytes.length, r1.bytes[0], same,\n"
        "                       r2.bytes[0], r2.text, "
        "Object.keys(r1).sort().join('+')].join('|'));\n"
        "}\n"));
    QVERIFY2(c->ok, qPrintable(c->error.toString()));
    Conn a;
    ScriptError e;
    c->runtime.call(c->plan.actions[0], a.ctx(), &a.gen, &e);
    QByteArray arrived("é1\r\n");
    QCOMPARE(c->runtime.resumeWithReply(a.gen, arrived.constData(), arrived.size(), a.ctx(), &e),
        ScriptRuntime::Outcome::Yielded);
    arrived.fill('z'); // the read buffer is reused for the next bytes
    a.ops.clear();
    QCOMPARE(
        c->runtime.resumeWithReply(a.gen, "ab\r\n", 4, a.ctx(), &e), ScriptRuntime::Outcome::Done);
    QCOMPARE(text(a.ops.at(0)), QStringLiteral("é1\r\n|5|5|195|true|88|ab\r\n|bytes+length+text"));
}

// Each call sees a Uint8Array of exactly the bytes given, also past the reused buffer's first
// size (4 KiB), and also after an earlier call saw more.
void TstScriptFastPath::customParserSeesExactlyItsBytes()
{
    auto c = compile(QStringLiteral(
        "function seen(b) {\n"
        "  if (b.length === 0) return 1;\n"
        "  const ends = b[0] === 97 && b[b.length - 1] === 97 && b[b.length >> 1] === 97;\n"
        "  return ends && b.buffer.byteLength >= b.length ? 0 : -1;\n}\n"
        "function cmd(client) { client.send_for_reply('x', seen); }\n"));
    QVERIFY2(c->ok, qPrintable(c->error.toString()));
    Conn a;
    ScriptError e;
    c->runtime.call(c->plan.actions[0], a.ctx(), &a.gen, &e);
    const QJSValue parser = a.ops.at(0).customParser;
    QString error;
    QCOMPARE(c->runtime.callParser(parser, "", 0, &error), qint64(1));
    for (const qsizetype n : {1, 4096, 20000, 3, 0}) {
        const QByteArray bytes(n, 'a');
        QCOMPARE(c->runtime.callParser(parser, bytes.constData(), n, &error), qint64(n ? 0 : 1));
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }
    const QByteArray bad = QByteArray(10, 'a') + 'b';
    QCOMPARE(c->runtime.callParser(parser, bad.constData(), bad.size(), &error), qint64(-1));
}

QTEST_GUILESS_MAIN(TstScriptFastPath)
#include "tst_scriptfastpath.moc"
