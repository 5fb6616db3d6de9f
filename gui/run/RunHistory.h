#pragma once

#include "stats/Report.h"
#include "stats/StatsSnapshot.h"

#include <QList>
#include <QObject>

#include <memory>

namespace swarm {

class RunSession;

// The last finished runs of the window, kept when a new run replaces them: their final figures,
// time series and report stay readable, to compare in the charts or save as a report.
class RunHistory : public QObject
{
    Q_OBJECT
public:
    static constexpr int kMaxRuns = 10; // the oldest goes beyond (a day's series is ~6 MB)

    struct PastRun
    {
        int number = 0; // 1 for the window's first run with load
        QString label; // "Run 2 · 14:03 · 3:10 · 124,500 requests"
        RunInfo info;
        StatsSnapshot snapshot;
        std::shared_ptr<const TimeSeries> series;
    };

    explicit RunHistory(RunSession* session, QObject* parent = nullptr);

    const QList<PastRun>& runs() const { return m_runs; } // newest first
    // The run's report (docs/REPORT.md), as File → Export Report writes the current one.
    bool writeReport(int index, const QString& path, QString* error) const;

Q_SIGNALS:
    void changed();

private:
    void keep();

    RunSession* m_session;
    QList<PastRun> m_runs;
    int m_count = 0;
};

} // namespace swarm
