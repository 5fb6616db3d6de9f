#pragma once

#include <QWidget>

class QLabel;

namespace swarm {

class CodeEditor;
class DiagnosticsView;
class ScenarioDocument;
class YamlHighlighter;

// The scenario as YAML text: what the user types goes to the document as is (never rewritten
// while it is invalid); the loader's problems show under the lines concerned and in a list
// below, where a click jumps to the line.
class YamlEditor : public QWidget
{
    Q_OBJECT
public:
    explicit YamlEditor(ScenarioDocument* document, QWidget* parent = nullptr);

    CodeEditor* editor() const { return m_editor; }
    DiagnosticsView* diagnostics() const { return m_diagnostics; }
    // The visual editor's change, as one undoable edit; the cursor goes to `line`.
    void replaceFromVisual(const QString& text, int line);

private:
    void showDiagnostics();

    ScenarioDocument* m_document;
    CodeEditor* m_editor;
    DiagnosticsView* m_diagnostics;
    QLabel* m_status;
    YamlHighlighter* m_highlighter;
    bool m_setting = false;
};

} // namespace swarm
