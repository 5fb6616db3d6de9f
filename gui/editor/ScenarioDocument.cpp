#include "editor/ScenarioDocument.h"

#include "run/SaveFile.h"
#include "scenario/BundleLoader.h"
#include "scenario/ScenarioLoader.h"
#include "script/ProtocolSourceReader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

namespace swarm {

namespace {

bool readText(const QString& path, QString* text, QString* error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(path, f.errorString());
        return false;
    }
    *text = QString::fromUtf8(f.readAll());
    return true;
}

bool writeText(const QString& path, const QString& text, QString* error)
{
    return saveFile(path, text.toUtf8(), error);
}

QString moduleNameOf(const QString& protocol)
{
    QString name = protocol.trimmed();
    if (name.endsWith(QLatin1String(".js"))) name.chop(3);
    return name;
}

// The protocol a scenario names, even when the rest of the text does not parse yet, so opening
// a broken file still shows its module.
QString protocolOf(const QString& yaml)
{
    static const QRegularExpression re(
        QStringLiteral(R"(^protocol:\s*["']?([\w.-]+))"), QRegularExpression::MultilineOption);
    const QRegularExpressionMatch m = re.match(yaml);
    return m.hasMatch() ? moduleNameOf(m.captured(1)) : QString();
}

} // namespace

ScenarioDocument::ScenarioDocument(const QString& protocolDir, int scriptTimeoutMs, QObject* parent)
    : QObject(parent)
    , m_protocolDir(protocolDir)
    , m_scriptTimeoutMs(scriptTimeoutMs)
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(kValidateDelayMs);
    connect(&m_timer, &QTimer::timeout, this, &ScenarioDocument::validateNow);
}

QString ScenarioDocument::scenarioName() const
{
    return m_scenarioPath.isEmpty() ? QStringLiteral("untitled.yml")
                                    : QFileInfo(m_scenarioPath).fileName();
}

bool ScenarioDocument::scenarioNeedsPath() const
{
    return m_scenarioPath.isEmpty() || m_scenarioPath.startsWith(QLatin1String(":/"));
}

QString ScenarioDocument::moduleName() const
{
    return m_modulePath.isEmpty() ? QString() : QFileInfo(m_modulePath).completeBaseName();
}

bool ScenarioDocument::moduleNeedsPath() const
{
    return m_modulePath.isEmpty() || m_modulePath.startsWith(QLatin1String(":/"));
}

void ScenarioDocument::setYaml(const QString& text)
{
    if (text == m_yaml) return;
    const bool wasModified = isModified();
    m_yaml = text;
    scheduleValidation();
    if (wasModified != isModified()) Q_EMIT modifiedChanged();
}

void ScenarioDocument::setModuleSource(const QString& text)
{
    if (text == m_moduleSource) return;
    const bool wasModified = isModified();
    m_moduleSource = text;
    // Reading declarations is cheap and never runs code: the command lists follow every key.
    m_moduleInfo = ProtocolSourceReader::read(m_moduleSource, m_modulePath);
    scheduleValidation();
    if (wasModified != isModified()) Q_EMIT modifiedChanged();
}

void ScenarioDocument::scheduleValidation()
{
    m_timer.start();
}

void ScenarioDocument::validateNow()
{
    m_timer.stop();
    const QString scenarioFile = m_scenarioPath.isEmpty() ? scenarioName() : m_scenarioPath;
    const ScenarioLoader::Result parsed = ScenarioLoader::parse(m_yaml.toUtf8(), scenarioFile);
    m_parsed = parsed.ok() ? parsed.scenario : std::nullopt;

    Diagnostics switchProblems;
    if (m_parsed) {
        switchModuleIfNeeded(*m_parsed, &switchProblems);
        m_timer.stop(); // a module loaded just now is checked below
    }

    const QString moduleFile = m_modulePath.isEmpty() ? QStringLiteral("module.js") : m_modulePath;
    const BundleLoader::Result r = BundleLoader::fromTexts(
        m_yaml.toUtf8(), scenarioFile, m_moduleSource, moduleFile, m_scriptTimeoutMs);
    m_scenarioDiagnostics.clear();
    m_moduleDiagnostics.clear();
    for (const Diagnostic& d : r.diagnostics) {
        // The scenario's own problems and its data files' (users.csv:3:5: ...).
        if (d.file != moduleFile)
            m_scenarioDiagnostics << d;
        else
            m_moduleDiagnostics << d;
    }
    m_scenarioDiagnostics << switchProblems;
    m_bundle = r.ok() && switchProblems.isEmpty() ? r.bundle : nullptr;
    Q_EMIT validated();
}

bool ScenarioDocument::switchModuleIfNeeded(const Scenario& scenario, Diagnostics* problems)
{
    const QString wanted = moduleNameOf(scenario.protocol);
    if (wanted == moduleName() && !m_modulePath.isEmpty()) return true;
    Diagnostic d;
    d.file = m_scenarioPath.isEmpty() ? scenarioName() : m_scenarioPath;
    d.line = scenario.protocolPos.line;
    d.column = scenario.protocolPos.column;
    d.key = QStringLiteral("protocol");
    QStringList searched;
    const QString path = findModule(wanted, &searched);
    if (path.isEmpty()) {
        d.message = QStringLiteral("protocol module '%1.js' not found (looked in: %2)")
                        .arg(wanted, searched.join(QStringLiteral(", ")));
        *problems << d;
        return false;
    }
    if (moduleModified()) {
        d.message = QStringLiteral("the Protocol tab has unsaved changes to %1.js: save or reload "
                                   "them, then %2.js is loaded for this scenario")
                        .arg(moduleName(), wanted);
        *problems << d;
        return false;
    }
    QString error;
    if (!loadModule(path, &error)) {
        d.message = error;
        *problems << d;
        return false;
    }
    return true;
}

void ScenarioDocument::setModuleText(const QString& text, const QString& path)
{
    const bool pathChanged = path != m_modulePath;
    m_modulePath = path;
    m_moduleSource = m_savedModule = text;
    m_moduleInfo = ProtocolSourceReader::read(m_moduleSource, m_modulePath);
    Q_EMIT moduleReplaced();
    if (pathChanged) Q_EMIT pathsChanged();
    Q_EMIT modifiedChanged();
}

void ScenarioDocument::newScenario()
{
    Scenario s;
    s.protocol = moduleName().isEmpty() ? QStringLiteral("durian") : moduleName();
    Action a;
    a.command = m_moduleInfo.commands.isEmpty() ? QStringLiteral("heartbeat")
                                                : m_moduleInfo.commands.first().name;
    s.actions << a;
    m_scenarioPath.clear();
    m_yaml = m_savedYaml = s.toYaml();
    Q_EMIT scenarioReplaced();
    Q_EMIT pathsChanged();
    Q_EMIT modifiedChanged();
    validateNow();
}

bool ScenarioDocument::openScenario(const QString& path, QString* error)
{
    QString text;
    if (!readText(path, &text, error)) return false;
    m_scenarioPath = path;
    m_yaml = m_savedYaml = text;
    // The module of the scenario replaces the one shown (the caller asked about its changes).
    const QString name = protocolOf(text);
    const QString modulePath = name.isEmpty() ? QString() : findModule(name, nullptr);
    if (!modulePath.isEmpty() && modulePath != m_modulePath) {
        QString moduleError;
        loadModule(modulePath, &moduleError);
    } else if (!modulePath.isEmpty()) {
        discardModuleChanges();
    }
    Q_EMIT scenarioReplaced();
    Q_EMIT pathsChanged();
    Q_EMIT modifiedChanged();
    validateNow();
    return true;
}

bool ScenarioDocument::saveScenario(const QString& path, QString* error)
{
    if (!writeText(path, m_yaml, error)) return false;
    const bool moved = path != m_scenarioPath;
    m_scenarioPath = path;
    m_savedYaml = m_yaml;
    if (moved) {
        Q_EMIT pathsChanged();
        scheduleValidation(); // diagnostics name the file
    }
    Q_EMIT modifiedChanged();
    return true;
}

bool ScenarioDocument::loadModule(const QString& path, QString* error)
{
    QString text;
    if (!readText(path, &text, error)) return false;
    setModuleText(text, path);
    scheduleValidation();
    return true;
}

bool ScenarioDocument::saveModule(const QString& path, QString* error)
{
    if (!writeText(path, m_moduleSource, error)) return false;
    const bool moved = path != m_modulePath;
    m_modulePath = path;
    m_savedModule = m_moduleSource;
    if (moved) {
        m_moduleInfo = ProtocolSourceReader::read(m_moduleSource, m_modulePath);
        Q_EMIT pathsChanged();
        scheduleValidation();
    }
    Q_EMIT modifiedChanged();
    return true;
}

bool ScenarioDocument::reloadModule(QString* error)
{
    if (m_modulePath.isEmpty()) {
        *error = QStringLiteral("no module file to reload");
        return false;
    }
    return loadModule(m_modulePath, error);
}

void ScenarioDocument::discardModuleChanges()
{
    if (!moduleModified()) return;
    setModuleText(m_savedModule, m_modulePath);
    scheduleValidation();
}

QStringList ScenarioDocument::availableProtocols() const
{
    QStringList dirs;
    if (!m_protocolDir.isEmpty()) {
        dirs << m_protocolDir;
    } else if (!scenarioNeedsPath()) {
        const QString here = QFileInfo(m_scenarioPath).absolutePath();
        dirs << here << QDir(here).filePath(QStringLiteral("../protocols"));
    }
    if (m_protocolDir.isEmpty()) dirs << BundleLoader::bundledProtocolDir();
    QStringList names;
    for (const QString& dir : dirs) {
        const QFileInfoList files
            = QDir(dir).entryInfoList({QStringLiteral("*.js")}, QDir::Files, QDir::Name);
        for (const QFileInfo& f : files)
            if (!names.contains(f.completeBaseName())) names << f.completeBaseName();
    }
    if (!moduleName().isEmpty() && !names.contains(moduleName())) names << moduleName();
    return names;
}

QString ScenarioDocument::findModule(const QString& name, QStringList* searched) const
{
    // An untitled scenario has no neighbours: only the protocol directory and the bundled ones.
    const QString scenarioFile = m_scenarioPath.isEmpty()
        ? QDir::current().filePath(QStringLiteral("untitled.yml"))
        : m_scenarioPath;
    return BundleLoader::findModule(name, m_protocolDir, scenarioFile, searched);
}

} // namespace swarm
