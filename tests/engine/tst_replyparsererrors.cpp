#include "ReplyParserTestUtil.h"
#include "core/ReplyParser.h"

#include <QTest>

#include <random>

using namespace swarm::test;

// QVERIFY2 builds its message even when the check passes; the robustness test checks millions of
// times, and its messages (the input in hex) are expensive.
#define CHECK(condition, message)                                                                  \
    do {                                                                                           \
        if (!(condition)) QFAIL(qPrintable(QStringLiteral(#condition ": ") + (message)));          \
    } while (false)

// What the native parsers reject, and their limits: malformed replies, replies past
// --max-reply-bytes, huge length headers, and random input.
class TstReplyParserErrors : public QObject
{
    Q_OBJECT

private Q_SLOTS:
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

// Each row: the input that is wrong, the limit, the shortest prefix that must already be an error
// (every shorter one, fed incrementally, is NeedMore), and a part of the message.
void TstReplyParserErrors::errors_data()
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

    QTest::newRow("varint too long")
        << ParserSpec::varintPrefixed(1, 4) << bytes({0x30, 0xff, 0xff, 0xff, 0xff, 1})
        << kDefaultMax << qint64(5) << "longer than 4 bytes (every byte has the continuation bit)";
    QTest::newRow("varint over limit")
        << ParserSpec::varintPrefixed(1, 4) << bytes({0x30, 0x80, 0x01}) << qint64(100) << qint64(3)
        << "the varint length field announces 128 bytes after the 3-byte header: more than "
           "--max-reply-bytes (100)";
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

void TstReplyParserErrors::errors()
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

void TstReplyParserErrors::bytesZero()
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

void TstReplyParserErrors::crlfResumesWhereItLeftOff()
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

void TstReplyParserErrors::lengthPrefixedHugeHeaderFailsAtOnce()
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

void TstReplyParserErrors::largeRepliesInChunks_data()
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
void TstReplyParserErrors::largeRepliesInChunks()
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

void TstReplyParserErrors::noLimitWhenMaxIsNotPositive()
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
void TstReplyParserErrors::robustness()
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

QTEST_GUILESS_MAIN(TstReplyParserErrors)
#include "tst_replyparsererrors.moc"
