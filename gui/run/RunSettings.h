#pragma once

#include <QWidget>

class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace swarm {

class RunSession;

// The run's settings the command line sets (--ramp, --connect-timeout, --reply-timeout,
// --duration, --threshold), in the run panel. The ramp applies to the running load at once (the
// console's `ramp R`, as the session "gui"); the duration and the thresholds to the run going
// now and the next ones (a duration counts from the run's first connection); the timeouts to the
// next run. A bad duration or threshold is explained under the fields, naming what was typed,
// and changes nothing.
class RunSettings : public QWidget
{
    Q_OBJECT
public:
    RunSettings(RunSession* session, QWidget* parent = nullptr);

    QDoubleSpinBox* rampBox() const { return m_ramp; }
    QSpinBox* connectTimeoutBox() const { return m_connectTimeout; }
    QSpinBox* replyTimeoutBox() const { return m_replyTimeout; }
    QLineEdit* durationEdit() const { return m_duration; }
    QLineEdit* thresholdsEdit() const { return m_thresholds; }

private:
    void layOut();
    void commitDuration();
    void commitThresholds();
    void showProblem(QLineEdit* edit, const QString& problem);

    RunSession* m_session;
    QDoubleSpinBox* m_ramp;
    QSpinBox* m_connectTimeout;
    QSpinBox* m_replyTimeout;
    QLineEdit* m_duration;
    QLineEdit* m_thresholds;
    QLabel* m_problem; // under the fields: why a duration or threshold was refused
    QLabel* m_note; // the timeouts changed during a run: they apply from the next
    QString m_durationProblem;
    QString m_thresholdsProblem;
};

} // namespace swarm
