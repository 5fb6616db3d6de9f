#pragma once

#include "scenario/Diagnostic.h"
#include "scenario/Scenario.h"
#include "scenario/ScenarioBundle.h"
#include "script/ProtocolModuleInfo.h"

#include <QObject>
#include <QTimer>

#include <optional>

namespace swarm {

// The scenario and protocol module being edited: their texts, files and saved state, and what
// the loaders say about them. The texts are the truth; the visual editor shows the last text
// that parsed, and nothing here ever rewrites a text the user typed. Validation runs a short
// while after the last edit (BundleLoader::fromTexts, the same checks a run makes).
class ScenarioDocument : public QObject
{
    Q_OBJECT
public:
    static constexpr int kValidateDelayMs = 300;

    ScenarioDocument(const QString& protocolDir, int scriptTimeoutMs, QObject* parent = nullptr);

    // The scenario. A path starting with ":/" is a bundled example (read-only); empty: untitled.
    QString scenarioPath() const { return m_scenarioPath; }
    QString scenarioName() const;
    bool scenarioNeedsPath() const;
    QString yaml() const { return m_yaml; }
    bool scenarioModified() const { return m_yaml != m_savedYaml; }
    void setYaml(const QString& text);

    // The protocol module the scenario names.
    QString modulePath() const { return m_modulePath; }
    QString moduleName() const;
    bool moduleNeedsPath() const;
    QString moduleSource() const { return m_moduleSource; }
    bool moduleModified() const { return m_moduleSource != m_savedModule; }
    void setModuleSource(const QString& text);
    // What the module's text declares (read leniently: available even when it has errors).
    const ProtocolModuleInfo& moduleInfo() const { return m_moduleInfo; }

    bool isModified() const { return scenarioModified() || moduleModified(); }

    // The outcome of the last validation.
    const Diagnostics& scenarioDiagnostics() const { return m_scenarioDiagnostics; }
    const Diagnostics& moduleDiagnostics() const { return m_moduleDiagnostics; }
    // The current scenario text, parsed: set whenever the YAML itself is valid, even if the
    // module disagrees with it.
    const std::optional<Scenario>& parsedScenario() const { return m_parsed; }
    // Scenario and module together, fully valid: what a run can use. Null when not.
    ScenarioBundlePtr bundle() const { return m_bundle; }
    bool validationPending() const { return m_timer.isActive(); }
    void validateNow();

    // Files. Each returns false with *error set when it cannot.
    void newScenario();
    bool openScenario(const QString& path, QString* error);
    bool saveScenario(const QString& path, QString* error);
    bool loadModule(const QString& path, QString* error);
    bool saveModule(const QString& path, QString* error);
    bool reloadModule(QString* error);
    void discardModuleChanges();

    // Module names the protocol combo offers: the protocol directory (or the scenario's
    // neighbours) and the bundled modules.
    QStringList availableProtocols() const;
    QString findModule(const QString& name, QStringList* searched) const;
    QString protocolDir() const { return m_protocolDir; }
    int scriptTimeoutMs() const { return m_scriptTimeoutMs; }

Q_SIGNALS:
    void scenarioReplaced(); // a file was opened or a new scenario made: editors reload
    void moduleReplaced();
    void validated();
    void modifiedChanged();
    void pathsChanged();

private:
    void scheduleValidation();
    bool switchModuleIfNeeded(const Scenario& scenario, Diagnostics* problems);
    void setModuleText(const QString& text, const QString& path);

    QString m_protocolDir;
    int m_scriptTimeoutMs;
    QString m_scenarioPath;
    QString m_yaml;
    QString m_savedYaml;
    QString m_modulePath;
    QString m_moduleSource;
    QString m_savedModule;
    ProtocolModuleInfo m_moduleInfo;
    Diagnostics m_scenarioDiagnostics;
    Diagnostics m_moduleDiagnostics;
    std::optional<Scenario> m_parsed;
    ScenarioBundlePtr m_bundle;
    bool m_lastModified = false;
    QTimer m_timer;
};

} // namespace swarm
