#pragma once

#include "scenario/Diagnostic.h"

#include <QByteArray>

namespace swarm {

// A YAML syntax error in words a user knows, on the line the user got wrong where it can be
// told. yaml-cpp reports an indentation mistake where it notices it — often the line after,
// as "end of map not found" — so the text is read again for the line whose indentation
// matches none of the blocks open above it.
// `line` and `column` are yaml-cpp's mark (0-based; -1 when it has none).
Diagnostic yamlSyntaxError(const QByteArray& yaml, const QString& fileName, int line, int column,
    const QString& parserMessage);

} // namespace swarm
