#pragma once

#include <QWidget>

namespace swarm {

class CodeEditor;

// The gutter of a CodeEditor: line numbers, and a red mark on lines with a problem.
class LineNumberArea : public QWidget
{
public:
    explicit LineNumberArea(CodeEditor* editor);
    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;

private:
    CodeEditor* m_editor;
};

} // namespace swarm
