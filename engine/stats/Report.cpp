#include "stats/Report.h"

#include <QJsonArray>
#include <QStringList>

namespace swarm {

QJsonObject latencyJson(const LatencyHistogram& h)
{
    QJsonObject o;
    o[QStringLiteral("p50")] = qint64(h.percentile(50));
    o[QStringLiteral("p90")] = qint64(h.percentile(90));
    o[QStringLiteral("p99")] = qint64(h.percentile(99));
    o[QStringLiteral("p999")] = qint64(h.percentile(99.9));
    o[QStringLiteral("max")] = qint64(h.max());
    o[QStringLiteral("min")] = qint64(h.min());
    o[QStringLiteral("mean")] = h.mean();
    o[QStringLiteral("count")] = qint64(h.count());
    return o;
}

static double rounded(double v, int decimals = 3)
{
    double scale = 1;
    for (int i = 0; i < decimals; ++i)
        scale *= 10;
    return qRound64(v * scale) / scale;
}

namespace {

double perSecond(double count, double seconds)
{
    return rounded(seconds > 0 ? count / seconds : 0.0, 1);
}

// What ran where: the report's first keys.
void putRun(QJsonObject* root, const RunInfo& info, double seconds)
{
    QJsonObject& o = *root;
    o[QStringLiteral("swarm_version")] = QStringLiteral(SWARM_VERSION);
    if (info.startedAt.isValid())
        o[QStringLiteral("started_at")] = info.startedAt.toString(Qt::ISODateWithMs);
    o[QStringLiteral("duration_s")] = rounded(seconds);
    o[QStringLiteral("server")] = info.server;
    o[QStringLiteral("scenario")] = info.scenario;
    o[QStringLiteral("protocol")] = info.protocol;
    o[QStringLiteral("threads")] = info.threads;
    o[QStringLiteral("io")] = info.io;
    if (!info.ioFallback.isEmpty()) o[QStringLiteral("io_fallback")] = info.ioFallback;
    if (!info.tls.isEmpty()) {
        QJsonObject tls;
        tls[QStringLiteral("settings")] = info.tls;
        tls[QStringLiteral("verified")] = !info.tlsInsecure;
        o[QStringLiteral("tls")] = tls;
    }
}

// Connections by state now and transitions over the run; the error states' counts, by kind, go
// to *errorsByKind.
QJsonObject connectionsJson(const StatsSnapshot& s, QJsonObject* errorsByKind)
{
    QJsonObject byState;
    QJsonObject transitions;
    for (int i = 0; i < kStateCount; ++i) {
        const QString name = QString::fromLatin1(stateName(i));
        byState[name] = qint64(s.current[size_t(i)]);
        transitions[name] = qint64(s.transitions[size_t(i)]);
        if (isErrorState(ConnState(i))) (*errorsByKind)[name] = qint64(s.transitions[size_t(i)]);
    }
    QJsonObject connections;
    connections[QStringLiteral("current")] = s.connections;
    connections[QStringLiteral("target")] = s.target;
    connections[QStringLiteral("peak")] = s.peakConnections;
    connections[QStringLiteral("by_state")] = byState;
    connections[QStringLiteral("transitions")] = transitions;
    connections[QStringLiteral("connect_time_us")] = latencyJson(s.connectTime);
    if (s.tlsHandshake.count() > 0)
        connections[QStringLiteral("tls_handshake_us")] = latencyJson(s.tlsHandshake);
    return connections;
}

QJsonObject totalsJson(const StatsSnapshot& s)
{
    QJsonObject totals;
    totals[QStringLiteral("requests")] = qint64(s.requests);
    totals[QStringLiteral("errors")] = qint64(s.errors());
    totals[QStringLiteral("request_errors")] = qint64(s.requestErrors);
    totals[QStringLiteral("error_ratio")] = rounded(s.errorRatio(), 6);
    totals[QStringLiteral("rps")] = rounded(s.averageRps(), 1);
    totals[QStringLiteral("actions_completed")] = qint64(s.actionsCompleted);
    totals[QStringLiteral("bytes_sent")] = qint64(s.bytesSent);
    totals[QStringLiteral("bytes_received")] = qint64(s.bytesReceived);
    totals[QStringLiteral("messages_received")] = qint64(s.messagesReceived);
    totals[QStringLiteral("messages_sent")] = qint64(s.messagesSent);
    totals[QStringLiteral("latency_us")] = latencyJson(s.latency);
    if (!s.corrected.isEmpty())
        totals[QStringLiteral("corrected_latency_us")] = latencyJson(s.corrected);
    return totals;
}

// The open model (a rate was asked): achieved against asked, over the run and now.
QJsonObject openModelJson(const StatsSnapshot& s, const RunInfo& info, double seconds)
{
    QJsonObject open;
    open[QStringLiteral("rate")] = info.rate;
    open[QStringLiteral("arrivals")] = info.arrivals;
    open[QStringLiteral("rounds_started")] = qint64(s.arrivals);
    open[QStringLiteral("achieved_per_s")] = perSecond(double(s.arrivals), seconds);
    open[QStringLiteral("achieved_per_s_now")] = rounded(s.arrivalRate, 1);
    open[QStringLiteral("asked_per_s")] = rounded(s.askedRateOverRun, 1);
    open[QStringLiteral("asked_per_s_now")] = rounded(s.askedRate, 1);
    open[QStringLiteral("backlog")] = s.backlog;
    return open;
}

QJsonObject lastIntervalJson(const StatsSnapshot& s)
{
    QJsonObject last;
    last[QStringLiteral("interval_ms")] = s.intervalMs;
    last[QStringLiteral("rps")] = rounded(s.rps, 1);
    last[QStringLiteral("errors_per_s")] = rounded(s.errorsPerSecond, 1);
    last[QStringLiteral("p50_us")] = qint64(s.intervalP50);
    last[QStringLiteral("p99_us")] = qint64(s.intervalP99);
    if (s.openModel()) {
        last[QStringLiteral("corrected_p50_us")] = qint64(s.intervalCorrectedP50);
        last[QStringLiteral("corrected_p99_us")] = qint64(s.intervalCorrectedP99);
    }
    return last;
}

QJsonObject commandsJson(const StatsSnapshot& s, double seconds)
{
    QJsonObject commands;
    for (const CommandTotals& c : s.commands) {
        QJsonObject o;
        o[QStringLiteral("count")] = qint64(c.requests);
        o[QStringLiteral("errors")] = qint64(c.errors);
        o[QStringLiteral("rps")] = perSecond(double(c.requests), seconds);
        o[QStringLiteral("rps_now")] = rounded(c.rps, 1);
        o[QStringLiteral("bytes_sent")] = qint64(c.bytesSent);
        o[QStringLiteral("bytes_received")] = qint64(c.bytesReceived);
        o[QStringLiteral("messages_received")] = qint64(c.messagesReceived);
        o[QStringLiteral("messages_sent")] = qint64(c.messagesSent);
        o[QStringLiteral("latency_us")] = latencyJson(c.latency);
        if (!c.corrected.isEmpty())
            o[QStringLiteral("corrected_latency_us")] = latencyJson(c.corrected);
        commands[c.name] = o;
    }
    return commands;
}

} // namespace

QJsonObject reportJson(const StatsSnapshot& s, const RunInfo& info)
{
    const double seconds = double(s.elapsedMs) / 1000.0;
    QJsonObject root;
    putRun(&root, info, seconds);
    QJsonObject errorsByKind;
    root[QStringLiteral("connections")] = connectionsJson(s, &errorsByKind);
    root[QStringLiteral("totals")] = totalsJson(s);
    if (s.openModel()) root[QStringLiteral("open_model")] = openModelJson(s, info, seconds);
    root[QStringLiteral("last_interval")] = lastIntervalJson(s);
    root[QStringLiteral("commands")] = commandsJson(s, seconds);
    root[QStringLiteral("errors_by_kind")] = errorsByKind;
    return root;
}

QString timeSeriesCsv(const TimeSeries& series)
{
    QStringList header;
    header << QStringLiteral("elapsed_s") << QStringLiteral("connections");
    for (int i = 0; i < kStateCount; ++i)
        header << QString::fromLatin1(stateName(i));
    header << QStringLiteral("rps") << QStringLiteral("errors_per_s") << QStringLiteral("p50_us")
           << QStringLiteral("p99_us") << QStringLiteral("bytes_sent_per_s")
           << QStringLiteral("bytes_received_per_s") << QStringLiteral("tls_handshake_p99_us")
           << QStringLiteral("corrected_p50_us") << QStringLiteral("corrected_p99_us")
           << QStringLiteral("rounds_per_s") << QStringLiteral("asked_per_s")
           << QStringLiteral("backlog");
    QString out = header.join(QLatin1Char(',')) + QLatin1Char('\n');
    for (int r = 0; r < series.size(); ++r) {
        const TimeSample& t = series.at(r);
        QStringList row;
        row << QString::number(double(t.elapsedMs) / 1000.0, 'f', 3)
            << QString::number(t.connections);
        for (int i = 0; i < kStateCount; ++i)
            row << QString::number(t.states[size_t(i)]);
        row << QString::number(double(t.rps), 'f', 1)
            << QString::number(double(t.errorsPerSecond), 'f', 1) << QString::number(t.p50Us)
            << QString::number(t.p99Us) << QString::number(double(t.bytesSentPerSecond), 'f', 0)
            << QString::number(double(t.bytesReceivedPerSecond), 'f', 0)
            << QString::number(t.tlsP99Us) << QString::number(t.correctedP50Us)
            << QString::number(t.correctedP99Us) << QString::number(double(t.arrivalRate), 'f', 1)
            << QString::number(double(t.askedRate), 'f', 1) << QString::number(t.backlog);
        out += row.join(QLatin1Char(',')) + QLatin1Char('\n');
    }
    return out;
}

} // namespace swarm
