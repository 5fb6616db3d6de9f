#pragma once

#include <QObject>

class QLabel;
class QStatusBar;

namespace swarm {

class RunSession;

// The status bar's figures as separate fields of fixed width: the run's state (Idle until the
// first connection), connected, failing, target, requests/s, errors and the console. Each is
// wide enough for its usual text; a changing figure never moves its neighbours or widens the
// window, and a longer text is elided with the whole of it in the tooltip.
class StatusFields : public QObject
{
    Q_OBJECT
public:
    StatusFields(RunSession* session, QStatusBar* bar);

    void update();

private:
    RunSession* m_session;
    QLabel* m_state;
    QLabel* m_connected;
    QLabel* m_failing;
    QLabel* m_target;
    QLabel* m_rps;
    QLabel* m_errors;
    QLabel* m_console;
};

} // namespace swarm
