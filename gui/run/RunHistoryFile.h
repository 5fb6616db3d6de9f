#pragma once

#include "stats/StatsSnapshot.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <memory>

namespace swarm {

// The window's run history on disk, so it outlives the window: one JSON file under
// QStandardPaths::AppDataLocation ("run-history.json"), written all or nothing (saveFile) each
// time a run joins the history, read when the window opens. Each run keeps its number, its label,
// its report (docs/REPORT.md, thresholds included) and its time series as the --csv columns.
class RunHistoryFile
{
public:
    struct Entry
    {
        int number = 0;
        QString label;
        QJsonObject report;
        std::shared_ptr<const TimeSeries> series;
    };

    // A run's series longer than this is thinned to every n-th sample: a day at one a second
    // would make the file ~9 MB per run, rewritten at each run's end.
    static constexpr int kMaxSamples = 7200;

    static QString defaultPath(); // AppDataLocation/run-history.json
    // False with *error when the file exists but cannot be read or is not a run history; no
    // file is an empty history.
    static bool load(const QString& path, QList<Entry>* entries, QString* error);
    static bool save(const QString& path, const QList<Entry>& entries, QString* error);
};

} // namespace swarm
