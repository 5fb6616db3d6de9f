#include "TabOrder.h"

#include <QWidget>

namespace swarm {

namespace {

bool takesTab(const QWidget* w)
{
    return (w->focusPolicy() & Qt::TabFocus) && !w->focusProxy();
}

// The controls Tab can stop at inside `group` (itself included), in the focus chain's order.
QList<QWidget*> controlsOf(QWidget* group)
{
    QList<QWidget*> controls;
    if (takesTab(group)) controls << group;
    for (QWidget* w = group->nextInFocusChain(); w != group; w = w->nextInFocusChain())
        if (group->isAncestorOf(w) && takesTab(w)) controls << w;
    // A scroll area's or a table's own parts (viewport, scroll bars) take no Tab: the group is
    // the control.
    return controls;
}

} // namespace

void setReadingOrder(const QList<QWidget*>& groups)
{
    QList<QWidget*> order;
    for (QWidget* group : groups)
        for (QWidget* w : controlsOf(group))
            if (!order.contains(w)) order << w;
    for (int i = 1; i < order.size(); ++i)
        QWidget::setTabOrder(order[i - 1], order[i]);
}

} // namespace swarm
