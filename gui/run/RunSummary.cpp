#include "run/RunSummary.h"

#include "Colors.h"

#include "run/RunSession.h"
#include "stats/StatusText.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonObject>

namespace swarm {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("RunPanel", text);
}

// "8 connected · 2 connecting · 3 failing · target 13": a connection refused over and over
// counts among the live ones, so the headline never calls it connected.
QString headline(const StatsSnapshot& s, int target)
{
    const qint64 connected = s.connectedNow();
    const qint64 connecting = s.connectingNow();
    const qint64 failing = s.failingNow();
    QString text = tr("<b style='font-size:large'>%1</b> connected").arg(connected);
    if (connecting) text += tr(" · %1 connecting").arg(connecting);
    if (failing) text += tr(" · <b>%1 failing</b>").arg(failing);
    return text + tr(" · target %1").arg(target);
}

// "Thresholds: 1 of 2 failed — p99<5ms failed (measured 7.2ms) · rps>10 passed (41.0)".
QString thresholdsLine(const QJsonArray& results)
{
    if (results.isEmpty()) return QString();
    QStringList parts;
    int failed = 0;
    for (const QJsonValue& v : results) {
        const QJsonObject r = v.toObject();
        const bool passed = r.value(QStringLiteral("passed")).toBool();
        failed += passed ? 0 : 1;
        const QString text = r.value(QStringLiteral("threshold")).toString().toHtmlEscaped();
        const QString actual = r.value(QStringLiteral("actual")).toString().toHtmlEscaped();
        parts << (passed ? tr("%1 passed (%2)").arg(text, actual)
                         : tr("<span style='color:%3'><b>%1 FAILED</b> (measured %2)</span>")
                               .arg(text, actual, colors::css(colors::problem())));
    }
    const QString head = failed ? tr("<b style='color:%1'>Thresholds: %2 of %3 failed</b>")
                                      .arg(colors::css(colors::problem()))
                                      .arg(failed)
                                      .arg(results.size())
                                : tr("<b style='color:%1'>Thresholds: all %2 passed</b>")
                                      .arg(colors::css(colors::fine()))
                                      .arg(results.size());
    return QStringLiteral("<br>") + head + QStringLiteral(" — ")
        + parts.join(QStringLiteral(" · "));
}

} // namespace

QString runSummaryText(const RunSession& session, const StatsSnapshot& s)
{
    using State = RunSession::State;
    const QString where = session.serverDescription().toHtmlEscaped();
    QString text;
    switch (session.state()) {
    case State::NotStarted:
        text = session.startError().isEmpty()
            ? tr("<b>Not running.</b> The run starts as soon as the scenario and its module are "
                 "valid (New Run).")
            : tr("<b>The run could not start:</b> %1<br>Change the address above (or fix the "
                 "scenario), then New Run.")
                  .arg(session.startError().toHtmlEscaped().replace(
                      QLatin1Char('\n'), QStringLiteral("<br>")));
        break;
    case State::Starting:
        text = tr("<b>Starting…</b> server %1").arg(where);
        break;
    case State::Ready:
        if (session.isIdle()) {
            text = tr("<b>Idle:</b> nothing connected. The run (and its clock) starts with the "
                      "first connection: press + or type <tt>incr N</tt> in the console (here or "
                      "nc %1). Server %2.")
                       .arg(session.consoleDescription()
                                .section(QLatin1Char(' '), 0, 0)
                                .replace(QLatin1Char(':'), QLatin1Char(' ')),
                           where);
            break;
        }
        text = headline(s, session.target())
            + tr(" → %1 · running for %2 · <b>%3</b> req/s")
                  .arg(where,
                      formatElapsed(s.elapsedMs)
                          + (session.duration() > 0
                                  ? tr(" of %1").arg(formatElapsed(session.duration()))
                                  : QString()))
                  .arg(s.rps, 0, 'f', 1);
        break;
    case State::Stopping:
        text = tr("<b>Stopping:</b> closing %1 connection%2…")
                   .arg(s.connections)
                   .arg(s.connections == 1 ? "" : "s");
        break;
    case State::Finished:
        text = tr("<b>Run finished</b> after %1 (%2 requests, %3 errors). The final figures stay "
                  "below; New Run or + starts the next run.")
                   .arg(formatElapsed(s.elapsedMs))
                   .arg(s.requests)
                   .arg(s.errors())
            + thresholdsLine(session.thresholdResults());
        break;
    }
    return text;
}

} // namespace swarm
