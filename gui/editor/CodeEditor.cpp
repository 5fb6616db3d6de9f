#include "editor/CodeEditor.h"

#include "Colors.h"

#include "editor/LineNumberArea.h"

#include <QFontDatabase>
#include <QKeyEvent>
#include <QPainter>
#include <QScrollBar>
#include <QTextBlock>
#include <QToolTip>

namespace swarm {

CodeEditor::CodeEditor(QWidget* parent)
    : QPlainTextEdit(parent)
    , m_gutter(new LineNumberArea(this))
{
    QFont font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    font.setPointSizeF(qMax(9.0, font.pointSizeF()));
    setFont(font);
    setLineWrapMode(QPlainTextEdit::NoWrap);
    setTabStopDistance(fontMetrics().horizontalAdvance(QLatin1Char(' ')) * 4);
    connect(this, &QPlainTextEdit::blockCountChanged, this, &CodeEditor::updateMargins);
    connect(this, &QPlainTextEdit::updateRequest, this, &CodeEditor::updateGutter);
    connect(this, &QPlainTextEdit::cursorPositionChanged, this, &CodeEditor::updateSelections);
    updateMargins();
    updateSelections();
}

int CodeEditor::lineNumberAreaWidth() const
{
    int digits = 1;
    for (int n = qMax(1, blockCount()); n >= 10; n /= 10)
        ++digits;
    return 14 + fontMetrics().horizontalAdvance(QLatin1Char('9')) * qMax(3, digits);
}

void CodeEditor::updateMargins()
{
    setViewportMargins(lineNumberAreaWidth(), 0, 0, 0);
}

void CodeEditor::updateGutter(const QRect& rect, int dy)
{
    if (dy)
        m_gutter->scroll(0, dy);
    else
        m_gutter->update(0, rect.y(), m_gutter->width(), rect.height());
    if (rect.contains(viewport()->rect())) updateMargins();
}

void CodeEditor::resizeEvent(QResizeEvent* event)
{
    QPlainTextEdit::resizeEvent(event);
    const QRect r = contentsRect();
    m_gutter->setGeometry(QRect(r.left(), r.top(), lineNumberAreaWidth(), r.height()));
}

void CodeEditor::paintLineNumbers(QPaintEvent* event)
{
    QPainter p(m_gutter);
    p.fillRect(event->rect(), palette().color(QPalette::AlternateBase));
    QTextBlock block = firstVisibleBlock();
    int top = qRound(blockBoundingGeometry(block).translated(contentOffset()).top());
    int bottom = top + qRound(blockBoundingRect(block).height());
    const int current = textCursor().blockNumber();
    while (block.isValid() && top <= event->rect().bottom()) {
        if (block.isVisible() && bottom >= event->rect().top()) {
            const int line = block.blockNumber() + 1;
            if (m_problems.contains(line)) {
                p.setBrush(colors::problem());
                p.setPen(Qt::NoPen);
                const int d = qMin(8, fontMetrics().height() - 4);
                p.drawEllipse(QRect(3, top + (fontMetrics().height() - d) / 2, d, d));
            }
            p.setPen(block.blockNumber() == current ? palette().color(QPalette::Text)
                                                    : palette().color(QPalette::PlaceholderText));
            p.drawText(0, top, m_gutter->width() - 4, fontMetrics().height(), Qt::AlignRight,
                QString::number(line));
        }
        block = block.next();
        top = bottom;
        bottom = top + qRound(blockBoundingRect(block).height());
    }
}

void CodeEditor::gutterClicked(const QPoint& pos)
{
    const QTextCursor c = cursorForPosition(QPoint(0, pos.y()));
    const int line = c.blockNumber() + 1;
    jumpTo(line);
    if (m_problems.contains(line))
        QToolTip::showText(m_gutter->mapToGlobal(pos), m_problems.value(line), m_gutter);
}

void CodeEditor::setDiagnostics(const Diagnostics& diagnostics)
{
    m_diagnostics = diagnostics;
    m_problems.clear();
    for (const Diagnostic& d : diagnostics) {
        // A problem without a line (an empty file) is shown on the first.
        const int line = qMax(1, qMin(d.line, blockCount()));
        QString& text = m_problems[line];
        if (!text.isEmpty()) text += QLatin1Char('\n');
        text += d.message;
    }
    updateSelections();
    m_gutter->update();
}

void CodeEditor::updateSelections()
{
    QList<QTextEdit::ExtraSelection> selections;
    if (!isReadOnly()) {
        QTextEdit::ExtraSelection line;
        line.format.setBackground(palette().color(QPalette::Highlight).lighter(190));
        line.format.setProperty(QTextFormat::FullWidthSelection, true);
        line.cursor = textCursor();
        line.cursor.clearSelection();
        selections << line;
    }
    for (const Diagnostic& d : m_diagnostics) {
        const QTextBlock block = document()->findBlockByNumber(qMax(1, d.line) - 1);
        if (!block.isValid()) continue;
        QTextEdit::ExtraSelection problem;
        problem.format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
        problem.format.setUnderlineColor(
            d.isWarning() ? colors::readable(QColor(0xe0, 0x8a, 0x00)) : colors::problem());
        problem.format.setToolTip(d.message);
        problem.cursor = QTextCursor(block);
        // From the column on (the key or value concerned), or the whole line.
        const int column = qBound(0, d.column - 1, qMax(0, block.length() - 2));
        problem.cursor.setPosition(block.position() + (d.column > 0 ? column : 0));
        problem.cursor.setPosition(
            block.position() + qMax(0, block.length() - 1), QTextCursor::KeepAnchor);
        if (!problem.cursor.hasSelection()) {
            // An empty line: mark its end so the wave still shows.
            problem.format.setBackground(QColor(255, 220, 220));
            problem.format.setProperty(QTextFormat::FullWidthSelection, true);
        }
        selections << problem;
    }
    setExtraSelections(selections);
    m_gutter->update();
}

void CodeEditor::jumpTo(int line, int column)
{
    const QTextBlock block = document()->findBlockByNumber(qMax(1, line) - 1);
    if (!block.isValid()) return;
    QTextCursor c(block);
    c.setPosition(block.position() + qBound(0, column - 1, qMax(0, block.length() - 1)));
    setTextCursor(c);
    centerCursor();
    setFocus(Qt::OtherFocusReason);
}

void CodeEditor::replaceText(const QString& text, int cursorLine)
{
    if (text == toPlainText()) return;
    const int line = cursorLine > 0 ? cursorLine : this->cursorLine();
    const int column = cursorLine > 0 ? 0 : textCursor().positionInBlock();
    const int scroll = verticalScrollBar()->value();
    QTextCursor c(document());
    c.beginEditBlock();
    c.select(QTextCursor::Document);
    c.insertText(text);
    c.endEditBlock();
    const QTextBlock block = document()->findBlockByNumber(qBound(0, line - 1, blockCount() - 1));
    QTextCursor at(block);
    at.setPosition(block.position() + qMin(column, qMax(0, block.length() - 1)));
    setTextCursor(at);
    if (cursorLine > 0)
        ensureCursorVisible();
    else
        verticalScrollBar()->setValue(scroll);
}

void CodeEditor::keyPressEvent(QKeyEvent* event)
{
    if (event->key() == Qt::Key_Tab && !(event->modifiers() & Qt::ControlModifier)
        && !textCursor().hasSelection()) {
        insertPlainText(m_indent);
        return;
    }
    if (event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) {
        // Keeps the indentation of the line, as the next key of a YAML list usually wants.
        const QString current = textCursor().block().text();
        int n = 0;
        while (n < current.size() && current[n] == QLatin1Char(' '))
            ++n;
        QPlainTextEdit::keyPressEvent(event);
        insertPlainText(current.left(n));
        return;
    }
    QPlainTextEdit::keyPressEvent(event);
}

} // namespace swarm
