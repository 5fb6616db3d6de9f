#include "run/OptionTable.h"

#include "run/Options.h"

#include <type_traits>

namespace swarm {

namespace {

using Kind = OptionRow::Kind;

constexpr qint64 kSecond = 1000;
constexpr qint64 kHour = 3600 * kSecond;
constexpr qint64 kDay = 24 * kHour;
constexpr qint64 kMaxThreads = 256; // far beyond any core count; a typo's guard
constexpr qint64 kMaxSocketBuffer = 64 * 1024 * 1024;
constexpr qint64 kMaxConnections = 1000000;

bool parseListen(const QString& value, Options& o, QString* error)
{
    return parseListenAddress(value, &o.console.address, &o.console.port, error);
}

QString showListen(const Options& o)
{
    return formatHostPort(o.console.address, o.console.port);
}

bool parseServer(const QString& value, Options& o, QString* error)
{
    if (!parseHostPort(value, &o.serverHost, &o.serverPort, false)) {
        *error = QStringLiteral("'%1' is not host:port with a port from 1 to 65535").arg(value);
        return false;
    }
    o.server = value.trimmed();
    return true;
}

bool parseSpread(const QString& value, Options& o, QString* error)
{
    const QStringList ends = value.split(QLatin1Char('-'));
    qint64 lo = 0;
    qint64 hi = 0;
    if (ends.size() > 2 || !parseDurationMs(ends.first(), &lo) || !parseDurationMs(ends.last(), &hi)
        || hi < lo || hi > kHour) {
        *error = QStringLiteral("'%1' is not seconds (1, 0.5) or a range (1-20) up to an hour")
                     .arg(value);
        return false;
    }
    o.engine.connectSpreadMinMs = ends.size() == 2 ? lo : 0;
    o.engine.connectSpreadMaxMs = hi;
    o.connectSpreadGiven = true;
    return true;
}

QString showSpread(const Options& o)
{
    const auto seconds = [](qint64 ms) { return QString::number(double(ms) / kSecond); };
    if (o.engine.connectSpreadMinMs == 0) return seconds(o.engine.connectSpreadMaxMs);
    return seconds(o.engine.connectSpreadMinMs) + QLatin1Char('-')
        + seconds(o.engine.connectSpreadMaxMs);
}

bool parseThreshold(const QString& value, Options& o, QString* error)
{
    Threshold threshold;
    if (!Threshold::parse(value, &threshold, error)) return false;
    o.thresholds << threshold;
    return true;
}

bool parseSource(const QString& value, Options& o, QString* error)
{
    return parseAddressRange(value, &o.engine.sourceAddresses, error);
}

// I/N: this swarm is agent I (0-based) of a fleet of N.
bool parseAgent(const QString& value, Options& o, QString* error)
{
    const QStringList parts = value.split(QLatin1Char('/'));
    bool okIndex = false, okCount = false;
    const int index = parts.value(0).trimmed().toInt(&okIndex);
    const int count = parts.size() == 2 ? parts[1].trimmed().toInt(&okCount) : 0;
    if (!okIndex || !okCount || count < 1 || count > 100000 || index < 0 || index >= count) {
        *error = QStringLiteral("expected I/N, this swarm's index I (from 0) in a fleet of N "
                                "agents, e.g. 0/4; found '%1'")
                     .arg(value);
        return false;
    }
    o.engine.fleet = Fleet {index, count};
    return true;
}

QString showAgent(const Options& o)
{
    return QStringLiteral("%1/%2").arg(o.engine.fleet.index).arg(o.engine.fleet.count);
}

bool parseFleet(const QString& value, Options& o, QString* error)
{
    if (!FleetSpec::parse(value, &o.fleetEntries, error)) return false;
    o.fleet = value.trimmed();
    return true;
}

bool parseRebalance(const QString& value, Options& o, QString* error)
{
    const QString v = value.trimmed().toLower();
    if (v != QLatin1String("on") && v != QLatin1String("off")) {
        *error = QStringLiteral("'%1' is not on or off").arg(value);
        return false;
    }
    o.fleetRebalance = v == QLatin1String("on");
    return true;
}

QString showRebalance(const Options& o)
{
    return o.fleetRebalance ? QStringLiteral("on") : QStringLiteral("off");
}

bool parseIo(const QString& value, Options& o, QString* error)
{
    return swarm::parseIo(value, &o.engine.io, error);
}

bool parseArrivals(const QString& value, Options& o, QString* error)
{
    if (parseArrivalKind(value, &o.engine.arrivals)) return true;
    *error = QStringLiteral("'%1' is not fixed or poisson").arg(value);
    return false;
}

QString showArrivals(const Options& o)
{
    return QLatin1String(arrivalKindName(o.engine.arrivals));
}

QString showIo(const Options& o)
{
    return QLatin1String(ioName(o.engine.io));
}

// The one table of options, in groups. Order: the original tool's first, then ours.

// What to load, with what, and how to run.
QList<OptionRow> whatRows()
{
    return {
        {"l,listen", "ip:port", Kind::Custom, {}, 0, 0,
            "Address of the telnet console (default %1; port 0: any; *: every interface).",
            parseListen, showListen},
        {"r,server", "host:port", Kind::Custom, {}, 0, 0,
            "Server to load (default: an embedded demo server on a free port).", parseServer},
        {"s,script", "file", Kind::Text, +[](Options& o) -> QString& { return o.script; }, 0, 0,
            "Scenario YAML (default: the bundled scripts/example.yml)."},
        {"p,protocol-dir", "dir", Kind::Text, +[](Options& o) -> QString& { return o.protocolDir; },
            0, 0,
            "Where NAME.js protocol modules are (default: next to the scenario, then the bundled "
            "ones)."},
        {"headless", nullptr, Kind::Flag, +[](Options& o) -> bool& { return o.headless; }, 0, 0,
            "Run without a window (no display needed)."},
        {"check", nullptr, Kind::Flag, +[](Options& o) -> bool& { return o.check; }, 0, 0,
            "Load and validate the scenario and module, print OK or every error, exit."},
    };
}

// Threads, connections and their timeouts.
QList<OptionRow> connectionRows()
{
    return {
        {"threads", "n", Kind::Integer, +[](Options& o) -> int& { return o.engine.threads; }, 1,
            kMaxThreads, "Worker threads (default: one per core)."},
        {"connect-spread", "seconds", Kind::Custom, {}, 0, 0,
            "Random wait before a new connection connects, e.g. 1, 0.5 or 1-20 (default %1; 0: at "
            "once).",
            parseSpread, showSpread},
        {"connect-timeout", "duration", Kind::Duration,
            +[](Options& o) -> int& { return o.engine.connectTimeoutMs; }, 1, kHour,
            "Connect timeout: for the TCP connect and, with --tls, again for the handshake from "
            "its "
            "start (default %1)."},
        {"reply-timeout", "duration", Kind::Duration,
            +[](Options& o) -> int& { return o.engine.replyTimeoutMs; }, 1, kDay,
            "Reply timeout; a late reply counts as timed out (default %1)."},
        {"script-timeout", "duration", Kind::Duration,
            +[](Options& o) -> int& { return o.engine.scriptTimeoutMs; }, 10, kHour,
            "Longest a script call may run before it is stopped (default %1)."},
        {"reconnect-max", "duration", Kind::Duration,
            +[](Options& o) -> int& { return o.engine.reconnectMaxMs; }, 1, kDay,
            "Cap of the reconnect backoff after errors (default %1)."},
        {"max-reply-bytes", "size", Kind::Size,
            +[](Options& o) -> qint64& { return o.engine.maxReplyBytes; }, 1, qint64(1) << 32,
            "Largest reply accepted (default %1)."},
        {"rcvbuf", "bytes", Kind::Integer,
            +[](Options& o) -> int& { return o.engine.socket.receiveBuffer; }, 0, kMaxSocketBuffer,
            "SO_RCVBUF of each connection (default %1, as the original; 0: system)."},
        {"sndbuf", "bytes", Kind::Integer,
            +[](Options& o) -> int& { return o.engine.socket.sendBuffer; }, 0, kMaxSocketBuffer,
            "SO_SNDBUF of each connection (default %1, as the original; 0: system)."},
        {"status-interval", "duration", Kind::Duration,
            +[](Options& o) -> int& { return o.statusIntervalMs; }, 0, kDay,
            "Print the status every ... (default %1; 0: never)."},
    };
}

// How much load, for how long.
QList<OptionRow> loadRows()
{
    return {
        {"connections", "n", Kind::Integer, +[](Options& o) -> int& { return o.connections; }, 0,
            kMaxConnections,
            "Open n connections at start (an `incr n`); default: none until told."},
        {"ramp", "rate", Kind::Rate, +[](Options& o) -> double& { return o.engine.ramp; }, 0,
            10000000, "Open at most this many connections per second."},
        {"rate", "r", Kind::Rate, +[](Options& o) -> double& { return o.engine.rate; }, 0, 10000000,
            "Open model: start r rounds (one request each, usually) per second over all "
            "connections, in place of the sleeps; latency then also counts from each round's "
            "intended start. An action's `rate:` wins. Live: the console's rate R."},
        {"arrivals", "fixed|poisson", Kind::Custom, {}, 0, 0,
            "How --rate and `rate:` space the arrivals (default %1).", parseArrivals, showArrivals},
        {"duration", "duration", Kind::Duration,
            +[](Options& o) -> qint64& { return o.durationMs; }, 1, 365 * kDay,
            "Stop after this long, e.g. 30s or 5m."},
        {"allow-no-connection", nullptr, Kind::Flag,
            +[](Options& o) -> bool& { return o.allowNoConnection; }, 0, 0,
            "Exit 0 even when no connection succeeded during a --duration run (default: exit 3)."},
    };
}

// What an unattended run writes and checks at exit.
QList<OptionRow> outputRows()
{
    return {
        {"report", "file.json", Kind::Text, +[](Options& o) -> QString& { return o.reportFile; }, 0,
            0, "Write a JSON summary of the run at exit."},
        {"csv", "file.csv", Kind::Text, +[](Options& o) -> QString& { return o.csvFile; }, 0, 0,
            "Write the run's time series (one row per second) at exit."},
        {"html", "file.html", Kind::Text, +[](Options& o) -> QString& { return o.htmlFile; }, 0, 0,
            "Write a self-contained HTML report (charts, tables, thresholds) at exit."},
        {"threshold", "expr", Kind::Custom, {}, 0, 0,
            "Fail (exit 1) unless it holds at exit: p99<50ms, errors<1%, rps>1000, cmd.p99<20ms. "
            "Repeatable.",
            parseThreshold},
    };
}

// Source addresses, the console's access, the fleet, the socket layer.
QList<OptionRow> networkRows()
{
    return {
        {"source-ip", "addr", Kind::Custom, {}, 0, 0,
            "Local address(es) to connect from, spread round-robin: 127.0.0.2 or "
            "127.0.0.1-127.0.0.8. Repeatable.",
            parseSource},
        {"console-token", "secret", Kind::Text,
            +[](Options& o) -> QString& { return o.console.token; }, 0, 0,
            "Sessions must send `auth secret` first (needed off loopback)."},
        {"console-insecure", nullptr, Kind::Flag,
            +[](Options& o) -> bool& { return o.console.insecure; }, 0, 0,
            "Allow a console on a non-loopback address without a token."},
        {"agent-index", "I/N", Kind::Custom, {}, 0, 0,
            "This swarm is agent I (from 0) of a fleet of N: client.id and the data files' rows "
            "are split so no two agents share one (default %1).",
            parseAgent, showAgent},
        {"fleet", "SPEC", Kind::Custom, {}, 0, 0,
            "Control a fleet of agents instead of running connections: SPEC is a comma list of "
            "host:port and dns:NAME:PORT (every address of NAME, looked up every 5 s), each an "
            "agent's console (--listen); --console-token is theirs.",
            parseFleet},
        {"fleet-rebalance", "on|off", Kind::Custom, {}, 0, 0,
            "With --fleet: a lost agent's share moves to the agents up (on), or waits for it "
            "(off) (default %1).",
            parseRebalance, showRebalance},
        {"io", "auto|epoll|qt", Kind::Custom, {}, 0, 0,
            "Socket layer (default here: %1; epoll on Linux, qt elsewhere).", parseIo, showIo},
    };
}

QList<OptionRow> makeTable()
{
    return whatRows() + connectionRows() + loadRows() + outputRows() + networkRows();
}

// The value of a row's field as a number (Integer, Duration, Size, Rate) or text.
double numberAt(const OptionRow::Target& target, Options& o)
{
    return std::visit(
        [&o](auto field) -> double {
            using F = decltype(field);
            if constexpr (std::is_same_v<F,
                              std::monostate> || std::is_same_v<F, QString& (*)(Options&)>)
                return 0;
            else
                return double(field(o));
        },
        target);
}

// Stores a number or a text into a row's field.
void store(const OptionRow::Target& target, Options& o, double number, const QString& text)
{
    std::visit(
        [&](auto field) {
            using F = decltype(field);
            if constexpr (std::is_same_v<F, QString& (*)(Options&)>)
                field(o) = text;
            else if constexpr (std::is_same_v<F, bool& (*)(Options&)>)
                field(o) = true;
            else if constexpr (std::is_same_v<F, double& (*)(Options&)>)
                field(o) = number;
            else if constexpr (!std::is_same_v<F, std::monostate>)
                field(o) = std::remove_reference_t<decltype(field(o))>(number);
        },
        target);
}

QString rangeText(const OptionRow& row, qint64 value)
{
    switch (row.kind) {
    case Kind::Duration:
        return formatDurationMs(value);
    case Kind::Size:
        return formatByteSize(value);
    default:
        return QString::number(value);
    }
}

// Parses a number of the row's kind; false if malformed or out of range.
bool readNumber(const OptionRow& row, const QString& value, double* out)
{
    bool ok = false;
    qint64 n = 0;
    switch (row.kind) {
    case Kind::Integer:
        n = value.trimmed().toLongLong(&ok);
        break;
    case Kind::Duration:
        ok = parseDurationMs(value, &n);
        break;
    case Kind::Size:
        ok = parseByteSize(value, &n);
        break;
    case Kind::Rate: {
        const double rate = value.trimmed().toDouble(&ok);
        *out = rate;
        return ok && rate > double(row.min) && rate <= double(row.max);
    }
    default:
        return false;
    }
    *out = double(n);
    return ok && n >= row.min && n <= row.max;
}

QString numberProblem(const OptionRow& row, const QString& value)
{
    const QString from = rangeText(row, row.min);
    const QString to = rangeText(row, row.max);
    switch (row.kind) {
    case Kind::Integer:
        return QStringLiteral("'%1' is not a whole number from %2 to %3").arg(value, from, to);
    case Kind::Duration:
        return QStringLiteral("'%1' is not a duration such as 500ms, 3s, 2m from %2 to %3")
            .arg(value, from, to);
    case Kind::Size:
        return QStringLiteral("'%1' is not a size such as 64k or 16MiB from %2 to %3")
            .arg(value, from, to);
    default:
        return QStringLiteral("'%1' is not a number above %2 up to %3").arg(value, from, to);
    }
}

} // namespace

QStringList OptionRow::nameList() const
{
    return QString::fromLatin1(names).split(QLatin1Char(','));
}

QString OptionRow::defaultText() const
{
    Options defaults;
    switch (kind) {
    case Kind::Custom:
        return shows ? shows(defaults) : QString();
    case Kind::Flag:
        return QString();
    case Kind::Text:
        return std::get<QString& (*)(Options&)>(target)(defaults);
    case Kind::Rate:
        return QString::number(numberAt(target, defaults));
    default:
        return rangeText(*this, qint64(numberAt(target, defaults)));
    }
}

QString OptionRow::helpText() const
{
    const QString text = QString::fromUtf8(help);
    return text.contains(QLatin1String("%1")) ? text.arg(defaultText()) : text;
}

bool OptionRow::apply(const QString& value, Options* options, QString* error) const
{
    QString why;
    double number = 0;
    if (kind == Kind::Custom) {
        if (custom(value, *options, &why)) return true;
    } else if (kind == Kind::Flag || kind == Kind::Text) {
        store(target, *options, 0, value);
        return true;
    } else if (readNumber(*this, value, &number)) {
        store(target, *options, number, value);
        return true;
    } else {
        why = numberProblem(*this, value);
    }
    *error = QStringLiteral("--%1: %2").arg(longName(), why);
    return false;
}

const QList<OptionRow>& optionTable()
{
    static const QList<OptionRow> table = makeTable() + metricsOptionRows() + tlsOptionRows();
    return table;
}

const OptionRow* findOption(const QString& name)
{
    for (const OptionRow& row : optionTable()) {
        if (row.nameList().contains(name)) return &row;
    }
    return nullptr;
}

} // namespace swarm
