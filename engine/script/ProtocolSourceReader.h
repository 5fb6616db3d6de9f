#pragma once

#include "scenario/Diagnostic.h"
#include "script/ProtocolModuleInfo.h"

#include <QString>
#include <QStringList>

namespace swarm {

// Reads a protocol module's text with acorn (AcornEngine) without running it: its top-level
// functions (`function name(a, b = 1)`, `function* name`, `const name = (...) =>`), their
// parameters and defaults, other top-level names, and what ModuleChecks reports. Syntax errors
// become diagnostics with line and column; a bracket opened or closed in the wrong place is
// named with where it was opened. Never throws and never crashes on any input.
class ProtocolSourceReader
{
public:
    static ProtocolModuleInfo read(
        const QString& source, const QString& file, Diagnostics* diagnostics = nullptr);
};

} // namespace swarm
