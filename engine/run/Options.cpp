#include "run/Options.h"

#include "stats/Threshold.h"

#include <QCommandLineParser>
#include <QRegularExpression>
#include <QThread>

#include <cmath>
#include <cstring>

namespace swarm {

namespace {

struct OptionSpec
{
    const char* names; // comma-separated: short first
    const char* valueName; // nullptr: a flag
    const char* help;
};

// The one table of options. Order: the original tool's first, then ours.
const OptionSpec kOptions[] = {
    {"l,listen", "ip:port", "Address of the telnet console (default 127.0.0.1:8411; port 0: any)."},
    {"r,server", "host:port", "Server to load (default: an embedded demo server on a free port)."},
    {"s,script", "file", "Scenario YAML (default: the bundled scripts/example.yml)."},
    {"p,protocol-dir", "dir",
     "Where NAME.js protocol modules are (default: next to the scenario, then the bundled ones)."},
    {"headless", nullptr, "Run without a window (no display needed)."},
    {"check", nullptr, "Load and validate the scenario and module, print OK or every error, exit."},
    {"threads", "n", "Worker threads (default: one per core)."},
    {"connect-spread", "seconds",
     "Random wait before a new connection connects, e.g. 1, 0.5 or 1-20 (default 1; 0: at once)."},
    {"connect-timeout", "duration", "Connect timeout (default 3s)."},
    {"reply-timeout", "duration", "Reply timeout; a late reply counts as timed out (default 30s)."},
    {"script-timeout", "duration", "Longest a script call may run before it is stopped (default 1s)."},
    {"reconnect-max", "duration", "Cap of the reconnect backoff after errors (default 30s)."},
    {"max-reply-bytes", "size", "Largest reply accepted (default 16MiB)."},
    {"rcvbuf", "bytes", "SO_RCVBUF of each connection (default 128, as the original; 0: system)."},
    {"sndbuf", "bytes", "SO_SNDBUF of each connection (default 1024, as the original; 0: system)."},
    {"status-interval", "duration", "Print the status every ... (default 10s; 0: never)."},
    {"connections", "n", "Open n connections at start (an `incr n`); default: none until told."},
    {"ramp", "rate", "Open at most this many connections per second."},
    {"duration", "duration", "Stop after this long, e.g. 30s or 5m."},
    {"report", "file.json", "Write a JSON summary of the run at exit."},
    {"csv", "file.csv", "Write the run's time series (one row per second) at exit."},
    {"threshold", "expr",
     "Fail (exit 1) unless it holds at exit: p99<50ms, errors<1%, rps>1000, cmd.p99<20ms. "
     "Repeatable."},
    {"source-ip", "addr",
     "Local address(es) to connect from, spread round-robin: 127.0.0.2 or 127.0.0.1-127.0.0.8. "
     "Repeatable."},
    {"console-token", "secret", "Sessions must send `auth secret` first (needed off loopback)."},
    {"console-insecure", nullptr, "Allow a console on a non-loopback address without a token."},
    {"io", "epoll|qt|auto", "Socket layer (default auto: epoll on Linux, qt elsewhere)."},
};

QStringList namesOf(const OptionSpec& o)
{
    return QString::fromLatin1(o.names).split(QLatin1Char(','));
}

} // namespace

bool parseDurationMs(const QString& text, qint64* ms)
{
    const QString t = text.trimmed();
    if (t.isEmpty())
        return false;
    bool plain = false;
    const double seconds = t.toDouble(&plain);
    if (plain) {
        if (!(seconds >= 0) || seconds > 1e9)
            return false;
        *ms = qint64(std::llround(seconds * 1000.0));
        return true;
    }
    static const QRegularExpression part(QStringLiteral(R"((\d+(?:\.\d+)?)(ms|s|m|h|d))"));
    qint64 total = 0;
    qsizetype at = 0;
    auto it = part.globalMatch(t);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        if (m.capturedStart() != at)
            return false;
        at = m.capturedEnd();
        const double v = m.captured(1).toDouble();
        const QString u = m.captured(2);
        const double scale = u == QLatin1String("ms") ? 1
            : u == QLatin1String("s")                 ? 1e3
            : u == QLatin1String("m")                 ? 60e3
            : u == QLatin1String("h")                 ? 3600e3
                                                      : 86400e3;
        total += qint64(std::llround(v * scale));
        if (total > qint64(1e12))
            return false;
    }
    if (at != t.size() || at == 0)
        return false;
    *ms = total;
    return true;
}

