#include "scenario/ScenarioReader.h"

#include "scenario/YamlText.h"

#include <cmath>

namespace swarm::scenarioread {

using namespace yamltext;

// The rule of an action's rate: and its message, for the loader and the visual editor alike.
QString rateProblem(const YAML::Node& node, double* rate, QString* written)
{
    const Scalar s = resolveScalar(node);
    const bool numeric = s.kind == Kind::Int || s.kind == Kind::Float;
    if (!numeric || !(s.number > 0) || s.number > kMaxRate)
        return QStringLiteral("wrong type: expected a number of rounds per second over all "
                              "connections, above 0 up to %1, found %2")
            .arg(qint64(kMaxRate))
            .arg(numeric ? shortened(s.text) : describe(node));
    *rate = s.number;
    if (written) *written = s.text;
    return QString();
}

// rate: rounds per second of this action over all connections (the open model).
void ScenarioReader::loadRate(const YAML::Node& node, int index, SourcePos fallback, Action* action)
{
    const QString problem = rateProblem(node, &action->rate, &action->rateWritten);
    if (!problem.isEmpty()) error(posOf(node, fallback), index, kRate, problem);
}

bool ScenarioReader::loadArgs(const YAML::Node& node, int index, SourcePos fallback, Action* action)
{
    if (node.IsNull()) return true;
    const SourcePos pos = posOf(node, fallback);
    if (!node.IsMap()) {
        error(pos, index, kArgs,
            QStringLiteral("wrong type: expected a mapping of parameter names to values "
                           "(uid: 123), found %1")
                .arg(describe(node)));
        return false;
    }
    bool ok = true;
    for (const Entry& e : entries(node, index, QStringLiteral("in 'args'"))) {
        const SourcePos keyPos = posOf(e.keyNode, pos);
        const Scalar k = resolveScalar(e.keyNode);
        if (k.kind != Kind::String) {
            error(keyPos, index, e.key,
                QStringLiteral("a parameter name must be a string, found %1")
                    .arg(describe(e.keyNode)));
            ok = false;
            continue;
        }
        if (k.text.isEmpty()) {
            error(keyPos, index, kArgs, QStringLiteral("empty parameter name"));
            ok = false;
            continue;
        }
        ActionArg arg;
        arg.name = k.text;
        arg.pos = keyPos;
        arg.valuePos = posOf(e.value, keyPos);
        // A quoted string's text starts one column after its quote (yaml-cpp tags it "!").
        if (e.value.IsScalar() && e.value.Tag() == "!") ++arg.valuePos.column;
        if (!toVariant(e.value, 0, index, arg.name, keyPos, &arg.value)) {
            ok = false;
            continue;
        }
        action->args.append(arg);
    }
    return ok;
}

bool ScenarioReader::toVariant(const YAML::Node& node, int depth, int index, const QString& key,
    SourcePos fallback, QVariant* out)
{
    const SourcePos pos = posOf(node, fallback);
    if (depth > kMaxValueDepth || ++m_valueNodes > kMaxValueNodes) {
        error(pos, index, key,
            QStringLiteral("value too large or nested too deeply (at most %1 levels and %2 "
                           "values)")
                .arg(kMaxValueDepth)
                .arg(kMaxValueNodes));
        return false;
    }
    if (node.IsSequence()) {
        QVariantList list;
        for (auto it = node.begin(); it != node.end(); ++it) {
            QVariant v;
            if (!toVariant(*it, depth + 1, index, key, pos, &v)) return false;
            list.append(v);
        }
        *out = list;
        return true;
    }
    if (node.IsMap()) {
        QVariantMap map;
        bool ok = true;
        for (const Entry& e : entries(node, index, QStringLiteral("in 'args'"))) {
            QVariant v;
            if (!toVariant(e.value, depth + 1, index, key, posOf(e.keyNode, pos), &v)) {
                ok = false;
                break;
            }
            map.insert(e.key, v);
        }
        *out = map;
        return ok;
    }
    const Scalar s = resolveScalar(node);
    switch (s.kind) {
    case Kind::Null:
        *out = QVariant();
        return true;
    case Kind::Bool:
        *out = s.boolean;
        return true;
    case Kind::Int:
        *out = s.intOverflow ? QVariant(s.number) : QVariant(s.integer);
        return true;
    case Kind::Float:
        *out = s.number;
        return true;
    case Kind::String:
        *out = s.text;
        return true;
    case Kind::List:
    case Kind::Map:
    case Kind::Other:
        break;
    }
    error(pos, index, key, QStringLiteral("unsupported value: %1").arg(describe(node)));
    return false;
}

std::optional<ValueRange> ScenarioReader::loadRange(
    const YAML::Node& node, int index, const QString& key, SourcePos fallback, bool rounds)
{
    const SourcePos pos = posOf(node, fallback);
    if (node.IsSequence()) {
        if (node.size() != 2) {
            error(pos, index, key,
                QStringLiteral("a range must be [min, max]: a list of exactly two numbers, "
                               "found %1 item(s)")
                    .arg(node.size()));
            return std::nullopt;
        }
        double lo = 0, hi = 0;
        bool loIntegral = true, hiIntegral = true;
        const bool loOk = loadNumber(node[0], index, key, pos, rounds, true, &lo, &loIntegral);
        const bool hiOk = loadNumber(node[1], index, key, pos, rounds, true, &hi, &hiIntegral);
        if (!loOk || !hiOk) return std::nullopt;
        if (lo > hi) {
            error(pos, index, key,
                QStringLiteral("min is greater than max in [min, max]: [%1, %2]")
                    .arg(toQString(node[0].Scalar()), toQString(node[1].Scalar())));
            return std::nullopt;
        }
        ValueRange r = ValueRange::range(lo, hi, loIntegral && hiIntegral);
        r.written = QStringLiteral("[%1, %2]")
                        .arg(toQString(node[0].Scalar()).trimmed(),
                            toQString(node[1].Scalar()).trimmed());
        return r;
    }
    double value = 0;
    bool integral = true;
    if (!loadNumber(node, index, key, pos, rounds, false, &value, &integral)) return std::nullopt;
    ValueRange r = ValueRange::fixed(value, integral);
    r.written = toQString(node.Scalar()).trimmed();
    return r;
}

bool ScenarioReader::loadNumber(const YAML::Node& node, int index, const QString& key,
    SourcePos fallback, bool rounds, bool inRange, double* value, bool* integral)
{
    const SourcePos pos = posOf(node, fallback);
    const QString expected = rounds
        ? (inRange ? QStringLiteral("a whole number of rounds (0 or more) in [min, max]")
                   : QStringLiteral("a whole number of rounds (0 or more) or [min, max]"))
        : (inRange ? QStringLiteral("a number of seconds (0 or more, decimals allowed) in "
                                    "[min, max]")
                   : QStringLiteral("a number of seconds (0 or more, decimals allowed) or "
                                    "[min, max]"));
    const Scalar s = resolveScalar(node);
    const bool numeric = s.kind == Kind::Int || (s.kind == Kind::Float && !rounds);
    if (!numeric || s.number < 0 || std::isnan(s.number)) {
        error(pos, index, key,
            QStringLiteral("wrong type: expected %1, found %2").arg(expected, describe(node)));
        return false;
    }
    if (rounds && s.number > kMaxRounds) {
        error(pos, index, key,
            QStringLiteral("too large: at most %1 rounds, found %2")
                .arg(qint64(kMaxRounds))
                .arg(shortened(s.text)));
        return false;
    }
    if (!rounds && s.number > kMaxSeconds) {
        error(pos, index, key,
            QStringLiteral("too large: at most one year (%1 seconds), found %2")
                .arg(qint64(kMaxSeconds))
                .arg(shortened(s.text)));
        return false;
    }
    *value = s.number;
    *integral = s.kind == Kind::Int;
    return true;
}

} // namespace swarm::scenarioread
