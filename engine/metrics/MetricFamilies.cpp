#include "metrics/MetricFamilies.h"

#include "metrics/PrometheusHistogram.h"

#include <prometheus/text_serializer.h>

#include <map>
#include <sstream>

namespace swarm {

namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;
using Labels = std::vector<ClientMetric::Label>;

std::string text(const QString& s)
{
    return s.toStdString();
}

// Families in the order they are added; each add*() appends one sample to the current one.
class FamilyList
{
public:
    void begin(const char* name, MetricType type, const char* help)
    {
        m_families.push_back(MetricFamily {name, help, type, {}});
    }
    void add(double value, Labels labels = {})
    {
        ClientMetric& m = next(std::move(labels));
        if (m_families.back().type == MetricType::Counter)
            m.counter.value = value;
        else
            m.gauge.value = value;
    }
    void addHistogram(const LatencyHistogram& h, Labels labels = {})
    {
        next(std::move(labels)).histogram = toPrometheusHistogram(h);
    }
    std::vector<MetricFamily> take() { return std::move(m_families); }

private:
    ClientMetric& next(Labels labels)
    {
        ClientMetric& m = m_families.back().metric.emplace_back();
        m.label = std::move(labels);
        return m;
    }
    std::vector<MetricFamily> m_families;
};

void addConnections(FamilyList& f, const StatsSnapshot& s)
{
    f.begin("swarm_connections", MetricType::Gauge,
        "Connections in each state now (every state, 0 included).");
    for (int i = 0; i < kStateCount; ++i)
        f.add(double(s.current[size_t(i)]), {{"state", stateName(i)}});
    f.begin("swarm_target_connections", MetricType::Gauge,
        "Connections asked for (incr/decr/target), including those waiting for the ramp.");
    f.add(s.target);
    f.begin("swarm_connection_errors_total", MetricType::Counter,
        "Connections that went into an error state, by kind (each then reconnects).");
    for (int i = 0; i < kStateCount; ++i) {
        if (isErrorState(ConnState(i)))
            f.add(double(s.transitions[size_t(i)]), {{"kind", stateName(i)}});
    }
    f.begin("swarm_script_errors_total", MetricType::Counter,
        "Protocol module errors: an exception, or a call past --script-timeout.");
    f.add(double(s.transitions[size_t(ConnState::ScriptError)]));
}

// Errors by command and kind from `status errors`' rows; what those rows do not cover of a
// command's error count (they keep the 32 most recent pairs) counts as kind "other", so the
// sum over kinds is always the command's errors.
void addRequestErrors(FamilyList& f, const StatsSnapshot& s)
{
    f.begin("swarm_request_errors_total", MetricType::Counter,
        "Failed requests and script errors, by command and kind.");
    std::map<QString, quint64> covered;
    for (const ErrorTotals& e : s.errorTotals) {
        if (e.command.isEmpty()) continue;
        covered[e.command] += e.count;
        f.add(double(e.count), {{"command", text(e.command)}, {"kind", text(e.kind)}});
    }
    for (const CommandTotals& c : s.commands) {
        const quint64 known = covered[c.name];
        if (c.errors > known)
            f.add(double(c.errors - known), {{"command", text(c.name)}, {"kind", "other"}});
    }
}

void addRequests(FamilyList& f, const StatsSnapshot& s)
{
    f.begin(
        "swarm_requests_total", MetricType::Counter, "Requests completed or failed, by command.");
    for (const CommandTotals& c : s.commands)
        f.add(double(c.requests), {{"command", text(c.name)}});
    addRequestErrors(f, s);
    f.begin("swarm_request_duration_seconds", MetricType::Histogram,
        "Request latency (service time: sent to reply), by command.");
    for (const CommandTotals& c : s.commands)
        f.addHistogram(c.latency, {{"command", text(c.name)}});
    if (!s.corrected.isEmpty()) {
        f.begin("swarm_request_corrected_duration_seconds", MetricType::Histogram,
            "Open model: latency from each round's intended start (no coordinated omission), "
            "by command.");
        for (const CommandTotals& c : s.commands)
            f.addHistogram(c.corrected, {{"command", text(c.name)}});
    }
}

void addTraffic(FamilyList& f, const StatsSnapshot& s)
{
    f.begin("swarm_bytes_sent_total", MetricType::Counter, "Bytes written to the server.");
    f.add(double(s.bytesSent));
    f.begin("swarm_bytes_received_total", MetricType::Counter, "Bytes read from the server.");
    f.add(double(s.bytesReceived));
    f.begin("swarm_messages_received_total", MetricType::Counter,
        "Messages pushed by the server (client.recv), not replies.");
    f.add(double(s.messagesReceived));
    f.begin("swarm_messages_sent_total", MetricType::Counter,
        "Messages sent without being requests (send_noreply with request: false).");
    f.add(double(s.messagesSent));
}

void addTimings(FamilyList& f, const StatsSnapshot& s)
{
    f.begin("swarm_connect_duration_seconds", MetricType::Histogram,
        "TCP connect time, from connect() to connected.");
    f.addHistogram(s.connectTime);
    if (!s.tlsHandshake.isEmpty()) {
        f.begin("swarm_tls_handshake_duration_seconds", MetricType::Histogram,
            "TLS handshake time (--tls), after the TCP connect.");
        f.addHistogram(s.tlsHandshake);
    }
}

void addOpenModel(FamilyList& f, const StatsSnapshot& s)
{
    if (!s.openModel()) return;
    f.begin("swarm_arrivals_total", MetricType::Counter, "Open model: paced rounds started.");
    f.add(double(s.arrivals));
    f.begin("swarm_asked_rate", MetricType::Gauge,
        "Open model: rounds per second the schedules ask for now.");
    f.add(s.askedRate);
    f.begin("swarm_backlog", MetricType::Gauge,
        "Open model: arrivals due now that have not started (the run cannot keep up).");
    f.add(double(s.backlog));
}

} // namespace

std::vector<MetricFamily> metricFamilies(const StatsSnapshot& s, const RunInfo& info)
{
    FamilyList f;
    f.begin("swarm_info", MetricType::Gauge, "This swarm: version, scenario, protocol, sockets.");
    f.add(1,
        {{"version", SWARM_VERSION}, {"scenario", text(info.scenario)},
            {"protocol", text(info.protocol)}, {"io", text(info.io)}});
    addConnections(f, s);
    addRequests(f, s);
    addTraffic(f, s);
    addTimings(f, s);
    addOpenModel(f, s);
    return f.take();
}

QByteArray metricsText(const std::vector<MetricFamily>& families)
{
    std::ostringstream out;
    prometheus::TextSerializer().Serialize(out, families);
    const std::string s = out.str();
    return QByteArray(s.data(), qsizetype(s.size()));
}

} // namespace swarm
