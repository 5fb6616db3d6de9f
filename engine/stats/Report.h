#pragma once

#include "stats/StatsSnapshot.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace swarm {

// What a report says about the run besides its figures.
struct RunInfo
{
    QString server;
    QString scenario;
    QString protocol;
    QDateTime startedAt;
    int threads = 0;
    QString io; // the transport the run used
    QString ioFallback; // why it is not the one asked for (empty: it is)
    QString tls; // TlsConfig::describe() with --tls; empty: plain TCP
    bool tlsInsecure = false; // --tls-insecure: said in the report too
    double rate = 0; // --rate at the start (0: the closed loop, or the actions' own rates)
    QString arrivals; // --arrivals: fixed or poisson
    int connections = 0; // --connections
    qint64 durationMs = 0; // --duration; 0: until stopped
    double ramp = 0; // --ramp
};

// The run as JSON (schema in docs/REPORT.md): the `--report` file, the console's `stats json`
// (one line) and the GUI's export all use it.
QJsonObject reportJson(const StatsSnapshot& snapshot, const RunInfo& info);
QJsonObject latencyJson(const LatencyHistogram& histogram);

// The time series as CSV, one row per interval (`--csv`).
QString timeSeriesCsv(const TimeSeries& series);

} // namespace swarm
