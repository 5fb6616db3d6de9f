#pragma once

#include "stats/StatsSnapshot.h"

#include <QJsonArray>
#include <QList>
#include <QString>

namespace swarm {

// A pass/fail condition on a run's final figures, as k6 offers them (`--threshold`):
//   [COMMAND.]METRIC OP VALUE
// METRIC: p50 p90 p95 p99 p999 max min mean (latency; VALUE with us, ms or s, default ms),
//         rps (requests per second over the run), requests (count),
//         errors (a count, or with % the error ratio).
//         A latency metric with the prefix intended_ (intended_p99) is the open model's latency
//         from the intended start instead of the service time.
// OP: < <= > >=.   Examples: p99<50ms  errors<1%  rps>1000  heartbeat.p99<20ms
class Threshold
{
public:
    // Parses; false with *error ("'p99<<5': ...") when the text is not a threshold.
    static bool parse(const QString& text, Threshold* out, QString* error);

    struct Outcome
    {
        bool passed = false;
        QString actual; // the measured value, with its unit
        QString message; // "p99<50ms: failed, measured 72.1ms" / "... no such command"
    };
    Outcome evaluate(const StatsSnapshot& snapshot) const;
    // Every threshold on one snapshot, as the --report file, the HTML report and the window's
    // exports show them: [{threshold, passed, actual}, ...]; each outcome also in *outcomes.
    static QJsonArray evaluateAll(const QList<Threshold>& thresholds, const StatsSnapshot& snapshot,
        QList<Outcome>* outcomes = nullptr);

    QString text() const { return m_text; }

private:
    enum class Metric { Percentile, Max, Min, Mean, Rps, Requests, Errors, ErrorRatio };
    enum class Op { Less, LessEqual, Greater, GreaterEqual };
    // Each false with *why when the value does not suit the metric.
    bool setMetric(const QString& metric, double value, const QString& unit, QString* why);
    bool setPercentile(const QString& digits, QString* why);
    bool setLatency(double value, const QString& unit, QString* why);
    // The metric's value in the run (of one command when `command` is set), and as shown.
    double measure(const StatsSnapshot& s, const CommandTotals* command,
        const LatencyHistogram& latency, QString* shown) const;
    bool isLatency() const;
    bool holds(double actual) const; // actual <op> the threshold's value
    QString m_text;
    QString m_command; // empty: all commands
    bool m_intended = false; // latency from the intended start (the open model)
    Metric m_metric = Metric::Percentile;
    double m_percentile = 0;
    Op m_op = Op::Less;
    double m_value = 0; // µs for latencies, a ratio (0..1) for ErrorRatio
};

} // namespace swarm
