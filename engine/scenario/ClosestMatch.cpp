#include "scenario/ClosestMatch.h"

#include <algorithm>
#include <cstdlib>
#include <vector>

namespace swarm {

namespace {

// Edit distance where swapping two neighbouring letters counts as one edit (optimal string
// alignment): "agrs" is one typo away from "args", not two.
int editDistance(const QString& a, const QString& b)
{
    const size_t n = size_t(b.size()) + 1;
    std::vector<int> before(n), previous(n), row(n);
    for (size_t j = 0; j < n; ++j)
        previous[j] = int(j);
    for (qsizetype i = 1; i <= a.size(); ++i) {
        row[0] = int(i);
        for (qsizetype j = 1; j <= b.size(); ++j) {
            const size_t J = size_t(j);
            const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            int d = std::min({previous[J] + 1, row[J - 1] + 1, previous[J - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d = std::min(d, before[J - 2] + 1);
            row[J] = d;
        }
        std::swap(before, previous);
        std::swap(previous, row);
    }
    return previous.back();
}

} // namespace

QString closestMatch(const QString& word, const QStringList& candidates)
{
    const QString w = word.toCaseFolded();
    const int limit = std::max<int>(1, int(word.size() / 3));
    QString best;
    int bestDistance = limit + 1;
    for (const QString& candidate : candidates) {
        if (candidate.isEmpty()) continue;
        // Too different in length to be within the limit: skip the quadratic comparison.
        if (std::abs(int(candidate.size()) - int(word.size())) > limit) continue;
        const int d = editDistance(w, candidate.toCaseFolded());
        if (d < bestDistance) {
            bestDistance = d;
            best = candidate;
        }
    }
    return best;
}

} // namespace swarm
