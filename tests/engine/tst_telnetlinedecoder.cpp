// The console's telnet input, as byte strings: line endings, telnet negotiation, the ways a
// session ends, and that reads split anywhere decode the same.
#include "console/TelnetLineDecoder.h"

#include <QTest>

using namespace swarm;
using Event = TelnetLineDecoder::Event;
using Kind = Event::Kind;

namespace {

// "L:status" for a line, "close", "binary", "utf8", "long": one word per event.
QStringList describe(const std::vector<Event>& events)
{
    QStringList out;
    for (const Event& e : events) {
        switch (e.kind) {
        case Kind::Line:
            out << QStringLiteral("L:") + QString::fromUtf8(e.line);
            break;
        case Kind::Close:
            out << QStringLiteral("close");
            break;
        case Kind::Binary:
            out << QStringLiteral("binary");
            break;
        case Kind::NotUtf8:
            out << QStringLiteral("utf8");
            break;
        case Kind::TooLong:
            out << QStringLiteral("long");
            break;
        }
    }
    return out;
}

} // namespace

class TstTelnetLineDecoder : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void decodes_data();
    void decodes();
    void nothingAfterTheEnd();
    void partialLineCanBeDropped();
};

void TstTelnetLineDecoder::decodes_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QStringList>("events");
    const auto L = [](const char* s) { return QStringLiteral("L:") + QLatin1String(s); };
    QTest::newRow("LF") << QByteArray("status\n") << QStringList {L("status")};
    QTest::newRow("CRLF") << QByteArray("incr 5\r\ndecr 2\r\n")
                          << QStringList {L("incr 5"), L("decr 2")};
    QTest::newRow("CR NUL") << QByteArray("stop\r\0", 6) << QStringList {L("stop")};
    QTest::newRow("lone CR") << QByteArray("a\rb\n") << QStringList {L("a"), L("b")};
    QTest::newRow("no ending yet") << QByteArray("status") << QStringList {};
    QTest::newRow("empty lines") << QByteArray("\n\r\n") << QStringList {L(""), L("")};
    QTest::newRow("tab kept") << QByteArray("decr\t3\n") << QStringList {L("decr\t3")};
    QTest::newRow("WILL/DO skipped")
        << QByteArray("\xff\xfb\x1f\xff\xfd\x03status\r\n") << QStringList {L("status")};
    QTest::newRow("option byte 255 skipped")
        << QByteArray("\xff\xfd\xffok\n") << QStringList {L("ok")};
    QTest::newRow("subnegotiation skipped") << QByteArray("st\xff\xfa\x1f\x00\x50\x00\x18\xff\xf0"
                                                          "atus\n",
        16) << QStringList {L("status")};
    QTest::newRow("IAC inside subnegotiation")
        << QByteArray("\xff\xfa\x18\xff\x01x\xff\xf0ok\n") << QStringList {L("ok")};
    QTest::newRow("NOP and AYT skipped")
        << QByteArray("\xff\xf1\xff\xf6reload\n") << QStringList {L("reload")};
    QTest::newRow("telnet IP closes")
        << QByteArray("status\n\xff\xf4") << QStringList {L("status"), "close"};
    QTest::newRow("telnet EOF closes") << QByteArray("\xff\xec") << QStringList {"close"};
    QTest::newRow("telnet BRK closes") << QByteArray("\xff\xf3") << QStringList {"close"};
    QTest::newRow("telnet abort closes") << QByteArray("\xff\xee") << QStringList {"close"};
    QTest::newRow("raw Ctrl-C closes") << QByteArray("stat\x03") << QStringList {"close"};
    QTest::newRow("raw Ctrl-D closes") << QByteArray("\x04") << QStringList {"close"};
    QTest::newRow("escaped 255 is binary") << QByteArray("a\xff\xff\n") << QStringList {"binary"};
    QTest::newRow("escape sequence is binary") << QByteArray("\x1b[A\n") << QStringList {"binary"};
    QTest::newRow("DEL is binary") << QByteArray("x\x7f\n") << QStringList {"binary"};
    QTest::newRow("NUL alone is binary") << QByteArray("x\0y\n", 4) << QStringList {"binary"};
    QTest::newRow("not UTF-8") << QByteArray("ok\n\xc3\x28\n") << QStringList {L("ok"), "utf8"};
    QTest::newRow("UTF-8") << QByteArray("caf\xc3\xa9\n") << QStringList {QStringLiteral("L:café")};
    QTest::newRow("lone CR then IAC") << QByteArray("a\r\xff\xfb\x01"
                                                    "b\n")
                                      << QStringList {L("a"), L("b")};
    QTest::newRow("too long") << QByteArray(17, 'x') << QStringList {"long"};
    QTest::newRow("exactly the limit") << QByteArray(16, 'x') + '\n'
                                       << QStringList {L("xxxxxxxxxxxxxxxx")};
}

void TstTelnetLineDecoder::decodes()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QStringList, events);
    TelnetLineDecoder whole(16);
    QCOMPARE(describe(whole.feed(bytes)), events);
    // One byte per read: telnet commands and CR LF split across reads decode the same.
    TelnetLineDecoder bytewise(16);
    std::vector<Event> got;
    for (const char c : bytes)
        for (Event& e : bytewise.feed(QByteArrayView(&c, 1)))
            got.push_back(std::move(e));
    QCOMPARE(describe(got), events);
}

void TstTelnetLineDecoder::nothingAfterTheEnd()
{
    TelnetLineDecoder d;
    QCOMPARE(describe(d.feed("quit\n\x03status\n")), (QStringList {"L:quit", "close"}));
    QVERIFY(d.isFinished());
    QVERIFY(d.feed("stop\n").empty());
}

void TstTelnetLineDecoder::partialLineCanBeDropped()
{
    TelnetLineDecoder d;
    QVERIFY(d.feed("dec").empty());
    d.discardPartialLine(); // a key that stopped `watch`
    QCOMPARE(describe(d.feed("status\n")), QStringList {"L:status"});
}

QTEST_GUILESS_MAIN(TstTelnetLineDecoder)
#include "tst_telnetlinedecoder.moc"
