#pragma once

#include "scenario/Diagnostic.h"

#include <QByteArray>

namespace swarm {

// A YAML syntax error in words a user knows, on the line the user got wrong where it can be
// told. yaml-cpp reports an indentation mistake where it notices it — often the line after,
// as "end of map not found" — so the text is read again for the line whose indentation
// matches none of the blocks open above it; a tab in the indentation, a quote, '[' or '{' never
// closed and a key glued to its value ("rounds:2") are reported where they were typed.
// `line` and `column` are yaml-cpp's mark (0-based; -1 when it has none).
Diagnostic yamlSyntaxError(const QByteArray& yaml, const QString& fileName, int line, int column,
    const QString& parserMessage);

// A mistake YAML itself accepts but no scenario means: a quote never closed on its line that
// swallows the lines below ("command: \"set" then "rounds: 2"). A diagnostic with an empty
// message when there is none.
Diagnostic yamlAcceptedMistake(const QByteArray& yaml, const QString& fileName);

// "rounds:2" where one of `keys` was meant, as YAML reads it (a key "rounds:2", or one text):
// "'rounds:2' needs a space after the ':' (write 'rounds: 2')...". Empty when `text` is not a
// known key glued to a value.
QString gluedKeyMessage(const QString& text, const QStringList& keys);

} // namespace swarm
