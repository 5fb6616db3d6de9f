#include "editor/ArgValueText.h"

#include "scenario/Scenario.h"
#include "scenario/ScenarioLoader.h"

namespace swarm {

namespace {
const QString kPrefix = QStringLiteral("      v: ");
}

QString ArgValueText::toText(const QVariant& value)
{
    Scenario s;
    s.protocol = QStringLiteral("p");
    Action a;
    a.command = QStringLiteral("c");
    ActionArg arg;
    arg.name = QStringLiteral("v");
    arg.value = value;
    a.args << arg;
    s.actions << a;
    const QStringList lines = s.toYaml().split(QLatin1Char('\n'));
    for (const QString& line : lines)
        if (line.startsWith(kPrefix)) return line.mid(kPrefix.size());
    return value.toString();
}

bool ArgValueText::fromText(const QString& text, QVariant* value, QString* error)
{
    if (text.contains(QLatin1Char('\n')) || text.contains(QLatin1Char('\r'))) {
        *error = QStringLiteral("a value is one line");
        return false;
    }
    const QString yaml = QStringLiteral("protocol: p\nactions:\n  - command: c\n    args:\n")
        + kPrefix + text + QLatin1Char('\n');
    const ScenarioLoader::Result r = ScenarioLoader::parse(yaml.toUtf8(), QStringLiteral("value"));
    if (!r.ok() || r.scenario->actions.size() != 1 || r.scenario->actions[0].args.size() != 1) {
        const QString why = r.diagnostics.isEmpty() ? QStringLiteral("not one value")
                                                    : r.diagnostics.first().message;
        *error = QStringLiteral("not a valid YAML value (%1); put text in \"quotes\"").arg(why);
        return false;
    }
    *value = r.scenario->actions[0].args[0].value;
    return true;
}

} // namespace swarm
