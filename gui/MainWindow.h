#pragma once

#include "run/Options.h"
#include "run/RunSession.h"

#include <QMainWindow>
#include <QMap>
#include <QTimer>

#include <functional>

class QAction;
class QDockWidget;
class QLabel;
class QSplitter;

namespace swarm {

class ChartsPanel;
class ConsolePane;
class EditMenu;
class FileController;
class RecentFiles;
class RunHistory;
class RunPanel;
class RunSession;
class ScenarioDocument;
class ScenarioTabs;
class StatusFields;

// The desktop application's window: the scenario editors (left), the run panel and charts
// (centre), the console mirror (bottom left); menus, toolbar, status bar and shortcuts. It
// starts the run at once from the command-line options (console listening, nothing connected)
// and stops it cleanly when closed.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(const Options& options, QWidget* parent = nullptr);
    ~MainWindow() override;

    // Creates and starts the run as soon as the scenario is valid.
    void startInitialRun();

    ScenarioDocument* document() const { return m_document; }
    RunSession* session() const { return m_session; }
    ScenarioTabs* scenarioTabs() const { return m_tabs; }
    RunPanel* runPanel() const { return m_runPanel; }
    ChartsPanel* chartsPanel() const { return m_charts; }
    ConsolePane* consolePane() const { return m_console; }
    FileController* files() const { return m_files; }
    RecentFiles* recentFiles() const { return m_recent; }
    EditMenu* editMenu() const { return m_edit; }
    RunHistory* history() const { return m_history; }
    // Where a guide (README.md, PROTOCOLS.md) is on this machine, or empty.
    static QString documentPath(const QString& name);
    // View → Reset Layout: the docks, their sizes and the centre as at the first start.
    void resetLayout();
    // Menu actions by object name ("actionSave", "actionAddConnections", ...).
    QAction* action(const QString& name) const { return m_actions.value(name); }

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    QAction* addAction(QMenu* menu, const QString& name, const QString& text,
        const QKeySequence& key, const std::function<void()>& slot);
    void layOut();
    void connectParts();
    void createMenus();
    void createFileMenu();
    void createRunMenu();
    void createViewMenu();
    void createHelpMenu();
    void createToolBar();
    void readSettings();
    void writeSettings();
    void updateTitle();
    void updateActions();
    void showAbout();
    void placeDocks();
    void setEditorOnly(bool on);
    void openDocument(const QString& name);
    void onValidated();

    Options m_options;
    ScenarioDocument* m_document;
    RunSession* m_session;
    ScenarioTabs* m_tabs;
    RunPanel* m_runPanel;
    ChartsPanel* m_charts;
    ConsolePane* m_console;
    RunHistory* m_history;
    RecentFiles* m_recent = nullptr;
    FileController* m_files = nullptr;
    QSplitter* m_centre;
    QDockWidget* m_scenarioDock;
    QDockWidget* m_consoleDock;
    QMap<QString, QAction*> m_actions;
    StatusFields* m_fields;
    EditMenu* m_edit = nullptr;
    bool m_editorOnly = false;
    bool m_consoleWasShown = true;
    QByteArray m_defaultState;
    QByteArray m_defaultCentre;
    QTimer m_closeTimeout;
    bool m_waitingForStart = false;
    bool m_closing = false;
    bool m_closeConfirmed = false; // unsaved changes asked about
    bool m_forceClose = false;
    bool m_historyKept = false; // the last run joined the history as the window closed
};

} // namespace swarm
