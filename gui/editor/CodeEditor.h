#pragma once

#include "scenario/Diagnostic.h"

#include <QMap>
#include <QPlainTextEdit>

namespace swarm {

class LineNumberArea;

// A plain-text editor for source files: monospace, line numbers, the current line lit, and the
// loaders' problems marked where they are (a red wave under the line, a dot in the gutter).
class CodeEditor : public QPlainTextEdit
{
    Q_OBJECT
public:
    explicit CodeEditor(QWidget* parent = nullptr);

    void setDiagnostics(const Diagnostics& diagnostics);
    // Puts the cursor at line:column (1-based) and shows it.
    void jumpTo(int line, int column = 1);
    // Replaces the whole text as one undoable step (Ctrl+Z brings the old text back), leaving
    // the cursor on line `cursorLine` (1-based; 0 keeps the current line).
    void replaceText(const QString& text, int cursorLine = 0);
    int cursorLine() const { return textCursor().blockNumber() + 1; }
    // What Tab inserts: spaces, as YAML forbids tabs for indentation.
    void setIndent(const QString& indent) { m_indent = indent; }

    int lineNumberAreaWidth() const;
    void paintLineNumbers(QPaintEvent* event);
    void gutterClicked(const QPoint& pos);

protected:
    void resizeEvent(QResizeEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

private:
    void updateMargins();
    void updateGutter(const QRect& rect, int dy);
    void updateSelections();

    LineNumberArea* m_gutter;
    QMap<int, QString> m_problems; // line -> messages
    Diagnostics m_diagnostics;
    QString m_indent = QStringLiteral("  ");
};

} // namespace swarm
