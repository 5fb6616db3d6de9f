#include "stats/Threshold.h"

#include "stats/StatusText.h"

#include <QJsonObject>
#include <QRegularExpression>

namespace swarm {

bool Threshold::parse(const QString& text, Threshold* out, QString* error)
{
    static const QRegularExpression re(QStringLiteral(
        R"(^\s*([A-Za-z_$][\w$.]*)\s*(<=|>=|<|>)\s*([0-9]+(?:\.[0-9]+)?)\s*(us|µs|ms|s|%)?\s*$)"));
    static const QRegularExpression metricName(
        QStringLiteral(R"(^(p\d+(?:\.\d+)?|max|min|mean|avg|rps|requests|count|errors)$)"),
        QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch m = re.match(text);
    // The left side is METRIC or COMMAND.METRIC; a metric may hold a dot itself (p99.9).
    QString command;
    QString metricText = m.captured(1);
    if (m.hasMatch() && !metricName.match(metricText).hasMatch()) {
        const qsizetype dot = metricText.indexOf(QLatin1Char('.'));
        if (dot > 0) {
            command = metricText.left(dot);
            metricText = metricText.mid(dot + 1);
        }
    }
    if (!m.hasMatch() || command.contains(QLatin1Char('.'))) {
        *error = QStringLiteral("'%1' is not a threshold: write [COMMAND.]METRIC OP VALUE, e.g. "
                                "p99<50ms, errors<1%, rps>1000, heartbeat.p99<20ms")
                     .arg(text);
        return false;
    }
    Threshold t;
    t.m_text = text.trimmed();
    t.m_command = command;
    // intended_p99: the open model's latency from the intended start, not the service time.
    static const QString intended = QStringLiteral("intended_");
    if (metricText.startsWith(intended, Qt::CaseInsensitive)) {
        t.m_intended = true;
        metricText = metricText.mid(intended.size());
    }
    const QString op = m.captured(2);
    t.m_op = op == QLatin1String("<") ? Op::Less
        : op == QLatin1String("<=")   ? Op::LessEqual
        : op == QLatin1String(">")    ? Op::Greater
                                      : Op::GreaterEqual;
    QString why;
    if (!t.setMetric(metricText.toLower(), m.captured(3).toDouble(), m.captured(4), &why)) {
        *error = QStringLiteral("threshold '%1': %2").arg(text, why);
        return false;
    }
    *out = t;
    return true;
}

bool Threshold::setMetric(const QString& metric, double value, const QString& unit, QString* why)
{
    static const QRegularExpression percentile(QStringLiteral(R"(^p(\d+(?:\.\d+)?)$)"));
    const QRegularExpressionMatch p = percentile.match(metric);
    if (p.hasMatch()) return setPercentile(p.captured(1), why) && setLatency(value, unit, why);
    if (metric == QLatin1String("max") || metric == QLatin1String("min")
        || metric == QLatin1String("mean") || metric == QLatin1String("avg")) {
        m_metric = metric == QLatin1String("max") ? Metric::Max
            : metric == QLatin1String("min")      ? Metric::Min
                                                  : Metric::Mean;
        return setLatency(value, unit, why);
    }
    m_value = value;
    if (metric == QLatin1String("rps") || metric == QLatin1String("requests")
        || metric == QLatin1String("count")) {
        m_metric = metric == QLatin1String("rps") ? Metric::Rps : Metric::Requests;
        if (!unit.isEmpty())
            *why = QStringLiteral("%1 takes a plain number")
                       .arg(m_metric == Metric::Rps ? "rps" : "requests");
        return unit.isEmpty();
    }
    if (metric == QLatin1String("errors")) {
        if (unit == QLatin1String("%")) {
            m_metric = Metric::ErrorRatio;
            m_value = value / 100.0;
        } else if (unit.isEmpty()) {
            m_metric = Metric::Errors;
        } else {
            *why = QStringLiteral("errors takes a count or a percentage");
            return false;
        }
        return true;
    }
    *why = QStringLiteral("unknown metric '%1' (p50, p90, p99, p999, max, min, mean, rps, "
                          "requests, errors)")
               .arg(metric);
    return false;
}

bool Threshold::setPercentile(const QString& digits, QString* why)
{
    double q = digits.toDouble();
    // p999 means 99.9, p9999 99.99: after "99" the digits are decimals.
    if (!digits.contains(QLatin1Char('.')) && digits.size() > 2
        && digits.startsWith(QLatin1String("99")))
        q = (digits.left(2) + QLatin1Char('.') + digits.mid(2)).toDouble();
    if (!(q > 0 && q <= 100)) {
        *why = QStringLiteral("a percentile must be between 0 and 100");
        return false;
    }
    m_metric = Metric::Percentile;
    m_percentile = q;
    return true;
}

bool Threshold::setLatency(double value, const QString& unit, QString* why)
{
    if (unit == QLatin1String("%")) {
        *why = QStringLiteral("a latency takes us, ms or s, not %");
        return false;
    }
    const double scale = unit == QLatin1String("s")                     ? 1e6
        : (unit == QLatin1String("us") || unit == QStringLiteral("µs")) ? 1.0
                                                                        : 1e3;
    m_value = value * scale;
    return true;
}

double Threshold::measure(const StatsSnapshot& s, const CommandTotals* command,
    const LatencyHistogram& latency, QString* shown) const
{
    const double seconds = qMax(1e-9, double(s.elapsedMs) / 1000.0);
    double actual = 0;
    switch (m_metric) {
    case Metric::Percentile:
        actual = double(latency.percentile(m_percentile));
        break;
    case Metric::Max:
        actual = double(latency.max());
        break;
    case Metric::Min:
        actual = double(latency.min());
        break;
    case Metric::Mean:
        actual = latency.mean();
        break;
    case Metric::Rps:
        actual = double(command ? command->requests : s.requests) / seconds;
        *shown = QString::number(actual, 'f', 1);
        return actual;
    case Metric::Requests:
        actual = double(command ? command->requests : s.requests);
        *shown = QString::number(qint64(actual));
        return actual;
    case Metric::Errors:
        actual = double(command ? command->errors : s.errors());
        *shown = QString::number(qint64(actual));
        return actual;
    case Metric::ErrorRatio:
        actual = command
            ? (command->requests ? double(command->errors) / double(command->requests) : 0.0)
            : s.errorRatio();
        *shown = QStringLiteral("%1%").arg(actual * 100.0, 0, 'f', 3);
        return actual;
    }
    *shown = formatMicros(quint64(actual)); // the latencies
    return actual;
}

bool Threshold::isLatency() const
{
    return m_metric == Metric::Percentile || m_metric == Metric::Max || m_metric == Metric::Min
        || m_metric == Metric::Mean;
}

bool Threshold::holds(double actual) const
{
    switch (m_op) {
    case Op::Less:
        return actual < m_value;
    case Op::LessEqual:
        return actual <= m_value;
    case Op::Greater:
        return actual > m_value;
    case Op::GreaterEqual:
        return actual >= m_value;
    }
    return false;
}

Threshold::Outcome Threshold::evaluate(const StatsSnapshot& s) const
{
    Outcome o;
    const auto failed = [&](const QString& why) {
        o.actual = QStringLiteral("n/a");
        o.message = QStringLiteral("%1: failed, %2").arg(m_text, why);
        return o;
    };
    const CommandTotals* command = nullptr;
    if (!m_command.isEmpty()) {
        command = s.command(m_command);
        if (!command) return failed(QStringLiteral("the run has no command '%1'").arg(m_command));
    }
    const LatencyHistogram& latency = m_intended ? (command ? command->corrected : s.corrected)
                                                 : (command ? command->latency : s.latency);
    if (m_intended && !isLatency())
        return failed(QStringLiteral("intended_ applies to latencies only"));
    if (isLatency() && latency.isEmpty())
        return failed(m_intended && !s.openModel()
                ? QStringLiteral("nothing was paced (intended_ needs the open model: --rate or an "
                                 "action's rate:)")
                : QStringLiteral("no request completed"));
    const double actual = measure(s, command, latency, &o.actual);
    o.passed = holds(actual);
    o.message = QStringLiteral("%1: %2, measured %3")
                    .arg(m_text, o.passed ? QStringLiteral("passed") : QStringLiteral("failed"),
                        o.actual);
    return o;
}

QJsonArray Threshold::evaluateAll(
    const QList<Threshold>& thresholds, const StatsSnapshot& snapshot, QList<Outcome>* outcomes)
{
    QJsonArray results;
    for (const Threshold& t : thresholds) {
        const Outcome o = t.evaluate(snapshot);
        QJsonObject r;
        r[QStringLiteral("threshold")] = t.text();
        r[QStringLiteral("passed")] = o.passed;
        r[QStringLiteral("actual")] = o.actual;
        results.append(r);
        if (outcomes) outcomes->append(o);
    }
    return results;
}

} // namespace swarm
