#include "run/AgentsView.h"

#include "run/AgentsModel.h"

#include <QHeaderView>
#include <QSortFilterProxyModel>

namespace swarm {

namespace {
constexpr int kMaxVisibleRows = 8; // then it scrolls
}

AgentsView::AgentsView(QWidget* parent)
    : QTableView(parent)
    , m_model(new AgentsModel(this))
    , m_sorted(new QSortFilterProxyModel(this))
{
    setObjectName(QStringLiteral("agentsView"));
    m_model->setObjectName(QStringLiteral("agentsModel"));
    setAccessibleName(tr("Agents"));
    m_sorted->setSourceModel(m_model);
    m_sorted->setSortRole(Qt::UserRole); // numbers as numbers
    setModel(m_sorted);
    // The controller's order (first seen first) until a header is clicked.
    horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    setSortingEnabled(true);
    verticalHeader()->hide();
    horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    horizontalHeader()->setStretchLastSection(true); // the last error takes the room left
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    setAlternatingRowColors(true);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setWordWrap(false);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &AgentsView::fitRows);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &AgentsView::fitRows);
    fitRows();
    hide();
}

void AgentsView::setAgents(bool fleet, const QJsonArray& agents)
{
    setVisible(fleet);
    m_model->setAgents(fleet ? agents : QJsonArray());
}

// As tall as its rows, up to kMaxVisibleRows, then it scrolls.
void AgentsView::fitRows()
{
    const int rows = qBound(1, m_model->rowCount(), kMaxVisibleRows);
    setFixedHeight(horizontalHeader()->sizeHint().height()
        + rows * verticalHeader()->defaultSectionSize() + 2 * frameWidth() + 2);
}

} // namespace swarm
