#pragma once

#include <vector>

namespace swarm {

// How a fleet's target is shared among its agents: pure arithmetic, tested on its own.
class FleetSplit
{
public:
    // One agent as the split sees it, in the controller's order (first seen first).
    struct Member
    {
        bool up = false; // answering, right identity: it can hold connections
        bool wasUp = false; // lost now, but was part of the fleet
    };
    // `total` over `count` agents: even, the remainder to the first ones (10 over 3: 4 3 3).
    static std::vector<int> even(int total, int count);
    // Each member's share of `total`. Rebalance on: the agents up now share it all (a lost
    // agent's share moves to the others). Off: every agent that was ever up keeps its share of
    // the fleet, served or not. Members that never were up get 0.
    static std::vector<int> shares(int total, const std::vector<Member>& members, bool rebalance);
};

} // namespace swarm
