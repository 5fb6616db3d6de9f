#pragma once

#include <QString>
#include <QStringList>

namespace swarm {

// "did you mean X?" support: the candidate closest to `word` by edit distance, or an empty string
// when none is close enough (distance <= max(1, word.size() / 3)). Case-insensitive. Used by the
// scenario loader (keys, commands, arguments) and the console (commands and their arguments).
QString closestMatch(const QString& word, const QStringList& candidates);

} // namespace swarm
