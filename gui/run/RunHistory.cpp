#include "run/RunHistory.h"

#include "core/LoadDriver.h"
#include "run/RunSession.h"
#include "run/SaveFile.h"
#include "stats/StatusText.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>

namespace swarm {

RunHistory::RunHistory(RunSession* session, QObject* parent, QString path)
    : QObject(parent)
    , m_session(session)
    , m_path(path.isEmpty() ? RunHistoryFile::defaultPath() : std::move(path))
{
    connect(session, &RunSession::runEnding, this, &RunHistory::keep);
    load();
}

void RunHistory::load()
{
    QString error;
    if (RunHistoryFile::load(m_path, &m_runs, &error)) {
        while (m_runs.size() > kMaxRuns)
            m_runs.removeLast();
        for (const PastRun& run : m_runs)
            m_count = qMax(m_count, run.number);
        return;
    }
    // Set aside, not overwritten by the next run's save: the user may want to look at it.
    const QString aside = m_path + QStringLiteral(".bad");
    QFile::remove(aside);
    const bool moved = QFile::rename(m_path, aside);
    m_loadProblem = tr("The run history could not be read: %1. The window starts with an empty "
                       "history%2.")
                        .arg(error, moved ? tr("; the file was kept as %1").arg(aside) : QString());
}

void RunHistory::keepLastRun()
{
    const LoadDriver* engine = m_session->engine();
    if (engine && engine->hasLoadStarted()) keep();
}

void RunHistory::keep()
{
    PastRun run;
    run.number = ++m_count;
    const RunInfo info = m_session->runInfo();
    const StatsSnapshot snapshot = m_session->snapshot();
    run.report = reportJson(snapshot, info);
    if (const QJsonArray t = m_session->thresholdResults(); !t.isEmpty())
        run.report[QStringLiteral("thresholds")] = t;
    run.series = std::make_shared<const TimeSeries>(m_session->timeSeries());
    run.label = tr("Run %1 · %2 · %3 · %4 requests")
                    .arg(run.number)
                    .arg(info.startedAt.toString(QStringLiteral("HH:mm")))
                    .arg(formatElapsed(snapshot.elapsedMs))
                    .arg(QLocale().toString(snapshot.requests));
    m_runs.prepend(run);
    while (m_runs.size() > kMaxRuns)
        m_runs.removeLast();
    QString error;
    if (!RunHistoryFile::save(m_path, m_runs, &error))
        Q_EMIT problem(tr("The run history was not stored: %1").arg(error));
    Q_EMIT changed();
}

bool RunHistory::writeReport(int index, const QString& path, QString* error) const
{
    if (index < 0 || index >= m_runs.size()) {
        *error = tr("no such run");
        return false;
    }
    return saveFile(
        path, QJsonDocument(m_runs[index].report).toJson(QJsonDocument::Indented), error);
}

} // namespace swarm
