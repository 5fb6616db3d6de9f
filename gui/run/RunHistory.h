#pragma once

#include "run/RunHistoryFile.h"

#include <QList>
#include <QObject>

namespace swarm {

class RunSession;

// The last finished runs of the window, kept when a new run replaces them: their time series
// and report (thresholds included) stay readable, to compare in the charts or save as a report.
// They outlive the window: stored in `path` (RunHistoryFile) at each run's end and read again
// when the next window opens. A history file that cannot be read is set aside (renamed *.bad)
// and reported by loadProblem(); the window opens with an empty history.
class RunHistory : public QObject
{
    Q_OBJECT
public:
    static constexpr int kMaxRuns = 10; // the oldest goes beyond

    using PastRun = RunHistoryFile::Entry; // number, label ("Run 2 · 14:03 · 3:10 · 124,500
                                           // requests"), report, series

    // An empty `path`: RunHistoryFile::defaultPath().
    explicit RunHistory(RunSession* session, QObject* parent = nullptr, QString path = {});

    const QList<PastRun>& runs() const { return m_runs; } // newest first
    // The window closes: its last run (if it had load) joins the history as a replaced one does.
    void keepLastRun();
    // The run's report (docs/REPORT.md), as File → Export Report writes the current one.
    bool writeReport(int index, const QString& path, QString* error) const;
    QString path() const { return m_path; }
    QString loadProblem() const { return m_loadProblem; } // empty: read fine (or no file yet)

Q_SIGNALS:
    void changed();
    void problem(const QString& text); // the history could not be stored

private:
    void keep();
    void load();

    RunSession* m_session;
    QString m_path;
    QString m_loadProblem;
    QList<PastRun> m_runs;
    int m_count = 0;
};

} // namespace swarm
