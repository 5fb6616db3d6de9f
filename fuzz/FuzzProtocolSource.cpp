#include "FuzzShown.h"
#include "FuzzTargets.h"

#include "scenario/ClosestMatch.h"
#include "scenario/Diagnostic.h"
#include "script/ModuleChecks.h"
#include "script/ProtocolModuleInfo.h"
#include "script/ProtocolSourceReader.h"

#include <QStringList>

#include <vector>

namespace swarm::fuzz {

// ---- protocol module reader ---------------------------------------------------------------

namespace {

// Line starts the way the reader counts lines: "\n", "\r\n", a lone "\r", U+2028 and U+2029.
std::vector<int> lineStarts(const QString& s)
{
    std::vector<int> starts {0};
    const QChar* text = s.constData();
    const int n = int(s.size());
    for (int i = 0; i < n; ++i) {
        const char16_t c = text[i].unicode();
        if (c == '\n' || c == 0x2028 || c == 0x2029
            || (c == '\r' && (i + 1 >= n || text[i + 1] != QLatin1Char('\n'))))
            starts.push_back(i + 1);
    }
    return starts;
}

bool validPosition(const std::vector<int>& starts, int size, int line, int column)
{
    if (line < 1 || line > int(starts.size()) || column < 1) return false;
    const int lineEnd = line < int(starts.size()) ? starts[size_t(line)] : size;
    return starts[size_t(line - 1)] + column - 1 <= lineEnd;
}

QString commandText(const CommandInfo& c)
{
    return QStringLiteral("%1%2(%3 | %4; defaults %5)%6 at %7:%8")
        .arg(c.generator ? QStringLiteral("*") : QString(), c.name, c.clientParam,
            c.params.join(QLatin1Char(',')), c.paramsWithDefault.join(QLatin1Char(',')),
            c.hasRest ? QStringLiteral(" ...rest") : QString())
        .arg(c.line)
        .arg(c.column);
}

} // namespace

QString protocolSourceReader(const QByteArray& input)
{
    QString source;
    if (!input.isEmpty() && uchar(input[0]) == 0xff) {
        // Raw UTF-16: the only way to reach unpaired surrogates, which UTF-8 decoding replaces.
        source.resize((input.size() - 1) / 2);
        for (qsizetype i = 0; i < source.size(); ++i)
            source[i] = QChar(char16_t(uchar(input[1 + 2 * i]) | uchar(input[2 + 2 * i]) << 8));
    } else {
        source = QString::fromUtf8(input);
    }
    const QString file = QStringLiteral("fuzz.js");
    Diagnostics diagnostics;
    const ProtocolModuleInfo info = ProtocolSourceReader::read(source, file, &diagnostics);
    const auto failure = [&](const QString& what) {
        return QStringLiteral("%1 in \"%2\"").arg(what, shown(input));
    };

    if (info.file != file || info.name != QLatin1String("fuzz") || info.source != source)
        return failure(QStringLiteral("file, name or source not kept"));
    const std::vector<int> starts = lineStarts(source);
    const int size = int(source.size());
    for (const Diagnostic& d : diagnostics) {
        if (d.file != file || d.message.isEmpty() || !validPosition(starts, size, d.line, d.column))
            return failure(QStringLiteral("malformed diagnostic %1").arg(d.toString()));
    }

    QStringList names;
    for (const CommandInfo& c : info.commands) {
        if (c.name.isEmpty() || c.name.startsWith(QLatin1Char('_')) || names.contains(c.name))
            return failure(QStringLiteral("bad or repeated command name: %1").arg(commandText(c)));
        names << c.name;
        // acorn gives names as JavaScript sees them: `\u0061bc` is abc.
        const bool escaped = source.contains(QLatin1Char('\\'));
        if ((!escaped && !source.contains(c.name)) || !validPosition(starts, size, c.line, c.column)
            || starts[size_t(c.line - 1)] + c.column - 1 >= size)
            return failure(QStringLiteral("command not where it says: %1").arg(commandText(c)));
        for (const QString& p : c.paramsWithDefault)
            if (p.isEmpty() || !c.params.contains(p))
                return failure(
                    QStringLiteral("a default for no parameter: %1").arg(commandText(c)));
        for (const QString& p : c.params)
            if (!p.isEmpty() && !escaped && !source.contains(p))
                return failure(
                    QStringLiteral("a parameter not in the text: %1").arg(commandText(c)));
    }
    for (int i = 0; i < info.helpers.size(); ++i)
        if (!info.helpers[i].startsWith(QLatin1Char('_'))
            || info.helpers.indexOf(info.helpers[i]) != i)
            return failure(QStringLiteral("bad or repeated helper name: %1").arg(info.helpers[i]));

    // The checks' findings point at real places, and every one becomes a diagnostic.
    const Diagnostics checks = ModuleChecks::diagnostics(info);
    if (checks.size() != info.findings.size())
        return failure(QStringLiteral("%1 findings, %2 diagnostics")
                           .arg(info.findings.size())
                           .arg(checks.size()));
    for (const Diagnostic& d : checks) {
        if (d.file != file || d.message.isEmpty() || !validPosition(starts, size, d.line, d.column))
            return failure(QStringLiteral("malformed finding %1").arg(d.toString()));
    }
    for (const ModuleValue& v : info.values)
        if (v.name.isEmpty() || !validPosition(starts, size, v.line, v.column))
            return failure(QStringLiteral("value not where it says: %1").arg(v.name));

    // "did you mean": a name finds itself (or one differing only in case) among them all. One
    // name is enough: this is quadratic, and it is not the reader.
    if (!names.isEmpty()) {
        const QString match = closestMatch(names.last(), names);
        if (match.toCaseFolded() != names.last().toCaseFolded())
            return failure(QStringLiteral("closestMatch(\"%1\") among the commands gives \"%2\"")
                               .arg(names.last(), match));
    }
    return {};
}

} // namespace swarm::fuzz
