#pragma once

#include <QAbstractTableModel>
#include <QJsonArray>

namespace swarm {

// A fleet controller's agents as a table, one row per agent, from the controller's own account
// of them (LoadDriver::agentsJson, as `stats json` gives it): address, agent index, state,
// connections, share, req/s, last error. An update changes rows in place, inserts the agents that
// joined and removes those that left, so a view keeps its selection and scroll position.
class AgentsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Address, Index, State, Connections, Share, Rps, LastError, ColumnCount };

    explicit AgentsModel(QObject* parent = nullptr);

    void setAgents(const QJsonArray& agents);

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    // DisplayRole: text; Qt::UserRole: the raw value (numbers as numbers), to sort by and test.
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    struct Row
    {
        QString address;
        int index = -1; // -1: no snapshot yet
        int count = 0;
        QString state;
        int connections = 0;
        int share = 0;
        double rps = 0;
        QString lastError;
        bool operator==(const Row& o) const;
    };
    static Row rowOf(const QJsonObject& agent);
    QVariant display(const Row& r, int column) const;
    QVariant raw(const Row& r, int column) const;

    QList<Row> m_rows;
};

} // namespace swarm
