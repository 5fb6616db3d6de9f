#pragma once

#include <QByteArray>
#include <QString>

namespace swarm::fuzz {

// The body of every fuzz target. Each runs one input through the code under test and checks
// what must hold for any input; it returns an empty string when every check holds, otherwise
// what failed (with the values involved). The libFuzzer executables (fuzz/FuzzMain.cpp) abort on
// a failure so that libFuzzer saves the input; tests/fuzz/tst_fuzzregressions.cpp replays saved
// inputs through these same functions, so a regression test checks exactly what the fuzzer did.
// Crashes and sanitizer reports are the other way a target fails.

// ScenarioLoader::parse, and when it succeeds, parse(toYaml()) must succeed and compare equal.
QString scenarioLoader(const QByteArray& input);

// parseConsoleLine: kinds, amounts, masking of auth tokens, bounded error messages.
QString consoleCommand(const QByteArray& input);

// TelnetLineDecoder: byte 0 picks the read size, byte 1 the line limit, the rest is what a
// client sends. Decoding in reads must give the events of decoding at once; lines hold no line
// ending, control byte or invalid UTF-8 and keep to the limit; nothing follows an ending event.
QString telnetLineDecoder(const QByteArray& input);

// parseReply for every native parser. Byte 0 picks the parser (see makeReplySpecs() in
// FuzzTargets.cpp), byte 1 the --max-reply-bytes limit, byte 2 how the reply is split into
// reads; the rest is the reply. Parsing it in reads with one ParserState must give the same
// answer as parsing it whole.
QString replyParser(const QByteArray& input);

// ProtocolSourceReader::read on the input as UTF-8 text, or as raw UTF-16 (unpaired surrogates
// included) when the first byte is 0xff.
QString protocolSourceReader(const QByteArray& input);

// DataSet::parse of the input as a JSON lines data file (JsonLineScanner over the bytes).
// A set xor a problem, the problem at a line and column of the input. Against QJsonDocument, the
// reference: every row of a loaded file holds exactly the values QJsonDocument reads from its
// line; a line refused as "not JSON" is one QJsonDocument refuses too, but for swarm's own
// stricter rules (invalid UTF-8; an unknown escape such as "C:\data", which Qt would read as
// "C:data"; a key twice; ...).
QString jsonLines(const QByteArray& input);

// parseAgentState of the input as JSON (the `stats snapshot` reply a fleet controller reads):
// refused with a key named, or read; what is read, merged from zero (agentDelta, StatsMerger)
// and written again (agentStateJson), reads again to the same counters and histograms.
QString agentState(const QByteArray& input);

struct Target
{
    const char* name; // directory name under fuzz/corpus/ and tests/data/fuzz/
    QString (*run)(const QByteArray& input);
};

// Every target, for the regression test.
inline constexpr Target kTargets[] = {
    {"scenario_loader", scenarioLoader},
    {"console_command", consoleCommand},
    {"telnet_line_decoder", telnetLineDecoder},
    {"reply_parser", replyParser},
    {"protocol_source_reader", protocolSourceReader},
    {"json_lines", jsonLines},
    {"agent_state", agentState},
};

} // namespace swarm::fuzz
