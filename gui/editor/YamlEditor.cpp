#include "editor/YamlEditor.h"

#include "Colors.h"

#include "editor/CodeEditor.h"
#include "editor/DiagnosticsView.h"
#include "editor/ScenarioDocument.h"
#include "editor/YamlHighlighter.h"

#include <QLabel>
#include <QVBoxLayout>

namespace swarm {

YamlEditor::YamlEditor(ScenarioDocument* document, QWidget* parent)
    : QWidget(parent)
    , m_document(document)
    , m_editor(new CodeEditor(this))
    , m_diagnostics(new DiagnosticsView(this))
    , m_status(new QLabel(this))
{
    m_editor->setObjectName(QStringLiteral("yamlText"));
    m_diagnostics->setObjectName(QStringLiteral("yamlDiagnostics"));
    m_editor->setIndent(QStringLiteral("  "));
    m_highlighter = new YamlHighlighter(m_editor->document());
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_editor, 1);
    layout->addWidget(m_status);
    layout->addWidget(m_diagnostics);

    m_setting = true;
    m_editor->setPlainText(document->yaml());
    m_setting = false;

    connect(m_editor, &CodeEditor::textChanged, this, [this] {
        if (!m_setting) m_document->setYaml(m_editor->toPlainText());
    });
    connect(document, &ScenarioDocument::scenarioReplaced, this, [this] {
        m_setting = true;
        m_editor->setPlainText(m_document->yaml());
        m_setting = false;
    });
    connect(document, &ScenarioDocument::validated, this, &YamlEditor::showDiagnostics);
    connect(m_diagnostics, &DiagnosticsView::jumpRequested, m_editor, &CodeEditor::jumpTo);
}

void YamlEditor::replaceFromVisual(const QString& text, int line)
{
    m_setting = true;
    m_editor->replaceText(text, line);
    m_setting = false;
    m_document->setYaml(text);
}

void YamlEditor::showDiagnostics()
{
    const auto& problems = m_document->scenarioDiagnostics();
    m_editor->setDiagnostics(problems);
    m_diagnostics->setDiagnostics(problems, tr("No problems: the scenario is valid."));
    if (!problems.isEmpty())
        m_status->setText(
            tr("<b style='color:%2'>%1</b> — the text is kept as you typed it; click a "
               "problem to go to its line.")
                .arg(
                    problems.size() == 1 ? tr("1 problem") : tr("%1 problems").arg(problems.size()))
                .arg(colors::css(colors::problem())));
    else if (!m_document->moduleDiagnostics().isEmpty())
        m_status->setText(tr("The scenario reads fine, but its module %1.js has problems: see the "
                             "Protocol tab.")
                              .arg(m_document->moduleName()));
    else
        m_status->setText(tr("Valid: checked against %1.js.").arg(m_document->moduleName()));
}

} // namespace swarm
