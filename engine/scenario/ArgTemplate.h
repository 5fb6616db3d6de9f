#pragma once

#include "scenario/StringTemplate.h"

#include <QHash>
#include <QVariant>

namespace swarm {

// An action argument whose value holds ${...} templates, at any depth of lists and maps: read
// once when a worker compiles the scenario, evaluated for each call of the command.
class ArgTemplate
{
public:
    // Whether any string in `value` holds "${".
    static bool isTemplate(const QVariant& value);
    // Reads every template in `value` and binds it to the data files; false with *error (the
    // offending string's error) when one is bad.
    bool compile(const QVariant& value, const QStringList& dataNames,
        const QList<QStringList>& columns, StringTemplate::Error* error, QString* badString);

    // The value for one connection now; invalid with *error when a template cannot be filled.
    QVariant evaluate(const ClientIdentity& who, QString* error) const;

private:
    QVariant fill(const QVariant& value, const ClientIdentity& who, QString* error) const;
    bool compileAll(const QVariant& value, const QStringList& dataNames,
        const QList<QStringList>& columns, StringTemplate::Error* error, QString* badString);

    QVariant m_value;
    QHash<QString, StringTemplate> m_strings; // by the string's text
};

} // namespace swarm
