#include "stats/HtmlReport.h"

#include "stats/StatusText.h"
#include "stats/SvgChart.h"

#include <QJsonObject>
#include <QStringList>

#include <algorithm>
#include <cmath>
#include <limits>

namespace swarm {

namespace {

constexpr double kGap = std::numeric_limits<double>::quiet_NaN();

// Colours that stay apart for the common kinds of colour blindness (Okabe and Ito).
const char* const kColors[]
    = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"};

const char kStyle[] = R"CSS(
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 960px; color: #222; }
h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 17px; margin-top: 28px; }
.sub { color: #666; margin-top: 0; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { padding: 3px 10px; border-bottom: 1px solid #ddd; text-align: right; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
th { background: #f3f3f3; }
.pass { color: #0a7d32; font-weight: 600; } .fail { color: #b00020; font-weight: 600; }
.note { color: #666; font-size: 12px; }
svg.chart { width: 100%; height: auto; margin: 6px 0 14px; }
svg .title { font-weight: 600; font-size: 13px; }
svg .grid { stroke: #e4e4e4; } svg .axis { stroke: #888; }
svg .ylabel { text-anchor: end; font-size: 11px; fill: #555; }
svg .xlabel { text-anchor: middle; font-size: 11px; fill: #555; }
svg .xname { text-anchor: end; font-size: 11px; fill: #777; }
svg .legend { font-size: 12px; } svg .empty { text-anchor: middle; fill: #999; }
svg .series { stroke-width: 1.6; }
)CSS";

// Formats the start time in the reader's time zone; marks the page as rendered for tests.
const char kScript[] = R"JS(
(function () {
  document.querySelectorAll('time[datetime]').forEach(function (t) {
    var d = new Date(t.getAttribute('datetime'));
    if (!isNaN(d)) t.textContent = d.toLocaleString();
  });
  document.documentElement.setAttribute('data-charts',
    String(document.querySelectorAll('svg.chart').length));
})();
)JS";

QString esc(const QString& text)
{
    return text.toHtmlEscaped();
}

QString row(const QStringList& cells, bool header = false)
{
    const QString tag = header ? QStringLiteral("th") : QStringLiteral("td");
    QString out = QStringLiteral("<tr>");
    for (const QString& c : cells)
        out += QStringLiteral("<%1>%2</%1>").arg(tag, c);
    return out + QStringLiteral("</tr>\n");
}

QString settingsTable(const StatsSnapshot& s, const RunInfo& info)
{
    QString out = QStringLiteral("<table>\n");
    const auto add = [&](const char* name, const QString& value) {
        out += row({QLatin1String(name), esc(value)});
    };
    add("server", info.server);
    add("scenario", info.scenario);
    add("protocol", info.protocol);
    add("swarm", QStringLiteral(SWARM_VERSION));
    add("duration",
        info.durationMs > 0 ? formatElapsed(info.durationMs) : QStringLiteral("until stopped"));
    add("ran for", formatElapsed(s.elapsedMs));
    add("connections at start", QString::number(info.connections));
    add("peak connections", QString::number(s.peakConnections));
    add("ramp",
        info.ramp > 0 ? QStringLiteral("%1 per second").arg(info.ramp) : QStringLiteral("none"));
    add("load model",
        info.rate > 0 ? QStringLiteral("open: %1 rounds per second, %2 arrivals")
                            .arg(info.rate)
                            .arg(info.arrivals)
                      : QStringLiteral("closed loop (the scenario's sleeps)%1")
                            .arg(s.openModel() ? QStringLiteral("; actions with their own rate")
                                               : QString()));
    add("threads", QString::number(info.threads));
    add("sockets",
        info.io
            + (info.ioFallback.isEmpty() ? QString()
                                         : QStringLiteral(" (%1)").arg(info.ioFallback)));
    return out + QStringLiteral("</table>\n");
}

QString thresholdsTable(const QJsonArray& thresholds)
{
    if (thresholds.isEmpty())
        return QStringLiteral("<p class=\"note\">No thresholds were set (--threshold).</p>\n");
    QString out = QStringLiteral("<table>\n") + row({"threshold", "result", "measured"}, true);
    for (const QJsonValue& v : thresholds) {
        const QJsonObject t = v.toObject();
        const bool passed = t.value(QStringLiteral("passed")).toBool();
        out += row({esc(t.value(QStringLiteral("threshold")).toString()),
            passed ? QStringLiteral("<span class=\"pass\">passed</span>")
                   : QStringLiteral("<span class=\"fail\">FAILED</span>"),
            esc(t.value(QStringLiteral("actual")).toString())});
    }
    return out + QStringLiteral("</table>\n");
}

QString commandsTable(const StatsSnapshot& s)
{
    const bool open = s.openModel();
    const double seconds = double(s.elapsedMs) / 1000.0;
    QStringList head
        = {"command", "requests", "errors", "req/s", "p50", "p90", "p99", "p99.9", "max"};
    if (open)
        head << "p50*"
             << "p99*";
    head << "sent"
         << "received";
    QString out = QStringLiteral("<table>\n") + row(head, true);
    const auto cells
        = [&](const QString& name, quint64 requests, quint64 errors, const LatencyHistogram& h,
              const LatencyHistogram& c, quint64 sent, quint64 received) {
              QStringList r = {esc(name), QString::number(requests), QString::number(errors),
                  QString::number(seconds > 0 ? double(requests) / seconds : 0, 'f', 1)};
              for (double p : {50.0, 90.0, 99.0, 99.9})
                  r << formatMicros(h.percentile(p));
              r << formatMicros(h.max());
              if (open)
                  r << (c.isEmpty() ? QStringLiteral("-") : formatMicros(c.percentile(50)))
                    << (c.isEmpty() ? QStringLiteral("-") : formatMicros(c.percentile(99)));
              r << formatBytes(double(sent)) << formatBytes(double(received));
              return row(r);
          };
    for (const CommandTotals& c : s.commands)
        out += cells(
            c.name, c.requests, c.errors, c.latency, c.corrected, c.bytesSent, c.bytesReceived);
    out += cells(QStringLiteral("all commands"), s.requests, s.requestErrors, s.latency,
        s.corrected, s.bytesSent, s.bytesReceived);
    out += QStringLiteral("</table>\n<p class=\"note\">p50 to max: service time, from the first "
                          "byte written to the whole reply.");
    if (open)
        out += QStringLiteral(" p50* and p99*: from each round's intended start in the open "
                              "model, so the time a request waited for its connection counts "
                              "(no coordinated omission).");
    return out + QStringLiteral("</p>\n");
}

QString statesTable(const StatsSnapshot& s)
{
    QString out = QStringLiteral("<table>\n")
        + row({"state", "connections at the end", "transitions into it"}, true);
    for (int i = 0; i < kStateCount; ++i) {
        if (s.current[size_t(i)] == 0 && s.transitions[size_t(i)] == 0) continue;
        out += row({QLatin1String(stateName(i)), QString::number(s.current[size_t(i)]),
            QString::number(s.transitions[size_t(i)])});
    }
    return out + QStringLiteral("</table>\n");
}

std::vector<double> xsOf(const TimeSeries& t)
{
    std::vector<double> xs;
    for (int i = 0; i < t.size(); ++i)
        xs.push_back(double(t.at(i).elapsedMs) / 1000.0);
    return xs;
}

template<typename F> std::vector<double> column(const TimeSeries& t, F value)
{
    std::vector<double> v;
    for (int i = 0; i < t.size(); ++i)
        v.push_back(value(t.at(i)));
    return v;
}

QString timeCharts(const StatsSnapshot& s, const TimeSeries& t)
{
    const std::vector<double> xs = xsOf(t);
    SvgChart rates(QStringLiteral("Requests and errors per second"), SvgChart::Unit::PerSecond);
    rates.setX(xs);
    rates.addSeries(QStringLiteral("requests/s"), QLatin1String(kColors[0]),
        column(t, [](const TimeSample& x) { return double(x.rps); }));
    rates.addSeries(QStringLiteral("errors/s"), QLatin1String(kColors[1]),
        column(t, [](const TimeSample& x) { return double(x.errorsPerSecond); }));
    // An interval without a reply has no percentile: a gap, not a fall to zero.
    const auto latency = [](quint32 us) { return us > 0 ? double(us) : kGap; };
    SvgChart lat(QStringLiteral("Latency percentiles per second"), SvgChart::Unit::Micros);
    lat.setX(xs);
    lat.addSeries(QStringLiteral("p50 service"), QLatin1String(kColors[0]),
        column(t, [&](const TimeSample& x) { return latency(x.p50Us); }));
    lat.addSeries(QStringLiteral("p99 service"), QLatin1String(kColors[2]),
        column(t, [&](const TimeSample& x) { return latency(x.p99Us); }));
    if (s.openModel()) {
        lat.addSeries(QStringLiteral("p50 from intended start"), QLatin1String(kColors[4]),
            column(t, [&](const TimeSample& x) { return latency(x.correctedP50Us); }));
        lat.addSeries(QStringLiteral("p99 from intended start"), QLatin1String(kColors[1]),
            column(t, [&](const TimeSample& x) { return latency(x.correctedP99Us); }));
    }
    QString out = rates.toSvg() + lat.toSvg();
    if (s.openModel()) {
        SvgChart open(QStringLiteral("Open model: rounds started per second, asked, backlog"),
            SvgChart::Unit::Count);
        open.setX(xs);
        open.addSeries(QStringLiteral("achieved/s"), QLatin1String(kColors[0]),
            column(t, [](const TimeSample& x) { return double(x.arrivalRate); }));
        open.addSeries(QStringLiteral("asked/s"), QLatin1String(kColors[7]),
            column(t, [](const TimeSample& x) { return double(x.askedRate); }));
        open.addSeries(QStringLiteral("backlog"), QLatin1String(kColors[1]),
            column(t, [](const TimeSample& x) { return double(x.backlog); }));
        out += open.toSvg();
    }
    SvgChart states(QStringLiteral("Connections by state"), SvgChart::Unit::Count);
    states.setX(xs);
    int color = 0;
    for (int i = 0; i < kStateCount; ++i) {
        const std::vector<double> v
            = column(t, [i](const TimeSample& x) { return double(x.states[size_t(i)]); });
        if (std::all_of(v.begin(), v.end(), [](double n) { return n == 0; })) continue;
        states.addSeries(QLatin1String(stateName(i)), QLatin1String(kColors[color++ % 8]), v);
    }
    return out + states.toSvg();
}

// Latency by percentile on a "nines" axis (x = -log10(1 - p)): 90 %, 99 %, 99.9 %, ... are
// equally far apart, so the tail is as readable as the median.
QString distributionChart(const StatsSnapshot& s)
{
    SvgChart chart(
        QStringLiteral("Latency distribution (by percentile), whole run"), SvgChart::Unit::Micros);
    chart.setXLabel(QStringLiteral("percentile"));
    std::vector<double> xs;
    std::vector<double> service;
    std::vector<double> corrected;
    for (double nines = 0; nines <= 4.0001; nines += 0.1) {
        const double p = 100.0 * (1.0 - std::pow(10.0, -nines));
        xs.push_back(nines);
        service.push_back(s.latency.isEmpty() ? kGap : double(s.latency.percentile(p)));
        corrected.push_back(s.corrected.isEmpty() ? kGap : double(s.corrected.percentile(p)));
    }
    chart.setX(xs);
    chart.setXTicks({{0, QStringLiteral("0%")}, {1, QStringLiteral("90%")},
        {2, QStringLiteral("99%")}, {3, QStringLiteral("99.9%")}, {4, QStringLiteral("99.99%")}});
    chart.addSeries(QStringLiteral("service time"), QLatin1String(kColors[0]), service);
    if (!s.corrected.isEmpty())
        chart.addSeries(
            QStringLiteral("from intended start"), QLatin1String(kColors[1]), corrected);
    return chart.toSvg();
}

QString summary(const StatsSnapshot& s)
{
    QString out
        = QStringLiteral("<p>%1 requests, %2 errors (%3 %), %4 requests/s on average; "
                         "service time p50 %5, p99 %6.")
              .arg(s.requests)
              .arg(s.errors())
              .arg(s.errorRatio() * 100, 0, 'f', 2)
              .arg(s.averageRps(), 0, 'f', 1)
              .arg(formatMicros(s.latency.percentile(50)), formatMicros(s.latency.percentile(99)));
    if (s.openModel()) out += QStringLiteral("<br>") + esc(openModelLine(s, true));
    return out + QStringLiteral("</p>\n");
}

} // namespace

QString htmlReport(const StatsSnapshot& s, const TimeSeries& series, const RunInfo& info,
    const QJsonArray& thresholds)
{
    const QString title
        = QStringLiteral("swarm report: %1 against %2").arg(info.scenario, info.server);
    QString out = QStringLiteral("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                                 "<meta name=\"viewport\" content=\"width=device-width\">"
                                 "<title>%1</title><style>%2</style></head><body>\n")
                      .arg(esc(title), QLatin1String(kStyle));
    out += QStringLiteral("<h1>%1</h1>\n").arg(esc(title));
    if (info.startedAt.isValid())
        out += QStringLiteral("<p class=\"sub\">Started <time datetime=\"%1\">%2</time>, ran for "
                              "%3.</p>\n")
                   .arg(info.startedAt.toString(Qt::ISODateWithMs),
                       esc(info.startedAt.toString(Qt::ISODate)), formatElapsed(s.elapsedMs));
    out += summary(s);
    out += QStringLiteral("<h2>Thresholds</h2>\n") + thresholdsTable(thresholds);
    out += QStringLiteral("<h2>Commands</h2>\n") + commandsTable(s);
    out += QStringLiteral("<h2>Over time</h2>\n") + timeCharts(s, series);
    out += QStringLiteral("<h2>Latency distribution</h2>\n") + distributionChart(s);
    out += QStringLiteral("<h2>Connections by state</h2>\n") + statesTable(s);
    out += QStringLiteral("<h2>Settings</h2>\n") + settingsTable(s, info);
    out += QStringLiteral("<script>%1</script>\n</body></html>\n").arg(QLatin1String(kScript));
    return out;
}

} // namespace swarm
