#pragma once

namespace swarm {

// Where something is in a file the user wrote.
struct SourcePos
{
    int line = 0; // 1-based; 0 when unknown
    int column = 0;
};

} // namespace swarm
