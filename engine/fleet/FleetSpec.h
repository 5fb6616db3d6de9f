#pragma once

#include <QList>
#include <QString>

namespace swarm {

// One entry of --fleet: an agent's console at host:port, or `dns:NAME:PORT`, every address NAME
// resolves to (A and AAAA records, looked up again every few seconds: a headless Service).
struct FleetEndpoint
{
    bool dns = false;
    QString host; // an address or a host name; with dns, the name to resolve
    quint16 port = 0;

    QString text() const; // as written: "10.0.0.5:7000", "[::1]:7000", "dns:agents:7000"
    bool operator==(const FleetEndpoint& o) const
    {
        return dns == o.dns && host == o.host && port == o.port;
    }
};

// The --fleet SPEC: a comma list of host:port and dns:NAME:PORT entries.
class FleetSpec
{
public:
    // The entries of `spec`, or false and *error naming the SPEC, the entry and what is wrong.
    static bool parse(const QString& spec, QList<FleetEndpoint>* entries, QString* error);

private:
    static bool parseEntry(const QString& entry, FleetEndpoint* endpoint, QString* why);
};

} // namespace swarm
