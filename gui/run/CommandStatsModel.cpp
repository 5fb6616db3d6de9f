#include "run/CommandStatsModel.h"

#include "Colors.h"

#include "stats/StatusText.h"

#include <QBrush>
#include <QFont>
#include <QLocale>

namespace swarm {

CommandStatsModel::CommandStatsModel(QObject* parent)
    : QAbstractTableModel(parent)
{ }

void CommandStatsModel::setSnapshot(const StatsSnapshot& s)
{
    QList<Row> rows;
    for (const CommandTotals& c : s.commands) {
        Row r;
        r.name = c.name;
        r.requests = c.requests;
        r.errors = c.errors;
        r.rps = c.rps;
        r.p50 = c.latency.percentile(50);
        r.p90 = c.latency.percentile(90);
        r.p99 = c.latency.percentile(99);
        r.max = c.latency.max();
        r.p99Intended = c.corrected.percentile(99);
        rows << r;
    }
    if (!rows.isEmpty()) {
        Row t;
        t.name = tr("Total");
        t.requests = s.requests;
        t.errors = s.requestErrors;
        t.rps = s.rps;
        t.p50 = s.latency.percentile(50);
        t.p90 = s.latency.percentile(90);
        t.p99 = s.latency.percentile(99);
        t.max = s.latency.max();
        t.p99Intended = s.corrected.percentile(99);
        t.total = true;
        rows << t;
    }
    if (rows.size() == m_rows.size()) {
        // The same commands as a second ago: only the figures change (selection and scroll
        // position stay).
        m_rows = rows;
        if (!m_rows.isEmpty())
            Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_rows = rows;
    endResetModel();
}

void CommandStatsModel::clear()
{
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

int CommandStatsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int CommandStatsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CommandStatsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size()) return QVariant();
    const Row& r = m_rows[index.row()];
    switch (role) {
    case Qt::DisplayRole: {
        const QLocale locale;
        switch (index.column()) {
        case Name:
            return r.name;
        case Requests:
            return locale.toString(r.requests);
        case Errors:
            return locale.toString(r.errors);
        case Rps:
            return locale.toString(r.rps, 'f', 1);
        case P50:
            return r.requests ? formatMicros(r.p50) : QStringLiteral("–");
        case P90:
            return r.requests ? formatMicros(r.p90) : QStringLiteral("–");
        case P99:
            return r.requests ? formatMicros(r.p99) : QStringLiteral("–");
        case Max:
            return r.requests ? formatMicros(r.max) : QStringLiteral("–");
        case P99Intended:
            return r.p99Intended ? formatMicros(r.p99Intended) : QStringLiteral("–");
        }
        break;
    }
    case Qt::UserRole: // raw values, for tests and sorting
        switch (index.column()) {
        case Name:
            return r.name;
        case Requests:
            return r.requests;
        case Errors:
            return r.errors;
        case Rps:
            return r.rps;
        case P50:
            return r.p50;
        case P90:
            return r.p90;
        case P99:
            return r.p99;
        case Max:
            return r.max;
        case P99Intended:
            return r.p99Intended;
        }
        break;
    case Qt::TextAlignmentRole:
        return index.column() == Name ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                                      : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::FontRole:
        if (r.total) {
            QFont f;
            f.setBold(true);
            return f;
        }
        break;
    case Qt::ForegroundRole:
        if (index.column() == Errors && r.errors > 0) return QBrush(colors::problem());
        break;
    }
    return QVariant();
}

QVariant CommandStatsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal) return QVariant();
    if (role == Qt::DisplayRole) {
        // QT_TR_NOOP marks them for translation (lupdate cannot see inside tr(names[i])).
        static const char* names[] = {QT_TR_NOOP("Command"), QT_TR_NOOP("Requests"),
            QT_TR_NOOP("Errors"), QT_TR_NOOP("Req/s"), QT_TR_NOOP("p50"), QT_TR_NOOP("p90"),
            QT_TR_NOOP("p99"), QT_TR_NOOP("Max"), QT_TR_NOOP("p99*")};
        return tr(names[section]);
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case Rps:
            return tr("Requests per second over the last second");
        case P50:
        case P90:
        case P99:
        case Max:
            return tr("Latency over the whole run: a request until its reply");
        case P99Intended:
            return tr("Open model (--rate, rate:): p99 from each round's intended start, so the "
                      "time a request waited for its busy connection counts");
        case Errors:
            return tr("Failed requests and script errors of this command");
        }
    }
    return QVariant();
}

} // namespace swarm
