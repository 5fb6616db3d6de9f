#pragma once

#include "stats/StatsSnapshot.h"

#include <QWidget>

#include <functional>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableView;

namespace swarm {

class AgentsView;
class CommandStatsModel;
class RunSession;
class ScenarioDocument;
class RunSettings;
class StateCountsView;

// Where the run is driven: the server and console addresses, the number of connections
// (+ / − send `incr` / `decr` through the console interpreter, as the session "gui"), Stop and
// New Run, applying the edited scenario to the running load, the counters by state and the
// per-command statistics.
class RunPanel : public QWidget
{
    Q_OBJECT
public:
    RunPanel(RunSession* session, ScenarioDocument* document, QWidget* parent = nullptr);

    void addConnections(); // the + button
    void removeConnections(); // the − button
    void stopRun();
    void newRun();
    void applyChanges();

    // A + / − step above this asks first (a mistyped step must not open a million connections).
    static constexpr int kConfirmStepAbove = 10000;
    // How a large step is confirmed: true goes ahead. A dialog by default; tests answer it.
    using Confirm = std::function<bool(const QString& question)>;
    void setConfirm(Confirm confirm) { m_confirm = std::move(confirm); }

    int step() const;
    QString stepText() const; // the + / − step as typed (kept in the settings)
    void setStepText(const QString& text);
    void focusTarget(); // the Run menu's "Set Target"
    bool canApply() const;

    // Says something about the run under the controls (red when `problem`).
    void showMessage(const QString& text, bool problem);
    void updateApplyState();

Q_SIGNALS:
    void message(const QString& text); // for the status bar
    void applyAvailable(bool available); // for the Run menu's Apply

private:
    void onStats(const StatsSnapshot& s);
    void onStateChanged();
    void onRunReplaced();
    void updateSummary();
    void setUpAddresses();
    void setUpLoadControls();
    void setUpTable();
    void layOut();
    void connectControls();
    void connectSession();
    void editTls();
    void showTls();
    void onApplied(bool ok, int version, const QString& error);
    // Sends an edited address to the session; a refused one is explained and put back.
    void commitAddress(QLineEdit* edit, bool (RunSession::*set)(const QString&, QString*),
        QString (RunSession::*current)() const);

    RunSession* m_session;
    ScenarioDocument* m_document;
    QLineEdit* m_server;
    QLineEdit* m_listen;
    QPushButton* m_tls; // opens the TLS dialog; says whether TLS is on
    QPushButton* m_minus;
    QPushButton* m_plus;
    QComboBox* m_step;
    QSpinBox* m_target;
    QPushButton* m_stop;
    QPushButton* m_newRun;
    QPushButton* m_apply;
    QLabel* m_summary;
    QLabel* m_applyState;
    QLabel* m_message;
    StateCountsView* m_states;
    AgentsView* m_agents; // --fleet: the agents
    CommandStatsModel* m_model;
    QTableView* m_table;
    RunSettings* m_settings;
    StatsSnapshot m_last;
    bool m_appliedShown = false; // the message says a version was applied
    Confirm m_confirm;
    bool confirmStep(const QString& what) const;
};

} // namespace swarm
