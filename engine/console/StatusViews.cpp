#include "console/StatusViews.h"

#include "stats/StatusText.h"

#include <QStringList>

namespace swarm {

QString StatusViews::errors(const StatsSnapshot& s)
{
    QStringList lines;
    QStringList byKind;
    for (int i = 0; i < kStateCount; ++i)
        if (isErrorState(ConnState(i)) && s.transitions[size_t(i)] > 0)
            byKind << QStringLiteral("%1: %2")
                          .arg(QLatin1String(stateName(i)))
                          .arg(s.transitions[size_t(i)]);
    lines << QStringLiteral("Errors: %1 in %2%3")
                 .arg(s.errors())
                 .arg(formatElapsed(s.elapsedMs))
                 .arg(byKind.isEmpty()
                         ? QString()
                         : QStringLiteral(" (%1)").arg(byKind.join(QStringLiteral(", "))));
    if (s.errorTotals.empty()) {
        lines << QStringLiteral("No error so far.");
        return lines.join(QLatin1Char('\n'));
    }
    lines << QStringLiteral("%1 %2 %3 %4  %5")
                 .arg(QStringLiteral("kind"), -16)
                 .arg(QStringLiteral("command"), -16)
                 .arg(QStringLiteral("count"), 10)
                 .arg(QStringLiteral("last"), 8)
                 .arg(QStringLiteral("last message"));
    for (const ErrorTotals& e : s.errorTotals)
        lines << QStringLiteral("%1 %2 %3 %4  %5")
                     .arg(e.kind, -16)
                     .arg(e.command.isEmpty() ? QStringLiteral("-") : e.command, -16)
                     .arg(e.count, 10)
                     .arg(formatElapsed(qMax<qint64>(0, s.elapsedMs - e.lastAtMs))
                             + QStringLiteral(" ago"),
                         8)
                     .arg(e.lastMessage.left(200));
    return lines.join(QLatin1Char('\n'));
}

QString StatusViews::commands(const StatsSnapshot& s)
{
    if (s.commands.empty()) return QStringLiteral("No command has run yet.");
    QStringList lines;
    lines << QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8 %9 %10 %11")
                 .arg(QStringLiteral("command"), -16)
                 .arg(QStringLiteral("requests"), 10)
                 .arg(QStringLiteral("errors"), 8)
                 .arg(QStringLiteral("req/s"), 9)
                 .arg(QStringLiteral("err/s"), 7)
                 .arg(QStringLiteral("p50"), 8)
                 .arg(QStringLiteral("p99"), 8)
                 .arg(QStringLiteral("p99.9"), 8)
                 .arg(QStringLiteral("max"), 8)
                 .arg(QStringLiteral("sent"), 10)
                 .arg(QStringLiteral("received"), 10);
    for (const CommandTotals& c : s.commands)
        lines << QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8 %9 %10 %11")
                     .arg(c.name, -16)
                     .arg(c.requests, 10)
                     .arg(c.errors, 8)
                     .arg(c.rps, 9, 'f', 1)
                     .arg(c.errorsPerSecond, 7, 'f', 1)
                     .arg(formatMicros(c.latency.percentile(50)), 8)
                     .arg(formatMicros(c.latency.percentile(99)), 8)
                     .arg(formatMicros(c.latency.percentile(99.9)), 8)
                     .arg(formatMicros(c.latency.max()), 8)
                     .arg(formatBytes(double(c.bytesSent)), 10)
                     .arg(formatBytes(double(c.bytesReceived)), 10);
    if (s.openModel()) {
        // The open model: the same requests timed from their intended start.
        lines << QString() << openModelLine(s)
              << QStringLiteral("%1 %2 %3 %4 %5")
                     .arg(QStringLiteral("from the intended start"), -26)
                     .arg(QStringLiteral("p50"), 8)
                     .arg(QStringLiteral("p99"), 8)
                     .arg(QStringLiteral("p99.9"), 8)
                     .arg(QStringLiteral("max"), 8);
        for (const CommandTotals& c : s.commands)
            lines << QStringLiteral("%1 %2 %3 %4 %5")
                         .arg(c.name, -26)
                         .arg(formatMicros(c.corrected.percentile(50)), 8)
                         .arg(formatMicros(c.corrected.percentile(99)), 8)
                         .arg(formatMicros(c.corrected.percentile(99.9)), 8)
                         .arg(formatMicros(c.corrected.max()), 8);
    }
    return lines.join(QLatin1Char('\n'));
}

QString StatusViews::connections(const StatsSnapshot& s, const LoadDriver& engine)
{
    QStringList lines;
    QStringList states;
    for (int i = 0; i < kStateCount; ++i)
        if (s.current[size_t(i)] > 0)
            states << QStringLiteral("%1: %2")
                          .arg(QLatin1String(stateName(i)))
                          .arg(s.current[size_t(i)]);
    lines << QStringLiteral("Connections: %1 open, target %2, peak %3")
                 .arg(s.connections)
                 .arg(engine.target())
                 .arg(s.peakConnections);
    lines << QStringLiteral("By state: %1")
                 .arg(
                     states.isEmpty() ? QStringLiteral("none") : states.join(QStringLiteral(", ")));
    const double ramp = engine.ramp();
    lines << QStringLiteral("Ramp: %1; %2 waiting to open")
                 .arg(ramp > 0 ? QStringLiteral("%1 per second").arg(ramp)
                               : QStringLiteral("none (all at once)"))
                 .arg(engine.pendingRamp());
    const std::vector<LoadDriver::WorkerLoad> loads = engine.workerLoads();
    for (size_t w = 0; w < loads.size(); ++w)
        lines << QStringLiteral("Worker %1: %2 open of %3 assigned")
                     .arg(w)
                     .arg(loads[w].open)
                     .arg(loads[w].assigned);
    return lines.join(QLatin1Char('\n'));
}

} // namespace swarm
