#include "ReplyParser.h"

#include <QtTest>

#include <random>

using swarm::ParseResult;
using swarm::ParserSpec;
using swarm::ParserState;
using Status = swarm::ParseResult::Status;

Q_DECLARE_METATYPE(swarm::ParserSpec)

namespace {

constexpr qint64 kDefaultMax = 16 * 1024 * 1024; // EngineConfig's default

ParseResult parse(const ParserSpec& spec, const QByteArray& data, ParserState& state,
    qint64 max = kDefaultMax, qint64 size = -1)
{
    return swarm::parseReply(spec, data.constData(), size < 0 ? data.size() : size, state, max);
}

ParseResult parseFresh(
    const ParserSpec& spec, const QByteArray& data, qint64 max = kDefaultMax, qint64 size = -1)
{
    ParserState state;
    return parse(spec, data, state, max, size);
}

QString resultText(const ParseResult& r)
{
    switch (r.status) {
    case Status::NeedMore:
        return QStringLiteral("NeedMore(%1)").arg(r.length);
    case Status::Complete:
        return QStringLiteral("Complete(%1)").arg(r.length);
    case Status::Error:
        return QStringLiteral("Error(%1)").arg(r.error);
    }
    return QString();
}

QByteArray bytes(std::initializer_list<int> values)
{
    QByteArray out;
    for (int v : values)
        out.append(char(v));
    return out;
}

QByteArray nestedArrays(int depth, const QByteArray& leaf = ":1\r\n")
{
    return QByteArray("*1\r\n").repeated(depth) + leaf;
}

ParserSpec lp(int headerSize, bool littleEndian, bool includesHeader, quint32 offset = 0)
{
    return ParserSpec::lengthPrefixed(headerSize, littleEndian, includesHeader, offset);
}

} // namespace

