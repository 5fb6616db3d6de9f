// The agent state's reader against bad input: a malformed reply is refused with the key that is
// wrong, never read half-way or crashed on.
#include "AgentStateTestUtil.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <functional>

using namespace swarm;
using namespace swarm::test;

class TstAgentStateInput : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void malformed_data();
    void malformed();
    void mutationsNeverCrash();
};

namespace {

using Mutation = std::function<void(QJsonObject&)>;

// obj[key] at a dotted path of object keys and array indexes ("commands.0.latency").
void setAt(QJsonObject& root, const QStringList& path, const QJsonValue* value)
{
    if (path.size() == 1) {
        if (value)
            root[path[0]] = *value;
        else
            root.remove(path[0]);
        return;
    }
    const QStringList rest = path.mid(1);
    QJsonValue child = root[path[0]];
    if (child.isObject()) {
        QJsonObject o = child.toObject();
        setAt(o, rest, value);
        root[path[0]] = o;
        return;
    }
    QJsonArray a = child.toArray();
    const int i = rest[0].toInt();
    if (rest.size() == 1) {
        if (value)
            a[i] = *value;
        else
            a.removeAt(i);
    } else if (a[i].isObject()) {
        QJsonObject o = a[i].toObject();
        setAt(o, rest.mid(1), value);
        a[i] = o;
    } else {
        QJsonArray inner = a[i].toArray();
        const int j = rest[1].toInt();
        if (value)
            inner[j] = *value;
        else
            inner.removeAt(j);
        a[i] = inner;
    }
    root[path[0]] = a;
}

Mutation put(const QString& path, const QJsonValue& v)
{
    return [=](QJsonObject& o) { setAt(o, path.split(QLatin1Char('.')), &v); };
}

Mutation drop(const QString& path)
{
    return [=](QJsonObject& o) { setAt(o, path.split(QLatin1Char('.')), nullptr); };
}

QJsonObject realReply()
{
    return agentStateJson(snapshotOf(2, 3, 5), identity());
}

} // namespace

void TstAgentStateInput::malformed_data()
{
    QTest::addColumn<Mutation>("mutation");
    QTest::addColumn<QString>("expected"); // in the error
    const QJsonObject reply = realReply();
    const int last = int(reply[QStringLiteral("commands")][0][QStringLiteral("latency")]
                              [QStringLiteral("buckets")]
                                  .toArray()
                                  .size())
        - 1;
    QTest::newRow("no wire") << drop(QStringLiteral("wire")) << "'wire' is missing";
    QTest::newRow("wire 2") << put(QStringLiteral("wire"), 2) << "reads wire version 1 only";
    QTest::newRow("wire string") << put(QStringLiteral("wire"), QStringLiteral("1")) << "'wire'";
    QTest::newRow("no agent") << drop(QStringLiteral("agent")) << "'agent' is missing";
    QTest::newRow("version number")
        << put(QStringLiteral("agent.version"), 3) << "'agent.version' is not a string";
    QTest::newRow("index past count")
        << put(QStringLiteral("agent.index"), 2) << "'agent.index' is 2, not below the count 2";
    QTest::newRow("no commands") << drop(QStringLiteral("commands")) << "'commands' is missing";
    QTest::newRow("commands object")
        << put(QStringLiteral("commands"), QJsonObject()) << "'commands' is not an array";
    QTest::newRow("latency string") << put(QStringLiteral("commands.1.latency"),
        QStringLiteral("x")) << "'commands[1].latency' is not an object";
    QTest::newRow("negative requests")
        << put(QStringLiteral("commands.0.requests"), -5) << "'commands[0].requests' is negative";
    QTest::newRow("fractional requests") << put(QStringLiteral("commands.0.requests"), 1.5)
                                         << "'commands[0].requests' is not a whole number";
    QTest::newRow("digits with a letter") << put(QStringLiteral("commands.0.errors"),
        QStringLiteral("12a")) << "'commands[0].errors' is not a whole number";
    QTest::newRow("duplicate command")
        << put(QStringLiteral("commands.1.name"), QStringLiteral("get")) << "appears twice";
    QTest::newRow("empty command name")
        << put(QStringLiteral("commands.0.name"), QString()) << "'commands[0].name' is empty";
    QTest::newRow("bucket index out of range")
        << put(QStringLiteral("commands.0.latency.buckets.0.0"), 3328)
        << "'commands[0].latency.buckets[0][0]' is 3328, above its largest 3327";
    QTest::newRow("bucket index negative") << put(QStringLiteral("commands.0.latency.buckets.0.0"),
        -1) << "'commands[0].latency.buckets[0][0]' is negative";
    QTest::newRow("run past the end") << put(QStringLiteral("commands.0.latency.buckets.0"),
        QJsonArray {3327, 1, 1}) << "runs past the last bucket";
    QTest::newRow("runs out of order")
        << put(QStringLiteral("commands.0.latency.buckets.%1").arg(last), QJsonArray {0, 1})
        << "not after the previous run's";
    QTest::newRow("bucket negative count") << put(QStringLiteral("commands.0.latency.buckets.0.1"),
        -3) << "'commands[0].latency.buckets[0][1]' is negative";
    QTest::newRow("count disagrees") << put(QStringLiteral("commands.0.latency.count"), 1)
                                     << "'commands[0].latency' has buckets that hold";
    QTest::newRow("min outside") << put(QStringLiteral("commands.0.latency.min"), 4000000000.0)
                                 << "'commands[0].latency' has min";
    QTest::newRow("min above the top") << put(QStringLiteral("connect_time.min"), 1e10)
                                       << "'connect_time.min' is 10000000000, above";
    QTest::newRow("no buckets") << drop(QStringLiteral("tls_handshake.buckets"))
                                << "'tls_handshake.buckets' is missing";
    QTest::newRow("state missing")
        << drop(QStringLiteral("current.refused")) << "'current.refused' is missing";
    QTest::newRow("negative transitions")
        << put(QStringLiteral("transitions.acting"), -1) << "'transitions.acting' is negative";
    QTest::newRow("error kind number")
        << put(QStringLiteral("errors.0.kind"), 5) << "'errors[0].kind' is not a string";
    QTest::newRow("asked rate text") << put(QStringLiteral("asked_rate"), QStringLiteral("fast"))
                                     << "'asked_rate' is not a number";
    QTest::newRow("target too large")
        << put(QStringLiteral("target"), 1e12) << "'target' is 1000000000000, above its largest";
}

