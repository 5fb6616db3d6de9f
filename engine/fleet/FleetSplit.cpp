#include "fleet/FleetSplit.h"

namespace swarm {

std::vector<int> FleetSplit::even(int total, int count)
{
    std::vector<int> out(size_t(count > 0 ? count : 0), 0);
    if (count <= 0 || total <= 0) return out;
    for (int i = 0; i < count; ++i)
        out[size_t(i)] = total / count + (i < total % count ? 1 : 0);
    return out;
}

std::vector<int> FleetSplit::shares(int total, const std::vector<Member>& members, bool rebalance)
{
    std::vector<size_t> sharing;
    for (size_t i = 0; i < members.size(); ++i)
        if (members[i].up || (!rebalance && members[i].wasUp)) sharing.push_back(i);
    const std::vector<int> parts = even(total, int(sharing.size()));
    std::vector<int> out(members.size(), 0);
    for (size_t k = 0; k < sharing.size(); ++k)
        out[sharing[k]] = parts[k];
    return out;
}

} // namespace swarm
