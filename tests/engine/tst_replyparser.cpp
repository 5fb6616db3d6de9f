#include "ReplyParserTestUtil.h"
#include "core/ReplyParser.h"

#include <QTest>

#include <random>

using namespace swarm::test;

// Every native parser on complete replies: whole, a byte at a time, several in one read, in
// random chunks, at the --max-reply-bytes boundary, and the total a NeedMore announces.
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
    const ParserSpec v = ParserSpec::varintPrefixed(1, 4);
    QCOMPARE(v.kind, ParserSpec::Kind::VarintPrefixed);
    QCOMPARE(v.offset, quint32(1));
    QCOMPARE(int(v.varintMaxBytes), 4);
    QVERIFY(!(v == ParserSpec::varintPrefixed(1, 5)));
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
    // MQTT 3.1.1: a type byte, the remaining length as a varint (1 to 4 bytes), that many bytes.
    const ParserSpec mqtt = ParserSpec::varintPrefixed(1, 4);
    QTest::newRow("varint mqtt") << mqtt
                                 << QByteArrayList {bytes({0x20, 2, 0, 0}), bytes({0xd0, 0}),
                                        bytes({0x30, 0x80, 0x01}) + QByteArray(128, 'p'),
                                        bytes({0x30, 0xff, 0x7f}) + QByteArray(16383, 'q')};
    // Protobuf's length-delimited messages: no offset.
    QTest::newRow("varint protobuf") << ParserSpec::varintPrefixed(0, 5)
                                     << QByteArrayList {bytes({3}) + "abc", bytes({0}),
                                            bytes({0xac, 0x02}) + QByteArray(300, 'z')};

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
    QTest::newRow("varint before length")
        << ParserSpec::varintPrefixed(1, 4) << bytes({0x30}) << qint64(-1);
    QTest::newRow("varint mid length")
        << ParserSpec::varintPrefixed(1, 4) << bytes({0x30, 0x80}) << qint64(-1);
    QTest::newRow("varint after length")
        << ParserSpec::varintPrefixed(1, 4) << bytes({0x30, 0x80, 0x01, 1}) << qint64(131);
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

QTEST_GUILESS_MAIN(TstReplyParser)
#include "tst_replyparser.moc"
