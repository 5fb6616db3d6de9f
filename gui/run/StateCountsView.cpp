#include "run/StateCountsView.h"

#include "Colors.h"

#include <QHeaderView>
#include <QLocale>

namespace swarm {

StateCountsView::StateCountsView(QWidget* parent)
    : QTableWidget(2, kStateCount, parent)
{
    QStringList names;
    for (int i = 0; i < kStateCount; ++i)
        names << QString::fromLatin1(stateName(i)).replace(QLatin1Char('_'), QLatin1Char('\n'));
    setHorizontalHeaderLabels(names);
    setVerticalHeaderLabels({tr("Now"), tr("Total")});
    verticalHeaderItem(NowRow)->setToolTip(tr("Connections in each state now (Realtime)"));
    verticalHeaderItem(TotalRow)->setToolTip(
        tr("Transitions into each state since the run started (Aggregates)"));
    horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    horizontalHeader()->setMinimumSectionSize(30);
    // Eleven states side by side: a notch smaller, so "connecting" fits a narrow column.
    QFont small = horizontalHeader()->font();
    small.setPointSizeF(small.pointSizeF() - 1);
    horizontalHeader()->setFont(small);
    verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setSelectionMode(QAbstractItemView::NoSelection);
    setFocusPolicy(Qt::NoFocus);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    for (int i = 0; i < kStateCount; ++i)
        if (isErrorState(ConnState(i)))
            horizontalHeaderItem(i)->setToolTip(tr("An error state: the connection waits here, "
                                                   "then reconnects"));
    clearCounts();
}

QSize StateCountsView::sizeHint() const
{
    const int h = horizontalHeader()->sizeHint().height()
        + 2 * verticalHeader()->defaultSectionSize() + 2 * frameWidth() + 2;
    return QSize(600, h);
}

void StateCountsView::setCell(int row, int column, qint64 value, bool error)
{
    QTableWidgetItem* it = item(row, column);
    if (!it) {
        it = new QTableWidgetItem;
        it->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        setItem(row, column, it);
    }
    it->setText(QLocale().toString(value));
    it->setData(Qt::UserRole, value);
    if (value == 0)
        it->setForeground(palette().brush(QPalette::PlaceholderText));
    else if (error)
        it->setForeground(colors::problem());
    else
        it->setForeground(palette().brush(QPalette::Text));
}

void StateCountsView::setSnapshot(const StatsSnapshot& s)
{
    for (int i = 0; i < kStateCount; ++i) {
        const bool error = isErrorState(ConnState(i));
        setCell(NowRow, i, s.current[size_t(i)], error);
        setCell(TotalRow, i, s.transitions[size_t(i)], error);
    }
}

void StateCountsView::clearCounts()
{
    setSnapshot(StatsSnapshot());
}

qint64 StateCountsView::count(RowKind row, ConnState state) const
{
    const QTableWidgetItem* it = item(row, int(state));
    return it ? it->data(Qt::UserRole).toLongLong() : 0;
}

} // namespace swarm
