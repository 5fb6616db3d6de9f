// parseAgentState: the `stats snapshot` reply read back, every key and value checked; the first
// problem is reported with the key's path ("commands[2].latency.buckets[0][1]").
#include "stats/AgentState.h"

#include "stats/AgentWire.h"

#include <QJsonArray>

#include <cmath>
#include <limits>

namespace swarm {

namespace {

class AgentWireReader
{
public:
    explicit AgentWireReader(QString* error)
        : m_error(error)
    { }

    bool fail(const QString& path, const QString& what)
    {
        if (m_error) *m_error = QStringLiteral("stats snapshot: key '%1' %2").arg(path, what);
        return false;
    }

    static QString join(const QString& path, const QString& key)
    {
        return path.isEmpty() ? key : path + QLatin1Char('.') + key;
    }

    bool value(const QJsonObject& o, const QString& path, const char* key, QJsonValue* out)
    {
        const auto it = o.constFind(QLatin1String(key));
        if (it == o.constEnd())
            return fail(join(path, QLatin1String(key)), QStringLiteral("is missing"));
        *out = *it;
        return true;
    }

    // A whole number from 0 to `max`: a JSON number up to 2^53, or a string of digits.
    bool integer(const QJsonValue& v, const QString& path, quint64* out, quint64 max = ~quint64(0))
    {
        quint64 n = 0;
        if (v.isString()) {
            const QString s = v.toString();
            bool ok = !s.isEmpty() && s.size() <= 20;
            for (QChar c : s)
                ok = ok && c >= QLatin1Char('0') && c <= QLatin1Char('9');
            n = ok ? s.toULongLong(&ok) : 0;
            if (!ok)
                return fail(path, QStringLiteral("is not a whole number ('%1')").arg(s.left(24)));
        } else if (v.isDouble()) {
            // An integer literal is kept as one (toInteger), a double is checked as a double.
            const double d = v.toDouble();
            const qint64 i = v.toInteger(-1);
            if (d < 0) return fail(path, QStringLiteral("is negative (%1)").arg(d));
            if (d != std::floor(d) || !std::isfinite(d))
                return fail(path, QStringLiteral("is not a whole number (%1)").arg(d));
            if (d > double(wire::kMaxExactInteger) || i < 0 || quint64(i) > wire::kMaxExactInteger)
                return fail(path,
                    QStringLiteral("is a number above 2^53 (%1), which JSON readers round: "
                                   "larger values go as strings of digits")
                        .arg(i >= 0 ? QString::number(i) : QString::number(d)));
            n = quint64(i);
        } else {
            return fail(path, QStringLiteral("is not a whole number"));
        }
        if (n > max)
            return fail(path, QStringLiteral("is %1, above its largest %2").arg(n).arg(max));
        *out = n;
        return true;
    }

    bool integer(const QJsonObject& o, const QString& path, const char* key, quint64* out,
        quint64 max = ~quint64(0))
    {
        QJsonValue v;
        return value(o, path, key, &v) && integer(v, join(path, QLatin1String(key)), out, max);
    }

    template<typename T>
    bool signedInteger(const QJsonObject& o, const QString& path, const char* key, T* out,
        quint64 max = quint64(std::numeric_limits<T>::max()))
    {
        quint64 n = 0;
        if (!integer(o, path, key, &n, max)) return false;
        *out = T(n);
        return true;
    }

    bool text(const QJsonObject& o, const QString& path, const char* key, QString* out)
    {
        QJsonValue v;
        if (!value(o, path, key, &v)) return false;
        if (!v.isString())
            return fail(join(path, QLatin1String(key)), QStringLiteral("is not a string"));
        *out = v.toString();
        return true;
    }

    bool object(const QJsonValue& v, const QString& path, QJsonObject* out)
    {
        if (!v.isObject()) return fail(path, QStringLiteral("is not an object"));
        *out = v.toObject();
        return true;
    }

    bool object(const QJsonObject& o, const QString& path, const char* key, QJsonObject* out)
    {
        QJsonValue v;
        return value(o, path, key, &v) && object(v, join(path, QLatin1String(key)), out);
    }

    bool array(const QJsonObject& o, const QString& path, const char* key, QJsonArray* out)
    {
        QJsonValue v;
        if (!value(o, path, key, &v)) return false;
        if (!v.isArray())
            return fail(join(path, QLatin1String(key)), QStringLiteral("is not an array"));
        *out = v.toArray();
        return true;
    }

    bool rate(const QJsonObject& o, const QString& path, const char* key, double* out)
    {
        QJsonValue v;
        if (!value(o, path, key, &v)) return false;
        const double d = v.toDouble(-1);
        if (!v.isDouble() || !(d >= 0) || !std::isfinite(d))
            return fail(join(path, QLatin1String(key)), QStringLiteral("is not a number from 0"));
        *out = d;
        return true;
    }

