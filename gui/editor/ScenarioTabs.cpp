#include "editor/ScenarioTabs.h"

#include "editor/CodeEditor.h"
#include "editor/ProtocolEditor.h"
#include "editor/ScenarioDocument.h"
#include "editor/ScenarioEditor.h"
#include "editor/YamlEditor.h"

#include <QListWidget>
#include <QStringList>

namespace swarm {

namespace {

// What the visual editor depends on: the module's commands and their parameters.
QString signatureOf(const ProtocolModuleInfo& m)
{
    QStringList parts {m.name};
    for (const CommandInfo& c : m.commands)
        parts << c.name + QLatin1Char('(') + c.params.join(QLatin1Char(',')) + QLatin1Char('|')
                + c.paramsWithDefault.join(QLatin1Char(',')) + QLatin1Char(')');
    return parts.join(QLatin1Char(';'));
}

// 1-based line of the index-th action's "- command:" in text written by Scenario::toYaml.
int lineOfAction(const QString& text, int index)
{
    const QStringList lines = text.split(QLatin1Char('\n'));
    int seen = -1;
    for (int i = 0; i < lines.size(); ++i)
        if (lines[i].startsWith(QLatin1String("  - ")) && ++seen == index) return i + 1;
    return 0;
}

} // namespace

ScenarioTabs::ScenarioTabs(ScenarioDocument* document, QWidget* parent)
    : QTabWidget(parent)
    , m_document(document)
    , m_visual(new ScenarioEditor(this))
    , m_yaml(new YamlEditor(document, this))
    , m_protocol(new ProtocolEditor(document, this))
{
    setObjectName(QStringLiteral("scenarioTabs"));
    setDocumentMode(true);
    addTab(m_visual, tr("Visual"));
    addTab(m_yaml, tr("YAML"));
    addTab(m_protocol, tr("Protocol"));

    connect(document, &ScenarioDocument::validated, this, &ScenarioTabs::onValidated);
    connect(document, &ScenarioDocument::moduleReplaced, this, &ScenarioTabs::onModuleChanged);
    connect(document, &ScenarioDocument::modifiedChanged, this, &ScenarioTabs::updateTitles);
    connect(document, &ScenarioDocument::pathsChanged, this, &ScenarioTabs::updateTitles);
    connect(m_visual, &ScenarioEditor::scenarioEdited, this, [this](const Scenario& s) {
        const QString text = regenerate(m_document->yaml(), s.toYaml());
        const QString header = text.left(text.size() - s.toYaml().size());
        const int line = lineOfAction(s.toYaml(), m_visual->currentAction());
        m_yaml->replaceFromVisual(text, line > 0 ? line + int(header.count(QLatin1Char('\n'))) : 0);
    });
    connect(m_visual, &ScenarioEditor::yamlRequested, this, [this] { setCurrentIndex(YamlTab); });
    onModuleChanged();
    if (document->parsedScenario()) m_visual->setScenario(*document->parsedScenario());
    updateTitles();
}

void ScenarioTabs::focusTab(int tab)
{
    setCurrentIndex(tab);
    QWidget* target = m_visual->actionList();
    if (tab == YamlTab) target = m_yaml->editor();
    if (tab == ProtocolTab) target = m_protocol->editor();
    target->setFocus(Qt::ShortcutFocusReason);
}

QString ScenarioTabs::regenerate(const QString& oldText, const QString& newYaml)
{
    QString header;
    const QStringList lines = oldText.split(QLatin1Char('\n'));
    for (const QString& line : lines) {
        const QString t = line.trimmed();
        if (!t.startsWith(QLatin1Char('#')) && !t.isEmpty()) break;
        header += line + QLatin1Char('\n');
    }
    return header + newYaml;
}

void ScenarioTabs::onModuleChanged()
{
    const QString signature = signatureOf(m_document->moduleInfo());
    if (signature != m_moduleSignature) {
        m_moduleSignature = signature;
        m_visual->setModule(m_document->moduleInfo());
    }
    m_visual->setProtocols(m_document->availableProtocols());
}

void ScenarioTabs::onValidated()
{
    onModuleChanged();
    const auto& parsed = m_document->parsedScenario();
    if (parsed) {
        m_visual->setBlocked(QString());
        // Only when they differ: the visual editor's own change comes back the same, and
        // rebuilding it would lose its focus.
        if (*parsed != m_visual->scenario()) m_visual->setScenario(*parsed);
    } else {
        const auto& problems = m_document->scenarioDiagnostics();
        QString first = problems.isEmpty() ? QString() : problems.first().message;
        if (!problems.isEmpty() && problems.first().line > 0)
            first = tr("line %1: %2").arg(problems.first().line).arg(first);
        m_visual->setBlocked(
            tr("<b>The YAML text has %1.</b> The visual editor shows the scenario again once the "
               "text reads; your text is kept as typed.<br>%2 <a href='yaml'>Go to the YAML "
               "tab</a>")
                .arg(
                    problems.size() == 1 ? tr("a problem") : tr("%1 problems").arg(problems.size()),
                    first.toHtmlEscaped()));
    }
    updateTitles();
}

void ScenarioTabs::updateTitles()
{
    const int yamlProblems = int(m_document->scenarioDiagnostics().size());
    const int moduleProblems = int(m_document->moduleDiagnostics().size());
    QString yaml = m_document->scenarioName() + (m_document->scenarioModified() ? "*" : "");
    if (yamlProblems) yaml += QStringLiteral(" (%1 ✘)").arg(yamlProblems);
    setTabText(YamlTab, tr("YAML: %1").arg(yaml));
    QString module = m_document->moduleName().isEmpty() ? tr("Protocol")
                                                        : m_document->moduleName()
            + QStringLiteral(".js") + (m_document->moduleModified() ? "*" : "");
    if (moduleProblems) module += QStringLiteral(" (%1 ✘)").arg(moduleProblems);
    setTabText(ProtocolTab, module);
    setTabToolTip(YamlTab, m_document->scenarioPath());
    setTabToolTip(ProtocolTab, m_document->modulePath());
}

} // namespace swarm
