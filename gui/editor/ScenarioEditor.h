#pragma once

#include "scenario/Scenario.h"
#include "script/ProtocolModuleInfo.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QListWidget;
class QToolButton;

namespace swarm {

class ActionDetails;
class DataFilesView;

// The visual scenario editor: the protocol, the list of actions (add, remove, duplicate,
// reorder by drag or buttons) and the selected action's details. It edits a copy of the last
// scenario that parsed and reports every change as a whole new scenario (scenarioEdited); the
// window turns that into YAML text.
class ScenarioEditor : public QWidget
{
    Q_OBJECT
public:
    explicit ScenarioEditor(QWidget* parent = nullptr);

    void setModule(const ProtocolModuleInfo& module);
    void setProtocols(const QStringList& names);
    // Shows a scenario without emitting scenarioEdited(); the selection stays where it was.
    void setScenario(const Scenario& scenario);
    Scenario scenario() const { return m_scenario; }
    // While the YAML text does not parse the visual editor cannot show it: it is disabled and
    // says why, and nothing here may overwrite the text.
    void setBlocked(const QString& reason);
    bool isBlocked() const { return m_blocked; }

    int currentAction() const;
    void selectAction(int index);

    QListWidget* actionList() const { return m_list; }
    ActionDetails* details() const { return m_details; }
    DataFilesView* dataFiles() const { return m_dataFiles; }
    QComboBox* protocolBox() const { return m_protocol; }

    // The action buttons, for tests and the keyboard.
    void addAction();
    void duplicateAction();
    void removeAction();
    void moveAction(int delta);

Q_SIGNALS:
    void scenarioEdited(const swarm::Scenario& scenario);
    void actionSelected(int index);
    // The blocked notice's link: show the YAML text.
    void yamlRequested();

private:
    void setUpControls();
    void createButtons();
    void layOut();
    void connectEditing();
    void rebuildList();
    QString summary(int index) const;
    void updateButtons();
    void syncOrderFromList();
    void emitEdited();

    Scenario m_scenario;
    ProtocolModuleInfo m_module;
    QComboBox* m_protocol;
    QListWidget* m_list;
    ActionDetails* m_details;
    DataFilesView* m_dataFiles;
    QLabel* m_blockedLabel;
    QWidget* m_body;
    QToolButton* m_add;
    QToolButton* m_duplicate;
    QToolButton* m_remove;
    QToolButton* m_up;
    QToolButton* m_down;
    QList<DataSource> m_shownData; // what m_dataFiles shows: reloaded only when it changes
    QString m_shownFile;
    bool m_blocked = false;
    bool m_filling = false;
};

} // namespace swarm
