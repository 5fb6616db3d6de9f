#include "scenario/ScenarioLoader.h"

#include "scenario/ClosestMatch.h"
#include "scenario/ScenarioReader.h"
#include "scenario/YamlSyntaxError.h"
#include "scenario/YamlText.h"
#include "script/ProtocolModuleInfo.h"

#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

namespace swarm {

using namespace scenarioread;
using namespace yamltext;

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
    ScenarioReader loader(fileName, &result.diagnostics);
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
