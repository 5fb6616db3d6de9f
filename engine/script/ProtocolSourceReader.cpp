#include "script/ProtocolSourceReader.h"

#include "script/AcornEngine.h"

#include <QFileInfo>
#include <QVariantList>

#include <algorithm>
#include <vector>

namespace swarm {

namespace {

// At most this many syntax problems are reported: past a few, the rest are echoes of the first.
constexpr int kMaxDiagnostics = 20;

// Offsets to 1-based lines and columns, counting line breaks as JavaScript does: "\n", "\r\n",
// a lone "\r", U+2028 and U+2029.
class LineTable
{
public:
    explicit LineTable(const QString& source)
    {
        m_starts.push_back(0);
        const int n = int(source.size());
        for (int i = 0; i < n; ++i) {
            const char16_t c = source[i].unicode();
            if (c == '\n' || c == 0x2028 || c == 0x2029
                || (c == '\r' && (i + 1 >= n || source[i + 1] != QLatin1Char('\n'))))
                m_starts.push_back(i + 1);
        }
    }
    int line(int pos) const
    {
        return int(std::upper_bound(m_starts.begin(), m_starts.end(), pos) - m_starts.begin());
    }
    int column(int pos) const { return pos - m_starts[size_t(line(pos) - 1)] + 1; }

private:
    std::vector<int> m_starts;
};

int intOf(const QVariantMap& m, const char* key, int fallback = 0)
{
    const QVariant v = m.value(QLatin1String(key));
    return v.isValid() ? v.toInt() : fallback;
}

QString textOf(const QVariantMap& m, const char* key)
{
    return m.value(QLatin1String(key)).toString();
}

CommandInfo commandFrom(const QVariantMap& f, const LineTable& lines)
{
    CommandInfo c;
    c.name = textOf(f, "name");
    c.generator = f.value(QStringLiteral("generator")).toBool();
    const int pos = intOf(f, "pos");
    c.line = lines.line(pos);
    c.column = lines.column(pos);
    const QVariantList params = f.value(QStringLiteral("params")).toList();
    for (int k = 0; k < params.size(); ++k) {
        const QVariantMap p = params[k].toMap();
        const QString name = textOf(p, "name");
        if (p.value(QStringLiteral("rest")).toBool()) {
            // A rest parameter collects what is passed by position: it has no name to give.
            c.hasRest = true;
            continue;
        }
        if (k == 0) {
            c.clientParam = name;
            continue;
        }
        c.params << name;
        if (p.value(QStringLiteral("def")).toBool() && !name.isEmpty()) c.paramsWithDefault << name;
    }
    c.unusedParams = f.value(QStringLiteral("unused")).toStringList();
    return c;
}

ModuleFinding findingFrom(const QVariantMap& f, const LineTable& lines)
{
    static const QMap<QString, ModuleFinding::Kind> kinds {
        {QStringLiteral("yield"), ModuleFinding::Kind::YieldOutsideGenerator},
        {QStringLiteral("member"), ModuleFinding::Kind::UnknownMember},
        {QStringLiteral("unyielded"), ModuleFinding::Kind::UnyieldedRead},
        {QStringLiteral("unreachable"), ModuleFinding::Kind::Unreachable}};
    ModuleFinding m;
    m.kind = kinds.value(textOf(f, "kind"), ModuleFinding::Kind::UnknownMember);
    const int pos = intOf(f, "pos");
    m.line = lines.line(pos);
    m.column = lines.column(pos);
    m.function = textOf(f, "fn");
    m.generator = f.value(QStringLiteral("generator")).toBool();
    m.arrow = f.value(QStringLiteral("arrow")).toBool();
    m.object = textOf(f, "object");
    m.name = textOf(f, "name");
    m.call = f.value(QStringLiteral("call")).toBool();
    m.candidates = f.value(QStringLiteral("candidates")).toStringList();
    m.method = textOf(f, "method");
    const int related = intOf(f, "related", -1);
    m.relatedLine = related >= 0 ? lines.line(related) : 0;
    return m;
}

} // namespace

ProtocolModuleInfo ProtocolSourceReader::read(
    const QString& source, const QString& file, Diagnostics* diagnostics)
{
    ProtocolModuleInfo info;
    info.file = file;
    info.source = source;
    info.name = QFileInfo(file).completeBaseName();
    const QVariantMap r = AcornEngine::read(source);
    const LineTable lines(source);
    const QVariantList problems = r.value(QStringLiteral("problems")).toList();
    for (int i = 0; diagnostics && i < problems.size() && i < kMaxDiagnostics; ++i) {
        const QVariantMap p = problems[i].toMap();
        const int pos = std::clamp(intOf(p, "pos"), 0, int(source.size()));
        Diagnostic d;
        d.file = file;
        d.line = lines.line(pos);
        d.column = lines.column(pos);
        d.message = textOf(p, "message");
        diagnostics->append(d);
    }
    for (const QVariant& v : r.value(QStringLiteral("functions")).toList()) {
        const CommandInfo c = commandFrom(v.toMap(), lines);
        if (c.name.startsWith(QLatin1Char('_'))) {
            if (!info.helpers.contains(c.name)) info.helpers << c.name;
        } else {
            info.commands << c;
        }
    }
    for (const QVariant& v : r.value(QStringLiteral("values")).toList()) {
        const QVariantMap m = v.toMap();
        const int pos = intOf(m, "pos");
        info.values << ModuleValue {
            textOf(m, "name"), textOf(m, "kind"), lines.line(pos), lines.column(pos)};
    }
    for (const QVariant& v : r.value(QStringLiteral("findings")).toList())
        info.findings << findingFrom(v.toMap(), lines);
    return info;
}

} // namespace swarm
