#pragma once

#include "scenario/Diagnostic.h"
#include "scenario/ScenarioBundle.h"

#include <QString>
#include <QStringList>

namespace swarm {

// Loads what a run needs — the scenario and the protocol module it names — and checks it all
// without connecting: YAML keys and types, the module's syntax and load-time exceptions (in a
// scratch JS engine, under the script timeout), commands and args against the module, and what
// ModuleChecks finds in the module's functions. Every problem comes back at once, each naming its
// file, line and key; warnings (Diagnostic::Severity::Warning) come with a bundle.
class BundleLoader
{
public:
    struct Result
    {
        ScenarioBundlePtr bundle; // null when there are errors
        Diagnostics diagnostics; // errors and warnings
        QString moduleFile; // the module file used (or looked for)
        bool ok() const { return bundle && !hasErrors(diagnostics); }
    };

    // The bundled example scenario, used when no --script is given.
    static QString defaultScenario();
    // The bundled protocol modules, searched last.
    static QString bundledProtocolDir();

    // protocolDir empty: the module is looked for next to the scenario, in ../protocols from
    // it, then among the bundled modules.
    static Result load(
        const QString& scenarioFile, const QString& protocolDir, int scriptTimeoutMs = 1000);
    // The same from texts being edited (the GUI): nothing is read from disk.
    static Result fromTexts(const QByteArray& scenarioYaml, const QString& scenarioFile,
        const QString& moduleSource, const QString& moduleFile, int scriptTimeoutMs = 1000);

    // Where the module `name` is, or an empty string; *searched lists the paths tried.
    static QString findModule(const QString& name, const QString& protocolDir,
        const QString& scenarioFile, QStringList* searched);
    // Reads a module's text and checks it: declarations, syntax, ModuleChecks, load-time
    // exceptions.
    static Diagnostics checkModule(const QString& source, const QString& file, int scriptTimeoutMs,
        struct ProtocolModuleInfo* info);
};

} // namespace swarm
