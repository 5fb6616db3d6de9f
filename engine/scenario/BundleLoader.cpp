#include "scenario/BundleLoader.h"

#include "scenario/DataSetLoader.h"
#include "scenario/ScenarioLoader.h"
#include "script/ModuleChecks.h"
#include "script/ProtocolSourceReader.h"
#include "script/ScriptRuntime.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace swarm {

namespace {

QString moduleName(const QString& protocol)
{
    QString name = protocol.trimmed();
    if (name.endsWith(QLatin1String(".js"))) name.chop(3);
    return name;
}

} // namespace

QString BundleLoader::defaultScenario()
{
    return QStringLiteral(":/scripts/example.yml");
}

QString BundleLoader::bundledProtocolDir()
{
    return QStringLiteral(":/protocols");
}

QString BundleLoader::findModule(const QString& name, const QString& protocolDir,
    const QString& scenarioFile, QStringList* searched)
{
    QStringList dirs;
    if (!protocolDir.isEmpty()) {
        dirs << protocolDir;
    } else {
        const QString here = QFileInfo(scenarioFile).absolutePath();
        dirs << here << QDir(here).filePath(QStringLiteral("../protocols")) << bundledProtocolDir();
    }
    for (const QString& dir : dirs) {
        const QString path = QDir::cleanPath(QDir(dir).filePath(name + QStringLiteral(".js")));
        if (searched) *searched << path;
        if (QFileInfo(path).isFile()) return path;
    }
    return QString();
}

Diagnostics BundleLoader::checkModule(
    const QString& source, const QString& file, int scriptTimeoutMs, ProtocolModuleInfo* info)
{
    Diagnostics diagnostics;
    *info = ProtocolSourceReader::read(source, file, &diagnostics);
    info->file = file;
    info->source = source;
    if (info->name.isEmpty()) info->name = QFileInfo(file).completeBaseName();
    if (!diagnostics.isEmpty()) return diagnostics;
    // What would fail when a command runs: its errors are clearer than the JS engine's.
    diagnostics << ModuleChecks::diagnostics(*info);
    if (hasErrors(diagnostics)) return diagnostics;
    // The JS engine has the last word on syntax, and runs the module's top level once.
    ScriptRuntime runtime(scriptTimeoutMs);
    ScriptError error;
    if (!runtime.load(*info, nullptr, &error)) {
        Diagnostic d;
        d.file = error.file.isEmpty() ? file : error.file;
        d.line = error.line;
        d.message = error.message;
        diagnostics << d;
        return diagnostics;
    }
    if (info->commands.isEmpty()) {
        Diagnostic d;
        d.file = file;
        d.message = QStringLiteral("the module defines no command: write top-level functions "
                                   "such as `function ping(client) { ... }`");
        diagnostics << d;
    }
    return diagnostics;
}

BundleLoader::Result BundleLoader::load(
    const QString& scenarioFile, const QString& protocolDir, int scriptTimeoutMs)
{
    Result result;
    if (!protocolDir.isEmpty() && !QFileInfo(protocolDir).isDir()) {
        result.diagnostics << Diagnostic::aboutFile(
            protocolDir, QStringLiteral("protocol directory not found"));
        return result;
    }
    ScenarioLoader::Result scenario = ScenarioLoader::loadFile(scenarioFile);
    if (!scenario.ok()) {
        result.diagnostics = scenario.diagnostics;
        return result;
    }
    const QString name = moduleName(scenario.scenario->protocol);
    if (name.isEmpty() || name.contains(QLatin1Char('/')) || name.contains(QLatin1Char('\\'))) {
        Diagnostic d;
        d.file = scenarioFile;
        d.line = scenario.scenario->protocolPos.line;
        d.column = scenario.scenario->protocolPos.column;
        d.key = QStringLiteral("protocol");
        d.message = QStringLiteral("'%1' is not a module name: give the name of NAME.js in the "
                                   "protocol directory (--protocol-dir)")
                        .arg(scenario.scenario->protocol);
        result.diagnostics << d;
        return result;
    }
    QStringList searched;
    const QString moduleFile = findModule(name, protocolDir, scenarioFile, &searched);
    result.moduleFile = moduleFile;
    if (moduleFile.isEmpty()) {
        Diagnostic d;
        d.file = scenarioFile;
        d.line = scenario.scenario->protocolPos.line;
        d.column = scenario.scenario->protocolPos.column;
        d.key = QStringLiteral("protocol");
        d.message = QStringLiteral("protocol module '%1.js' not found (looked in: %2)")
                        .arg(name, searched.join(QStringLiteral(", ")));
        result.diagnostics << d;
        return result;
    }
    QFile f(moduleFile);
    if (!f.open(QIODevice::ReadOnly)) {
        result.diagnostics << Diagnostic::aboutFile(
            moduleFile, QStringLiteral("cannot read: %1").arg(f.errorString()));
        return result;
    }
    const QString source = QString::fromUtf8(f.readAll());
    QByteArray yaml;
    QFile s(scenarioFile);
    if (s.open(QIODevice::ReadOnly)) yaml = s.readAll();
    return fromTexts(yaml, scenarioFile, source, moduleFile, scriptTimeoutMs);
}

BundleLoader::Result BundleLoader::fromTexts(const QByteArray& scenarioYaml,
    const QString& scenarioFile, const QString& moduleSource, const QString& moduleFile,
    int scriptTimeoutMs)
{
    Result result;
    result.moduleFile = moduleFile;
    ScenarioLoader::Result scenario = ScenarioLoader::parse(scenarioYaml, scenarioFile);
    result.diagnostics = scenario.diagnostics;
    ProtocolModuleInfo module;
    const Diagnostics moduleProblems
        = checkModule(moduleSource, moduleFile, scriptTimeoutMs, &module);
    result.diagnostics << moduleProblems;
    std::vector<DataSetPtr> data;
    if (scenario.ok()) {
        data = DataSetLoader::load(*scenario.scenario, &result.diagnostics);
        result.diagnostics << DataSetLoader::checkTemplates(*scenario.scenario, data);
    }
    if (!scenario.ok() || hasErrors(result.diagnostics)) return result;
    result.diagnostics << ScenarioLoader::checkAgainstModule(*scenario.scenario, module);
    if (hasErrors(result.diagnostics)) return result;
    auto bundle = std::make_shared<ScenarioBundle>();
    bundle->scenario = *scenario.scenario;
    bundle->module = module;
    bundle->data = std::move(data);
    bundle->scenarioSource = scenarioYaml;
    result.bundle = bundle;
    return result;
}

} // namespace swarm
