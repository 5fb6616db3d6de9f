#include "editor/DiagnosticsView.h"

#include <QStyle>

namespace swarm {

DiagnosticsView::DiagnosticsView(QWidget* parent)
    : QListWidget(parent)
{
    setWordWrap(true);
    setUniformItemSizes(false);
    setResizeMode(QListView::Adjust);
    connect(this, &QListWidget::itemActivated, this, [this](QListWidgetItem* item) {
        const int i = row(item);
        if (i >= 0 && i < m_diagnostics.size())
            Q_EMIT jumpRequested(m_diagnostics[i].line, m_diagnostics[i].column);
    });
    connect(this, &QListWidget::itemClicked, this, &QListWidget::itemActivated);
}

void DiagnosticsView::setDiagnostics(const Diagnostics& diagnostics, const QString& okText)
{
    m_diagnostics = diagnostics;
    clear();
    if (diagnostics.isEmpty()) {
        auto* item = new QListWidgetItem(
            style()->standardIcon(QStyle::SP_DialogApplyButton), okText, this);
        item->setFlags(Qt::ItemIsEnabled);
        fitHeight();
        return;
    }
    const QIcon errorIcon = style()->standardIcon(QStyle::SP_MessageBoxCritical);
    const QIcon warningIcon = style()->standardIcon(QStyle::SP_MessageBoxWarning);
    for (const Diagnostic& d : diagnostics) {
        const QIcon& icon = d.isWarning() ? warningIcon : errorIcon;
        QStringList where;
        if (d.line > 0) where << tr("line %1").arg(d.line);
        if (d.actionIndex > 0) where << tr("action %1").arg(d.actionIndex);
        if (!d.key.isEmpty()) where << QLatin1Char('\'') + d.key + QLatin1Char('\'');
        const QString message = d.isWarning() ? tr("warning: %1").arg(d.message) : d.message;
        const QString text = where.isEmpty()
            ? message
            : where.join(QStringLiteral(", ")) + QStringLiteral(": ") + message;
        auto* item = new QListWidgetItem(icon, text, this);
        item->setToolTip(d.toString());
    }
    fitHeight();
}

void DiagnosticsView::fitHeight()
{
    // As tall as its first few problems: no empty box when all is well, no scrolling for two.
    int h = 2 * frameWidth() + 2;
    for (int i = 0; i < qMin(count(), 4); ++i)
        h += qMax(sizeHintForRow(i), fontMetrics().height() + 4);
    setFixedHeight(h);
}

} // namespace swarm