// QVERIFY2 builds its message even when the check passes; the robustness test checks millions of
// times, and its messages (the input in hex) are expensive.
#define CHECK(condition, message)                                                                  \
    do {                                                                                           \
        if (!(condition)) QFAIL(qPrintable(QStringLiteral(#condition ": ") + (message)));          \
    } while (false)

class TstReplyParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void constructors();
    void describe_data();
    void describe();

    void completeReplies_data();
    void wholeReply_data() { completeReplies_data(); }
    void wholeReply();
    void byteByByte_data() { completeReplies_data(); }
    void byteByByte();
    void concatenated_data() { completeReplies_data(); }
    void concatenated();
    void streamedInChunks_data() { completeReplies_data(); }
    void streamedInChunks();
    void limitBoundary_data() { completeReplies_data(); }
    void limitBoundary();

    void needMoreTotal_data();
    void needMoreTotal();
    void errors_data();
    void errors();

    void bytesZero();
    void crlfResumesWhereItLeftOff();
    void lengthPrefixedHugeHeaderFailsAtOnce();
    void largeRepliesInChunks_data();
    void largeRepliesInChunks();
    void noLimitWhenMaxIsNotPositive();
    void robustness();
};

void TstReplyParser::constructors()
{
    const ParserSpec crlf = ParserSpec::crlf();
    QCOMPARE(crlf.kind, ParserSpec::Kind::Crlf);

    const ParserSpec line = ParserSpec::line("END\r\n");
    QCOMPARE(line.kind, ParserSpec::Kind::Line);
    QCOMPARE(line.delimiter, QByteArray("END\r\n"));

    const ParserSpec b = ParserSpec::bytes(16);
    QCOMPARE(b.kind, ParserSpec::Kind::Bytes);
    QCOMPARE(b.count, qint64(16));

    const ParserSpec l = ParserSpec::lengthPrefixed(2, true, true, 3);
    QCOMPARE(l.kind, ParserSpec::Kind::LengthPrefixed);
    QCOMPARE(l.headerSize, quint8(2));
    QCOMPARE(l.littleEndian, true);
    QCOMPARE(l.lengthIncludesHeader, true);
    QCOMPARE(l.offset, quint32(3));

    QCOMPARE(ParserSpec::resp().kind, ParserSpec::Kind::Resp);
    QVERIFY(ParserSpec::resp() == ParserSpec::resp());
    QVERIFY(!(ParserSpec::line("\n") == ParserSpec::line("\r\n")));

    // An out-of-range size must not wrap into a valid one (260 would be 4 as a quint8).
    for (int size : {0, 3, 5, 7, 9, 16, 260, -4}) {
        const ParseResult r
            = parseFresh(ParserSpec::lengthPrefixed(size, false, false), QByteArray(64, '\0'));
        QVERIFY2(r.status == Status::Error, qPrintable(QString::number(size)));
        QVERIFY(r.error.contains(QLatin1String("1, 2, 4 or 8")));
    }
}

void TstReplyParser::describe_data()
{
    QTest::addColumn<ParserSpec>("spec");
    QTest::addColumn<QString>("text");
    QTest::newRow("none") << ParserSpec() << "none";
    QTest::newRow("crlf") << ParserSpec::crlf() << "crlf";
    QTest::newRow("line lf") << ParserSpec::line("\n") << "line(\"\\n\")";
    QTest::newRow("line crlf") << ParserSpec::line("\r\n") << "line(\"\\r\\n\")";
    QTest::newRow("line nul") << ParserSpec::line(QByteArray(1, '\0')) << "line(\"\\0\")";
    QTest::newRow("line END") << ParserSpec::line("END\r\n") << "line(\"END\\r\\n\")";
    QTest::newRow("line quote") << ParserSpec::line("\"\\") << "line(\"\\\"\\\\\")";
    QTest::newRow("line binary") << ParserSpec::line(bytes({0x01, 0xff})) << "line(\"\\x01\\xff\")";
    QTest::newRow("bytes") << ParserSpec::bytes(16) << "bytes(16)";
    QTest::newRow("length_prefixed")
        << lp(4, false, false) << "length_prefixed(4, big-endian, header excluded, offset 0)";
    QTest::newRow("length_prefixed le incl")
        << lp(2, true, true, 1) << "length_prefixed(2, little-endian, header included, offset 1)";
    QTest::newRow("resp") << ParserSpec::resp() << "resp";
    ParserSpec custom;
    custom.kind = ParserSpec::Kind::Custom;
    QTest::newRow("custom") << custom << "custom";
}

void TstReplyParser::describe()
{
    QFETCH(ParserSpec, spec);
    QFETCH(QString, text);
    QCOMPARE(spec.describe(), text);
}

// Each row: a parser and a few complete replies for it. Every reply is non-empty.
void TstReplyParser::completeReplies_data()
{
    QTest::addColumn<ParserSpec>("spec");
    QTest::addColumn<QByteArrayList>("replies");

    const ParserSpec crlf = ParserSpec::crlf();
    QTest::newRow("crlf simple") << crlf << QByteArrayList {"+OK\r\n"};
    QTest::newRow("crlf empty line") << crlf << QByteArrayList {"\r\n"};
    QTest::newRow("crlf bare cr and lf inside")
        << crlf << QByteArrayList {"a\rb\nc\r\n", "\n\r\r\n", "\r\r\n"};
    QTest::newRow("crlf pipeline")
        << crlf << QByteArrayList {"VALUE 1\r\n", "END\r\n", "\r\n", "STORED\r\n"};

    const ParserSpec lf = ParserSpec::line("\n");
    QTest::newRow("line lf") << lf << QByteArrayList {"hello\n", "\n", "a\rb\n"};
    const ParserSpec nul = ParserSpec::line(QByteArray(1, '\0'));
    QTest::newRow("line nul") << nul
                              << QByteArrayList {QByteArray("abc\0", 4), QByteArray(1, '\0')};
    const ParserSpec end = ParserSpec::line("END\r\n");
    QTest::newRow("line END") << end
                              << QByteArrayList {"VALUE k 0 1\r\nx\r\nEND\r\n", "END\r\n",
                                     "ENEND\r\n", "EENDEND\r\n", "END\rEND\nEND\r\n"};
    // Partial matches that overlap the real one: a resume that forgets them misses the match.
    QTest::newRow("line aab") << ParserSpec::line("aab") << QByteArrayList {"aaab", "aab", "abaab"};
    QTest::newRow("line http head") << ParserSpec::line(
        "\r\n\r\n") << QByteArrayList {"HTTP/1.1 200 OK\r\nA: b\r\n\r\n", "\r\n\r\r\n\r\n"};

    QTest::newRow("bytes 1") << ParserSpec::bytes(1)
                             << QByteArrayList {"x", QByteArray(1, '\0'), "y"};
    QTest::newRow("bytes 16") << ParserSpec::bytes(16)
                              << QByteArrayList {"0123456789abcdef", QByteArray(16, '\r')};

    QTest::newRow("lp 1 be") << lp(1, false, false)
                             << QByteArrayList {bytes({3}) + "abc", bytes({0}), bytes({1}) + "z"};
    QTest::newRow("lp 2 be") << lp(2, false,
        false) << QByteArrayList {bytes({0, 5}) + "hello", bytes({1, 0}) + QByteArray(256, 'x')};
    QTest::newRow("lp 2 le") << lp(2, true,
        false) << QByteArrayList {bytes({5, 0}) + "hello", bytes({0, 1}) + QByteArray(256, 'x')};
    QTest::newRow("lp 4 be") << lp(4, false, false)
                             << QByteArrayList {bytes({0, 0, 0, 2}) + "hi", bytes({0, 0, 0, 0}),
                                    bytes({0, 0, 1, 2}) + QByteArray(258, 'q')};
    QTest::newRow("lp 4 le") << lp(4, true, false)
                             << QByteArrayList {bytes({2, 0, 0, 0}) + "hi",
                                    bytes({2, 1, 0, 0}) + QByteArray(258, 'q')};
    QTest::newRow("lp 8 be") << lp(8, false, false)
                             << QByteArrayList {bytes({0, 0, 0, 0, 0, 0, 0, 3}) + "abc"};
    QTest::newRow("lp 8 le") << lp(8, true, false)
                             << QByteArrayList {bytes({3, 0, 0, 0, 0, 0, 0, 0}) + "abc"};
    QTest::newRow("lp 4 be incl") << lp(
        4, false, true) << QByteArrayList {bytes({0, 0, 0, 6}) + "hi", bytes({0, 0, 0, 4})};
    QTest::newRow("lp 2 le incl offset 1") << lp(
        2, true, true, 1) << QByteArrayList {"T" + bytes({6, 0}) + "abc", "U" + bytes({3, 0})};
    QTest::newRow("lp 2 be offset 1") << lp(
        2, false, false, 1) << QByteArrayList {"T" + bytes({0, 3}) + "abc", "U" + bytes({0, 0})};
    QTest::newRow("lp 4 be offset 5")
        << lp(4, false, false, 5)
        << QByteArrayList {"HEAD!" + bytes({0, 0, 0, 1}) + "z", bytes({9, 9, 9, 9, 9, 0, 0, 0, 0})};

    const ParserSpec resp = ParserSpec::resp();
    QTest::newRow("resp simple") << resp << QByteArrayList {"+OK\r\n", "+\r\n", "+a\rb\r\n"};
    QTest::newRow("resp error") << resp << QByteArrayList {"-ERR unknown command 'x'\r\n"};
    QTest::newRow("resp integer") << resp << QByteArrayList {":1000\r\n", ":-5\r\n", ":0\r\n"};
    QTest::newRow("resp bulk") << resp
                               << QByteArrayList {"$5\r\nhello\r\n", "$0\r\n\r\n",
                                      "$4\r\n\r\n\r\n\r\n", "$6\r\n$3\r\nab\r\n"};
    QTest::newRow("resp bulk null") << resp << QByteArrayList {"$-1\r\n"};
    QTest::newRow("resp bulk binary")
        << resp << QByteArrayList {"$3\r\n" + bytes({0, 0xff, '\n'}) + "\r\n"};
    QTest::newRow("resp arrays") << resp
                                 << QByteArrayList {"*-1\r\n", "*0\r\n",
                                        "*2\r\n$3\r\nfoo\r\n$3\r\nbar\r\n",
                                        "*3\r\n:1\r\n*2\r\n+a\r\n-b\r\n$-1\r\n",
                                        "*2\r\n*0\r\n*-1\r\n"};
    QTest::newRow("resp nested 128") << resp << QByteArrayList {nestedArrays(128)};
    QTest::newRow("resp nested 128 bulk leaf")
        << resp << QByteArrayList {nestedArrays(128, "$2\r\nok\r\n"), nestedArrays(3)};
    QTest::newRow("resp wide array")
        << resp << QByteArrayList {"*100\r\n" + QByteArray(":7\r\n").repeated(100)};
    QTest::newRow("resp3 scalars")
        << resp
        << QByteArrayList {"_\r\n", "#t\r\n", "#f\r\n", ",1.5\r\n", ",-inf\r\n",
               "(3492890328409238509324850943850943825024385\r\n", "=15\r\ntxt:Some string\r\n",
               "!21\r\nSYNTAX invalid syntax\r\n"};
    QTest::newRow("resp3 aggregates")
        << resp
        << QByteArrayList {"%2\r\n+first\r\n:1\r\n+second\r\n:2\r\n", "%0\r\n",
               "~2\r\n+a\r\n+b\r\n", ">2\r\n+message\r\n+hello\r\n"};
    QTest::newRow("resp3 attribute")
        << resp
        << QByteArrayList {"|1\r\n+key-popularity\r\n%2\r\n$1\r\na\r\n,0.1923\r\n$1\r\nb\r\n,0."
                           "0012\r\n*2\r\n:2039123\r\n:9545\r\n",
               "|0\r\n:1\r\n", "*2\r\n|1\r\n+ttl\r\n:3\r\n+v\r\n:2\r\n"};
}

void TstReplyParser::wholeReply()
{
    QFETCH(ParserSpec, spec);
    QFETCH(QByteArrayList, replies);
    for (int i = 0; i < replies.size(); ++i) {
        const QByteArray& reply = replies[i];
        const ParseResult r = parseFresh(spec, reply);
        QVERIFY2(r.status == Status::Complete && r.length == reply.size(),
            qPrintable(resultText(r) + QLatin1String(" for reply ") + QString::number(i)));
        // Bytes after the reply (the next ones) do not change its length.
        const QByteArray more = reply + replies.join() + "trailing garbage";
        const ParseResult r2 = parseFresh(spec, more);
        QVERIFY2(
            r2.status == Status::Complete && r2.length == reply.size(), qPrintable(resultText(r2)));
    }
}

void TstReplyParser::byteByByte()
{
    QFETCH(ParserSpec, spec);
    QFETCH(QByteArrayList, replies);
    for (const QByteArray& reply : replies) {
        // Followed by the next replies so the parser sees the real buffer, only bounded by size.
        const QByteArray buffer = reply + replies.join();
        ParserState state;
        for (qint64 size = 0; size < reply.size(); ++size) {
            const ParseResult r = parse(spec, buffer, state, kDefaultMax, size);
            QVERIFY2(r.status == Status::NeedMore,
                qPrintable(QStringLiteral("at %1 of %2: %3")
                               .arg(size)
                               .arg(reply.size())
                               .arg(resultText(r))));
            // A total, when known, is the reply's real length.
            QVERIFY2(r.length == -1 || r.length == reply.size(), qPrintable(resultText(r)));
        }
        const ParseResult r = parse(spec, buffer, state, kDefaultMax, reply.size());
        QVERIFY2(
            r.status == Status::Complete && r.length == reply.size(), qPrintable(resultText(r)));
    }
}

void TstReplyParser::concatenated()
{
    QFETCH(ParserSpec, spec);
    QFETCH(QByteArrayList, replies);
    // Every reply, then every reply again in reverse: each one after a different predecessor.
    QByteArrayList sequence = replies;
    for (auto it = replies.rbegin(); it != replies.rend(); ++it)
        sequence.append(*it);
    const QByteArray buffer = sequence.join();
    qint64 used = 0;
    for (const QByteArray& expected : sequence) {
        ParserState state;
        const ParseResult r = swarm::parseReply(
            spec, buffer.constData() + used, buffer.size() - used, state, kDefaultMax);
        QVERIFY2(r.status == Status::Complete && r.length == expected.size(),
            qPrintable(QStringLiteral("at %1: %2").arg(used).arg(resultText(r))));
        QCOMPARE(QByteArray(buffer.constData() + used, qsizetype(r.length)), expected);
        used += r.length;
    }
    QCOMPARE(used, qint64(buffer.size()));
}

// As the connection does it: bytes arrive in chunks; complete replies are consumed from the front,
// the state is reset for the next one, and the rest waits for more.
void TstReplyParser::streamedInChunks()
{
    QFETCH(ParserSpec, spec);
    QFETCH(QByteArrayList, replies);
    QByteArrayList sequence = replies + replies;
    const QByteArray stream = sequence.join();
    std::mt19937 random(7);
    for (int chunkMode : {1, 2, 3, 5, 64, 0}) { // 0: random sizes
        QByteArray buffer;
        ParserState state;
        QByteArrayList got;
        for (qint64 at = 0; at < stream.size();) {
            const qint64 chunk = chunkMode ? chunkMode : 1 + qint64(random() % 9);
            buffer.append(stream.mid(at, chunk));
            at += chunk;
            qint64 used = 0;
            for (;;) {
                const ParseResult r = swarm::parseReply(
                    spec, buffer.constData() + used, buffer.size() - used, state, kDefaultMax);
                QVERIFY2(r.status != Status::Error, qPrintable(r.error));
                if (r.status == Status::NeedMore) break;
                got.append(buffer.mid(used, r.length));
                used += r.length;
                state = {};
                if (used == buffer.size()) break;
            }
            buffer.remove(0, used);
        }
        QCOMPARE(got, sequence);
        QVERIFY(buffer.isEmpty());
    }
}

// A reply exactly as long as the limit is fine; one byte more is an error, never a completion.
void TstReplyParser::limitBoundary()
{
    QFETCH(ParserSpec, spec);
    QFETCH(QByteArrayList, replies);
    for (const QByteArray& reply : replies) {
        const qint64 n = reply.size();
        ParserState state;
        for (qint64 size = 0; size <= n; ++size) {
            const ParseResult r = parse(spec, reply, state, n, size);
            if (size < n)
                QVERIFY2(r.status == Status::NeedMore, qPrintable(resultText(r)));
            else
                QVERIFY2(r.status == Status::Complete && r.length == n, qPrintable(resultText(r)));
        }
        if (n < 2) continue; // a limit of 0 means no limit
        ParserState tight;
        bool failed = false;
        for (qint64 size = 0; size <= n && !failed; ++size) {
            const ParseResult r = parse(spec, reply, tight, n - 1, size);
            QVERIFY2(r.status != Status::Complete, qPrintable(resultText(r)));
            if (r.status == Status::Error) {
                failed = true;
                QVERIFY2(r.error.contains(QStringLiteral("--max-reply-bytes (%1)").arg(n - 1)),
                    qPrintable(r.error));
            }
        }
        QVERIFY2(failed, reply.constData());
    }
}

void TstReplyParser::needMoreTotal_data()
{
    QTest::addColumn<ParserSpec>("spec");
    QTest::addColumn<QByteArray>("prefix");
    QTest::addColumn<qint64>("total");
    QTest::newRow("crlf") << ParserSpec::crlf() << QByteArray("abc\r") << qint64(-1);
    QTest::newRow("bytes empty") << ParserSpec::bytes(16) << QByteArray() << qint64(16);
    QTest::newRow("bytes part") << ParserSpec::bytes(16) << QByteArray("abc") << qint64(16);
    QTest::newRow("lp before header") << lp(4, false, false) << bytes({0, 0}) << qint64(-1);
    QTest::newRow("lp offset before header")
        << lp(2, false, false, 3) << QByteArray("abc") << qint64(-1);
    QTest::newRow("lp after header") << lp(4, false, false) << bytes({0, 0, 1, 0}) << qint64(260);
    QTest::newRow("lp le incl after header")
        << lp(2, true, true, 1) << "T" + bytes({0, 1}) << qint64(256);
    QTest::newRow("lp 8 after header")
        << lp(8, false, false) << bytes({0, 0, 0, 0, 0, 0, 0, 9}) + "abc" << qint64(17);
    QTest::newRow("resp empty") << ParserSpec::resp() << QByteArray() << qint64(-1);
    QTest::newRow("resp line") << ParserSpec::resp() << QByteArray("+OK") << qint64(-1);
    QTest::newRow("resp bulk") << ParserSpec::resp() << QByteArray("$10\r\nab") << qint64(17);
    QTest::newRow("resp bulk header") << ParserSpec::resp() << QByteArray("$10\r") << qint64(-1);
    QTest::newRow("resp last bulk of array")
        << ParserSpec::resp() << QByteArray("*2\r\n:1\r\n$3\r\n") << qint64(17);
    QTest::newRow("resp bulk before more values")
        << ParserSpec::resp() << QByteArray("*2\r\n$3\r\n") << qint64(-1);
}

void TstReplyParser::needMoreTotal()
{
    QFETCH(ParserSpec, spec);
    QFETCH(QByteArray, prefix);
    QFETCH(qint64, total);
    ParserState state;
    for (int round = 0; round < 2; ++round) { // again with the state the first call left
        const ParseResult r = parse(spec, prefix, state);
        QCOMPARE(r.status, Status::NeedMore);
        QCOMPARE(r.length, total);
    }
}

// Each row: the input that is wrong, the limit, the shortest prefix that must already be an error
// (every shorter one, fed incrementally, is NeedMore), and a part of the message.
void TstReplyParser::errors_data()
{
    QTest::addColumn<ParserSpec>("spec");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<qint64>("max");
    QTest::addColumn<qint64>("failsAt");
    QTest::addColumn<QString>("message");

    const ParserSpec crlf = ParserSpec::crlf();
    const ParserSpec resp = ParserSpec::resp();
    const QByteArray as(100, 'a');
    ParserSpec none;
    ParserSpec custom;
    custom.kind = ParserSpec::Kind::Custom;

    QTest::newRow("none") << none << QByteArray("x") << kDefaultMax << qint64(0) << "no reply";
    QTest::newRow("custom") << custom << QByteArray("x") << kDefaultMax << qint64(0) << "custom";

    QTest::newRow("crlf never ends")
        << crlf << as << qint64(64) << qint64(64)
        << "no \"\\r\\n\" in the first 64 bytes of the reply: it is longer than "
           "--max-reply-bytes (64)";
    QTest::newRow("crlf ends one byte late") << crlf << QByteArray(63, 'a') + "\r\n"
                                             << qint64(64) << qint64(64) << "(64)";
    QTest::newRow("line never ends")
        << ParserSpec::line("END\r\n") << QByteArray("END\r").repeated(30) << qint64(50)
        << qint64(50) << "no \"END\\r\\n\" in the first 50 bytes";
    QTest::newRow("line empty delimiter") << ParserSpec::line(QByteArray()) << QByteArray("abc\n")
                                          << kDefaultMax << qint64(0) << "delimiter is empty";

    QTest::newRow("bytes negative")
        << ParserSpec::bytes(-1) << QByteArray("abc") << kDefaultMax << qint64(0)
        << "bytes(-1): the byte count must not be negative";
    QTest::newRow("bytes over limit") << ParserSpec::bytes(100) << as << qint64(64) << qint64(0)
                                      << "bytes(100) expects more than --max-reply-bytes (64)";

    QTest::newRow("lp header size 3") << lp(3, false, false) << as << kDefaultMax << qint64(0)
                                      << "must be 1, 2, 4 or 8 bytes, not 3";
    QTest::newRow("lp 4 GiB")
        << lp(4, false, false) << bytes({0xff, 0xff, 0xff, 0xff}) + as << kDefaultMax << qint64(4)
        << "the length field announces 4294967295 bytes after the 4-byte header, a "
           "4294967299-byte reply: more than --max-reply-bytes (16777216)";
    QTest::newRow("lp 4 GiB le incl")
        << lp(4, true, true) << bytes({0xff, 0xff, 0xff, 0xff}) + as << kDefaultMax << qint64(4)
        << "announces a 4294967295-byte reply, more than --max-reply-bytes (16777216)";
    QTest::newRow("lp 8 all ones")
        << lp(8, true, false) << QByteArray(8, char(0xff)) + as << kDefaultMax << qint64(8)
        << "announces 18446744073709551615 bytes, more than --max-reply-bytes";
    QTest::newRow("lp 8 all ones no limit")
        << lp(8, false, false, 2) << QByteArray(10, char(0xff)) + as << qint64(0) << qint64(10)
        << "18446744073709551615";
    QTest::newRow("lp 8 incl all ones") << lp(8, false, true) << QByteArray(8, char(0xff))
                                        << kDefaultMax << qint64(8) << "18446744073709551615";
    QTest::newRow("lp one byte over")
        << lp(1, false, false) << bytes({61}) + as << qint64(61) << qint64(1)
        << "announces 61 bytes after the 1-byte header, a 62-byte reply";
    QTest::newRow("lp incl smaller than header")
        << lp(4, false, true) << bytes({0, 0, 0, 3}) + as << kDefaultMax << qint64(4)
        << "the length field says 3 bytes, less than the 4 bytes of the header it includes";
    QTest::newRow("lp incl smaller than offset+header")
        << lp(2, true, true, 3) << "abc" + bytes({4, 0}) + as << kDefaultMax << qint64(5)
        << "less than the 5 bytes";
    QTest::newRow("lp header beyond limit")
        << lp(2, false, false, 10) << as << qint64(8) << qint64(0)
        << "the length field ends at byte 12, beyond --max-reply-bytes (8)";

    QTest::newRow("resp unknown type") << resp << QByteArray("HELLO\r\n") << kDefaultMax
                                       << qint64(1) << "not a RESP reply: starts with 0x48 'H'";
    QTest::newRow("resp unknown type nul")
        << resp << QByteArray(4, '\0') << kDefaultMax << qint64(1) << "starts with 0x00 '\\0'";
    QTest::newRow("resp unknown nested type")
        << resp << QByteArray("*2\r\n:1\r\nX") << kDefaultMax << qint64(9)
        << "not a RESP value at byte 8: unknown type byte 0x58 'X'";
    QTest::newRow("resp bulk without crlf")
        << resp << QByteArray("$5\r\nhelloXX") << kDefaultMax << qint64(10)
        << "RESP bulk string of 5 bytes is not followed by \"\\r\\n\": 0x58 'X' at byte 9";
    QTest::newRow("resp bulk cr then garbage")
        << resp << QByteArray("$5\r\nhello\rX") << kDefaultMax << qint64(11)
        << "0x58 'X' at byte 10";
    QTest::newRow("resp bulk too short") << resp << QByteArray("*2\r\n$5\r\nhel\r\n+OK\r\n")
                                         << kDefaultMax << qint64(14) << "not followed by";
    QTest::newRow("resp non-numeric length")
        << resp << QByteArray("$abc\r\n") << kDefaultMax << qint64(2)
        << "RESP bulk length \"$a\" is not a number: 0x61 'a' is not a digit";
    QTest::newRow("resp length with garbage")
        << resp << QByteArray("*12x\r\n") << kDefaultMax << qint64(4) << "0x78 'x' is not a digit";
    QTest::newRow("resp length cr without lf")
        << resp << QByteArray("$5\rX") << kDefaultMax << qint64(4)
        << "is not followed by \"\\r\\n\": 0x58 'X'";
    QTest::newRow("resp missing length")
        << resp << QByteArray("$\r\n") << kDefaultMax << qint64(2) << "has no digits";
    QTest::newRow("resp negative bulk")
        << resp << QByteArray("$-2\r\n") << kDefaultMax << qint64(3) << "is negative";
    QTest::newRow("resp minus zero")
        << resp << QByteArray("$-0\r\n") << kDefaultMax << qint64(3) << "is negative";
    QTest::newRow("resp negative array")
        << resp << QByteArray("*-5\r\n") << kDefaultMax << qint64(3) << "is negative";
    QTest::newRow("resp negative map")
        << resp << QByteArray("%-1\r\n") << kDefaultMax << qint64(2) << "must not be negative";
    QTest::newRow("resp negative verbatim")
        << resp << QByteArray("=-1\r\n") << kDefaultMax << qint64(2) << "must not be negative";
    QTest::newRow("resp huge bulk length")
        << resp << QByteArray("$99999999999999999999\r\n") << kDefaultMax << qint64(9)
        << "RESP bulk length \"$99999999\" is too large: the reply cannot fit in "
           "--max-reply-bytes (16777216)";
    QTest::newRow("resp huge bulk length no limit")
        << resp << QByteArray("$99999999999999999999\r\n") << qint64(0) << qint64(20)
        << "is too large";
    QTest::newRow("resp endless zeros")
        << resp << "$" + QByteArray(40, '0') << qint64(0) << qint64(22) << "is too long";
    QTest::newRow("resp bulk over limit")
        << resp << QByteArray("$100\r\n") + as << qint64(50) << qint64(4) << "is too large";
    QTest::newRow("resp bulk does not fit")
        << resp << QByteArray("$40\r\n") + as << qint64(44) << qint64(5)
        << "RESP bulk string of 40 bytes starting at byte 5 does not fit in --max-reply-bytes (44)";
    QTest::newRow("resp bulk then one more value does not fit")
        << resp << QByteArray("*2\r\n$8\r\n") + as << qint64(20) << qint64(8)
        << "the RESP reply needs at least 21 bytes, more than --max-reply-bytes (20)";
    // Found by fuzzing: the lower bound must not be weaker once a value's first bytes are in.
    QTest::newRow("resp array needs more than the limit")
        << resp << QByteArray("*4\r\n-x\r\n$") << qint64(16) << qint64(7)
        << "the RESP reply needs at least";
    QTest::newRow("resp huge array")
        << resp << QByteArray("*99999999999\r\n") << qint64(1 << 20) << qint64(7) << "is too large";
    QTest::newRow("resp array cannot fit")
        << resp << QByteArray("*1000\r\n") + as << qint64(3000) << qint64(7)
        << "RESP aggregate \"*1000\" of 1000 values cannot fit in --max-reply-bytes (3000)";
    QTest::newRow("resp map cannot fit")
        << resp << QByteArray("%500\r\n") + as << qint64(3000) << qint64(6) << "of 1000 values";
    QTest::newRow("resp nested 129") << resp << nestedArrays(129) << kDefaultMax << qint64(129 * 4)
                                     << "RESP value nested more than 128 levels deep";
    QTest::newRow("resp simple never ends")
        << resp << "+" + as << qint64(64) << qint64(64)
        << "no complete RESP value in the first 64 bytes of the reply: it is longer than "
           "--max-reply-bytes (64)";
    QTest::newRow("resp array never ends") << resp << "*1\r\n+" + as << qint64(64) << qint64(64)
                                           << "no complete RESP value in the first 64 bytes";
}

void TstReplyParser::errors()
{
    QFETCH(ParserSpec, spec);
    QFETCH(QByteArray, input);
    QFETCH(qint64, max);
    QFETCH(qint64, failsAt);
    QFETCH(QString, message);
    QVERIFY(failsAt <= input.size());

    ParserState state;
    for (qint64 size = 0; size < failsAt; ++size) {
        const ParseResult r = parse(spec, input, state, max, size);
        QVERIFY2(r.status == Status::NeedMore,
            qPrintable(QStringLiteral("at %1: %2").arg(size).arg(resultText(r))));
    }
    const ParseResult r = parse(spec, input, state, max, failsAt);
    QVERIFY2(r.status == Status::Error, qPrintable(resultText(r)));
    QVERIFY2(r.error.contains(message), qPrintable(r.error));
    QCOMPARE(r.length, qint64(-1));

    // Decided from the bytes, not from the call history: a fresh parse of everything agrees.
    const ParseResult whole = parseFresh(spec, input, max);
    QCOMPARE(whole.status, Status::Error);
    QVERIFY2(whole.error.contains(message), qPrintable(whole.error));
}

void TstReplyParser::bytesZero()
{
    const ParserSpec spec = ParserSpec::bytes(0);
    ParserState state;
    ParseResult r = swarm::parseReply(spec, nullptr, 0, state, kDefaultMax);
    QCOMPARE(r.status, Status::Complete);
    QCOMPARE(r.length, qint64(0));
    r = parseFresh(spec, QByteArray("next"));
    QCOMPARE(r.status, Status::Complete);
    QCOMPARE(r.length, qint64(0));
}

void TstReplyParser::crlfResumesWhereItLeftOff()
{
    // The state records how far the search went, so bytes are not searched twice...
    const QByteArray reply = QByteArray(1000, 'x') + "\r\n";
    ParserState state;
    QCOMPARE(parse(ParserSpec::crlf(), reply, state, kDefaultMax, 500).status, Status::NeedMore);
    QCOMPARE(state.scanned, qint64(500));
    // ... and a "\r" that ended the previous search still pairs with the "\n" that follows it.
    QCOMPARE(parse(ParserSpec::crlf(), reply, state, kDefaultMax, 1001).status, Status::NeedMore);
    QCOMPARE(state.scanned, qint64(1001));
    const ParseResult r = parse(ParserSpec::crlf(), reply, state, kDefaultMax, 1002);
    QCOMPARE(r.status, Status::Complete);
    QCOMPARE(r.length, qint64(1002));

    // Empty calls and a call with the same size again are harmless.
    ParserState again;
    QCOMPARE(parse(ParserSpec::line("END"), "xEN", again, kDefaultMax, 0).status, Status::NeedMore);
    QCOMPARE(parse(ParserSpec::line("END"), "xEN", again).status, Status::NeedMore);
    QCOMPARE(parse(ParserSpec::line("END"), "xEN", again).status, Status::NeedMore);
    QCOMPARE(parse(ParserSpec::line("END"), "xEND", again).length, qint64(4));
}

void TstReplyParser::lengthPrefixedHugeHeaderFailsAtOnce()
{
    // A 4 GiB announcement fails as soon as the 4 header bytes are in, whatever follows.
    const QByteArray header = bytes({0xff, 0xff, 0xff, 0xff});
    ParserState state;
    for (qint64 size = 0; size < 4; ++size)
        QCOMPARE(
            parse(lp(4, false, false), header, state, kDefaultMax, size).status, Status::NeedMore);
    const ParseResult r = parse(lp(4, false, false), header, state);
    QCOMPARE(r.status, Status::Error);
    QVERIFY2(r.error.contains(QLatin1String("16777216")), qPrintable(r.error));
    QVERIFY2(r.error.contains(QLatin1String("4294967295")), qPrintable(r.error));

    // Exactly at the limit is fine.
    const QByteArray atLimit = bytes({0x00, 0xff, 0xff, 0xfc});
    const ParseResult ok = parseFresh(lp(4, false, false), atLimit);
    QCOMPARE(ok.status, Status::NeedMore);
    QCOMPARE(ok.length, kDefaultMax);
}

void TstReplyParser::largeRepliesInChunks_data()
{
    QTest::addColumn<ParserSpec>("spec");
    QTest::addColumn<QByteArray>("reply");
    const QByteArray payload(kDefaultMax - 100, 'p');
    QTest::newRow("crlf") << ParserSpec::crlf() << payload + "\r\n";
    QTest::newRow("line END") << ParserSpec::line("END\r\n") << payload + "END\r\n";
    QTest::newRow("lp 4") << lp(4, false, false) << bytes({0x00, 0xff, 0xff, 0x9c}) + payload;
    QTest::newRow("resp bulk") << ParserSpec::resp()
                               << "$" + QByteArray::number(payload.size()) + "\r\n" + payload
            + "\r\n";
    QTest::newRow("resp array of bulks")
        << ParserSpec::resp()
        << "*1000\r\n" + ("$16000\r\n" + QByteArray(16000, 'b') + "\r\n").repeated(1000);
    QTest::newRow("resp array of integers")
        << ParserSpec::resp() << "*200000\r\n" + QByteArray(":12345\r\n").repeated(200000);
}

// A reply of nearly the whole limit arriving in socket-sized chunks: rescanning from the start on
// every read would take minutes here, not milliseconds.
void TstReplyParser::largeRepliesInChunks()
{
    QFETCH(ParserSpec, spec);
    QFETCH(QByteArray, reply);
    QVERIFY(reply.size() <= kDefaultMax);
    ParserState state;
    const qint64 chunk = 4096;
    for (qint64 size = chunk; size < reply.size(); size += chunk) {
        const ParseResult r = parse(spec, reply, state, kDefaultMax, size);
        QVERIFY2(r.status == Status::NeedMore, qPrintable(resultText(r)));
    }
    const ParseResult r = parse(spec, reply, state);
    QCOMPARE(r.status, Status::Complete);
    QCOMPARE(r.length, qint64(reply.size()));
}

void TstReplyParser::noLimitWhenMaxIsNotPositive()
{
    const QByteArray reply = QByteArray(100, 'a') + "\r\n";
    for (qint64 max : {qint64(0), qint64(-1)}) {
        const ParseResult r = parseFresh(ParserSpec::crlf(), reply, max);
        QCOMPARE(r.status, Status::Complete);
        QCOMPARE(r.length, qint64(reply.size()));
        const ParseResult big = parseFresh(ParserSpec::bytes(qint64(1) << 40), reply, max);
        QCOMPARE(big.status, Status::NeedMore);
        QCOMPARE(big.length, qint64(1) << 40);
    }
}

// Arbitrary bytes to every kind of parser: no crash, no read past the end (run under ASan), and
// the results obey the contract, the same whether the bytes come at once or in pieces.
void TstReplyParser::robustness()
{
    const QList<ParserSpec> specs = {
        ParserSpec::crlf(),
        ParserSpec::line("\n"),
        ParserSpec::line(QByteArray(1, '\0')),
        ParserSpec::line("END\r\n"),
        ParserSpec::line("aab"),
        ParserSpec::bytes(0),
        ParserSpec::bytes(7),
        lp(1, false, false),
        lp(2, true, true, 1),
        lp(4, false, false),
        lp(4, true, true),
        lp(8, true, false),
        lp(8, false, true, 3),
        ParserSpec::resp(),
    };
    // Valid replies to mutate, so that the interesting paths are reached, not just the first byte.
    const QByteArrayList seeds = {
        "+OK\r\n",
        "$5\r\nhello\r\n",
        "*2\r\n$3\r\nfoo\r\n:42\r\n",
        "%1\r\n+a\r\n*1\r\n_\r\n",
        "|1\r\n+k\r\n+v\r\n$-1\r\n",
        "*-1\r\n",
        "abc\r\nEND\r\n",
        QByteArray("\x03\x00\x00"
                   "abc",
            6),
        nestedArrays(130),
    };
    const QByteArray alphabet("\r\n\r\n$*+-:%|~>_#,(!=0123456789-aENDb\0\xff", 38);
    const qint64 limits[] = {0, 1, 3, 5, 7, 11, 16, 23, 64, kDefaultMax};

    std::mt19937 random(20240601);
    const auto below = [&](quint32 n) { return quint32(random() % n); };
    for (int round = 0; round < 20000; ++round) {
        QByteArray input;
        switch (below(4)) {
        case 0: { // any bytes
            const int n = int(below(40));
            for (int i = 0; i < n; ++i)
                input.append(char(below(256)));
            break;
        }
        case 1: { // bytes that mean something to some parser
            const int n = int(below(64));
            for (int i = 0; i < n; ++i)
                input.append(alphabet[int(below(quint32(alphabet.size())))]);
            break;
        }
        default: { // a mutated valid reply
            input = seeds[int(below(quint32(seeds.size())))];
            const int edits = 1 + int(below(4));
            for (int e = 0; e < edits && !input.isEmpty(); ++e) {
                const int at = int(below(quint32(input.size())));
                switch (below(3)) {
                case 0:
                    input[at] = alphabet[int(below(quint32(alphabet.size())))];
                    break;
                case 1:
                    input.insert(at, alphabet[int(below(quint32(alphabet.size())))]);
                    break;
                default:
                    input.remove(at, 1);
                }
            }
        }
        }
        const qint64 max = limits[below(std::size(limits))];
        // A copy with nothing after it, so ASan catches any read past `size`.
        const std::unique_ptr<char[]> exact(new char[size_t(std::max(1, int(input.size())))]);
        std::memcpy(exact.get(), input.constData(), size_t(input.size()));

        for (const ParserSpec& spec : specs) {
            ParserState wholeState;
            const ParseResult whole
                = swarm::parseReply(spec, exact.get(), input.size(), wholeState, max);
            const auto context = [&] {
                return QStringLiteral("%1 on %2 (max %3): %4")
                    .arg(spec.describe(), QString::fromLatin1(input.toHex()))
                    .arg(max)
                    .arg(resultText(whole));
            };
            switch (whole.status) {
            case Status::Complete:
                CHECK(whole.length
                        >= (spec.kind == ParserSpec::Kind::Bytes && spec.count == 0 ? 0 : 1),
                    context());
                CHECK(whole.length <= input.size(), context());
                CHECK(max <= 0 || whole.length <= max, context());
                break;
            case Status::NeedMore:
                CHECK(whole.length == -1 || whole.length > input.size(), context());
                CHECK(max <= 0 || whole.length <= max, context());
                CHECK(max <= 0 || input.size() < max, context());
                break;
            case Status::Error:
                CHECK(!whole.error.isEmpty() && whole.length == -1, context());
                break;
            }

            // The same bytes in pieces, with one state: every step agrees with a fresh parse of
            // that prefix, and the last one with the whole.
            ParserState state;
            qint64 size = 0;
            qint64 announced = -1;
            for (;;) {
                const ParseResult step = swarm::parseReply(spec, exact.get(), size, state, max);
                ParserState fresh;
                const ParseResult reference
                    = swarm::parseReply(spec, exact.get(), size, fresh, max);
                CHECK(step.status == reference.status && step.length == reference.length
                        && step.error == reference.error,
                    context()
                        + QStringLiteral(" / at %1: %2 vs fresh %3")
                              .arg(size)
                              .arg(resultText(step), resultText(reference)));
                if (step.status == Status::NeedMore && step.length >= 0) {
                    CHECK(announced < 0 || announced == step.length, context());
                    announced = step.length;
                }
                if (step.status != Status::NeedMore) {
                    CHECK(step.status == whole.status && step.length == whole.length, context());
                    if (step.status == Status::Complete)
                        CHECK(announced < 0 || announced == step.length, context());
                    break;
                }
                if (size == input.size()) {
                    CHECK(whole.status == Status::NeedMore, context());
                    break;
                }
                size = std::min<qint64>(input.size(), size + 1 + below(6));
            }
        }
    }
}

QTEST_GUILESS_MAIN(TstReplyParser)
#include "tst_replyparser.moc"
