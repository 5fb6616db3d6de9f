#pragma once

#include <QString>
#include <QStringList>

namespace swarm {

// "did you mean X?" support for every error about a name (a scenario key, a command, an
// argument): the candidate closest to `word` by edit distance, ignoring case, or an empty string
// when none is close enough (distance <= max(1, word.size() / 3)).
QString closestMatch(const QString& word, const QStringList& candidates);

} // namespace swarm
