#include "stats/StatusText.h"

#include <QDateTime>
#include <QStringList>

namespace swarm {

QString formatMicros(quint64 us)
{
    if (us < 1000)
        return QStringLiteral("%1µs").arg(us);
    if (us < 1000000)
        return QStringLiteral("%1ms").arg(double(us) / 1000.0, 0, 'f', us < 10000 ? 2 : 1);
    return QStringLiteral("%1s").arg(double(us) / 1e6, 0, 'f', 2);
}

QString formatElapsed(qint64 ms)
{
    const qint64 s = ms / 1000;
    if (s < 60)
        return QStringLiteral("%1s").arg(s);
    if (s < 3600)
        return QStringLiteral("%1m%2s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1h%2m").arg(s / 3600).arg((s / 60) % 60, 2, 10, QLatin1Char('0'));
}

QString formatBytes(double bytes)
{
    static const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (bytes >= 1024.0 && u < 4) {
        bytes /= 1024.0;
        ++u;
    }
    return u == 0 ? QStringLiteral("%1 B").arg(qint64(bytes))
                  : QStringLiteral("%1 %2").arg(bytes, 0, 'f', 1).arg(QLatin1String(units[u]));
}

QString formatStatus(const StatsSnapshot& s, int target, bool final)
{
    QStringList lines;
    lines << QStringLiteral("<---------- %1, %2 %3")
                 .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                      final ? QStringLiteral("stopped after") : QStringLiteral("running for"),
                      formatElapsed(s.elapsedMs));

    QStringList realtime;
    for (int i = 0; i < kStateCount; ++i)
        if (s.current[size_t(i)] > 0)
            realtime << QStringLiteral("%1: %2").arg(QLatin1String(stateName(i))).arg(s.current[size_t(i)]);
    QString total = QString::number(s.connections);
    if (target != s.connections && !final)
        total += QStringLiteral(" (target %1)").arg(target);
    lines << QString::fromLatin1(final ? "At the stop: total: %1, %2" : "Realtime: total: %1, %2")
                 .arg(total, realtime.isEmpty() ? QStringLiteral("empty")
                                                : realtime.join(QStringLiteral(", ")));

    QStringList aggregates;
    QStringList errors;
    for (int i = 0; i < kStateCount; ++i) {
        const qint64 n = s.transitions[size_t(i)];
        if (n <= 0)
            continue;
        const QString item = QStringLiteral("%1: %2").arg(QLatin1String(stateName(i))).arg(n);
        aggregates << item;
        if (isErrorState(ConnState(i)))
            errors << item;
    }
    lines << QStringLiteral("Aggregates: %1")
                 .arg(aggregates.isEmpty() ? QStringLiteral("empty")
                                           : aggregates.join(QStringLiteral(", ")));
    // At the end, the run's rate: the last interval may be a few milliseconds long.
    const double seconds = double(s.elapsedMs) / 1000.0;
    const auto rate = [&](quint64 count, double lastInterval) {
        return final ? (seconds > 0 ? double(count) / seconds : 0.0) : lastInterval;
    };
    lines << QStringLiteral("Actions completed: %1; requests: %2 (%3/s%4); errors: %5%6")
                 .arg(s.actionsCompleted)
                 .arg(s.requests)
                 .arg(rate(s.requests, s.rps), 0, 'f', 1)
                 .arg(final ? QStringLiteral(" over the run") : QString())
                 .arg(s.errors())
                 .arg(errors.isEmpty()
                         ? QString()
                         : QStringLiteral(" (%1)").arg(errors.join(QStringLiteral(", "))));
    if (s.messagesReceived || s.messagesSent)
        lines << QStringLiteral("Messages (not requests): received from the server (pushed): %1; "
                                "sent without a reply (acks): %2")
                     .arg(s.messagesReceived)
                     .arg(s.messagesSent);
    if (!s.commands.empty() || s.connectTime.count() > 0) {
        lines << QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8")
                     .arg(QStringLiteral("command"), -20)
                     .arg(QStringLiteral("requests"), 10)
                     .arg(QStringLiteral("errors"), 8)
                     .arg(QStringLiteral("req/s"), 10)
                     .arg(QStringLiteral("p50"), 9)
                     .arg(QStringLiteral("p90"), 9)
                     .arg(QStringLiteral("p99"), 9)
                     .arg(QStringLiteral("max"), 9);
        // TCP connect is not a command: its own row, in brackets no command name can have.
        if (s.connectTime.count() > 0) {
            const LatencyHistogram& h = s.connectTime;
            lines << QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8")
                         .arg(QStringLiteral("[tcp connect]"), -20)
                         .arg(h.count(), 10)
                         .arg(QStringLiteral("-"), 8)
                         .arg(QStringLiteral("-"), 10)
                         .arg(formatMicros(h.percentile(50)), 9)
                         .arg(formatMicros(h.percentile(90)), 9)
                         .arg(formatMicros(h.percentile(99)), 9)
                         .arg(formatMicros(h.max()), 9);
        }
        for (const CommandTotals& c : s.commands) {
            QString name = c.name;
            if (c.messagesReceived || c.messagesSent)
                name += QStringLiteral(" (+%1 in, %2 out)")
                            .arg(c.messagesReceived)
                            .arg(c.messagesSent);
            lines << QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8")
                         .arg(name, -20)
                         .arg(c.requests, 10)
                         .arg(c.errors, 8)
                         .arg(rate(c.requests, c.rps), 10, 'f', 1)
                         .arg(formatMicros(c.latency.percentile(50)), 9)
                         .arg(formatMicros(c.latency.percentile(90)), 9)
                         .arg(formatMicros(c.latency.percentile(99)), 9)
                         .arg(formatMicros(c.latency.max()), 9);
        }
    }
    if (!s.recentErrors.isEmpty()) {
        lines << QStringLiteral("Recent errors (%1 ago):").arg(formatElapsed(s.elapsedMs - s.recentErrorsAtMs));
        for (const QString& e : s.recentErrors)
            lines << QStringLiteral("  ") + e;
    }
    lines << QStringLiteral("-------------------->");
    return lines.join(QLatin1Char('\n'));
}

} // namespace swarm
