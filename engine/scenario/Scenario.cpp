#include "scenario/Scenario.h"

#include "scenario/DataSectionReader.h"

#include <QLocale>
#include <QMetaType>
#include <QStringList>

#include <cmath>

namespace swarm {

namespace {

bool isPlainSafeChar(QChar c)
{
    if (c.isLetterOrNumber()) return true;
    switch (c.unicode()) {
    case ' ':
    case '_':
    case '-':
    case '.':
    case '/':
    case '+':
    case '=':
    case '@':
    case '$':
    case '(':
    case ')':
    case ';':
    case '^':
        return true;
    default:
        return false;
    }
}

// Whether `s` can be written without quotes and still read back as this same string. Deliberately
// conservative: it must start with a letter, so it can never look like a number, .inf, ~ or an
// indicator, and contains no character that means something to YAML (':', '#', ',', brackets...).
bool plainIsSafe(const QString& s)
{
    if (s.isEmpty() || !s.front().isLetter() || s.back() == QLatin1Char(' ')) return false;
    for (const QChar c : s)
        if (!isPlainSafeChar(c)) return false;
    // Words a YAML reader takes for null or booleans (1.2 core schema, and 1.1 for other tools).
    static const QStringList reserved = {
        QStringLiteral("null"),
        QStringLiteral("true"),
        QStringLiteral("false"),
        QStringLiteral("yes"),
        QStringLiteral("no"),
        QStringLiteral("on"),
        QStringLiteral("off"),
        QStringLiteral("y"),
        QStringLiteral("n"),
    };
    return !reserved.contains(s, Qt::CaseInsensitive);
}

QString quoteString(const QString& s)
{
    QString out;
    out.reserve(s.size() + 2);
    out += QLatin1Char('"');
    for (const QChar c : s) {
        const char16_t u = c.unicode();
        switch (u) {
        case '"':
            out += QLatin1String("\\\"");
            break;
        case '\\':
            out += QLatin1String("\\\\");
            break;
        case '\n':
            out += QLatin1String("\\n");
            break;
        case '\t':
            out += QLatin1String("\\t");
            break;
        case '\r':
            out += QLatin1String("\\r");
            break;
        default:
            // Control characters and YAML's own line breaks would not survive unescaped.
            if (u < 0x20 || (u >= 0x7f && u <= 0x9f) || u == 0x2028 || u == 0x2029 || u == 0xfeff
                || u >= 0xfffe)
                out += QStringLiteral("\\u%1").arg(uint(u), 4, 16, QLatin1Char('0'));
            else
                out += c;
        }
    }
    out += QLatin1Char('"');
    return out;
}

QString yamlString(const QString& s)
{
    return plainIsSafe(s) ? s : quoteString(s);
}

// YAML limits an implicit key ("key: value") to 1024 characters; longer ones are written as
// explicit keys ("? key" then ": value").
bool needsExplicitKey(const QString& yamlKey)
{
    return yamlKey.size() > 1000 || yamlKey.toUtf8().size() > 1000;
}

QString yamlDouble(double v)
{
    if (std::isnan(v)) return QStringLiteral(".nan");
    if (std::isinf(v)) return v < 0 ? QStringLiteral("-.inf") : QStringLiteral(".inf");
    QString s = QString::number(v, 'g', QLocale::FloatingPointShortest);
    // Keeps the value a decimal when read back: "2" would come back as an integer.
    if (!s.contains(QLatin1Char('.')) && !s.contains(QLatin1Char('e'))) s += QStringLiteral(".0");
    return s;
}

// Nested lists and maps are written in flow style: one line per argument stays readable.
QString yamlValue(const QVariant& v)
{
    if (!v.isValid() || v.isNull()) return QStringLiteral("null");
    switch (v.metaType().id()) {
    case QMetaType::Bool:
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QMetaType::Int:
    case QMetaType::Long:
    case QMetaType::LongLong:
    case QMetaType::Short:
    case QMetaType::SChar:
        return QString::number(v.toLongLong());
    case QMetaType::UInt:
    case QMetaType::ULong:
    case QMetaType::ULongLong:
    case QMetaType::UShort:
    case QMetaType::UChar:
        return QString::number(v.toULongLong());
    case QMetaType::Double:
    case QMetaType::Float:
        return yamlDouble(v.toDouble());
    case QMetaType::QVariantList:
    case QMetaType::QStringList: {
        QStringList items;
        const QVariantList list = v.toList();
        for (const QVariant& item : list)
            items << yamlValue(item);
        return QLatin1Char('[') + items.join(QStringLiteral(", ")) + QLatin1Char(']');
    }
    case QMetaType::QVariantMap:
    case QMetaType::QVariantHash: {
        QStringList items;
        const QVariantMap map = v.toMap();
        for (auto it = map.cbegin(); it != map.cend(); ++it) {
            const QString key = yamlString(it.key());
            items << (needsExplicitKey(key) ? QStringLiteral("? ") + key + QStringLiteral(" : ")
                                            : key + QStringLiteral(": "))
                    + yamlValue(it.value());
        }
        return QLatin1Char('{') + items.join(QStringLiteral(", ")) + QLatin1Char('}');
    }
    default:
        return yamlString(v.toString());
    }
}

enum class ValueKind { Null, Bool, Integer, Real, String, List, Map, Other };

ValueKind kindOf(const QVariant& v)
{
    if (!v.isValid() || v.isNull()) return ValueKind::Null;
    switch (v.metaType().id()) {
    case QMetaType::Bool:
        return ValueKind::Bool;
    case QMetaType::Int:
    case QMetaType::Long:
    case QMetaType::LongLong:
    case QMetaType::Short:
    case QMetaType::SChar:
    case QMetaType::UInt:
    case QMetaType::ULong:
    case QMetaType::ULongLong:
    case QMetaType::UShort:
    case QMetaType::UChar:
        return ValueKind::Integer;
    case QMetaType::Double:
    case QMetaType::Float:
        return ValueKind::Real;
    case QMetaType::QString:
    case QMetaType::QByteArray:
        return ValueKind::String;
    case QMetaType::QVariantList:
    case QMetaType::QStringList:
        return ValueKind::List;
    case QMetaType::QVariantMap:
    case QMetaType::QVariantHash:
        return ValueKind::Map;
    default:
        return ValueKind::Other;
    }
}

// QVariant's own == converts between types (QVariant(1) == QVariant("1") holds), but a protocol
// function receives the string "1" and the number 1 differently. Numbers compare by value
// whatever their C++ type, as JavaScript sees a single number type.
bool sameValue(const QVariant& a, const QVariant& b)
{
    const ValueKind ka = kindOf(a);
    const ValueKind kb = kindOf(b);
    const bool numbers = (ka == ValueKind::Integer || ka == ValueKind::Real)
        && (kb == ValueKind::Integer || kb == ValueKind::Real);
    if (ka != kb && !numbers) return false;
    switch (ka) {
    case ValueKind::Null:
        return true;
    case ValueKind::Bool:
        return a.toBool() == b.toBool();
    case ValueKind::Integer:
    case ValueKind::Real:
        if (ka == ValueKind::Integer && kb == ValueKind::Integer) return a == b;
        if (std::isnan(a.toDouble()) && std::isnan(b.toDouble())) return true;
        return a.toDouble() == b.toDouble();
    case ValueKind::String:
        return a.toString() == b.toString();
    case ValueKind::List: {
        const QVariantList la = a.toList();
        const QVariantList lb = b.toList();
        if (la.size() != lb.size()) return false;
        for (qsizetype i = 0; i < la.size(); ++i)
            if (!sameValue(la[i], lb[i])) return false;
        return true;
    }
    case ValueKind::Map: {
        const QVariantMap ma = a.toMap();
        const QVariantMap mb = b.toMap();
        if (ma.size() != mb.size()) return false;
        for (auto ia = ma.cbegin(), ib = mb.cbegin(); ia != ma.cend(); ++ia, ++ib)
            if (ia.key() != ib.key() || !sameValue(ia.value(), ib.value())) return false;
        return true;
    }
    case ValueKind::Other:
        break;
    }
    return a == b;
}

} // namespace

bool Action::operator==(const Action& o) const
{
    if (command != o.command || rounds != o.rounds || sleepBetweenRounds != o.sleepBetweenRounds
        || sleepAfterAction != o.sleepAfterAction || rate != o.rate || args.size() != o.args.size())
        return false;
    for (qsizetype i = 0; i < args.size(); ++i)
        if (args[i].name != o.args[i].name || !sameValue(args[i].value, o.args[i].value))
            return false;
    return true;
}

// An action's rate as written, while it still reads as the rate; else the shortest exact form.
static QString rateYaml(const Action& a)
{
    bool ok = false;
    const double written = a.rateWritten.toDouble(&ok);
    return ok && written == a.rate ? a.rateWritten : QString::number(a.rate, 'g', 15);
}

static QString argsYaml(const QList<ActionArg>& args, const QString& indent)
{
    QString out = indent + QStringLiteral("args:\n");
    for (const ActionArg& arg : args) {
        const QString key = yamlString(arg.name);
        if (needsExplicitKey(key))
            out += indent + QStringLiteral("  ? ") + key + QLatin1Char('\n') + indent
                + QStringLiteral("  : ");
        else
            out += indent + QStringLiteral("  ") + key + QStringLiteral(": ");
        out += yamlValue(arg.value) + QLatin1Char('\n');
    }
    return out;
}

QString Scenario::toYaml() const
{
    QString out;
    out += QStringLiteral("protocol: ") + yamlString(protocol) + QLatin1Char('\n');
    out += DataSectionReader::toYaml(data);
    if (hasOnClose()) {
        out += QStringLiteral("on_close:\n  command: ") + yamlString(onClose.command)
            + QLatin1Char('\n');
        if (!onClose.args.isEmpty()) out += argsYaml(onClose.args, QStringLiteral("  "));
    }
    if (!tls.isEmpty()) {
        out += QStringLiteral("tls:\n");
        for (const ActionArg& t : tls)
            out += QStringLiteral("  ") + t.name + QStringLiteral(": ")
                + (t.value.typeId() == QMetaType::Bool
                        ? QString::fromLatin1(t.value.toBool() ? "true" : "false")
                        : yamlString(t.value.toString()))
                + QLatin1Char('\n');
    }
    if (actions.isEmpty()) return out + QStringLiteral("actions: []\n");
    out += QStringLiteral("actions:\n");
    bool first = true;
    for (const Action& a : actions) {
        if (!first) out += QLatin1Char('\n');
        first = false;
        out += QStringLiteral("  - command: ") + yamlString(a.command) + QLatin1Char('\n');
        if (!a.args.isEmpty()) out += argsYaml(a.args, QStringLiteral("    "));
        out += QStringLiteral("    rounds: ") + a.rounds.toYaml() + QLatin1Char('\n');
        out += QStringLiteral("    sleep_between_rounds: ") + a.sleepBetweenRounds.toYaml()
            + QLatin1Char('\n');
        out += QStringLiteral("    sleep_after_action: ") + a.sleepAfterAction.toYaml()
            + QLatin1Char('\n');
        if (a.rate > 0) out += QStringLiteral("    rate: ") + rateYaml(a) + QLatin1Char('\n');
    }
    return out;
}

} // namespace swarm
