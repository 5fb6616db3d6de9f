#include "run/RunHistory.h"

#include "run/RunSession.h"
#include "run/SaveFile.h"
#include "stats/StatusText.h"

#include <QJsonDocument>
#include <QLocale>

namespace swarm {

RunHistory::RunHistory(RunSession* session, QObject* parent)
    : QObject(parent)
    , m_session(session)
{
    connect(session, &RunSession::runEnding, this, &RunHistory::keep);
}

void RunHistory::keep()
{
    PastRun run;
    run.number = ++m_count;
    run.info = m_session->runInfo();
    run.snapshot = m_session->snapshot();
    run.series = std::make_shared<const TimeSeries>(m_session->timeSeries());
    run.label = tr("Run %1 · %2 · %3 · %4 requests")
                    .arg(run.number)
                    .arg(run.info.startedAt.toString(QStringLiteral("HH:mm")))
                    .arg(formatElapsed(run.snapshot.elapsedMs))
                    .arg(QLocale().toString(run.snapshot.requests));
    m_runs.prepend(run);
    while (m_runs.size() > kMaxRuns)
        m_runs.removeLast();
    Q_EMIT changed();
}

bool RunHistory::writeReport(int index, const QString& path, QString* error) const
{
    if (index < 0 || index >= m_runs.size()) {
        *error = tr("no such run");
        return false;
    }
    const PastRun& run = m_runs[index];
    return saveFile(path,
        QJsonDocument(reportJson(run.snapshot, run.info)).toJson(QJsonDocument::Indented), error);
}

} // namespace swarm
