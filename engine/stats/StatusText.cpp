#include "stats/StatusText.h"

#include <QDateTime>
#include <QStringList>

namespace swarm {

QString formatMicros(quint64 us)
{
    if (us < 1000) return QStringLiteral("%1µs").arg(us);
    if (us < 1000000)
        return QStringLiteral("%1ms").arg(double(us) / 1000.0, 0, 'f', us < 10000 ? 2 : 1);
    return QStringLiteral("%1s").arg(double(us) / 1e6, 0, 'f', 2);
}

QString formatElapsed(qint64 ms)
{
    const qint64 s = ms / 1000;
    if (s < 60) return QStringLiteral("%1s").arg(s);
    if (s < 3600) return QStringLiteral("%1m%2s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
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

// The open model: achieved against asked rate, the backlog, and latency both ways.
QString openModelLine(const StatsSnapshot& s, bool final)
{
    const double seconds = double(s.elapsedMs) / 1000.0;
    const double achieved
        = final ? (seconds > 0 ? double(s.arrivals) / seconds : 0.0) : s.arrivalRate;
    QString line = QStringLiteral("Open model: %1 rounds/s%2 of %3/s asked; backlog %4")
                       .arg(achieved, 0, 'f', 1)
                       .arg(final ? QStringLiteral(" over the run") : QString())
                       .arg(final ? s.askedRateOverRun : s.askedRate, 0, 'f', 1)
                       .arg(s.backlog);
    // Behind by more than a tenth of a second's arrivals: more than a Poisson burst or a
    // connection finishing its round a little late.
    if (!final && s.askedRate > 0 && double(s.backlog) > qMax(1.0, s.askedRate / 10))
        line += QStringLiteral(" (NOT keeping up)");
    if (!s.corrected.isEmpty())
        line += QStringLiteral("; latency p50/p99 from the intended start %1/%2, service time "
                               "%3/%4")
                    .arg(formatMicros(s.corrected.percentile(50)),
                        formatMicros(s.corrected.percentile(99)),
                        formatMicros(s.latency.percentile(50)),
                        formatMicros(s.latency.percentile(99)));
    return line;
}

namespace {

// At the end, the run's rate; during it, the last interval's (the last interval of a finished run
// may be a few milliseconds long).
double rateOf(const StatsSnapshot& s, bool final, quint64 count, double lastInterval)
{
    const double seconds = double(s.elapsedMs) / 1000.0;
    return final ? (seconds > 0 ? double(count) / seconds : 0.0) : lastInterval;
}

QString joinedOrEmpty(const QStringList& items)
{
    return items.isEmpty() ? QStringLiteral("empty") : items.join(QStringLiteral(", "));
}

// "Realtime:" (or "At the stop:"): connections by state now; "Aggregates:": transitions into each
// state over the run. The error states' items also go to *errors.
QStringList connectionLines(const StatsSnapshot& s, int target, bool final, QStringList* errors)
{
    QStringList realtime;
    for (int i = 0; i < kStateCount; ++i)
        if (s.current[size_t(i)] > 0)
            realtime << QStringLiteral("%1: %2")
                            .arg(QLatin1String(stateName(i)))
                            .arg(s.current[size_t(i)]);
    QString total = QString::number(s.connections);
    if (target != s.connections && !final) total += QStringLiteral(" (target %1)").arg(target);
    QStringList aggregates;
    for (int i = 0; i < kStateCount; ++i) {
        const qint64 n = s.transitions[size_t(i)];
        if (n <= 0) continue;
        const QString item = QStringLiteral("%1: %2").arg(QLatin1String(stateName(i))).arg(n);
        aggregates << item;
        if (isErrorState(ConnState(i))) *errors << item;
    }
    return {QString::fromLatin1(final ? "At the stop: total: %1, %2" : "Realtime: total: %1, %2")
                .arg(total, joinedOrEmpty(realtime)),
        QStringLiteral("Aggregates: %1").arg(joinedOrEmpty(aggregates))};
}

// The per-command table's columns beyond the fixed ones: the open model's latency from the
// intended start, and messages in (pushed, read with recv) and out (sent, not requests), each
// only when the run has any.
struct TableColumns
{
    bool open = false;
    bool messages = false;
};

// One row of the table; h == nullptr: the header row.
QString tableRow(const TableColumns& columns, const QString& name, const QString& requests,
    const QString& errors, const QString& rps, const LatencyHistogram* h, quint64 in = 0,
    quint64 out = 0, const LatencyHistogram* corrected = nullptr)
{
    const auto at = [&](double p) { // p < 0: the maximum
        return formatMicros(p < 0 ? h->max() : h->percentile(p));
    };
    QString line = QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8")
                       .arg(name, -20)
                       .arg(requests, 10)
                       .arg(errors, 8)
                       .arg(rps, 10)
                       .arg(h ? at(50) : QStringLiteral("p50"), 9)
                       .arg(h ? at(90) : QStringLiteral("p90"), 9)
                       .arg(h ? at(99) : QStringLiteral("p99"), 9)
                       .arg(h ? at(-1) : QStringLiteral("max"), 9);
    if (columns.open) {
        const auto corr = [&](double p) {
            return corrected && !corrected->isEmpty() ? formatMicros(corrected->percentile(p))
                                                      : QStringLiteral("-");
        };
        line += h ? QStringLiteral(" %1 %2").arg(corr(50), 9).arg(corr(99), 9)
                  : QStringLiteral(" %1 %2")
                        .arg(QStringLiteral("p50*"), 9)
                        .arg(QStringLiteral("p99*"), 9);
    }
    if (columns.messages)
        line += h ? QStringLiteral(" %1 %2").arg(in, 9).arg(out, 9)
                  : QStringLiteral(" %1 %2")
                        .arg(QStringLiteral("msgs in"), 9)
                        .arg(QStringLiteral("msgs out"), 9);
    return line;
}

// The per-command table: a header, TCP connect and TLS handshake (not commands: in brackets no
// command name can have), then each command.
QStringList commandTable(const StatsSnapshot& s, bool final)
{
    const TableColumns columns {s.openModel(), s.messagesReceived || s.messagesSent};
    const QString none = QStringLiteral("-");
    QStringList lines {tableRow(columns, QStringLiteral("command"), QStringLiteral("requests"),
        QStringLiteral("errors"), QStringLiteral("req/s"), nullptr)};
    if (s.connectTime.count() > 0)
        lines << tableRow(columns, QStringLiteral("[tcp connect]"),
            QString::number(s.connectTime.count()), none, none, &s.connectTime);
    if (s.tlsHandshake.count() > 0)
        lines << tableRow(columns, QStringLiteral("[tls handshake]"),
            QString::number(s.tlsHandshake.count()), none, none, &s.tlsHandshake);
    for (const CommandTotals& c : s.commands)
        lines << tableRow(columns, c.name, QString::number(c.requests), QString::number(c.errors),
            QString::number(rateOf(s, final, c.requests, c.rps), 'f', 1), &c.latency,
            c.messagesReceived, c.messagesSent, &c.corrected);
    if (columns.open)
        lines << QStringLiteral("  p50..max: service time (first byte written to reply); "
                                "p50* p99*: from the intended start (open model)");
    return lines;
}

} // namespace

QString formatStatus(const StatsSnapshot& s, int target, bool final)
{
    QStringList lines;
    lines << QStringLiteral("<---------- %1, %2 %3")
                 .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                     final ? QStringLiteral("stopped after") : QStringLiteral("running for"),
                     formatElapsed(s.elapsedMs));
    QStringList errors;
    lines << connectionLines(s, target, final, &errors);
    lines << QStringLiteral("Actions completed: %1; requests: %2 (%3/s%4); errors: %5%6")
                 .arg(s.actionsCompleted)
                 .arg(s.requests)
                 .arg(rateOf(s, final, s.requests, s.rps), 0, 'f', 1)
                 .arg(final ? QStringLiteral(" over the run") : QString())
                 .arg(s.errors())
                 .arg(errors.isEmpty()
                         ? QString()
                         : QStringLiteral(" (%1)").arg(errors.join(QStringLiteral(", "))));
    if (s.openModel()) lines << openModelLine(s, final);
    if (s.messagesReceived || s.messagesSent)
        lines << QStringLiteral("Messages (not requests): received from the server (pushed): %1; "
                                "sent without a reply (acks): %2")
                     .arg(s.messagesReceived)
                     .arg(s.messagesSent);
    if (!s.commands.empty() || s.connectTime.count() > 0 || s.tlsHandshake.count() > 0)
        lines << commandTable(s, final);
    if (!s.recentErrors.isEmpty()) {
        lines << QStringLiteral("Recent errors (%1 ago):")
                     .arg(formatElapsed(s.elapsedMs - s.recentErrorsAtMs));
        for (const QString& e : s.recentErrors)
            lines << QStringLiteral("  ") + e;
    }
    lines << QStringLiteral("-------------------->");
    return lines.join(QLatin1Char('\n'));
}

} // namespace swarm
