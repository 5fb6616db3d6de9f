#include "run/AgentsModel.h"

#include "Colors.h"

#include <QBrush>
#include <QJsonObject>
#include <QLocale>

#include <algorithm>

namespace swarm {

AgentsModel::AgentsModel(QObject* parent)
    : QAbstractTableModel(parent)
{ }

bool AgentsModel::Row::operator==(const Row& o) const
{
    return address == o.address && index == o.index && count == o.count && state == o.state
        && connections == o.connections && share == o.share && rps == o.rps
        && lastError == o.lastError;
}

AgentsModel::Row AgentsModel::rowOf(const QJsonObject& a)
{
    Row r;
    r.address = a.value(QLatin1String("address")).toString();
    r.state = a.value(QLatin1String("state")).toString();
    r.connections = a.value(QLatin1String("connections")).toInt();
    r.share = a.value(QLatin1String("share")).toInt();
    r.rps = a.value(QLatin1String("rps")).toDouble();
    r.lastError = a.value(QLatin1String("lastError")).toString();
    const QJsonObject identity = a.value(QLatin1String("identity")).toObject();
    if (!identity.isEmpty()) {
        r.index = identity.value(QLatin1String("agentIndex")).toInt();
        r.count = identity.value(QLatin1String("agentCount")).toInt();
    }
    return r;
}

// The controller's agents keep their order (first seen first; one that left is gone, one that
// joined comes last): rows that left are removed, rows that stayed change in place, newcomers
// are appended.
void AgentsModel::setAgents(const QJsonArray& agents)
{
    QList<Row> rows;
    for (const QJsonValue& a : agents)
        rows << rowOf(a.toObject());
    const auto has = [](const QList<Row>& in, const QString& address) {
        return std::any_of(
            in.begin(), in.end(), [&](const Row& r) { return r.address == address; });
    };
    for (int i = int(m_rows.size()) - 1; i >= 0; --i) {
        if (has(rows, m_rows[i].address)) continue;
        beginRemoveRows(QModelIndex(), i, i);
        m_rows.removeAt(i);
        endRemoveRows();
    }
    for (const Row& r : rows) {
        const auto it = std::find_if(
            m_rows.begin(), m_rows.end(), [&](const Row& m) { return m.address == r.address; });
        if (it != m_rows.end()) {
            if (*it == r) continue;
            *it = r;
            const int row = int(it - m_rows.begin());
            Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
            continue;
        }
        beginInsertRows(QModelIndex(), int(m_rows.size()), int(m_rows.size()));
        m_rows << r;
        endInsertRows();
    }
}

int AgentsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int AgentsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AgentsModel::display(const Row& r, int column) const
{
    const QLocale locale;
    switch (column) {
    case Address:
        return r.address;
    case Index:
        return r.index < 0 ? QStringLiteral("–")
                           : QStringLiteral("%1/%2").arg(r.index).arg(r.count);
    case State:
        return r.state;
    case Connections:
        return locale.toString(r.connections);
    case Share:
        return locale.toString(r.share);
    case Rps:
        return locale.toString(r.rps, 'f', 1);
    case LastError:
        return r.lastError;
    }
    return QVariant();
}

QVariant AgentsModel::raw(const Row& r, int column) const
{
    switch (column) {
    case Address:
        return r.address;
    case Index:
        return r.index;
    case State:
        return r.state;
    case Connections:
        return r.connections;
    case Share:
        return r.share;
    case Rps:
        return r.rps;
    case LastError:
        return r.lastError;
    }
    return QVariant();
}

QVariant AgentsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size()) return QVariant();
    const Row& r = m_rows[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        return display(r, index.column());
    case Qt::UserRole:
        return raw(r, index.column());
    case Qt::ToolTipRole:
        if (index.column() == LastError && !r.lastError.isEmpty()) return r.lastError;
        break;
    case Qt::TextAlignmentRole:
        return index.column() >= Connections && index.column() <= Rps
            ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
            : QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::ForegroundRole:
        if (index.column() == State)
            return QBrush(r.state == QLatin1String("up") ? colors::fine() : colors::problem());
        break;
    }
    return QVariant();
}

QVariant AgentsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return QVariant();
    switch (section) {
    case Address:
        return tr("Agent");
    case Index:
        return tr("Index");
    case State:
        return tr("State");
    case Connections:
        return tr("Connections");
    case Share:
        return tr("Share");
    case Rps:
        return tr("Req/s");
    case LastError:
        return tr("Last error");
    }
    return QVariant();
}

} // namespace swarm
