#pragma once

#include "stats/StatsSnapshot.h"

#include <QTableWidget>

namespace swarm {

// The connection counters by state, as the console's status prints them: how many are in each
// state now ("Realtime") and how many transitions into it the run has seen ("Aggregates").
// Error states are red when they are not zero.
class StateCountsView : public QTableWidget
{
    Q_OBJECT
public:
    enum RowKind { NowRow, TotalRow };

    explicit StateCountsView(QWidget* parent = nullptr);

    void setSnapshot(const StatsSnapshot& snapshot);
    void clearCounts();
    qint64 count(RowKind row, ConnState state) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override { return sizeHint(); }

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void fitHeaderLabels();
    void elideLabels(int width);
    void setCell(int row, int column, qint64 value, bool error);
    bool m_fitting = false;
};

} // namespace swarm
