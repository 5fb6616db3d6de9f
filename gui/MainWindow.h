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
class FileController;
class RecentFiles;
class RunPanel;
class RunSession;
class ScenarioDocument;
class ScenarioTabs;

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
    // Menu actions by object name ("actionSave", "actionAddConnections", ...).
    QAction* action(const QString& name) const { return m_actions.value(name); }

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    QAction* addAction(QMenu* menu, const QString& name, const QString& text,
        const QKeySequence& key, const std::function<void()>& slot);
    void createMenus();
    void createFileMenu();
    void createRunMenu();
    void createViewMenu();
    void createHelpMenu();
    void createToolBar();
    void createStatusBar();
    void readSettings();
    void writeSettings();
    void updateTitle();
    void updateStatus();
    static QString stateText(RunSession::State state);
    void updateActions();
    void showAbout();
    void resetLayout();
    void onValidated();

    Options m_options;
    ScenarioDocument* m_document;
    RunSession* m_session;
    ScenarioTabs* m_tabs;
    RunPanel* m_runPanel;
    ChartsPanel* m_charts;
    ConsolePane* m_console;
    RecentFiles* m_recent = nullptr;
    FileController* m_files = nullptr;
    QSplitter* m_centre;
    QDockWidget* m_scenarioDock;
    QDockWidget* m_consoleDock;
    QMap<QString, QAction*> m_actions;
    QLabel* m_stateLabel;
    QLabel* m_connectionsLabel;
    QLabel* m_rpsLabel;
    QLabel* m_errorsLabel;
    QLabel* m_consoleLabel;
    QByteArray m_defaultState;
    QTimer m_closeTimeout;
    bool m_waitingForStart = false;
    bool m_closing = false;
    bool m_closeConfirmed = false; // unsaved changes asked about
    bool m_forceClose = false;
};

} // namespace swarm
