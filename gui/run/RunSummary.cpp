#include "run/RunSummary.h"

#include "run/RunSession.h"
#include "stats/StatusText.h"

#include <QCoreApplication>

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
                  .arg(where, formatElapsed(s.elapsedMs))
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
                   .arg(s.errors());
        break;
    }
    return text;
}

} // namespace swarm
