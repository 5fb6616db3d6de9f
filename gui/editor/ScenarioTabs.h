#pragma once

#include <QTabWidget>

namespace swarm {

class ProtocolEditor;
class ScenarioDocument;
class ScenarioEditor;
class YamlEditor;

// The scenario's three views, kept in sync through the document: the visual editor, the YAML
// text and the protocol module. A valid YAML text updates the visual editor; a visual edit
// becomes YAML text (Scenario::toYaml, the file's leading comments kept).
class ScenarioTabs : public QTabWidget
{
    Q_OBJECT
public:
    enum Tab { VisualTab, YamlTab, ProtocolTab };

    explicit ScenarioTabs(ScenarioDocument* document, QWidget* parent = nullptr);

    ScenarioEditor* visual() const { return m_visual; }
    YamlEditor* yaml() const { return m_yaml; }
    ProtocolEditor* protocol() const { return m_protocol; }
    // Shows a tab and puts the keyboard focus in its main control (Ctrl+1/2/3).
    void focusTab(int tab);

    // The text the visual editor's scenario becomes, keeping the comments the file starts with.
    static QString regenerate(const QString& oldText, const QString& newYaml);

private:
    void onValidated();
    void onModuleChanged();
    void updateTitles();

    ScenarioDocument* m_document;
    ScenarioEditor* m_visual;
    YamlEditor* m_yaml;
    ProtocolEditor* m_protocol;
    QString m_moduleSignature;
};

} // namespace swarm
