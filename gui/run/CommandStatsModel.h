#pragma once

#include "stats/StatsSnapshot.h"

#include <QAbstractTableModel>

namespace swarm {

// One row per command, then the run's total, in the spirit of Locust's statistics table:
// requests, errors, requests/s (last second), latency p50, p90, p99 and max (whole run), and in
// the open model p99 from the intended start.
class CommandStatsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    // P99Intended: the open model's p99 from each round's intended start ("–" in the closed loop).
    enum Column { Name, Requests, Errors, Rps, P50, P90, P99, Max, P99Intended, ColumnCount };

    explicit CommandStatsModel(QObject* parent = nullptr);

    void setSnapshot(const StatsSnapshot& snapshot);
    void clear();

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    struct Row
    {
        QString name;
        quint64 requests = 0;
        quint64 errors = 0;
        double rps = 0;
        quint64 p50 = 0, p90 = 0, p99 = 0, max = 0;
        quint64 p99Intended = 0; // 0: nothing paced
        bool total = false;
    };
    QList<Row> m_rows;
};

} // namespace swarm
