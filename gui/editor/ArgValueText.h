#pragma once

#include <QString>
#include <QVariant>

namespace swarm {

// An action argument's value as the user types it in the args table: YAML, exactly as the
// scenario file writes it (`123` is a number, `"123"` a string, `[1, 2]` a list). Both ways go
// through the engine's own writer and loader, so the table and the YAML tab never disagree.
class ArgValueText
{
public:
    static QString toText(const QVariant& value);
    // False with *error when the text is not one YAML value.
    static bool fromText(const QString& text, QVariant* value, QString* error);
};

} // namespace swarm
