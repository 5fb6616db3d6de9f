#pragma once

#include <QJsonArray>
#include <QTableView>

class QSortFilterProxyModel;

namespace swarm {

class AgentsModel;

// A fleet controller's agents in the run panel (`--fleet`): a table, one row per agent (address,
// agent index, state, connections, share, req/s, last error), updated every second in place
// (selection and scroll position stay), sortable by any column. Hidden without a fleet.
class AgentsView : public QTableView
{
    Q_OBJECT
public:
    explicit AgentsView(QWidget* parent = nullptr);
    // `fleet`: whether the run is a fleet controller's (else the view hides); agents as
    // LoadDriver::agentsJson gives them.
    void setAgents(bool fleet, const QJsonArray& agents);
    AgentsModel* agentsModel() const { return m_model; }

private:
    void fitRows();

    AgentsModel* m_model;
    QSortFilterProxyModel* m_sorted;
};

} // namespace swarm
