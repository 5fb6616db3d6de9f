// FleetEngine: how the agents are shown (`status`, `status agents`, `stats json`).
#include "fleet/AgentLink.h"
#include "fleet/FleetEngine.h"

#include <QJsonObject>

namespace swarm {

QString FleetEngine::agentsText() const
{
    const std::vector<int> share = shares();
    int up = 0;
    for (AgentLink* l : m_links)
        up += l->isUp() ? 1 : 0;
    QStringList lines;
    lines << QStringLiteral("Agents: %1 up of %2 (rebalance %3)")
                 .arg(up)
                 .arg(m_links.size())
                 .arg(m_settings.rebalance ? "on" : "off");
    for (size_t i = 0; i < m_links.size(); ++i) {
        const AgentLink* l = m_links[i];
        const int connections = l->isUp() ? l->last()->totals.connections : 0;
        lines << QStringLiteral("  %1 %2 %3 conns, share %4, %5 req/s%6")
                     .arg(l->address(), -22)
                     .arg(AgentLink::stateName(l->state()), -11)
                     .arg(connections, 7)
                     .arg(share[i], 7)
                     .arg(l->rps(), 9, 'f', 1)
                     .arg(l->lastError().isEmpty()
                             ? QString()
                             : QStringLiteral(", last error: ") + l->lastError());
    }
    return lines.join(QLatin1Char('\n'));
}

QJsonArray FleetEngine::agentsJson() const
{
    const std::vector<int> share = shares();
    QJsonArray agents;
    for (size_t i = 0; i < m_links.size(); ++i) {
        const AgentLink* l = m_links[i];
        QJsonObject o {{QStringLiteral("address"), l->address()},
            {QStringLiteral("state"), AgentLink::stateName(l->state())},
            {QStringLiteral("share"), share[i]},
            {QStringLiteral("connections"), l->isUp() ? l->last()->totals.connections : 0},
            {QStringLiteral("rps"), l->rps()}, {QStringLiteral("lastError"), l->lastError()}};
        if (const AgentState* s = l->last())
            o[QStringLiteral("identity")]
                = QJsonObject {{QStringLiteral("version"), s->identity.version},
                    {QStringLiteral("scenario"), s->identity.scenario},
                    {QStringLiteral("protocol"), s->identity.protocol},
                    {QStringLiteral("io"), s->identity.io},
                    {QStringLiteral("bundleDigest"), s->identity.bundleDigest},
                    {QStringLiteral("agentIndex"), s->identity.agentIndex},
                    {QStringLiteral("agentCount"), s->identity.agentCount},
                    {QStringLiteral("target"), s->target}};
        agents << o;
    }
    return agents;
}

} // namespace swarm
