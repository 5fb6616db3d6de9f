#include "run/OptionTable.h"
#include "run/Options.h"

namespace swarm {

namespace {

using Kind = OptionRow::Kind;

bool parseMetrics(const QString& value, Options& o, QString* error)
{
    o.metrics.enabled = true;
    return parseListenAddress(value, &o.metrics.address, &o.metrics.port, error);
}

bool parseTokenFile(const QString& value, Options& o, QString* error)
{
    return readTokenFile(value, &o.metrics.token, error);
}

} // namespace

QList<OptionRow> metricsOptionRows()
{
    return {
        {"metrics", "ip:port", Kind::Custom, {}, 0, 0,
            "Serve Prometheus metrics at http://ip:port/metrics (off by default; port 0: any; a "
            "non-loopback ip needs --metrics-token or --metrics-insecure).",
            parseMetrics},
        {"metrics-token", "secret", Kind::Text,
            +[](Options& o) -> QString& { return o.metrics.token; }, 0, 0,
            "Scrapes must send 'Authorization: Bearer secret' (else 401)."},
        {"metrics-token-file", "file", Kind::Custom, {}, 0, 0,
            "The same, read from the first line of a file (keeps it out of ps).", parseTokenFile},
        {"metrics-insecure", nullptr, Kind::Flag,
            +[](Options& o) -> bool& { return o.metrics.insecure; }, 0, 0,
            "Allow metrics on a non-loopback address without a token."},
    };
}

} // namespace swarm
