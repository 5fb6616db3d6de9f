#include "run/AgentsView.h"

#include <QFontDatabase>
#include <QScrollBar>

namespace swarm {

AgentsView::AgentsView(QWidget* parent)
    : QPlainTextEdit(parent)
{
    setReadOnly(true);
    setLineWrapMode(QPlainTextEdit::NoWrap);
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setMaximumHeight(fontMetrics().lineSpacing() * 8);
    setObjectName(QStringLiteral("agentsView"));
    setAccessibleName(tr("Agents"));
    hide();
}

void AgentsView::setAgents(const QString& text)
{
    setVisible(!text.isEmpty());
    if (text == toPlainText()) return;
    const int scrolled = verticalScrollBar()->value();
    setPlainText(text);
    verticalScrollBar()->setValue(scrolled);
}

} // namespace swarm
