#pragma once

// Helpers shared by the scenario loader's tests (tst_scenarioloader, tst_scenarioerrors).

#include "scenario/ScenarioLoader.h"

#include <QByteArray>
#include <QDebug>
#include <QString>
#include <QVariant>

namespace swarm::test {

inline const QByteArray kHead
    = "protocol: durian\nactions:\n"; // lines 1-2: actions start on line 3

inline ScenarioLoader::Result parse(const QByteArray& yaml)
{
    return ScenarioLoader::parse(yaml, QStringLiteral("test.yml"));
}

inline Scenario parseOk(const QByteArray& yaml)
{
    const ScenarioLoader::Result r = parse(yaml);
    if (!r.ok()) {
        qWarning().noquote() << formatDiagnostics(r.diagnostics);
        return Scenario();
    }
    return *r.scenario;
}

inline ActionArg arg(const QString& name, const QVariant& value)
{
    ActionArg a;
    a.name = name;
    a.value = value;
    return a;
}

} // namespace swarm::test
