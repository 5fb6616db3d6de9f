#pragma once

#include <QWidget>

class QLabel;
class QPushButton;

namespace swarm {

class CodeEditor;
class DiagnosticsView;
class JsHighlighter;
class ScenarioDocument;

// The scenario's protocol module (.js), highlighted and editable. Check runs the same checks a
// run makes (syntax, load-time errors, declared commands) and says what it found; Reload reads
// the file again. Problems are marked on their lines.
class ProtocolEditor : public QWidget
{
    Q_OBJECT
public:
    explicit ProtocolEditor(ScenarioDocument* document, QWidget* parent = nullptr);

    CodeEditor* editor() const { return m_editor; }
    DiagnosticsView* diagnostics() const { return m_diagnostics; }
    QLabel* checkResult() const { return m_result; }

    // Checks the module now; true when it has no problem.
    bool check();
    void reload();

Q_SIGNALS:
    void saveRequested();
    void saveAsRequested();

private:
    void showDiagnostics();
    void updateHeader();

    ScenarioDocument* m_document;
    CodeEditor* m_editor;
    DiagnosticsView* m_diagnostics;
    JsHighlighter* m_highlighter;
    QLabel* m_file;
    QLabel* m_result;
    QPushButton* m_check;
    QPushButton* m_reload;
    QPushButton* m_save;
    bool m_setting = false;
};

} // namespace swarm
