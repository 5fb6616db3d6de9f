#include "editor/LineNumberArea.h"

#include "editor/CodeEditor.h"

#include <QMouseEvent>

namespace swarm {

LineNumberArea::LineNumberArea(CodeEditor* editor)
    : QWidget(editor)
    , m_editor(editor)
{ }

QSize LineNumberArea::sizeHint() const
{
    return QSize(m_editor->lineNumberAreaWidth(), 0);
}

void LineNumberArea::paintEvent(QPaintEvent* event)
{
    m_editor->paintLineNumbers(event);
}

void LineNumberArea::mousePressEvent(QMouseEvent* event)
{
    // A click on a marked line shows its problem, as the list below does.
    m_editor->gutterClicked(event->position().toPoint());
}

} // namespace swarm