bool parseByteSize(const QString& text, qint64* bytes)
{
    static const QRegularExpression re(
        QStringLiteral(R"(^\s*(\d+(?:\.\d+)?)\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?\s*$)"),
        QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch m = re.match(text);
    if (!m.hasMatch())
        return false;
    const double v = m.captured(1).toDouble();
    const QString u = m.captured(2).toLower();
    double scale = 1;
    if (u.startsWith(QLatin1Char('k')))
        scale = 1024;
    else if (u.startsWith(QLatin1Char('m')))
        scale = 1024.0 * 1024;
    else if (u.startsWith(QLatin1Char('g')))
        scale = 1024.0 * 1024 * 1024;
    const double b = v * scale;
    if (b > 1e15)
        return false;
    *bytes = qint64(b);
    return true;
}

bool parseHostPort(const QString& text, QString* host, quint16* port, bool allowPortZero)
{
    const QString t = text.trimmed();
    QString h;
    QString p;
    if (t.startsWith(QLatin1Char('['))) {
        const qsizetype close = t.indexOf(QStringLiteral("]:"));
        if (close < 0)
            return false;
        h = t.mid(1, close - 1);
        p = t.mid(close + 2);
    } else {
        const qsizetype colon = t.lastIndexOf(QLatin1Char(':'));
        if (colon <= 0 || t.indexOf(QLatin1Char(':')) != colon)
            return false;
        h = t.left(colon);
        p = t.mid(colon + 1);
    }
    bool ok = false;
    const int n = p.toInt(&ok);
    if (!ok || n < (allowPortZero ? 0 : 1) || n > 65535 || h.isEmpty())
        return false;
    *host = h;
    *port = quint16(n);
    return true;
}

bool parseAddressRange(const QString& text, QList<QHostAddress>* out, QString* error)
{
    const QStringList ends = text.trimmed().split(QLatin1Char('-'));
    if (ends.size() == 1) {
        QHostAddress a;
        if (!a.setAddress(ends[0])) {
            *error = QStringLiteral("'%1' is not an IP address").arg(text);
            return false;
        }
        *out << a;
        return true;
    }
    QHostAddress first;
    QHostAddress last;
    if (ends.size() != 2 || !first.setAddress(ends[0]) || !last.setAddress(ends[1])
        || first.protocol() != QAbstractSocket::IPv4Protocol
        || last.protocol() != QAbstractSocket::IPv4Protocol) {
        *error = QStringLiteral("'%1' is not an IPv4 range such as 127.0.0.1-127.0.0.8").arg(text);
        return false;
    }
    const quint32 a = first.toIPv4Address();
    const quint32 b = last.toIPv4Address();
    if (b < a || b - a >= 65536) {
        *error = QStringLiteral("'%1': the range must go upwards and hold at most 65,536 addresses")
                     .arg(text);
        return false;
    }
    for (quint32 i = a; i <= b; ++i)
        *out << QHostAddress(i);
    return true;
}

bool wantsNoWindow(int argc, char** argv)
{
    for (int i = 1; i < argc; ++i) {
        const char* a = argv[i];
        if (!std::strcmp(a, "--headless") || !std::strcmp(a, "--check") || !std::strcmp(a, "-h")
            || !std::strcmp(a, "--help") || !std::strcmp(a, "-v") || !std::strcmp(a, "--version")
            || !std::strcmp(a, "--help-all"))
            return true;
    }
    return false;
}

ParseOutcome parseOptions(const QStringList& arguments, Options* o, QString* message)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "swarm " SWARM_VERSION " - opens many persistent TCP connections, each running your "
        "protocol script over and over,\nwhile you raise and lower the load live from a telnet "
        "console (nc 127.0.0.1 8411: incr N, decr N, status, stop)."));
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption help(QStringList {QStringLiteral("h"), QStringLiteral("help")},
                                  QStringLiteral("Show this help."));
    const QCommandLineOption version(QStringList {QStringLiteral("v"), QStringLiteral("version")},
                                     QStringLiteral("Show the version."));
    parser.addOption(help);
    parser.addOption(version);
    for (const OptionSpec& spec : kOptions) {
        QCommandLineOption option(namesOf(spec), QString::fromUtf8(spec.help));
        if (spec.valueName)
            option.setValueName(QString::fromLatin1(spec.valueName));
        parser.addOption(option);
    }
    if (!parser.parse(arguments)) {
        *message = parser.errorText() + QStringLiteral(" (see --help)");
        return ParseOutcome::Error;
    }
    if (parser.isSet(help)) {
        *message = parser.helpText();
        return ParseOutcome::Exit;
    }
    if (parser.isSet(version)) {
        *message = QStringLiteral("swarm " SWARM_VERSION);
        return ParseOutcome::Exit;
    }
    if (!parser.positionalArguments().isEmpty()) {
        *message = QStringLiteral("unexpected argument '%1' (see --help)")
                       .arg(parser.positionalArguments().first());
        return ParseOutcome::Error;
    }

    const auto fail = [&](const QString& option, const QString& why) {
        *message = QStringLiteral("--%1: %2").arg(option, why);
        return ParseOutcome::Error;
    };
    const auto value = [&](const char* name) { return parser.value(QString::fromLatin1(name)); };
    const auto isSet = [&](const char* name) { return parser.isSet(QString::fromLatin1(name)); };
    const auto duration = [&](const char* name, qint64 max, qint64* out) {
        qint64 ms = 0;
        if (!parseDurationMs(value(name), &ms) || ms > max)
            return false;
        *out = ms;
        return true;
    };
    const auto integer = [&](const char* name, qint64 min, qint64 max, qint64* out) {
        bool ok = false;
        const qint64 n = value(name).trimmed().toLongLong(&ok);
        if (!ok || n < min || n > max)
            return false;
        *out = n;
        return true;
    };

    if (isSet("listen")) {
        QString host;
        if (!parseHostPort(value("listen"), &host, &o->listenPort, true))
            return fail(QStringLiteral("listen"),
                        QStringLiteral("'%1' is not ip:port with a port from 0 to 65535")
                            .arg(value("listen")));
        if (host == QLatin1String("localhost"))
            host = QStringLiteral("127.0.0.1");
        if (host == QLatin1String("*"))
            host = QStringLiteral("0.0.0.0");
        if (!o->listenAddress.setAddress(host))
            return fail(QStringLiteral("listen"),
                        QStringLiteral("'%1' is not an IP address").arg(host));
    }
    if (isSet("server")) {
        o->server = value("server");
        if (!parseHostPort(o->server, &o->serverHost, &o->serverPort, false))
            return fail(QStringLiteral("server"),
                        QStringLiteral("'%1' is not host:port with a port from 1 to 65535")
                            .arg(o->server));
    }
    o->script = value("script");
    o->protocolDir = value("protocol-dir");
    o->headless = isSet("headless");
    o->check = isSet("check");
    qint64 n = 0;
    if (isSet("threads")) {
        if (!integer("threads", 1, 256, &n))
            return fail(QStringLiteral("threads"),
                        QStringLiteral("'%1' is not a number from 1 to 256").arg(value("threads")));
        o->threads = int(n);
    }
    if (isSet("connect-spread")) {
        const QStringList ends = value("connect-spread").split(QLatin1Char('-'));
        qint64 lo = 0;
        qint64 hi = 0;
        if (ends.size() > 2 || !parseDurationMs(ends.first(), &lo)
            || !parseDurationMs(ends.last(), &hi) || hi < lo || hi > 3600 * 1000)
            return fail(QStringLiteral("connect-spread"),
                        QStringLiteral("'%1' is not seconds (1, 0.5) or a range (1-20) up to an hour")
                            .arg(value("connect-spread")));
        o->connectSpreadMinMs = ends.size() == 2 ? lo : 0;
        o->connectSpreadMaxMs = hi;
        o->connectSpreadGiven = true;
    }
    struct DurationOption
    {
        const char* name;
        int* target;
        qint64 min;
        qint64 max;
    };
    const DurationOption durations[] = {
        {"connect-timeout", &o->connectTimeoutMs, 1, 3600 * 1000},
        {"reply-timeout", &o->replyTimeoutMs, 1, 24 * 3600 * 1000},
        {"script-timeout", &o->scriptTimeoutMs, 10, 3600 * 1000},
        {"reconnect-max", &o->reconnectMaxMs, 1, 24 * 3600 * 1000},
        {"status-interval", &o->statusIntervalMs, 0, 24 * 3600 * 1000},
    };
    for (const DurationOption& d : durations) {
        if (!isSet(d.name))
            continue;
        qint64 ms = 0;
        if (!duration(d.name, d.max, &ms) || ms < d.min)
            return fail(QString::fromLatin1(d.name),
                        QStringLiteral("'%1' is not a duration such as 500ms, 3s, 2m (from %2 ms)")
                            .arg(value(d.name))
                            .arg(d.min));
        *d.target = int(ms);
    }
    if (isSet("max-reply-bytes")) {
        if (!parseByteSize(value("max-reply-bytes"), &o->maxReplyBytes) || o->maxReplyBytes < 1
            || o->maxReplyBytes > qint64(1) << 32)
            return fail(QStringLiteral("max-reply-bytes"),
                        QStringLiteral("'%1' is not a size from 1 byte to 4GiB (e.g. 64k, 16MiB)")
                            .arg(value("max-reply-bytes")));
    }
    if (isSet("rcvbuf")) {
        if (!integer("rcvbuf", 0, 64 * 1024 * 1024, &n))
            return fail(QStringLiteral("rcvbuf"), QStringLiteral("'%1' is not a byte count")
                                                      .arg(value("rcvbuf")));
        o->receiveBuffer = int(n);
    }
    if (isSet("sndbuf")) {
        if (!integer("sndbuf", 0, 64 * 1024 * 1024, &n))
            return fail(QStringLiteral("sndbuf"), QStringLiteral("'%1' is not a byte count")
                                                      .arg(value("sndbuf")));
        o->sendBuffer = int(n);
    }
    if (isSet("connections")) {
        if (!integer("connections", 0, 1000000, &n))
            return fail(QStringLiteral("connections"),
                        QStringLiteral("'%1' is not a number from 0 to 1000000")
                            .arg(value("connections")));
        o->connections = int(n);
    }
    if (isSet("ramp")) {
        bool ok = false;
        o->ramp = value("ramp").toDouble(&ok);
        if (!ok || !(o->ramp > 0) || o->ramp > 1e7)
            return fail(QStringLiteral("ramp"), QStringLiteral("'%1' is not a positive rate")
                                                    .arg(value("ramp")));
    }
    if (isSet("duration")) {
        if (!duration("duration", qint64(365) * 86400 * 1000, &o->durationMs) || o->durationMs <= 0)
            return fail(QStringLiteral("duration"),
                        QStringLiteral("'%1' is not a duration such as 30s, 5m, 1h")
                            .arg(value("duration")));
    }
    o->reportFile = value("report");
    o->csvFile = value("csv");
    for (const QString& t : parser.values(QStringLiteral("threshold"))) {
        Threshold threshold;
        QString error;
        if (!Threshold::parse(t, &threshold, &error))
            return fail(QStringLiteral("threshold"), error);
        o->thresholds << t;
    }
    for (const QString& s : parser.values(QStringLiteral("source-ip"))) {
        QString error;
        if (!parseAddressRange(s, &o->sourceAddresses, &error))
            return fail(QStringLiteral("source-ip"), error);
    }
    o->consoleToken = value("console-token");
    o->consoleInsecure = isSet("console-insecure");
    if (isSet("io")) {
        QString error;
        if (!parseIo(value("io"), &o->io, &error))
            return fail(QStringLiteral("io"), error);
    }
    if (o->threads <= 0)
        o->threads = qMax(1, QThread::idealThreadCount());
    return ParseOutcome::Run;
}

} // namespace swarm
