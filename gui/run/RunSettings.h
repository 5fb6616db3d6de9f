#pragma once

#include <QWidget>

class QDoubleSpinBox;
class QSpinBox;

namespace swarm {

class RunSession;

// The run's settings the command line sets (--ramp, --connect-timeout, --reply-timeout), in the
// run panel: the ramp applies to the running load at once (the console's `ramp R`, as the
// session "gui"); the timeouts to the next run.
class RunSettings : public QWidget
{
    Q_OBJECT
public:
    RunSettings(RunSession* session, QWidget* parent = nullptr);

    QDoubleSpinBox* rampBox() const { return m_ramp; }
    QSpinBox* connectTimeoutBox() const { return m_connectTimeout; }
    QSpinBox* replyTimeoutBox() const { return m_replyTimeout; }

private:
    RunSession* m_session;
    QDoubleSpinBox* m_ramp;
    QSpinBox* m_connectTimeout;
    QSpinBox* m_replyTimeout;
};

} // namespace swarm
