#pragma once

namespace swarm {

// Makes acorn's bytecode, compiled at build time by qmlcachegen (cmake/Acorn.cmake), known to V4,
// so that importing :/acorn/acorn.mjs loads it instead of compiling the source. Idempotent; a
// no-op in builds without it. Call before the first import.
void registerAcornBytecode();

} // namespace swarm
