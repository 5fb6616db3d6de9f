#pragma once

#include "scenario/ClientIdentity.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>

namespace swarm {

// One argument string with ${...} parts, read once and evaluated for each call:
//   ${id}  ${iteration}  ${agent}  ${random 1 50}  ${row.users.name}  and "+ N" / "- N" after
//   any of them (${id + 1000}). "$${" is a literal "${".
// A string that is one ${...} and nothing else keeps the value's type (a number, or what the
// data file holds); anything else is text.
class StringTemplate
{
public:
    struct Error
    {
        int at = 0; // offset in the string
        QString message;
    };

    static bool hasTemplate(const QString& text) { return text.contains(QLatin1String("${")); }
    // Reads `text`; false with *error on bad syntax or an unknown name.
    static bool parse(const QString& text, StringTemplate* out, Error* error);
    // Resolves ${row.NAME.COLUMN} against the scenario's data files (names and their columns;
    // columns may be empty when a file could not be loaded: only the name is checked then).
    bool bind(const QStringList& dataNames, const QList<QStringList>& columns, Error* error);

    // The value for one connection now; an invalid QVariant with *error when a row's value is
    // not a number that "+ N" needs, or the connection has no row of a file.
    QVariant evaluate(const ClientIdentity& who, QString* error) const;
    const QString& source() const { return m_source; }

    // The names a template may use, for messages and the documentation.
    static const QStringList& names();

private:
    struct Part
    {
        enum class Kind { Text, Id, Iteration, Agent, Random, Column };
        Kind kind = Kind::Text;
        QString text; // Text: the text; Column: the data file's name
        QString column;
        int data = -1; // Column: index of the data file
        int columnIndex = -1;
        qint64 lo = 0; // Random: bounds
        qint64 hi = 0;
        qint64 add = 0; // "+ N"
        bool hasAdd = false;
        int at = 0; // offset of "${" in the string
    };
    static bool parseExpression(const QString& expr, int at, Part* part, Error* error);
    QVariant value(const Part& part, const ClientIdentity& who, QString* error) const;

    QString m_source;
    QList<Part> m_parts;
};

} // namespace swarm
