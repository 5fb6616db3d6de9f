#include "scenario/YamlText.h"

#include <QRegularExpression>

#include <yaml-cpp/anchor.h>
#include <yaml-cpp/eventhandler.h>

#include <cmath>
#include <sstream>

namespace swarm::yamltext {

namespace {

bool isQuotedTag(const std::string& tag)
{
    // "!" is what yaml-cpp gives every non-plain (quoted, literal, folded) scalar.
    return tag == "!" || tag == "tag:yaml.org,2002:str";
}

double parseDigits(const QString& digits, int base)
{
    double v = 0;
    for (const QChar c : digits)
        v = v * base + QString(c).toInt(nullptr, 16);
    return v;
}

} // namespace

QString toQString(const std::string& s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

Scalar resolveScalar(const YAML::Node& node)
{
    Scalar s;
    if (node.IsNull()) {
        s.kind = Kind::Null;
        return s;
    }
    if (node.IsSequence()) {
        s.kind = Kind::List;
        return s;
    }
    if (node.IsMap()) {
        s.kind = Kind::Map;
        return s;
    }
    if (!node.IsScalar()) {
        s.kind = Kind::Other;
        return s;
    }
    s.text = toQString(node.Scalar());
    s.kind = Kind::String;
    if (isQuotedTag(node.Tag())) return s;

    // Anchored: '$' alone would also match before a final newline.
    auto pattern = [](const char* re) {
        return QRegularExpression(QRegularExpression::anchoredPattern(QLatin1String(re)));
    };
    static const QRegularExpression decimalInt = pattern("[-+]?[0-9]+");
    static const QRegularExpression octalInt = pattern("0o([0-7]+)");
    static const QRegularExpression hexInt = pattern("0x([0-9a-fA-F]+)");
    static const QRegularExpression decimal
        = pattern("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
    static const QRegularExpression infinity = pattern("([-+]?)\\.(inf|Inf|INF)");
    static const QRegularExpression nan = pattern("\\.(nan|NaN|NAN)");

    const QString& t = s.text;
    if (t == QLatin1String("null") || t == QLatin1String("Null") || t == QLatin1String("NULL")
        || t == QLatin1String("~") || t.isEmpty()) {
        s.kind = Kind::Null;
    } else if (t == QLatin1String("true") || t == QLatin1String("True")
        || t == QLatin1String("TRUE")) {
        s.kind = Kind::Bool;
        s.boolean = true;
    } else if (t == QLatin1String("false") || t == QLatin1String("False")
        || t == QLatin1String("FALSE")) {
        s.kind = Kind::Bool;
    } else if (decimalInt.match(t).hasMatch()) {
        s.kind = Kind::Int;
        bool ok = false;
        s.integer = t.toLongLong(&ok);
        s.number = ok ? double(s.integer) : t.toDouble();
        s.intOverflow = !ok;
    } else if (const auto m = octalInt.match(t); m.hasMatch()) {
        s.kind = Kind::Int;
        bool ok = false;
        s.integer = m.captured(1).toLongLong(&ok, 8);
        s.number = ok ? double(s.integer) : parseDigits(m.captured(1), 8);
        s.intOverflow = !ok;
    } else if (const auto m = hexInt.match(t); m.hasMatch()) {
        s.kind = Kind::Int;
        bool ok = false;
        s.integer = m.captured(1).toLongLong(&ok, 16);
        s.number = ok ? double(s.integer) : parseDigits(m.captured(1), 16);
        s.intOverflow = !ok;
    } else if (decimal.match(t).hasMatch()) {
        s.kind = Kind::Float;
        s.number = t.toDouble();
    } else if (const auto m = infinity.match(t); m.hasMatch()) {
        s.kind = Kind::Float;
        s.number = m.captured(1) == QLatin1String("-") ? -INFINITY : INFINITY;
    } else if (nan.match(t).hasMatch()) {
        s.kind = Kind::Float;
        s.number = NAN;
    }
    return s;
}

QString shortened(const QString& text)
{
    constexpr int kMax = 40;
    QString t = text;
    t.replace(QLatin1Char('\n'), QLatin1String("\\n"));
    if (t.size() > kMax) t = t.left(kMax) + QStringLiteral("...");
    return t;
}

// "a string (\"5\")", "a list", ...: the "found" half of a wrong-type message.
QString describe(const YAML::Node& node)
{
    const Scalar s = resolveScalar(node);
    switch (s.kind) {
    case Kind::Null:
        return QStringLiteral("nothing (null)");
    case Kind::Bool:
        return QStringLiteral("a boolean (%1)").arg(s.text);
    case Kind::Int:
        if (s.number < 0) return QStringLiteral("a negative number (%1)").arg(s.text);
        return QStringLiteral("an integer (%1)").arg(s.text);
    case Kind::Float:
        if (s.number < 0) return QStringLiteral("a negative number (%1)").arg(s.text);
        return QStringLiteral("a decimal number (%1)").arg(s.text);
    case Kind::String:
        return QStringLiteral("a string (\"%1\")").arg(shortened(s.text));
    case Kind::List:
        return QStringLiteral("a list");
    case Kind::Map:
        return QStringLiteral("a mapping");
    case Kind::Other:
        break;
    }
    return QStringLiteral("an undefined value");
}

QString quoted(const QStringList& names)
{
    QStringList q;
    for (const QString& n : names)
        q << QLatin1Char('\'') + n + QLatin1Char('\'');
    return q.join(QStringLiteral(", "));
}

// Counts the documents of the stream, up to two: a scenario is one. yaml-cpp 0.7's LoadAll()
// never returns on some inputs (a lone ',' yields empty documents forever, yaml-cpp issue #1040),
// so the documents are walked here with a bound instead.
int countDocuments(const std::string& text, YAML::Mark* second)
{
    class Counter : public YAML::EventHandler
    {
    public:
        YAML::Mark start;
        void OnDocumentStart(const YAML::Mark& mark) override { start = mark; }
        void OnDocumentEnd() override { }
        void OnNull(const YAML::Mark&, YAML::anchor_t) override { }
        void OnAlias(const YAML::Mark&, YAML::anchor_t) override { }
        void OnScalar(
            const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override
        { }
        void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
            YAML::EmitterStyle::value) override
        { }
        void OnSequenceEnd() override { }
        void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
            YAML::EmitterStyle::value) override
        { }
        void OnMapEnd() override { }
    };
    std::istringstream in(text);
    YAML::Parser parser(in);
    Counter counter;
    int documents = 0;
    while (documents < 2 && parser.HandleNextDocument(counter)) {
        ++documents;
        if (documents == 2) *second = counter.start;
    }
    return documents;
}

// Whether the text holds anything but blank lines, comments and document markers: a file with
// only those is empty; "~" or a stray "," is a document that is not a mapping.
bool hasContent(const QByteArray& yaml)
{
    for (const QByteArray& rawLine : yaml.split('\n')) {
        const QByteArray line = rawLine.trimmed();
        if (line.isEmpty() || line.startsWith('#')) continue;
        if ((line.startsWith("---") || line.startsWith("..."))
            && (line.size() == 3 || line.mid(3).trimmed().startsWith('#')))
            continue;
        return true;
    }
    return false;
}

} // namespace swarm::yamltext
