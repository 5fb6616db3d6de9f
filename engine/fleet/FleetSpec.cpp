#include "fleet/FleetSpec.h"

#include "run/OptionValues.h"

#include <QHostAddress>
#include <QRegularExpression>

namespace swarm {

namespace {

// A host name as DNS allows it (letters, digits, '-', '.', '_' for service names); an address
// is checked by QHostAddress.
bool isHostName(const QString& host)
{
    static const QRegularExpression name(
        QStringLiteral("^[A-Za-z0-9_]([A-Za-z0-9_-]{0,62})(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,62}))*"
                       "\\.?$"));
    return host.size() <= 253 && name.match(host).hasMatch();
}

} // namespace

QString FleetEndpoint::text() const
{
    if (dns) return QStringLiteral("dns:%1:%2").arg(host).arg(port);
    if (host.contains(QLatin1Char(':'))) return QStringLiteral("[%1]:%2").arg(host).arg(port);
    return QStringLiteral("%1:%2").arg(host).arg(port);
}

bool FleetSpec::parseEntry(const QString& entry, FleetEndpoint* endpoint, QString* why)
{
    FleetEndpoint e;
    QString rest = entry;
    if (rest.startsWith(QLatin1String("dns:"), Qt::CaseInsensitive)) {
        e.dns = true;
        rest = rest.mid(4);
    }
    if (!parseHostPort(rest, &e.host, &e.port, false)) {
        *why = e.dns ? QStringLiteral("expected dns:NAME:PORT with a port from 1 to 65535")
                     : QStringLiteral("expected host:port (or [v6]:port) with a port from 1 to "
                                      "65535");
        return false;
    }
    const bool isAddress = !QHostAddress(e.host).isNull();
    if (e.dns && isAddress) {
        *why = QStringLiteral("'%1' is an address, not a name to resolve: write %1:%2")
                   .arg(e.host)
                   .arg(e.port);
        return false;
    }
    if (!isAddress && !isHostName(e.host)) {
        *why = QStringLiteral("'%1' is neither an IP address nor a host name").arg(e.host);
        return false;
    }
    *endpoint = e;
    return true;
}

bool FleetSpec::parse(const QString& spec, QList<FleetEndpoint>* entries, QString* error)
{
    QList<FleetEndpoint> out;
    const QStringList parts = spec.split(QLatin1Char(','));
    if (spec.trimmed().isEmpty()) {
        *error = QStringLiteral("the fleet SPEC is empty: expected a comma list of host:port and "
                                "dns:NAME:PORT");
        return false;
    }
    for (int i = 0; i < parts.size(); ++i) {
        const QString entry = parts[i].trimmed();
        QString why;
        FleetEndpoint e;
        if (entry.isEmpty())
            why = QStringLiteral("empty entry");
        else if (parseEntry(entry, &e, &why) && out.contains(e))
            why = QStringLiteral("listed twice");
        if (!why.isEmpty()) {
            *error = QStringLiteral("'%1': entry %2 '%3': %4").arg(spec).arg(i + 1).arg(entry, why);
            return false;
        }
        out << e;
    }
    *entries = out;
    return true;
}

} // namespace swarm
