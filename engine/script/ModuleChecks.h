#pragma once

#include "scenario/Diagnostic.h"
#include "script/ProtocolModuleInfo.h"

namespace swarm {

// What a module's findings (ProtocolSourceReader) mean for its author, as diagnostics of the
// module file: errors for what fails when the command runs (`yield` in a function without `*`,
// `client.send_for_replay`, a reply read from a call that was not yielded) and a warning for
// code after client.close_connection(). Used by --check, the window's protocol editor and at
// load (BundleLoader::checkModule).
class ModuleChecks
{
public:
    static Diagnostics diagnostics(const ProtocolModuleInfo& module);
};

} // namespace swarm
