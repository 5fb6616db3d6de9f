#include "FileController.h"

#include "core/Engine.h"
#include "RecentFiles.h"
#include "stats/Report.h"
#include "run/RunController.h"
#include "run/RunSession.h"
#include "editor/ScenarioDocument.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>
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

static bool writeExport(const QString& path, const QByteArray& data, QString* error)
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size() || !f.commit()) {
        *error = QObject::tr("cannot write %1: %2").arg(path, f.errorString());
        return false;
    }
    return true;
}

bool FileController::exportReport(const QString& given)
{
    Engine* e = m_session->engine();
    if (!e) {
        Q_EMIT message(tr("No run to export yet"));
        return false;
    }
    const QString path = given.isEmpty()
        ? m_askPath(tr("Export Report (JSON)"), QDir(suggestedDir()).filePath("swarm-report.json"),
            tr("JSON (*.json)"), true)
        : given;
    if (path.isEmpty()) return false;
    const QJsonObject report = reportJson(e->snapshot(), m_session->controller()->info());
    QString error;
    if (!writeExport(path, QJsonDocument(report).toJson(QJsonDocument::Indented), &error)) {
        fail(tr("Export Report"), error);
        return false;
    }
    Q_EMIT message(tr("Report written to %1").arg(path));
    return true;
}

bool FileController::exportCsv(const QString& given)
{
    Engine* e = m_session->engine();
    if (!e) {
        Q_EMIT message(tr("No run to export yet"));
        return false;
    }
    const QString path = given.isEmpty() ? m_askPath(tr("Export Time Series (CSV)"),
                             QDir(suggestedDir()).filePath("swarm.csv"), tr("CSV (*.csv)"), true)
                                         : given;
    if (path.isEmpty()) return false;
    QString error;
    if (!writeExport(path, timeSeriesCsv(e->timeSeries()).toUtf8(), &error)) {
        fail(tr("Export CSV"), error);
        return false;
    }
    Q_EMIT message(tr("Time series written to %1").arg(path));
    return true;
}

} // namespace swarm