void TstAgentStateInput::malformed()
{
    QFETCH(Mutation, mutation);
    QFETCH(QString, expected);
    QJsonObject reply = realReply();
    AgentState a;
    QString error;
    QVERIFY(parseAgentState(reply, &a, &error)); // unchanged, it reads
    mutation(reply);
    const QByteArray line = QJsonDocument(reply).toJson(QJsonDocument::Compact);
    error.clear();
    QVERIFY(!parseAgentState(QJsonDocument::fromJson(line).object(), &a, &error));
    QVERIFY2(error.startsWith(QLatin1String("stats snapshot: key '")), qPrintable(error));
    QVERIFY2(error.contains(expected), qPrintable(error));
}

namespace {

// Every place of a reply (long arrays: their first two and last elements).
void paths(const QJsonValue& v, const QStringList& here, QList<QStringList>* out)
{
    if (!here.isEmpty()) *out << here;
    if (v.isObject()) {
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            paths(it.value(), here + QStringList {it.key()}, out);
    } else if (v.isArray()) {
        const QJsonArray a = v.toArray();
        for (qsizetype i = 0; i < a.size(); ++i)
            if (i < 2 || i == a.size() - 1)
                paths(a[i], here + QStringList {QString::number(i)}, out);
    }
}

// The prefix of a JSON text up to a comma outside strings (so after a whole value), with the
// brackets still open closed: valid JSON that lacks the rest.
QByteArray closedPrefix(const QByteArray& prefix)
{
    QByteArray open;
    bool inString = false;
    bool escaped = false;
    for (char c : prefix) {
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '{' || c == '[') {
            open.append(c);
        } else if (c == '}' || c == ']') {
            open.chop(1);
        }
    }
    if (inString) return QByteArray();
    QByteArray out = prefix;
    for (qsizetype i = open.size() - 1; i >= 0; --i)
        out.append(open[i] == '{' ? '}' : ']');
    return out;
}

} // namespace

// A real reply cut after each of its values (brackets closed, "wire" put back so that the
// reading goes on past it), and every place of it removed or given a wrong value: refused with
// a message naming a key, or read; never a crash. (setAt handles the reply's depth: at most two
// array levels under an object.)
void TstAgentStateInput::mutationsNeverCrash()
{
    const QJsonObject reply = realReply();
    const QByteArray line = QJsonDocument(reply).toJson(QJsonDocument::Compact);
    AgentState a;
    QString error;
    int truncations = 0;
    int truncationsRefused = 0;
    for (qsizetype n = line.indexOf(','); n > 0; n = line.indexOf(',', n + 1)) {
        const QJsonDocument d = QJsonDocument::fromJson(closedPrefix(line.left(n)));
        if (!d.isObject()) continue; // the comma was inside a string
        QJsonObject cut = d.object();
        cut[QStringLiteral("wire")] = kAgentWireVersion;
        if (cut == reply) continue; // the cut lost only "wire" (the last key), put back
        ++truncations;
        error.clear();
        if (parseAgentState(cut, &a, &error)) continue;
        ++truncationsRefused;
        QVERIFY2(error.startsWith(QLatin1String("stats snapshot: key '")), qPrintable(error));
    }
    QVERIFY(truncations > 100);
    // Every key is needed: every cut that lost one is refused.
    QCOMPARE(truncationsRefused, truncations);
    QList<QStringList> places;
    paths(reply, {}, &places);
    QVERIFY(places.size() > 100);
    const QJsonValue wrong[]
        = {QJsonValue(), QJsonValue(-1), QJsonValue(0.5), QJsonValue(QStringLiteral("x")),
            QJsonValue(QJsonArray {}), QJsonValue(QJsonObject {}), QJsonValue(1e300)};
    int refused = 0;
    for (const QStringList& place : places) {
        QJsonObject removed = reply;
        setAt(removed, place, nullptr);
        error.clear();
        if (!parseAgentState(removed, &a, &error)) {
            ++refused;
            QVERIFY2(error.startsWith(QLatin1String("stats snapshot: key '")), qPrintable(error));
        }
        for (const QJsonValue& v : wrong) {
            QJsonObject changed = reply;
            setAt(changed, place, &v);
            error.clear();
            if (!parseAgentState(changed, &a, &error))
                QVERIFY2(
                    error.startsWith(QLatin1String("stats snapshot: key '")), qPrintable(error));
        }
    }
    qInfo("%d truncations refused; %d places, %d refused when removed", truncations,
        int(places.size()), refused);
    QVERIFY(refused > places.size() / 2);
}

QTEST_GUILESS_MAIN(TstAgentStateInput)
#include "tst_agentstateinput.moc"
