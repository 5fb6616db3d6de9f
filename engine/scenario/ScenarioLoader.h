#pragma once

#include "scenario/Diagnostic.h"
#include "scenario/Scenario.h"

#include <QByteArray>
#include <optional>

namespace swarm {

struct ProtocolModuleInfo;

// Reads a scenario YAML file (yaml-cpp) and checks every key, type and range; reports every
// problem of a file at once, each with file, line:column, action index and key.
//
// Keys: protocol (string), actions (list), on_close (optional: a command name, or a mapping with
// command and args; the goodbye run before swarm closes a connection). Each action: command
// (required string), args (map, default {}), rounds (non-negative integer or [min, max], default
// 1), sleep_between_rounds and sleep_after_action (non-negative seconds, integer or decimal, or
// [min, max]; default 1).
class ScenarioLoader
{
public:
    struct Result
    {
        std::optional<Scenario> scenario; // set only when there is no error
        Diagnostics diagnostics;
        bool ok() const { return scenario.has_value() && diagnostics.isEmpty(); }
    };

    static Result loadFile(const QString& path);
    static Result parse(const QByteArray& yaml, const QString& fileName);
    // An action's `rate:` written as YAML ("250", "2.5e3"): an empty string and *rate set, or
    // the loader's own message for it (the visual editor's rate field checks with this).
    static QString parseRate(const QString& text, double* rate);

    // Checks the scenario against the protocol module it names: every command must be defined by
    // the module, every args key must be a parameter of that command ("did you mean ...?").
    static Diagnostics checkAgainstModule(
        const Scenario& scenario, const ProtocolModuleInfo& module);
};

} // namespace swarm
