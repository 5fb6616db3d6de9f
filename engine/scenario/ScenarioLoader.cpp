#include "scenario/ScenarioLoader.h"

#include "scenario/ClosestMatch.h"
#include "scenario/DataSectionReader.h"
#include "scenario/YamlSyntaxError.h"
#include "scenario/YamlText.h"
#include "script/ProtocolModuleInfo.h"

#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>

#include <yaml-cpp/anchor.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <cmath>
#include <exception>
#include <sstream>
#include <string>
#include <vector>

namespace swarm {

namespace {

const QString kProtocol = QStringLiteral("protocol");
const QString kActions = QStringLiteral("actions");
const QString kOnClose = QStringLiteral("on_close");
const QString kTls = QStringLiteral("tls");
const QString kData = QStringLiteral("data");
const QString kCommand = QStringLiteral("command");
const QString kArgs = QStringLiteral("args");
const QString kRounds = QStringLiteral("rounds");
const QString kSleepBetween = QStringLiteral("sleep_between_rounds");
const QString kSleepAfter = QStringLiteral("sleep_after_action");
const QString kRate = QStringLiteral("rate");

// Larger values are typing mistakes; refusing them keeps every later int / millisecond
// conversion far from overflow.
constexpr double kMaxRounds = 1000000000.0;
constexpr double kMaxSeconds = 365.0 * 24 * 3600;
constexpr double kMaxRate = 10000000.0; // rounds per second, as --rate
// A scenario file is hand-written text; anything bigger is not one (and /dev/zero never ends).
constexpr qint64 kMaxFileSize = 16 * 1024 * 1024;
// Anchors and aliases let a few lines expand into an exponential tree; nested values are
// converted only up to these bounds.
constexpr int kMaxValueDepth = 64;
constexpr int kMaxValueNodes = 100000;

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

class Loader
{
public:
    Loader(const QString& file, Diagnostics* diagnostics)
        : m_file(file)
        , m_diagnostics(diagnostics)
    { }

    std::optional<Scenario> load(const QByteArray& yaml);

private:
    // The one YAML document, a mapping; false (with an error) when it is not.
    bool readRoot(const QByteArray& yaml, YAML::Node* root);
    // The two keys read after the others: protocol (the module) and actions (checked against it).
    struct MainKeys
    {
        bool haveProtocol = false;
        bool haveActions = false;
        YAML::Node protocol;
        YAML::Node actions;
        SourcePos protocolKey;
        SourcePos actionsKey;
    };
    // The scenario's keys: protocol and actions into *keys, the others into *scenario.
    void readKeys(const YAML::Node& root, SourcePos rootPos, Scenario* scenario, MainKeys* keys);
    SourcePos posOf(const YAML::Node& node, SourcePos fallback = {}) const
    {
        // yaml-cpp marks an empty value ("rounds:") where the next token starts, often the next
        // line: the key it belongs to is the better place to show.
        if (node.IsNull() && fallback.line > 0) return fallback;
        const YAML::Mark m = node.Mark();
        if (m.is_null() || m.line < 0 || m.column < 0) return fallback;
        return SourcePos {m.line + 1, m.column + 1};
    }

    void error(SourcePos pos, int action, const QString& key, const QString& message)
    {
        Diagnostic d;
        d.file = m_file;
        d.line = pos.line;
        d.column = pos.column;
        d.actionIndex = action;
        d.key = key;
        d.message = message;
        m_diagnostics->append(d);
    }

    struct Entry
    {
        QString key;
        YAML::Node keyNode;
        YAML::Node value;
    };

    // The pairs of a mapping in the order written, reporting keys that are not strings and keys
    // given twice (yaml-cpp keeps both; a lookup would silently use the first).
    std::vector<Entry> entries(const YAML::Node& map, int action, const QString& where);

