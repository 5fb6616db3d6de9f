#include "scenario/Diagnostic.h"

#include <QStringList>

namespace swarm {

QString Diagnostic::toString() const
{
    QString where = file.isEmpty() ? QStringLiteral("<input>") : file;
    if (line > 0) {
        where += QLatin1Char(':') + QString::number(line);
        if (column > 0) where += QLatin1Char(':') + QString::number(column);
    }
    QStringList what;
    if (actionIndex > 0) what << QStringLiteral("action %1").arg(actionIndex);
    if (!key.isEmpty()) what << QLatin1Char('\'') + key + QLatin1Char('\'');
    QString text = where + QStringLiteral(": ");
    if (!what.isEmpty()) text += what.join(QStringLiteral(", ")) + QStringLiteral(": ");
    if (isWarning()) text += QStringLiteral("warning: ");
    return text + message;
}

QString formatDiagnostics(const Diagnostics& diagnostics)
{
    QStringList lines;
    for (const Diagnostic& d : diagnostics)
        lines << d.toString();
    return lines.join(QLatin1Char('\n'));
}

bool hasErrors(const Diagnostics& diagnostics)
{
    for (const Diagnostic& d : diagnostics)
        if (!d.isWarning()) return true;
    return false;
}

Diagnostics warningsOf(const Diagnostics& diagnostics)
{
    Diagnostics out;
    for (const Diagnostic& d : diagnostics)
        if (d.isWarning()) out << d;
    return out;
}

Diagnostics errorsOf(const Diagnostics& diagnostics)
{
    Diagnostics out;
    for (const Diagnostic& d : diagnostics)
        if (!d.isWarning()) out << d;
    return out;
}

} // namespace swarm
