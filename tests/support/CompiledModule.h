#pragma once

#include "scenario/BundleLoader.h"
#include "script/ScriptRuntime.h"

#include <memory>

namespace swarm {

// A protocol module compiled in a runtime of its own, as a worker compiles it: for the tests of
// the script runtime (tst_scriptruntime, tst_scriptfastpath).
struct CompiledModule
{
    ScriptRuntime runtime {1000};
    Plan plan;
    ScriptError error;
    bool ok = false;
};

// `actions`: the scenario's action list (YAML), e.g. "  - command: cmd\n".
inline std::unique_ptr<CompiledModule> compileModule(
    const QString& module, const QByteArray& actions)
{
    auto c = std::make_unique<CompiledModule>();
    const QByteArray yaml = "protocol: m\nactions:\n" + actions;
    const BundleLoader::Result r
        = BundleLoader::fromTexts(yaml, QStringLiteral("m.yml"), module, QStringLiteral("m.js"));
    if (!r.ok()) {
        c->error.message = formatDiagnostics(r.diagnostics);
        return c;
    }
    c->ok = c->runtime.compile(*r.bundle, &c->plan, &c->error);
    return c;
}

// The request of a queued client call, as text.
inline QString requestText(const ScriptOp& op)
{
    return QString::fromUtf8(op.request);
}

} // namespace swarm
