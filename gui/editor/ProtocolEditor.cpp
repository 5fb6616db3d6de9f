#include "editor/ProtocolEditor.h"

#include "Colors.h"

#include "editor/CodeEditor.h"
#include "editor/DiagnosticsView.h"
#include "editor/JsHighlighter.h"
#include "editor/ScenarioDocument.h"
#include "scenario/BundleLoader.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QVBoxLayout>

namespace swarm {

ProtocolEditor::ProtocolEditor(ScenarioDocument* document, QWidget* parent)
    : QWidget(parent)
    , m_document(document)
    , m_editor(new CodeEditor(this))
    , m_diagnostics(new DiagnosticsView(this))
    , m_file(new QLabel(this))
    , m_result(new QLabel(this))
    , m_check(new QPushButton(tr("&Check"), this))
    , m_reload(new QPushButton(tr("&Reload"), this))
    , m_save(new QPushButton(tr("Save &Module"), this))
{
    m_editor->setObjectName(QStringLiteral("moduleText"));
    m_diagnostics->setObjectName(QStringLiteral("moduleDiagnostics"));
    m_check->setObjectName(QStringLiteral("checkModuleButton"));
    m_reload->setObjectName(QStringLiteral("reloadModuleButton"));
    m_result->setObjectName(QStringLiteral("checkResult"));
    m_editor->setIndent(QStringLiteral("    "));
    m_highlighter = new JsHighlighter(m_editor->document());
    m_file->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_file->setWordWrap(true);
    m_result->setWordWrap(true);
    m_check->setToolTip(tr("Check the module as a run would: syntax, load-time errors, commands"));
    m_reload->setToolTip(tr("Read the module file again (changes here are discarded)"));
    m_save->setToolTip(tr("Save the module (a bundled module is saved under a new name)"));

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_file, 1);
    buttons->addWidget(m_check);
    buttons->addWidget(m_reload);
    buttons->addWidget(m_save);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(m_editor, 1);
    layout->addWidget(m_result);
    layout->addWidget(m_diagnostics);

    m_setting = true;
    m_editor->setPlainText(document->moduleSource());
    m_setting = false;
    updateHeader();

    connect(m_editor, &CodeEditor::textChanged, this, [this] {
        if (!m_setting) {
            m_document->setModuleSource(m_editor->toPlainText());
            m_result->clear();
        }
    });
    connect(document, &ScenarioDocument::moduleReplaced, this, [this] {
        m_setting = true;
        m_editor->setPlainText(m_document->moduleSource());
        m_setting = false;
        m_result->clear();
    });
    connect(document, &ScenarioDocument::validated, this, &ProtocolEditor::showDiagnostics);
    connect(document, &ScenarioDocument::pathsChanged, this, &ProtocolEditor::updateHeader);
    connect(document, &ScenarioDocument::modifiedChanged, this, &ProtocolEditor::updateHeader);
    connect(m_diagnostics, &DiagnosticsView::jumpRequested, m_editor, &CodeEditor::jumpTo);
    connect(m_check, &QPushButton::clicked, this, &ProtocolEditor::check);
    connect(m_reload, &QPushButton::clicked, this, &ProtocolEditor::reload);
    connect(m_save, &QPushButton::clicked, this, &ProtocolEditor::saveRequested);
}

void ProtocolEditor::updateHeader()
{
    const QString path = m_document->modulePath();
    QString text = path.isEmpty()
        ? tr("<i>no module loaded</i>")
        : QStringLiteral("<b>%1</b>%2 — %3")
              .arg(m_document->moduleName() + QStringLiteral(".js"),
                  m_document->moduleModified() ? QStringLiteral("*") : QString(),
                  path.toHtmlEscaped());
    if (path.startsWith(QLatin1String(":/"))) text += tr(" (bundled: saving asks for a file)");
    m_file->setText(text);
    m_reload->setEnabled(!path.isEmpty());
}

bool ProtocolEditor::check()
{
    ProtocolModuleInfo info;
    const QString file = m_document->modulePath().isEmpty() ? QStringLiteral("module.js")
                                                            : m_document->modulePath();
    const Diagnostics problems = BundleLoader::checkModule(
        m_document->moduleSource(), file, m_document->scriptTimeoutMs(), &info);
    m_editor->setDiagnostics(problems);
    m_diagnostics->setDiagnostics(problems, tr("No problems."));
    const int errors = int(errorsOf(problems).size());
    if (errors == 0) {
        const int warnings = int(problems.size());
        m_result->setText(
            tr("<span style='color:%5'>✔ OK:</span> %1 defines %2: %3%4")
                .arg(info.name)
                .arg(info.commands.size() == 1 ? tr("1 command")
                                               : tr("%1 commands").arg(info.commands.size()))
                .arg(info.commandNames().join(QStringLiteral(", ")))
                .arg(warnings == 0      ? QString()
                        : warnings == 1 ? tr(" (1 warning)")
                                        : tr(" (%1 warnings)").arg(warnings))
                .arg(colors::css(colors::fine())));
    } else {
        m_result->setText(tr("<span style='color:%2'>✘ %1</span> (click one to go to its "
                             "line)")
                              .arg(problems.size() == 1 ? tr("1 problem")
                                                        : tr("%1 problems").arg(problems.size()))
                              .arg(colors::css(colors::problem())));
    }
    return errors == 0;
}

void ProtocolEditor::reload()
{
    if (m_document->moduleModified()
        && QMessageBox::question(this, tr("Reload module"),
               tr("Discard your changes to %1.js and read the file again?")
                   .arg(m_document->moduleName()),
               QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Cancel)
            != QMessageBox::Discard)
        return;
    QString error;
    if (!m_document->reloadModule(&error)) {
        m_result->setText(QStringLiteral("<span style='color:%1'>%2</span>")
                              .arg(colors::css(colors::problem()), error.toHtmlEscaped()));
        return;
    }
    m_document->validateNow();
    m_result->setText(tr("Reloaded %1.").arg(m_document->modulePath().toHtmlEscaped()));
}

void ProtocolEditor::showDiagnostics()
{
    const auto& problems = m_document->moduleDiagnostics();
    m_editor->setDiagnostics(problems);
    m_diagnostics->setDiagnostics(problems, tr("No problems in the module."));
}

} // namespace swarm