    void loadProtocol(const YAML::Node& node, SourcePos pos, Scenario* scenario);
    void loadActions(const YAML::Node& node, SourcePos pos, Scenario* scenario);
    void loadOnClose(const YAML::Node& node, SourcePos pos, Scenario* scenario);
    void loadTls(const YAML::Node& node, SourcePos pos, Scenario* scenario);
    std::optional<Action> loadAction(const YAML::Node& node, int index, SourcePos fallback);
    bool loadArgs(const YAML::Node& node, int index, SourcePos fallback, Action* action);
    void loadRate(const YAML::Node& node, int index, SourcePos fallback, Action* action);
    bool toVariant(const YAML::Node& node, int depth, int index, const QString& key,
        SourcePos fallback, QVariant* out);
    std::optional<ValueRange> loadRange(
        const YAML::Node& node, int index, const QString& key, SourcePos fallback, bool rounds);
    bool loadNumber(const YAML::Node& node, int index, const QString& key, SourcePos fallback,
        bool rounds, bool inRange, double* value, bool* integral);

    QString m_file;
    Diagnostics* m_diagnostics;
    int m_valueNodes = 0;
};

std::vector<Loader::Entry> Loader::entries(const YAML::Node& map, int action, const QString& where)
{
    std::vector<Entry> result;
    QHash<QString, SourcePos> seen;
    for (auto it = map.begin(); it != map.end(); ++it) {
        const YAML::Node k = it->first;
        const SourcePos pos = posOf(k, posOf(map));
        if (!k.IsScalar()) {
            error(pos, action, QString(),
                QStringLiteral("a key %1 must be a string, found %2").arg(where, describe(k)));
            continue;
        }
        const QString key = toQString(k.Scalar());
        const auto previous = seen.constFind(key);
        if (previous != seen.constEnd()) {
            error(pos, action, key,
                QStringLiteral("duplicate key (already given at line %1)").arg(previous->line));
            continue;
        }
        seen.insert(key, pos);
        result.push_back(Entry {key, k, it->second});
    }
    return result;
}

bool Loader::readRoot(const QByteArray& yaml, YAML::Node* root)
{
    const std::string text(yaml.constData(), size_t(yaml.size()));
    YAML::Mark secondDocument;
    const int documents = countDocuments(text, &secondDocument);
    *root = documents > 0 ? YAML::Load(text) : YAML::Node();
    if (root->IsNull()) {
        if (hasContent(yaml)) {
            error(SourcePos {1, 1}, 0, QString(),
                QStringLiteral("the scenario must be a mapping with the keys 'protocol' and "
                               "'actions', found nothing (null)"));
        } else {
            error({}, 0, QString(),
                QStringLiteral("the scenario is empty: write 'protocol: NAME' and a list of "
                               "'actions'"));
        }
        return false;
    }
    if (documents > 1) {
        error(SourcePos {secondDocument.line + 1, secondDocument.column + 1}, 0, QString(),
            QStringLiteral("more than one YAML document ('---'): a scenario is one document"));
    }
    if (!root->IsMap()) {
        error(posOf(*root, SourcePos {1, 1}), 0, QString(),
            QStringLiteral("the scenario must be a mapping with the keys 'protocol' and "
                           "'actions', found %1")
                .arg(describe(*root)));
        return false;
    }
    return true;
}

void Loader::readKeys(const YAML::Node& root, SourcePos rootPos, Scenario* scenario, MainKeys* keys)
{
    for (const Entry& e : entries(root, 0, QStringLiteral("of the scenario"))) {
        const SourcePos keyPos = posOf(e.keyNode, rootPos);
        if (e.key == kProtocol) {
            keys->protocol = e.value;
            keys->protocolKey = keyPos;
            keys->haveProtocol = true;
        } else if (e.key == kActions) {
            keys->actions = e.value;
            keys->actionsKey = keyPos;
            keys->haveActions = true;
        } else if (e.key == kOnClose) {
            loadOnClose(e.value, keyPos, scenario);
        } else if (e.key == kTls) {
            loadTls(e.value, keyPos, scenario);
        } else if (e.key == kData) {
            scenario->data = DataSectionReader::read(
                e.value, keyPos, [this](SourcePos pos, const QString& key, const QString& message) {
                    error(pos, 0, key, message);
                });
        } else {
            const QString match = closestMatch(e.key, {kProtocol, kActions, kOnClose, kData, kTls});
            const QString glued
                = gluedKeyMessage(e.key, {kProtocol, kActions, kOnClose, kData, kTls});
            error(keyPos, 0, e.key,
                !glued.isEmpty() ? glued
                    : match.isEmpty()
                    ? QStringLiteral("unknown key (a scenario has the keys 'protocol', "
                                     "'actions', 'on_close', 'data' and 'tls')")
                    : QStringLiteral("unknown key; did you mean '%1'?").arg(match));
        }
    }
}

std::optional<Scenario> Loader::load(const QByteArray& yaml)
{
    YAML::Node root;
    if (!readRoot(yaml, &root)) return std::nullopt;
    const SourcePos rootPos = posOf(root, SourcePos {1, 1});
    Scenario scenario;
    scenario.file = m_file;
    MainKeys keys;
    readKeys(root, rootPos, &scenario, &keys);

    if (keys.haveProtocol)
        loadProtocol(keys.protocol, keys.protocolKey, &scenario);
    else
        error(rootPos, 0, kProtocol,
            QStringLiteral("missing key 'protocol': the name of the protocol module (NAME.js)"));

    if (keys.haveActions)
        loadActions(keys.actions, keys.actionsKey, &scenario);
    else
        error(rootPos, 0, kActions,
            QStringLiteral("missing key 'actions': the list of commands to run"));

    if (!m_diagnostics->isEmpty()) return std::nullopt;
    return scenario;
}

void Loader::loadProtocol(const YAML::Node& node, SourcePos fallback, Scenario* scenario)
{
    const SourcePos pos = posOf(node, fallback);
    const Scalar s = resolveScalar(node);
    if (s.kind != Kind::String) {
        error(pos, 0, kProtocol,
            QStringLiteral("wrong type: expected the name of the protocol module (a string), "
                           "found %1")
                .arg(describe(node)));
        return;
    }
    if (s.text.trimmed().isEmpty()) {
        error(pos, 0, kProtocol, QStringLiteral("empty: expected the name of the protocol module"));
        return;
    }
    scenario->protocol = s.text;
    scenario->protocolPos = pos;
}

// on_close: NAME, or on_close: {command: NAME, args: {...}}: run once, no rounds or sleeps.
void Loader::loadOnClose(const YAML::Node& node, SourcePos fallback, Scenario* scenario)
{
    const SourcePos pos = posOf(node, fallback);
    const Scalar s = resolveScalar(node);
    if (s.kind == Kind::String && !s.text.trimmed().isEmpty()) {
        scenario->onClose.command = s.text;
        scenario->onClose.pos = scenario->onClose.commandPos = pos;
        scenario->onClose.sleepBetweenRounds = scenario->onClose.sleepAfterAction
            = ValueRange::fixed(0, false);
        return;
    }
    if (!node.IsMap()) {
        error(pos, 0, kOnClose,
            QStringLiteral("wrong type: expected the name of the goodbye command, or a mapping "
                           "with 'command' and 'args', found %1")
                .arg(describe(node)));
        return;
    }
    for (const Entry& e : entries(node, 0, QStringLiteral("of on_close"))) {
        if (e.key == kRounds || e.key == kSleepBetween || e.key == kSleepAfter)
            error(posOf(e.keyNode, pos), 0, e.key,
                QStringLiteral("not allowed in on_close: the goodbye runs once, without rounds "
                               "or sleeps (on_close has the keys 'command' and 'args')"));
    }
    if (std::optional<Action> action = loadAction(node, 0, pos)) {
        action->rounds = ValueRange::fixed(1);
        action->sleepBetweenRounds = action->sleepAfterAction = ValueRange::fixed(0, false);
        scenario->onClose = *action;
    }
}

// tls: {enabled, ca, cert, key, sni, insecure, min, alpn, session_reuse}: the values are
// checked by the run, as the --tls-... options they stand for (the command line wins).
void Loader::loadTls(const YAML::Node& node, SourcePos fallback, Scenario* scenario)
{
    const SourcePos pos = posOf(node, fallback);
    static const QStringList flags
        = {QStringLiteral("enabled"), QStringLiteral("insecure"), QStringLiteral("session_reuse")};
    static const QStringList texts
        = {QStringLiteral("ca"), QStringLiteral("cert"), QStringLiteral("key"),
            QStringLiteral("sni"), QStringLiteral("min"), QStringLiteral("alpn")};
    if (!node.IsMap()) {
        error(pos, 0, kTls,
            QStringLiteral("wrong type: expected a mapping such as 'tls: {ca: ca.pem}', found %1")
                .arg(describe(node)));
        return;
    }
    for (const Entry& e : entries(node, 0, QStringLiteral("of tls"))) {
        const SourcePos at = posOf(e.keyNode, pos);
        const QString key = kTls + QLatin1Char('.') + e.key;
        if (!flags.contains(e.key) && !texts.contains(e.key)) {
            const QString match = closestMatch(e.key, flags + texts);
            error(at, 0, key,
                match.isEmpty()
                    ? QStringLiteral("unknown key (tls has the keys %1)").arg(quoted(flags + texts))
                    : QStringLiteral("unknown key; did you mean '%1'?").arg(match));
            continue;
        }
        const Scalar v = resolveScalar(e.value);
        QVariant value;
        if (flags.contains(e.key) && v.kind == Kind::Bool) {
            value = v.boolean;
        } else if (texts.contains(e.key) && e.key == QLatin1String("alpn")
            && e.value.IsSequence()) {
            QStringList names;
            for (auto it = e.value.begin(); it != e.value.end(); ++it)
                names << toQString(it->Scalar());
            value = names.join(QLatin1Char(','));
        } else if (texts.contains(e.key) && v.kind != Kind::Null && e.value.IsScalar()) {
            value = v.text;
        } else {
            error(posOf(e.value, at), 0, key,
                QStringLiteral("wrong type: expected %1, found %2")
                    .arg(flags.contains(e.key) ? QStringLiteral("true or false")
                                               : QStringLiteral("a string"),
                        describe(e.value)));
            continue;
        }
        scenario->tls.append(ActionArg {e.key, value, at});
    }
}

void Loader::loadActions(const YAML::Node& node, SourcePos fallback, Scenario* scenario)
{
    const SourcePos pos = posOf(node, fallback);
    if (!node.IsSequence()) {
        // The usual slips: the list left out, or its items written without their "- ".
        const QString hint = node.IsNull()
            ? QStringLiteral(": the key has no value; put the actions on the lines below it, "
                             "each starting with '- '")
            : node.IsMap() ? QStringLiteral(": each action starts with '- ' ('- command: NAME')")
                           : QString();
        error(pos, 0, kActions,
            QStringLiteral("wrong type: expected a list of actions ('- command: NAME'), found %1")
                    .arg(describe(node))
                + hint);
        return;
    }
    if (node.size() == 0) {
        error(pos, 0, kActions, QStringLiteral("no actions: add at least one ('- command: NAME')"));
        return;
    }
    int index = 0;
    for (auto it = node.begin(); it != node.end(); ++it) {
        ++index;
        if (std::optional<Action> action = loadAction(*it, index, pos))
            scenario->actions.append(*action);
    }
}

std::optional<Action> Loader::loadAction(const YAML::Node& node, int index, SourcePos fallback)
{
    Action action;
    action.pos = posOf(node, fallback);
    static const QStringList known = {kCommand, kArgs, kRounds, kSleepBetween, kSleepAfter, kRate};
    if (!node.IsMap()) {
        const QString glued = node.IsScalar()
            ? gluedKeyMessage(QString::fromStdString(node.Scalar()), known)
            : QString();
        error(action.pos, index, QString(),
            !glued.isEmpty() ? glued
                             : QStringLiteral("wrong type: an action must be a mapping with at "
                                              "least 'command', found %1")
                                   .arg(describe(node)));
        return std::nullopt;
    }
    const int errorsBefore = m_diagnostics->size();
    bool haveCommand = false;
    for (const Entry& e : entries(node, index, QStringLiteral("of an action"))) {
        const SourcePos keyPos = posOf(e.keyNode, action.pos);
        if (e.key == kCommand) {
            haveCommand = true;
            const SourcePos pos = posOf(e.value, keyPos);
            const Scalar s = resolveScalar(e.value);
            if (s.kind != Kind::String) {
                error(pos, index, kCommand,
                    QStringLiteral("wrong type: expected the name of a protocol function (a "
                                   "string), found %1")
                        .arg(describe(e.value)));
            } else if (s.text.trimmed().isEmpty()) {
                error(pos, index, kCommand,
                    QStringLiteral("empty: expected the name of a protocol function"));
            } else {
                action.command = s.text;
                action.commandPos = pos;
            }
        } else if (e.key == kArgs) {
            loadArgs(e.value, index, keyPos, &action);
        } else if (e.key == kRounds) {
            if (auto r = loadRange(e.value, index, e.key, keyPos, true)) action.rounds = *r;
        } else if (e.key == kSleepBetween) {
            if (auto r = loadRange(e.value, index, e.key, keyPos, false))
                action.sleepBetweenRounds = *r;
        } else if (e.key == kSleepAfter) {
            if (auto r = loadRange(e.value, index, e.key, keyPos, false))
                action.sleepAfterAction = *r;
        } else if (e.key == kRate) {
            loadRate(e.value, index, keyPos, &action);
        } else {
            const QString match = closestMatch(e.key, known);
            const QString glued = gluedKeyMessage(e.key, known);
            error(keyPos, index, e.key,
                !glued.isEmpty() ? glued
                    : match.isEmpty()
                    ? QStringLiteral("unknown key (an action has the keys %1)").arg(quoted(known))
                    : QStringLiteral("unknown key; did you mean '%1'?").arg(match));
        }
    }
    if (!haveCommand)
        error(action.pos, index, kCommand,
            QStringLiteral("missing key 'command': the protocol function to call"));
    if (m_diagnostics->size() != errorsBefore) return std::nullopt;
    return action;
}

// rate: rounds per second of this action over all connections (the open model).
void Loader::loadRate(const YAML::Node& node, int index, SourcePos fallback, Action* action)
{
    const QString problem = rateProblem(node, &action->rate, &action->rateWritten);
    if (!problem.isEmpty()) error(posOf(node, fallback), index, kRate, problem);
}

bool Loader::loadArgs(const YAML::Node& node, int index, SourcePos fallback, Action* action)
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

bool Loader::toVariant(const YAML::Node& node, int depth, int index, const QString& key,
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

std::optional<ValueRange> Loader::loadRange(
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

bool Loader::loadNumber(const YAML::Node& node, int index, const QString& key, SourcePos fallback,
    bool rounds, bool inRange, double* value, bool* integral)
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

} // namespace

ScenarioLoader::Result ScenarioLoader::loadFile(const QString& path)
{
    Result result;
    const auto cannotRead = [&](const QString& why) {
        result.diagnostics << Diagnostic::aboutFile(
            path, QStringLiteral("cannot read the scenario: ") + why);
        return result;
    };
    const QFileInfo info(path);
    if (!info.exists()) return cannotRead(QStringLiteral("no such file"));
    if (info.isDir()) return cannotRead(QStringLiteral("it is a directory, not a file"));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return cannotRead(file.errorString());
    const QByteArray yaml = file.read(kMaxFileSize + 1);
    if (file.error() != QFileDevice::NoError) return cannotRead(file.errorString());
    if (yaml.size() > kMaxFileSize)
        return cannotRead(QStringLiteral("larger than %1 MiB").arg(kMaxFileSize / (1024 * 1024)));
    return parse(yaml, path);
}

QString ScenarioLoader::parseRate(const QString& text, double* rate)
{
    YAML::Node node;
    try {
        node = YAML::Load(text.toStdString());
    } catch (const YAML::Exception&) { // not even YAML: as the string it is
        node = YAML::Node(text.toStdString());
    }
    return rateProblem(node, rate, nullptr);
}

ScenarioLoader::Result ScenarioLoader::parse(const QByteArray& yaml, const QString& fileName)
{
    Result result;
    Loader loader(fileName, &result.diagnostics);
    if (const Diagnostic d = yamlAcceptedMistake(yaml, fileName); !d.message.isEmpty()) {
        result.diagnostics << d;
        return result;
    }
    try {
        result.scenario = loader.load(yaml);
    } catch (const YAML::ParserException& e) {
        result.diagnostics << yamlSyntaxError(yaml, fileName, e.mark.is_null() ? -1 : e.mark.line,
            e.mark.is_null() ? -1 : e.mark.column, toQString(e.msg));
    } catch (const YAML::Exception& e) {
        Diagnostic d = Diagnostic::aboutFile(
            fileName, QStringLiteral("cannot read the YAML: %1").arg(toQString(e.msg)));
        if (!e.mark.is_null()) {
            d.line = e.mark.line + 1;
            d.column = e.mark.column + 1;
        }
        result.diagnostics << d;
    } catch (const std::exception& e) {
        result.diagnostics << Diagnostic::aboutFile(fileName,
            QStringLiteral("cannot read the YAML: %1").arg(QString::fromLocal8Bit(e.what())));
    }
    if (!result.diagnostics.isEmpty()) result.scenario.reset();
    return result;
}

Diagnostics ScenarioLoader::checkAgainstModule(
    const Scenario& scenario, const ProtocolModuleInfo& module)
{
    Diagnostics diagnostics;
    const QString protocol = module.name.isEmpty() ? scenario.protocol : module.name;
    const QStringList commands = module.commandNames();
    QList<Action> all = scenario.actions;
    if (scenario.hasOnClose()) all.append(scenario.onClose);
    int index = 0;
    for (const Action& action : all) {
        ++index;
        Diagnostic d;
        d.file = scenario.file;
        d.actionIndex = index > scenario.actions.size() ? 0 : index; // 0: on_close
        const CommandInfo* command = module.command(action.command);
        if (!command) {
            d.line = action.commandPos.line;
            d.column = action.commandPos.column;
            d.key = kCommand;
            QString message
                = QStringLiteral("protocol '%1' has no command '%2'").arg(protocol, action.command);
            const ModuleValue* value = nullptr;
            for (const ModuleValue& v : module.values)
                if (v.name == action.command) value = &v;
            if (module.helpers.contains(action.command)) {
                message += QStringLiteral(" ('%1' is a helper: names starting with '_' are not "
                                          "commands)")
                               .arg(action.command);
            } else if (value) {
                message += QStringLiteral(" ('%1' at line %2 of %3 is %4, not a function)")
                               .arg(action.command)
                               .arg(value->line)
                               .arg(QFileInfo(module.file).fileName(), value->kind);
            } else {
                const QString match = closestMatch(action.command, commands);
                if (!match.isEmpty()) message += QStringLiteral("; did you mean '%1'?").arg(match);
            }
            message += commands.isEmpty()
                ? QStringLiteral(" (it has no commands)")
                : QStringLiteral(" (it has: %1)").arg(commands.join(QStringLiteral(", ")));
            d.message = message;
            diagnostics << d;
            continue;
        }
        QStringList params;
        for (const QString& p : command->params)
            if (!p.isEmpty()) params << p;
        for (const ActionArg& arg : action.args) {
            if (params.contains(arg.name)) continue;
            Diagnostic a = d;
            a.line = arg.pos.line;
            a.column = arg.pos.column;
            a.key = arg.name;
            QString message = QStringLiteral("command '%1' takes no parameter '%2'")
                                  .arg(action.command, arg.name);
            const QString match = closestMatch(arg.name, params);
            if (!match.isEmpty()) message += QStringLiteral("; did you mean '%1'?").arg(match);
            message += params.isEmpty()
                ? QStringLiteral(" (it takes no parameters besides the client)")
                : QStringLiteral(" (it takes: %1)").arg(params.join(QStringLiteral(", ")));
            a.message = message;
            diagnostics << a;
        }
        for (const ActionArg& arg : action.args) {
            if (!command->unusedParams.contains(arg.name)) continue;
            Diagnostic a = d;
            a.line = arg.pos.line;
            a.column = arg.pos.column;
            a.key = arg.name;
            a.severity = Diagnostic::Severity::Warning;
            a.message = QStringLiteral("command '%1' never reads its parameter '%2' (line %3 of "
                                       "%4): the value given here has no effect")
                            .arg(action.command, arg.name)
                            .arg(command->line)
                            .arg(QFileInfo(module.file).fileName());
            diagnostics << a;
        }
    }
    return diagnostics;
}

} // namespace swarm
