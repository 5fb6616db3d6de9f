#include "FileController.h"

#include "RecentFiles.h"
#include "editor/ScenarioDocument.h"
#include "run/RunSession.h"
#include "run/SaveFile.h"
#include "stats/HtmlReport.h"
#include "stats/Report.h"
#include "stats/Threshold.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QStandardPaths>

namespace swarm {

FileController::FileController(
    ScenarioDocument* document, RunSession* session, RecentFiles* recent, QWidget* window)
    : QObject(window)
    , m_document(document)
    , m_session(session)
    , m_recent(recent)
    , m_window(window)
{
    m_askUnsaved = [this](const QString& question) {
        return QMessageBox::warning(m_window, tr("Unsaved changes"), question,
            QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    };
    m_askPath = [this](const QString& caption, const QString& suggested, const QString& filter,
                    bool save) {
        return save ? QFileDialog::getSaveFileName(m_window, caption, suggested, filter)
                    : QFileDialog::getOpenFileName(m_window, caption, suggested, filter);
    };
    connect(recent, &RecentFiles::openRequested, this, [this](const QString& path) {
        if (maybeSave()) openFile(path);
    });
}

QString FileController::suggestedDir() const
{
    if (!m_document->scenarioNeedsPath())
        return QFileInfo(m_document->scenarioPath()).absolutePath();
    if (!m_document->protocolDir().isEmpty())
        return QFileInfo(m_document->protocolDir()).absolutePath();
    return QDir::currentPath();
}

void FileController::fail(const QString& what, const QString& error)
{
    QMessageBox::critical(m_window, what, error);
    Q_EMIT message(error);
}

bool FileController::maybeSave()
{
    if (!m_document->isModified()) return true;
    QStringList what;
    if (m_document->scenarioModified())
        what << tr("the scenario %1").arg(m_document->scenarioName());
    if (m_document->moduleModified())
        what << tr("the protocol module %1.js").arg(m_document->moduleName());
    const QString question = tr("%1 %2 unsaved changes. Save them?")
                                 .arg(what.join(tr(" and ")))
                                 .arg(what.size() == 1 ? tr("has") : tr("have"));
    switch (m_askUnsaved(question.left(1).toUpper() + question.mid(1))) {
    case QMessageBox::Save:
        return save();
    case QMessageBox::Discard:
        return true;
    default:
        return false;
    }
}

void FileController::newScenario()
{
    if (!maybeSave()) return;
    m_document->discardModuleChanges();
    m_document->newScenario();
    Q_EMIT message(tr("New scenario for protocol %1").arg(m_document->moduleName()));
}

void FileController::open()
{
    if (!maybeSave()) return;
    const QString path = m_askPath(
        tr("Open Scenario"), suggestedDir(), tr("Scenarios (*.yml *.yaml);;All files (*)"), false);
    if (!path.isEmpty()) openFile(path);
}

bool FileController::openFile(const QString& path)
{
    QString error;
    if (!m_document->openScenario(path, &error)) {
        m_recent->remove(path);
        fail(tr("Open Scenario"), error);
        return false;
    }
    m_recent->add(path);
    Q_EMIT message(tr("Opened %1").arg(path));
    return true;
}

bool FileController::saveScenarioTo(const QString& path)
{
    QString error;
    if (!m_document->saveScenario(path, &error)) {
        fail(tr("Save Scenario"), error);
        return false;
    }
    m_recent->add(path);
    Q_EMIT message(tr("Saved %1").arg(path));
    return true;
}

bool FileController::save()
{
    if (m_document->scenarioNeedsPath()
        && (m_document->scenarioModified() || !m_document->moduleModified()))
        return saveAs();
    if (m_document->scenarioModified() && !saveScenarioTo(m_document->scenarioPath())) return false;
    return !m_document->moduleModified() || saveModule();
}

bool FileController::saveAs()
{
    const QString suggested = QDir(suggestedDir()).filePath(m_document->scenarioName());
    const QString path
        = m_askPath(tr("Save Scenario As"), suggested, tr("Scenarios (*.yml *.yaml)"), true);
    if (path.isEmpty() || !saveScenarioTo(path)) return false;
    return !m_document->moduleModified() || saveModule();
}

bool FileController::saveModule()
{
    if (m_document->moduleNeedsPath()) return saveModuleAs();
    QString error;
    if (!m_document->saveModule(m_document->modulePath(), &error)) {
        fail(tr("Save Module"), error);
        return false;
    }
    Q_EMIT message(tr("Saved %1").arg(m_document->modulePath()));
    return true;
}

bool FileController::saveModuleAs()
{
    // Next to the scenario is where a run looks first, so that is the suggestion.
    const QString name
        = (m_document->moduleName().isEmpty() ? QStringLiteral("module") : m_document->moduleName())
        + QStringLiteral(".js");
    const QString path = m_askPath(tr("Save Protocol Module As"),
        QDir(suggestedDir()).filePath(name), tr("Protocol modules (*.js)"), true);
    if (path.isEmpty()) return false;
    QString error;
    if (!m_document->saveModule(path, &error)) {
        fail(tr("Save Module"), error);
        return false;
    }
    QString note;
    if (m_document->findModule(m_document->moduleName(), nullptr) != path)
        note = tr(" — note: when the scenario is opened again, %1.js is looked for next to it, in "
                  "../protocols or in --protocol-dir, so save it there")
                   .arg(m_document->moduleName());
    Q_EMIT message(tr("Saved %1").arg(path) + note);
    return true;
}

bool FileController::exportReport(const QString& given)
{
    return exportRun(given, tr("Export Report (JSON)"), QStringLiteral("swarm-report.json"),
        tr("JSON (*.json)"), tr("Report written to %1"), [this] {
            QJsonObject report = reportJson(m_session->snapshot(), m_session->runInfo());
            if (const QJsonArray t = m_session->thresholdResults(); !t.isEmpty())
                report[QStringLiteral("thresholds")] = t; // as the --report file has them
            return QJsonDocument(report).toJson(QJsonDocument::Indented);
        });
}

bool FileController::exportCsv(const QString& given)
{
    return exportRun(given, tr("Export Time Series (CSV)"), QStringLiteral("swarm.csv"),
        tr("CSV (*.csv)"), tr("Time series written to %1"),
        [this] { return timeSeriesCsv(m_session->timeSeries()).toUtf8(); });
}

bool FileController::exportHtml(const QString& given)
{
    return exportRun(given, tr("Export Report (HTML)"), QStringLiteral("swarm-report.html"),
        tr("HTML (*.html)"), tr("HTML report written to %1"), [this] {
            return htmlReport(m_session->snapshot(), m_session->timeSeries(), m_session->runInfo(),
                m_session->thresholdResults())
                .toUtf8();
        });
}

bool FileController::exportRun(const QString& given, const QString& title,
    const QString& suggestedName, const QString& filter, const QString& written,
    const std::function<QByteArray()>& contents)
{
    if (!m_session->hasRun()) {
        Q_EMIT message(tr("No run to export yet"));
        return false;
    }
    const QString path = given.isEmpty()
        ? m_askPath(title, QDir(suggestedDir()).filePath(suggestedName), filter, true)
        : given;
    if (path.isEmpty()) return false;
    QString error;
    if (!saveFile(path, contents(), &error)) {
        fail(title, error);
        return false;
    }
    Q_EMIT message(written.arg(path));
    return true;
}

} // namespace swarm