    bool states(const QJsonObject& o, const QString& path, const char* key, StateCounts* out)
    {
        QJsonObject s;
        if (!object(o, path, key, &s)) return false;
        const QString here = join(path, QLatin1String(key));
        for (int i = 0; i < kStateCount; ++i)
            if (!signedInteger(s, here, stateName(i), &(*out)[size_t(i)])) return false;
        return true;
    }

    bool histogram(
        const QJsonObject& o, const QString& path, const char* key, LatencyHistogram* out);
    bool identity(const QJsonObject& o, AgentIdentity* out);
    bool command(const QJsonValue& v, const QString& path, CommandDelta* out);
    bool errorRow(const QJsonValue& v, const QString& path, ErrorTotals* out);
    bool totals(const QJsonObject& o, WorkerStats* out);
    bool lists(const QJsonObject& o, AgentState* out);

private:
    bool bucketRun(
        const QJsonValue& v, const QString& path, int* next, std::vector<quint64>* counts);
    bool histogramAgrees(const QString& path, const std::vector<quint64>& counts, quint64 count,
        quint64 min, quint64 max);

    QString* m_error;
};

// One run: [first bucket, its count, the next bucket's count, ...], after the previous run.
bool AgentWireReader::bucketRun(
    const QJsonValue& v, const QString& path, int* next, std::vector<quint64>* counts)
{
    if (!v.isArray() || v.toArray().size() < 2)
        return fail(path, QStringLiteral("is not a run of buckets [first, count, ...]"));
    const QJsonArray run = v.toArray();
    quint64 first = 0;
    const quint64 last = quint64(LatencyHistogram::bucketCount() - 1);
    if (!integer(run[0], path + QStringLiteral("[0]"), &first, last)) return false;
    if (first < quint64(*next))
        return fail(path + QStringLiteral("[0]"),
            QStringLiteral("is bucket %1, not after the previous run's (runs go up)").arg(first));
    if (first + quint64(run.size()) - 2 > last)
        return fail(path, QStringLiteral("runs past the last bucket (%1)").arg(last));
    for (qsizetype i = 1; i < run.size(); ++i)
        if (!integer(run[i], path + QStringLiteral("[%1]").arg(i),
                &(*counts)[size_t(first) + size_t(i) - 1]))
            return false;
    *next = int(first) + int(run.size()) - 1;
    return true;
}

// The parts must describe one histogram: the counts add up, min and max fall in the first and
// last buckets used.
bool AgentWireReader::histogramAgrees(const QString& path, const std::vector<quint64>& counts,
    quint64 count, quint64 min, quint64 max)
{
    quint64 total = 0;
    int low = -1;
    int high = -1;
    for (size_t b = 0; b < counts.size(); ++b) {
        if (counts[b] == 0) continue;
        if (total + counts[b] < total)
            return fail(path, QStringLiteral("has bucket counts that overflow"));
        total += counts[b];
        if (low < 0) low = int(b);
        high = int(b);
    }
    if (total != count)
        return fail(path,
            QStringLiteral("has buckets that hold %1 values, not its count %2")
                .arg(total)
                .arg(count));
    if (count > 0
        && (LatencyHistogram::bucketOf(min) != low || LatencyHistogram::bucketOf(max) != high))
        return fail(path,
            QStringLiteral("has min %1 or max %2 outside its first and last buckets")
                .arg(min)
                .arg(max));
    return true;
}

bool AgentWireReader::histogram(
    const QJsonObject& o, const QString& path, const char* key, LatencyHistogram* out)
{
    QJsonObject h;
    if (!object(o, path, key, &h)) return false;
    const QString here = join(path, QLatin1String(key));
    quint64 count = 0, sum = 0, min = 0, max = 0;
    QJsonArray runs;
    if (!integer(h, here, "count", &count) || !integer(h, here, "sum", &sum)
        || !integer(h, here, "min", &min, LatencyHistogram::kMaxValue)
        || !integer(h, here, "max", &max, LatencyHistogram::kMaxValue)
        || !array(h, here, "buckets", &runs))
        return false;
    std::vector<quint64> counts(size_t(LatencyHistogram::bucketCount()), 0);
    int next = 0;
    for (qsizetype i = 0; i < runs.size(); ++i)
        if (!bucketRun(runs[i], here + QStringLiteral(".buckets[%1]").arg(i), &next, &counts))
            return false;
    if (!histogramAgrees(here, counts, count, min, max)) return false;
    if (count == 0 && (sum != 0 || min != 0 || max != 0))
        return fail(here, QStringLiteral("is empty but has a sum, min or max"));
    *out = LatencyHistogram::fromParts(std::move(counts), sum, min, max);
    return true;
}

bool AgentWireReader::identity(const QJsonObject& o, AgentIdentity* out)
{
    QJsonObject a;
    const QString p = QStringLiteral("agent");
    if (!object(o, QString(), "agent", &a) || !text(a, p, "version", &out->version)
        || !text(a, p, "scenario", &out->scenario) || !text(a, p, "protocol", &out->protocol)
        || !text(a, p, "io", &out->io) || !text(a, p, "bundle_digest", &out->bundleDigest)
        || !signedInteger(a, p, "index", &out->agentIndex)
        || !signedInteger(a, p, "count", &out->agentCount))
        return false;
    if (out->agentCount < 1) return fail(join(p, QStringLiteral("count")), QStringLiteral("is 0"));
    if (out->agentIndex >= out->agentCount)
        return fail(join(p, QStringLiteral("index")),
            QStringLiteral("is %1, not below the count %2")
                .arg(out->agentIndex)
                .arg(out->agentCount));
    return true;
}

bool AgentWireReader::command(const QJsonValue& v, const QString& path, CommandDelta* out)
{
    QJsonObject c;
    if (!object(v, path, &c) || !text(c, path, "name", &out->name)) return false;
    if (out->name.isEmpty())
        return fail(join(path, QStringLiteral("name")), QStringLiteral("is empty"));
    return integer(c, path, "requests", &out->requests) && integer(c, path, "errors", &out->errors)
        && integer(c, path, "bytes_sent", &out->bytesSent)
        && integer(c, path, "bytes_received", &out->bytesReceived)
        && integer(c, path, "messages_received", &out->messagesReceived)
        && integer(c, path, "messages_sent", &out->messagesSent)
        && histogram(c, path, "latency", &out->latency)
        && histogram(c, path, "corrected", &out->corrected);
}

bool AgentWireReader::errorRow(const QJsonValue& v, const QString& path, ErrorTotals* out)
{
    QJsonObject e;
    return object(v, path, &e) && text(e, path, "kind", &out->kind)
        && text(e, path, "command", &out->command) && integer(e, path, "count", &out->count)
        && text(e, path, "last_message", &out->lastMessage)
        && signedInteger(e, path, "last_at_ms", &out->lastAtMs);
}

bool AgentWireReader::totals(const QJsonObject& o, WorkerStats* t)
{
    const QString top;
    return signedInteger(o, top, "connections", &t->connections)
        && rate(o, top, "asked_rate", &t->askedRate)
        && signedInteger(o, top, "backlog", &t->backlog) && states(o, top, "current", &t->current)
        && states(o, top, "transitions", &t->transitions)
        && integer(o, top, "actions_completed", &t->actionsCompleted)
        && integer(o, top, "bytes_sent", &t->bytesSent)
        && integer(o, top, "bytes_received", &t->bytesReceived)
        && integer(o, top, "arrivals", &t->arrivals)
        && histogram(o, top, "connect_time", &t->connectTime)
        && histogram(o, top, "tls_handshake", &t->tlsHandshake);
}

bool AgentWireReader::lists(const QJsonObject& o, AgentState* out)
{
    QJsonArray commands;
    QJsonArray errors;
    if (!array(o, QString(), "commands", &commands) || !array(o, QString(), "errors", &errors))
        return false;
    std::vector<CommandDelta>& list = out->totals.commands;
    for (qsizetype i = 0; i < commands.size(); ++i) {
        const QString path = QStringLiteral("commands[%1]").arg(i);
        CommandDelta c;
        if (!command(commands[i], path, &c)) return false;
        for (const CommandDelta& before : list)
            if (before.name == c.name)
                return fail(join(path, QStringLiteral("name")),
                    QStringLiteral("'%1' appears twice").arg(c.name));
        list.push_back(std::move(c));
    }
    for (qsizetype i = 0; i < errors.size(); ++i) {
        ErrorTotals e;
        if (!errorRow(errors[i], QStringLiteral("errors[%1]").arg(i), &e)) return false;
        out->errorTotals.push_back(std::move(e));
    }
    return true;
}

} // namespace

bool parseAgentState(const QJsonObject& json, AgentState* state, QString* error)
{
    AgentWireReader r(error);
    const auto wire = json.constFind(QLatin1String("wire"));
    if (wire == json.constEnd())
        return r.fail(QStringLiteral("wire"), QStringLiteral("is missing: not an agent state"));
    if (!wire->isDouble() || wire->toDouble() != kAgentWireVersion)
        return r.fail(QStringLiteral("wire"),
            QStringLiteral("is %1: this swarm reads wire version %2 only (agent and controller "
                           "must run the same swarm version)")
                .arg(wire->isDouble() ? QString::number(wire->toDouble())
                                      : QStringLiteral("not a number"))
                .arg(kAgentWireVersion));
    AgentState s;
    s.totals.worker = -1;
    if (!r.identity(json, &s.identity)
        || !r.signedInteger(json, QString(), "elapsed_ms", &s.elapsedMs)
        || !r.signedInteger(json, QString(), "target", &s.target) || !r.totals(json, &s.totals)
        || !r.lists(json, &s))
        return false;
    *state = std::move(s);
    return true;
}

} // namespace swarm
