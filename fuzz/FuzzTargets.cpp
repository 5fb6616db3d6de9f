#include "FuzzTargets.h"

#include "FuzzShown.h"

#include "console/ConsoleCommand.h"
#include "console/TelnetLineDecoder.h"
#include "core/ReplyParser.h"
#include "scenario/Diagnostic.h"
#include "scenario/ScenarioLoader.h"

#include <QStringDecoder>
#include <QStringList>

#include <algorithm>
#include <cstring>
#include <limits>
#include <memory>
#include <vector>

// Everything here runs once per fuzz input, thousands of times a second: no file is read and
// nothing is printed unless a check fails. Only the module reader needs the QCoreApplication
// that FuzzMain.cpp (or the Qt Test main) makes: it runs acorn in a QJSEngine.

namespace swarm::fuzz {

// ---- scenario loader --------------------------------------------------------------------------

namespace {

QString checkDiagnostics(const Diagnostics& diagnostics, const QString& file)
{
    for (const Diagnostic& d : diagnostics) {
        if (d.file != file || d.message.isEmpty() || d.line < 0 || d.column < 0)
            return QStringLiteral("malformed diagnostic: %1").arg(d.toString());
    }
    return {};
}

} // namespace

QString scenarioLoader(const QByteArray& input)
{
    const QString file = QStringLiteral("fuzz.yml");
    const ScenarioLoader::Result first = ScenarioLoader::parse(input, file);
    if (first.scenario.has_value() != first.diagnostics.isEmpty())
        return QStringLiteral("a scenario and diagnostics together, or neither: %1")
            .arg(formatDiagnostics(first.diagnostics));
    if (const QString bad = checkDiagnostics(first.diagnostics, file); !bad.isEmpty()) return bad;
    if (!first.ok()) return {};

    // What the GUI saves must load back as the same scenario.
    const QString yaml = first.scenario->toYaml();
    const ScenarioLoader::Result second = ScenarioLoader::parse(yaml.toUtf8(), file);
    if (!second.ok())
        return QStringLiteral("toYaml() of a valid scenario does not load:\n%1\n--- toYaml():\n%2")
            .arg(formatDiagnostics(second.diagnostics), yaml);
    if (*second.scenario != *first.scenario)
        return QStringLiteral("toYaml() loads as a different scenario\n--- toYaml():\n%1"
                              "--- toYaml() of what that loads as:\n%2")
            .arg(yaml, second.scenario->toYaml());
    return {};
}

// ---- console commands ---------------------------------------------------------------------

QString consoleCommand(const QByteArray& input)
{
    using Kind = ConsoleCommand::Kind;
    const ConsoleCommand c = parseConsoleLine(input);
    const auto line = [&] { return shown(input); }; // only when a check fails

    // The line as the transcript shows it.
    const QString trimmed = QString::fromUtf8(input).trimmed();
    if ((c.kind == Kind::Empty) != trimmed.isEmpty())
        return QStringLiteral("Empty must mean a blank line and only that: '%1'").arg(line());
    if (c.kind == Kind::Empty) return {};

    if (c.kind == Kind::Incr || c.kind == Kind::Decr || c.kind == Kind::Target) {
        if (c.amount < (c.kind == Kind::Target ? 0 : 1) || c.amount > kMaxConsoleAmount)
            return QStringLiteral("incr/decr/target amount %1 out of range: '%2'")
                .arg(c.amount)
                .arg(line());
    } else if (c.kind == Kind::Watch) {
        if (c.amount < 1 || c.amount > kMaxWatchSeconds)
            return QStringLiteral("watch interval %1 out of range: '%2'").arg(c.amount).arg(line());
    } else if (c.amount != 0) {
        return QStringLiteral("amount %1 set for a command that takes none: '%2'")
            .arg(c.amount)
            .arg(line());
    }
    if ((c.kind == Kind::Invalid) == c.error.isEmpty())
        return QStringLiteral("an error message without Invalid, or Invalid without one: '%1'")
            .arg(line());
    // Errors quote the input cut short: a hostile line must not make the transcript huge.
    if (c.error.size() > 200)
        return QStringLiteral("error message of %1 characters: '%2'")
            .arg(c.error.size())
            .arg(line());
    if (c.kind == Kind::Auth && c.argument.isEmpty())
        return QStringLiteral("auth without a token: '%1'").arg(line());
    if (c.kind != Kind::Auth && c.kind != Kind::Help && !c.argument.isEmpty())
        return QStringLiteral("an argument for a command that takes none: '%1'").arg(line());
    if (c.kind == Kind::Help && c.argument.size() > 40)
        return QStringLiteral("help topic not cut short: '%1'").arg(line());
    if (c.kind == Kind::Ramp ? !(c.rate >= 0 && c.rate <= kMaxConsoleRamp) : c.rate != 0)
        return QStringLiteral("ramp rate %1 out of range: '%2'").arg(c.rate).arg(line());

    // The transcript never shows an auth token: a line that reads "auth TOKEN" there is masked,
    // whatever else is wrong with it.
    qsizetype wordEnd = 0;
    while (wordEnd < trimmed.size() && trimmed[wordEnd] != QLatin1Char(' ')
        && trimmed[wordEnd] != QLatin1Char('\t'))
        ++wordEnd;
    const bool looksLikeAuth
        = trimmed.left(wordEnd).compare(QLatin1String("auth"), Qt::CaseInsensitive) == 0;
    if (looksLikeAuth && wordEnd < trimmed.size()) {
        if (c.text != QLatin1String("auth ****"))
            return QStringLiteral("auth line not masked in the transcript: '%1' -> '%2'")
                .arg(line(), c.text);
    } else if (c.text != trimmed && !(looksLikeAuth && c.text == QLatin1String("auth ****"))) {
        return QStringLiteral("transcript text is not the trimmed line: '%1' -> '%2'")
            .arg(line(), c.text);
    }
    return {};
}

// ---- telnet line decoder -----------------------------------------------------------------

QString telnetLineDecoder(const QByteArray& input)
{
    if (input.size() < 2) return {};
    // Byte 0: how the rest is split into reads (1 to 16 bytes each); byte 1: the line limit.
    const int chunk = 1 + uchar(input[0]) % 16;
    const int maxLine = 1 + uchar(input[1]) % 128;
    const QByteArray bytes = input.mid(2);
    using Event = TelnetLineDecoder::Event;
    TelnetLineDecoder whole(maxLine);
    const std::vector<Event> once = whole.feed(bytes);
    TelnetLineDecoder split(maxLine);
    std::vector<Event> pieces;
    for (qsizetype i = 0; i < bytes.size(); i += chunk)
        for (Event& e :
            split.feed(QByteArrayView(bytes).sliced(i, qMin<qsizetype>(chunk, bytes.size() - i))))
            pieces.push_back(std::move(e));
    if (once.size() != pieces.size())
        return QStringLiteral("%1 events at once, %2 in reads of %3: '%4'")
            .arg(once.size())
            .arg(pieces.size())
            .arg(chunk)
            .arg(shown(bytes));
    for (size_t i = 0; i < once.size(); ++i) {
        const Event& e = once[i];
        if (e.kind != pieces[i].kind || e.line != pieces[i].line)
            return QStringLiteral("event %1 differs when read in pieces of %2: '%3'")
                .arg(i)
                .arg(chunk)
                .arg(shown(bytes));
        if (e.kind != Event::Kind::Line) {
            if (i + 1 != once.size() || !whole.isFinished())
                return QStringLiteral("events after the end of the session: '%1'")
                    .arg(shown(bytes));
            continue;
        }
        if (e.line.size() > maxLine)
            return QStringLiteral("a line of %1 bytes passed the limit of %2")
                .arg(e.line.size())
                .arg(maxLine);
        for (const char ch : e.line)
            if ((uchar(ch) < 0x20 && ch != '\t') || uchar(ch) == 0x7f || uchar(ch) == 0xff)
                return QStringLiteral("a control byte %1 in a line: '%2'")
                    .arg(uint(uchar(ch)))
                    .arg(shown(bytes));
        QStringDecoder utf8(QStringDecoder::Utf8);
        const QString text = utf8.decode(e.line);
        Q_UNUSED(text);
        if (utf8.hasError())
            return QStringLiteral("a line that is not UTF-8: '%1'").arg(shown(bytes));
    }
    return {};
}

// ---- reply parsers ------------------------------------------------------------------------

namespace {

// Byte 0 of a reply_parser input indexes this table (modulo its size). The seeds in
// fuzz/corpus/reply_parser/ are named after the entry they use; keep the order when adding.
std::vector<ParserSpec> makeReplySpecs()
{
    std::vector<ParserSpec> specs;
    specs.push_back(ParserSpec::crlf()); // 0
    specs.push_back(ParserSpec::resp()); // 1
    // Delimiters that overlap themselves ("aab", "abab") test a match straddling two reads.
    for (const QByteArray& d : {QByteArray("\n"), QByteArray("\r\n\r\n"), QByteArray("END\r\n"),
             QByteArray(1, '\0'), QByteArray("aab"), QByteArray("abab"), QByteArray()})
        specs.push_back(ParserSpec::line(d)); // 2..8
    for (const qint64 count : {0, 1, 7, 300, -1})
        specs.push_back(ParserSpec::bytes(count)); // 9..13
    for (const int header : {1, 2, 4, 8}) // 14..61
        for (const bool little : {false, true})
            for (const bool includes : {false, true})
                for (const quint32 offset : {0u, 1u, 5u})
                    specs.push_back(ParserSpec::lengthPrefixed(header, little, includes, offset));
    specs.push_back(ParserSpec::lengthPrefixed(4, false, false, 0xffffffffu)); // 62
    specs.push_back(ParserSpec::lengthPrefixed(3, false, false)); // 63: invalid header sizes
    specs.push_back(ParserSpec::lengthPrefixed(0, true, true));
    specs.push_back(ParserSpec::lengthPrefixed(260, true, false));
    ParserSpec none; // 66
    specs.push_back(none);
    ParserSpec custom; // 67
    custom.kind = ParserSpec::Kind::Custom;
    specs.push_back(custom);
    const std::pair<quint32, int> varints[] = {{0, 5}, {1, 4}, {3, 8}, {1, 1}};
    for (const auto& [offset, maxBytes] : varints)
        specs.push_back(ParserSpec::varintPrefixed(offset, maxBytes)); // 68..71
    return specs;
}

const std::vector<ParserSpec>& replySpecs()
{
    static const std::vector<ParserSpec> specs = makeReplySpecs();
    return specs;
}

// Byte 1 picks --max-reply-bytes: tiny limits reach every "longer than the limit" path; 0 and
// negative mean no limit.
constexpr qint64 kMaxReplyBytes[] = {0, 1, 2, 3, 4, 5, 8, 13, 64, 300, 4096, 16 * 1024 * 1024,
    std::numeric_limits<qint64>::max(), -5};

// Byte 2 picks the largest read; each read is 1..that many bytes.
constexpr qint64 kReadSizes[] = {1, 2, 3, 7, 16, 64, 512};

QString resultText(const ParseResult& r)
{
    switch (r.status) {
    case ParseResult::Status::NeedMore:
        return QStringLiteral("NeedMore(%1)").arg(r.length);
    case ParseResult::Status::Complete:
        return QStringLiteral("Complete(%1)").arg(r.length);
    case ParseResult::Status::Error:
        return QStringLiteral("Error(%1)").arg(r.error);
    }
    return QStringLiteral("status %1").arg(int(r.status));
}

// Errors agree on being errors only: the message names the first problem the bytes so far show
// ("needs more than the limit" after one byte, "not a digit" once the next byte is there).
bool sameResult(const ParseResult& a, const ParseResult& b)
{
    return a.status == b.status && a.length == b.length;
}

// Parses a copy of the first `size` bytes in an allocation of exactly that size, so that
// AddressSanitizer reports a read past `size` even when more of the reply exists.
ParseResult parseExact(
    const ParserSpec& spec, const char* data, qint64 size, ParserState& state, qint64 max)
{
    const std::unique_ptr<char[]> copy(new char[size_t(size)]);
    if (size > 0) std::memcpy(copy.get(), data, size_t(size));
    return parseReply(spec, copy.get(), size, state, max);
}

QString checkResult(const ParserSpec& spec, const ParseResult& r, qint64 size, qint64 max)
{
    const qint64 limit = max > 0 ? max : std::numeric_limits<qint64>::max();
    switch (r.status) {
    case ParseResult::Status::Complete: {
        const bool emptyAllowed = spec.kind == ParserSpec::Kind::Bytes && spec.count == 0;
        if (r.length > size || r.length > limit || r.length < (emptyAllowed ? 0 : 1))
            return QStringLiteral("complete length out of range");
        return {};
    }
    case ParseResult::Status::NeedMore:
        if (r.length != -1 && (r.length <= size || r.length > limit))
            return QStringLiteral("the total a NeedMore announces is out of range");
        return {};
    case ParseResult::Status::Error:
        if (r.error.isEmpty()) return QStringLiteral("an error without a message");
        return {};
    }
    return QStringLiteral("unknown status");
}

} // namespace

QString replyParser(const QByteArray& input)
{
    if (input.size() < 3) return {};
    const auto& specs = replySpecs();
    const ParserSpec& spec = specs[size_t(uchar(input[0])) % specs.size()];
    const qint64 max = kMaxReplyBytes[uchar(input[1]) % std::size(kMaxReplyBytes)];
    const uint split = uchar(input[2]);
    const char* data = input.constData() + 3;
    const qint64 n = input.size() - 3;

    const auto failure = [&](const QString& what) {
        return QStringLiteral("%1, --max-reply-bytes %2, reply \"%3\": %4")
            .arg(spec.describe())
            .arg(max)
            .arg(shown(input.mid(3)), what);
    };

    ParserState wholeState;
    const ParseResult whole = parseExact(spec, data, n, wholeState, max);
    if (const QString bad = checkResult(spec, whole, n, max); !bad.isEmpty())
        return failure(QStringLiteral("%1: %2").arg(bad, resultText(whole)));

    // The reply as a connection receives it: in reads of random sizes, one ParserState for all.
    // Bounded to about 128 reads so that a large input stays cheap (RESP rescans from byte 0).
    const qint64 maxRead = std::max(kReadSizes[split % std::size(kReadSizes)], n / 128 + 1);
    quint32 rng = split * 2654435761u + 0x9e3779b9u;
    ParserState state;
    ParseResult chunked;
    qint64 have = 0;
    qint64 announced = -1; // a total some NeedMore gave
    do {
        rng ^= rng << 13;
        rng ^= rng >> 17;
        rng ^= rng << 5;
        have = std::min(n, have + 1 + qint64(rng % quint64(maxRead)));
        chunked = parseExact(spec, data, have, state, max);
        if (const QString bad = checkResult(spec, chunked, have, max); !bad.isEmpty())
            return failure(
                QStringLiteral("after %1 bytes: %2: %3").arg(have).arg(bad, resultText(chunked)));
        if (chunked.status == ParseResult::Status::NeedMore && chunked.length > 0)
            announced = chunked.length;
    } while (chunked.status == ParseResult::Status::NeedMore && have < n);

    if (!sameResult(chunked, whole))
        return failure(QStringLiteral("read in parts (up to %1 bytes each) it gives %2 after %3 "
                                      "bytes, read whole %4")
                           .arg(maxRead)
                           .arg(resultText(chunked))
                           .arg(have)
                           .arg(resultText(whole)));
    // A total announced by NeedMore is where the reply ends, unless the bytes up to it are wrong.
    if (announced > 0 && n >= announced
        && (whole.status == ParseResult::Status::NeedMore
            || (whole.status == ParseResult::Status::Complete && whole.length != announced)))
        return failure(QStringLiteral("NeedMore announced %1 bytes, read whole it gives %2")
                           .arg(announced)
                           .arg(resultText(whole)));

    if (whole.status == ParseResult::Status::Complete) {
        // A reply is complete on its own, whatever follows it, and not one byte earlier.
        ParserState alone;
        const ParseResult exact = parseExact(spec, data, whole.length, alone, max);
        if (!sameResult(exact, whole))
            return failure(QStringLiteral("complete at %1 bytes, but those bytes alone give %2")
                               .arg(whole.length)
                               .arg(resultText(exact)));
        if (whole.length > 0) {
            ParserState shorter;
            const ParseResult early = parseExact(spec, data, whole.length - 1, shorter, max);
            if (early.status != ParseResult::Status::NeedMore)
                return failure(QStringLiteral("complete at %1 bytes, but one byte less gives %2")
                                   .arg(whole.length)
                                   .arg(resultText(early)));
        }
    }
    return {};
}

} // namespace swarm::fuzz
