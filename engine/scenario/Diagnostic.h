#pragma once

#include <QList>
#include <QString>

namespace swarm {

// One problem in a file the user wrote (scenario or protocol module): where it is and what is
// wrong. Printed the way compilers print errors so editors can jump to it:
//   scripts/example.yml:12:5: action 2, 'sleep_afer_action': unknown key; did you mean ...?
struct Diagnostic
{
    // A warning does not stop a run: the code works, but likely not as meant. Printed with
    // "warning: " before its message.
    enum class Severity { Error, Warning };

    QString file;
    int line = 0; // 1-based; 0 when unknown
    int column = 0; // 1-based; 0 when unknown
    int actionIndex = 0; // 1-based index of the scenario action; 0 when not about an action
    QString key; // the YAML key or JS name concerned; empty when none
    QString message;
    Severity severity = Severity::Error;

    bool isWarning() const { return severity == Severity::Warning; }
    QString toString() const;

    // A problem with a whole file (missing, unreadable, empty): no line, no key.
    static Diagnostic aboutFile(const QString& file, const QString& message)
    {
        Diagnostic d;
        d.file = file;
        d.message = message;
        return d;
    }
};

using Diagnostics = QList<Diagnostic>;

// All diagnostics, one per line.
QString formatDiagnostics(const Diagnostics& diagnostics);
// Whether any of them is an error (not a warning).
bool hasErrors(const Diagnostics& diagnostics);
// Only the warnings, or only the errors.
Diagnostics warningsOf(const Diagnostics& diagnostics);
Diagnostics errorsOf(const Diagnostics& diagnostics);

} // namespace swarm
