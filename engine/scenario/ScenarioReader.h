#pragma once

#include "scenario/Diagnostic.h"
#include "scenario/Scenario.h"
#include "scenario/SourcePos.h"
#include "scenario/ValueRange.h"

#include <QByteArray>
#include <QString>
#include <QVariant>

#include <yaml-cpp/yaml.h>

#include <optional>
#include <vector>

// The scenario file's reader behind ScenarioLoader: the file's structure (ScenarioReader.cpp)
// and its values — args, ranges, numbers, rates (ScenarioValues.cpp). Not an interface of its
// own: ScenarioLoader is.
namespace swarm::scenarioread {

// The scenario file's keys.
inline const QString kProtocol = QStringLiteral("protocol");
inline const QString kActions = QStringLiteral("actions");
inline const QString kOnClose = QStringLiteral("on_close");
inline const QString kTls = QStringLiteral("tls");
inline const QString kData = QStringLiteral("data");
inline const QString kCommand = QStringLiteral("command");
inline const QString kArgs = QStringLiteral("args");
inline const QString kRounds = QStringLiteral("rounds");
inline const QString kSleepBetween = QStringLiteral("sleep_between_rounds");
inline const QString kSleepAfter = QStringLiteral("sleep_after_action");
inline const QString kRate = QStringLiteral("rate");

// Larger values are typing mistakes; refusing them keeps every later int / millisecond
// conversion far from overflow.
inline constexpr double kMaxRounds = 1000000000.0;
inline constexpr double kMaxSeconds = 365.0 * 24 * 3600;
inline constexpr double kMaxRate = 10000000.0; // rounds per second, as --rate
// A scenario file is hand-written text; anything bigger is not one (and /dev/zero never ends).
inline constexpr qint64 kMaxFileSize = 16 * 1024 * 1024;
// Anchors and aliases let a few lines expand into an exponential tree; nested values are
// converted only up to these bounds.
inline constexpr int kMaxValueDepth = 64;
inline constexpr int kMaxValueNodes = 100000;

// The rule of an action's rate: and its message, for the loader and the visual editor alike.
QString rateProblem(const YAML::Node& node, double* rate, QString* written);

// Reads one scenario file into a Scenario, every problem into the diagnostics.
class ScenarioReader
{
public:
    ScenarioReader(const QString& file, Diagnostics* diagnostics)
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

} // namespace swarm::scenarioread
