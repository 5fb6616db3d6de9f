#pragma once

#include <QMessageBox>
#include <QObject>

#include <functional>

namespace swarm {

class RecentFiles;
class RunSession;
class ScenarioDocument;

// File > New, Open, Save, Save As, the module's Save, and the run's exports — with the dialogs
// they need, and the Save / Discard / Cancel question before unsaved changes would be lost.
class FileController : public QObject
{
    Q_OBJECT
public:
    // Dialogs are replaceable so tests can answer them.
    using AskUnsaved = std::function<QMessageBox::StandardButton(const QString& question)>;
    using AskPath = std::function<QString(
        const QString& caption, const QString& suggested, const QString& filter, bool save)>;

    FileController(
        ScenarioDocument* document, RunSession* session, RecentFiles* recent, QWidget* window);

    void setAskUnsaved(AskUnsaved ask) { m_askUnsaved = std::move(ask); }
    void setAskPath(AskPath ask) { m_askPath = std::move(ask); }

    // True when it is fine to go on (saved, discarded or nothing to save); false: cancelled.
    bool maybeSave();
    void newScenario();
    void open();
    bool openFile(const QString& path);
    bool save();
    bool saveAs();
    bool saveModule();
    bool saveModuleAs();
    bool exportReport(const QString& path = QString());
    bool exportCsv(const QString& path = QString());
    bool exportHtml(const QString& path = QString());

Q_SIGNALS:
    void message(const QString& text);

private:
    QString suggestedDir() const;
    bool saveScenarioTo(const QString& path);
    void fail(const QString& what, const QString& error);
    // Asks where (unless `given`), writes contents() there and says so; false when there is no
    // run yet, the user cancelled, or the file could not be written.
    bool exportRun(const QString& given, const QString& title, const QString& suggestedName,
        const QString& filter, const QString& written, const std::function<QByteArray()>& contents);

    ScenarioDocument* m_document;
    RunSession* m_session;
    RecentFiles* m_recent;
    QWidget* m_window;
    AskUnsaved m_askUnsaved;
    AskPath m_askPath;
};

} // namespace swarm
