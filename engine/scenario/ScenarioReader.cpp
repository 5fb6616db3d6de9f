#include "scenario/ScenarioReader.h"

#include "scenario/ClosestMatch.h"
#include "scenario/DataSectionReader.h"
#include "scenario/YamlSyntaxError.h"
#include "scenario/YamlText.h"

#include <QHash>

#include <yaml-cpp/anchor.h>
#include <yaml-cpp/eventhandler.h>

#include <exception>
#include <sstream>
#include <string>

namespace swarm::scenarioread {

using namespace yamltext;

std::vector<ScenarioReader::Entry> ScenarioReader::entries(
    const YAML::Node& map, int action, const QString& where)
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

bool ScenarioReader::readRoot(const QByteArray& yaml, YAML::Node* root)
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

void ScenarioReader::readKeys(
    const YAML::Node& root, SourcePos rootPos, Scenario* scenario, MainKeys* keys)
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

std::optional<Scenario> ScenarioReader::load(const QByteArray& yaml)
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

void ScenarioReader::loadProtocol(const YAML::Node& node, SourcePos fallback, Scenario* scenario)
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
void ScenarioReader::loadOnClose(const YAML::Node& node, SourcePos fallback, Scenario* scenario)
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
void ScenarioReader::loadTls(const YAML::Node& node, SourcePos fallback, Scenario* scenario)
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

void ScenarioReader::loadActions(const YAML::Node& node, SourcePos fallback, Scenario* scenario)
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

std::optional<Action> ScenarioReader::loadAction(
    const YAML::Node& node, int index, SourcePos fallback)
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

} // namespace swarm::scenarioread
