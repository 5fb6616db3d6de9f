#include "MainWindow.h"

#include "EditMenu.h"
#include "FileController.h"
#include "RecentFiles.h"
#include "StatusFields.h"
#include "console/ConsoleInterpreter.h"
#include "editor/ProtocolEditor.h"
#include "editor/ScenarioDocument.h"
#include "editor/ScenarioEditor.h"
#include "editor/ScenarioTabs.h"
#include "run/ChartsPanel.h"
#include "run/ConsolePane.h"
#include "run/RunHistory.h"
#include "run/RunPanel.h"
#include "run/RunSession.h"
#include "scenario/BundleLoader.h"
#include "stats/StatusText.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDesktopServices>
#include <QDockWidget>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QStatusBar>
#include <QStyle>
#include <QToolBar>
#include <QUrl>

namespace swarm {

MainWindow::MainWindow(const Options& options, QWidget* parent)
    : QMainWindow(parent)
    , m_options(options)
    , m_document(new ScenarioDocument(options.protocolDir, options.engine.scriptTimeoutMs, this))
    , m_session(new RunSession(options, this))
{
    setObjectName(QStringLiteral("mainWindow"));
    const QString script
        = options.script.isEmpty() ? BundleLoader::defaultScenario() : options.script;
    QString openError;
    if (!m_document->openScenario(script, &openError)) {
        QString ignored;
        m_document->openScenario(BundleLoader::defaultScenario(), &ignored);
    }

    m_tabs = new ScenarioTabs(m_document, this);
    m_runPanel = new RunPanel(m_session, m_document, this);
    m_charts = new ChartsPanel(m_session, this);
    m_history = new RunHistory(m_session, this);
    m_charts->setHistory(m_history);
    m_console = new ConsolePane(m_session, this);
    layOut();
    createMenus();
    m_fields = new StatusFields(m_session, statusBar());
    m_defaultState = saveState();
    m_defaultCentre = m_centre->saveState();
    connectParts();

    readSettings();
    updateTitle();
    m_fields->update();
    updateActions();
    if (!m_history->loadProblem().isEmpty()) {
        m_console->appendMessage(m_history->loadProblem(), true);
        statusBar()->showMessage(m_history->loadProblem(), 15000);
    }
    if (!openError.isEmpty()) {
        m_console->appendMessage(
            tr("swarm: %1 (the bundled example is open instead)").arg(openError), true);
        m_runPanel->showMessage(openError, true);
    }
}

// The run panel and the charts in the centre; the scenario and the console in docks.
void MainWindow::layOut()
{
    m_centre = new QSplitter(Qt::Vertical, this);
    m_centre->setObjectName(QStringLiteral("centreSplitter"));
    // The run panel scrolls when the window is short (a 720-pixel laptop) instead of holding
    // the window taller than the screen.
    auto* runScroll = new QScrollArea(this);
    runScroll->setObjectName(QStringLiteral("runPanelScroll"));
    runScroll->setWidget(m_runPanel);
    runScroll->setWidgetResizable(true);
    runScroll->setFrameShape(QFrame::NoFrame);
    runScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_centre->addWidget(runScroll);
    m_centre->addWidget(m_charts);
    m_centre->setStretchFactor(0, 2);
    m_centre->setStretchFactor(1, 3);
    m_centre->setChildrenCollapsible(false);
    m_centre->setSizes({460, 420});
    setCentralWidget(m_centre);

    m_scenarioDock = new QDockWidget(tr("Scenario"), this);
    m_scenarioDock->setObjectName(QStringLiteral("scenarioDock"));
    m_scenarioDock->setWidget(m_tabs);
    addDockWidget(Qt::LeftDockWidgetArea, m_scenarioDock);
    m_consoleDock = new QDockWidget(tr("Console"), this);
    m_consoleDock->setObjectName(QStringLiteral("consoleDock"));
    m_consoleDock->setWidget(m_console);
    addDockWidget(Qt::LeftDockWidgetArea, m_consoleDock);
    placeDocks();
}

// What the parts tell each other and the window: titles, actions, messages, closing.
void MainWindow::connectParts()
{
    connect(m_document, &ScenarioDocument::modifiedChanged, this, &MainWindow::updateTitle);
    connect(m_document, &ScenarioDocument::pathsChanged, this, &MainWindow::updateTitle);
    connect(m_document, &ScenarioDocument::validated, this, &MainWindow::onValidated);
    connect(m_session, &RunSession::statsUpdated, m_fields, &StatusFields::update);
    connect(m_session, &RunSession::stateChanged, this, [this] {
        m_fields->update();
        updateActions();
        if (m_closing && !m_session->isLive()) close();
    });
    connect(m_session, &RunSession::targetChanged, m_fields, &StatusFields::update);
    connect(m_session, &RunSession::targetChanged, this, &MainWindow::updateActions);
    connect(m_runPanel, &RunPanel::applyAvailable, action("actionApply"), &QAction::setEnabled);
    action("actionApply")->setEnabled(m_runPanel->canApply());
    const auto show = [this](const QString& text) { statusBar()->showMessage(text, 8000); };
    connect(m_runPanel, &RunPanel::message, this, show);
    connect(m_charts, &ChartsPanel::message, this, show);
    connect(m_files, &FileController::message, this, show);
    connect(m_history, &RunHistory::problem, this, [this, show](const QString& text) {
        m_console->appendMessage(text, true);
        show(text);
    });
    m_closeTimeout.setSingleShot(true);
    m_closeTimeout.setInterval(15000);
    connect(&m_closeTimeout, &QTimer::timeout, this, [this] {
        // Connections that would not close in time must not keep the window open for ever.
        m_console->appendMessage(tr("The run did not stop within 15 s: closing anyway"), true);
        m_forceClose = true;
        close();
    });
}

MainWindow::~MainWindow()
{
    // The views go first: they refer to the document and the run, which outlive them.
    delete m_scenarioDock;
    delete m_consoleDock;
    delete takeCentralWidget();
}

void MainWindow::startInitialRun()
{
    m_document->validateNow();
    if (m_document->bundle()) {
        m_session->startRun(
            m_document->bundle(), m_document->scenarioPath(), m_document->modulePath());
    } else {
        // A scripted launch with a broken scenario still opens: the run starts once it is valid.
        m_waitingForStart = true;
        m_console->appendMessage(tr("The scenario has problems (see the YAML and Protocol tabs): "
                                    "the run and its console start as soon as it is valid."),
            true);
    }
}

void MainWindow::onValidated()
{
    const ScenarioBundlePtr bundle = m_document->bundle();
    if (!bundle) return;
    if (m_waitingForStart && m_session->state() == RunSession::State::NotStarted) {
        m_waitingForStart = false;
        m_session->startRun(bundle, m_document->scenarioPath(), m_document->modulePath());
        return;
    }
    m_session->offerBundle(bundle);
}

QAction* MainWindow::addAction(QMenu* menu, const QString& name, const QString& text,
    const QKeySequence& key, const std::function<void()>& slot)
{
    auto* a = new QAction(text, this);
    a->setObjectName(name);
    if (!key.isEmpty()) a->setShortcut(key);
    connect(a, &QAction::triggered, this, slot);
    menu->addAction(a);
    m_actions.insert(name, a);
    return a;
}

void MainWindow::createMenus()
{
    createFileMenu();
    m_edit = new EditMenu(m_tabs, this, menuBar()->addMenu(tr("&Edit")));
    createRunMenu();
    createViewMenu();
    createHelpMenu();
    createToolBar();
}

void MainWindow::createFileMenu()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    addAction(file, "actionNew", tr("&New Scenario"), QKeySequence::New,
        [this] { m_files->newScenario(); });
    addAction(
        file, "actionOpen", tr("&Open Scenario…"), QKeySequence::Open, [this] { m_files->open(); });
    QMenu* recent = file->addMenu(tr("Open &Recent"));
    m_recent = new RecentFiles(recent, this);
    m_files = new FileController(m_document, m_session, m_recent, this);
    file->addSeparator();
    addAction(file, "actionSave", tr("&Save"), QKeySequence::Save, [this] { m_files->save(); });
    addAction(file, "actionSaveAs", tr("Save Scenario &As…"), QKeySequence::SaveAs,
        [this] { m_files->saveAs(); });
    addAction(file, "actionSaveModule", tr("Save &Module"),
        QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_S), [this] { m_files->saveModule(); });
    addAction(file, "actionSaveModuleAs", tr("Save Module As…"), QKeySequence(),
        [this] { m_files->saveModuleAs(); });
    file->addSeparator();
    addAction(file, "actionExportReport", tr("&Export Report (JSON)…"),
        QKeySequence(Qt::CTRL | Qt::Key_E), [this] { m_files->exportReport(); });
    addAction(file, "actionExportCsv", tr("Export Time Series (&CSV)…"),
        QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E), [this] { m_files->exportCsv(); });
    addAction(file, "actionExportHtml", tr("Export Report (&HTML)…"), QKeySequence(),
        [this] { m_files->exportHtml(); });
    file->addSeparator();
    addAction(file, "actionQuit", tr("&Quit"), QKeySequence::Quit, [this] { close(); });
    connect(m_tabs->protocol(), &ProtocolEditor::saveRequested, this,
        [this] { m_files->saveModule(); });
}

void MainWindow::createRunMenu()
{
    QMenu* run = menuBar()->addMenu(tr("&Run"));
    addAction(run, "actionAddConnections", tr("&Add Connections (+)"),
        QKeySequence(Qt::CTRL | Qt::Key_Plus), [this] { m_runPanel->addConnections(); })
        ->setShortcuts(
            {QKeySequence(Qt::CTRL | Qt::Key_Plus), QKeySequence(Qt::CTRL | Qt::Key_Equal)});
    addAction(run, "actionRemoveConnections", tr("&Remove Connections (−)"),
        QKeySequence(Qt::CTRL | Qt::Key_Minus), [this] { m_runPanel->removeConnections(); });
    addAction(run, "actionSetTarget", tr("Set &Target…"), QKeySequence(Qt::CTRL | Qt::Key_T),
        [this] { m_runPanel->focusTarget(); });
    run->addSeparator();
    addAction(run, "actionStop", tr("&Stop"), QKeySequence(Qt::SHIFT | Qt::Key_F5),
        [this] { m_runPanel->stopRun(); });
    addAction(run, "actionNewRun", tr("&New Run"), QKeySequence(Qt::Key_F5),
        [this] { m_runPanel->newRun(); });
    addAction(run, "actionApply", tr("A&pply to Running Load"), QKeySequence(Qt::Key_F6),
        [this] { m_runPanel->applyChanges(); });
    addAction(run, "actionCheckModule", tr("&Check Module"), QKeySequence(Qt::Key_F7), [this] {
        m_tabs->setCurrentIndex(ScenarioTabs::ProtocolTab);
        m_tabs->protocol()->check();
    });
    run->addSeparator();
    addAction(run, "actionConsole", tr("Type a Console &Command"),
        QKeySequence(Qt::CTRL | Qt::Key_L), [this] {
            m_consoleDock->show();
            m_console->input()->setFocus();
        });
}

void MainWindow::createViewMenu()
{
    QMenu* view = menuBar()->addMenu(tr("&View"));
    const std::pair<QString, int> tabs[] = {{tr("&Visual Editor"), ScenarioTabs::VisualTab},
        {tr("&YAML Text"), ScenarioTabs::YamlTab},
        {tr("&Protocol Module"), ScenarioTabs::ProtocolTab}};
    for (const auto& [text, tab] : tabs)
        addAction(view, QStringLiteral("actionTab%1").arg(tab), text,
            QKeySequence(QKeyCombination(Qt::ControlModifier, Qt::Key(Qt::Key_1 + tab))),
            [this, t = tab] {
                m_scenarioDock->show();
                m_scenarioDock->raise();
                m_tabs->focusTab(t);
            });
    view->addSeparator();
    QAction* wide = addAction(view, "actionEditorOnly", tr("&Editor Takes the Main Area"),
        QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M), [this] { setEditorOnly(!m_editorOnly); });
    wide->setCheckable(true);
    view->addAction(m_scenarioDock->toggleViewAction());
    view->addAction(m_consoleDock->toggleViewAction());
    view->addSeparator();
    QMenu* window = view->addMenu(tr("Chart &Window"));
    for (int i = 0; i < m_charts->windowBox()->count(); ++i) {
        const int seconds = m_charts->windowBox()->itemData(i).toInt();
        window->addAction(m_charts->windowBox()->itemText(i), this,
            [this, seconds] { m_charts->setWindowSeconds(seconds); });
    }
    addAction(
        view, "actionResetLayout", tr("&Reset Layout"), QKeySequence(), [this] { resetLayout(); });
}

void MainWindow::createHelpMenu()
{
    QMenu* help = menuBar()->addMenu(tr("&Help"));
    addAction(
        help, "actionConsoleHelp", tr("&Console Commands"), QKeySequence::HelpContents, [this] {
            QMessageBox::information(this, tr("Console commands"),
                QStringLiteral("<pre>%1</pre>").arg(ConsoleInterpreter::usage().toHtmlEscaped()));
        });
    addAction(help, "actionProtocolGuide", tr("Scenario and &Protocol Guide"), QKeySequence(),
        [this] { openDocument(QStringLiteral("PROTOCOLS.md")); });
    addAction(help, "actionReadme", tr("&README"), QKeySequence(),
        [this] { openDocument(QStringLiteral("README.md")); });
    help->addSeparator();
    addAction(help, "actionAbout", tr("&About swarm"), QKeySequence(), [this] { showAbout(); });
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
}

void MainWindow::createToolBar()
{
    // Files only: the run's Stop, New Run and Apply live in one place, the run panel (and the
    // Run menu, under the same names).
    QToolBar* bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    QStyle* s = style();
    action("actionOpen")->setIcon(s->standardIcon(QStyle::SP_DialogOpenButton));
    action("actionSave")->setIcon(s->standardIcon(QStyle::SP_DialogSaveButton));
    action("actionExportReport")->setIcon(s->standardIcon(QStyle::SP_DriveFDIcon));
    bar->addAction(action("actionOpen"));
    bar->addAction(action("actionSave"));
    bar->addSeparator();
    bar->addAction(action("actionExportReport"));
}

void MainWindow::updateActions()
{
    using State = RunSession::State;
    const State st = m_session->state();
    const bool live = st == State::Ready || st == State::Starting;
    action("actionStop")->setEnabled(live && !m_session->isIdle());
    action("actionNewRun")->setEnabled(st == State::Finished || st == State::NotStarted);
    action("actionRemoveConnections")->setEnabled(live);
    action("actionAddConnections")->setEnabled(st != State::Stopping);
}

void MainWindow::updateTitle()
{
    setWindowModified(m_document->isModified());
    setWindowTitle(
        QStringLiteral("%1[*] — %2.js").arg(m_document->scenarioName(), m_document->moduleName()));
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About swarm"),
        tr("<h3>swarm %1</h3><p>A load generator for servers that speak their own "
           "TCP protocol: many persistent connections, each running your protocol "
           "script over and over, raised and lowered live from this window or a "
           "telnet console.</p><p>Built with Qt %2.</p>")
            .arg(QStringLiteral(SWARM_VERSION), QString::fromLatin1(qVersion())));
}

void MainWindow::setEditorOnly(bool on)
{
    // The scenario dock fills the window (the run panel, the charts and the console hidden);
    // the run goes on.
    m_editorOnly = on;
    action("actionEditorOnly")->setChecked(on);
    m_centre->setVisible(!on);
    if (on) {
        m_consoleWasShown = m_consoleDock->isVisible();
        m_consoleDock->hide();
        m_scenarioDock->show();
    } else if (m_consoleWasShown) {
        m_consoleDock->show();
    }
}

QString MainWindow::documentPath(const QString& name)
{
    // Installed (share/doc/swarm), beside the program (Windows, macOS bundles), or the source
    // tree of a build directory (build/app/swarm).
    const QString app = QCoreApplication::applicationDirPath();
    const QString sub = name == QLatin1String("README.md") ? QString() : QStringLiteral("docs/");
    for (const QString& dir : {app + QStringLiteral("/../share/doc/swarm/"),
             app + QStringLiteral("/docs/"), app + QStringLiteral("/../docs/"),
             app + QStringLiteral("/../../") + sub, app + QStringLiteral("/../../../") + sub}) {
        const QFileInfo file(dir + name);
        if (file.isFile()) return file.canonicalFilePath();
    }
    return QString();
}

void MainWindow::openDocument(const QString& name)
{
    const QString path = documentPath(name);
    if (path.isEmpty() || !QDesktopServices::openUrl(QUrl::fromLocalFile(path)))
        QMessageBox::information(this, tr("Guide"),
            path.isEmpty() ? tr("%1 is not installed with this copy of swarm; it is in the "
                                "docs folder of the source.")
                                 .arg(name)
                           : tr("No program opens %1 here; read it at %2.").arg(name, path));
}

void MainWindow::resetLayout()
{
    // The start-up layout: docks back in place and shown, the same sizes as a first start.
    setEditorOnly(false);
    for (QDockWidget* dock : {m_scenarioDock, m_consoleDock})
        dock->setFloating(false);
    restoreState(m_defaultState);
    m_scenarioDock->show();
    m_consoleDock->show();
    m_centre->restoreState(m_defaultCentre);
    placeDocks();
}

void MainWindow::placeDocks()
{
    resizeDocks({m_scenarioDock}, {540}, Qt::Horizontal);
    resizeDocks({m_scenarioDock, m_consoleDock}, {560, 260}, Qt::Vertical);
}

void MainWindow::readSettings()
{
    QSettings settings;
    if (!restoreGeometry(settings.value("window/geometry").toByteArray())) {
        // 1400×900, or the screen's free area when smaller (a laptop).
        const QScreen* screen = QGuiApplication::primaryScreen();
        const QSize room = screen ? screen->availableSize() : QSize(1400, 900);
        resize(qMin(1400, room.width()), qMin(900, room.height()));
        placeDocks();
    }
    restoreState(settings.value("window/state").toByteArray());
    m_centre->restoreState(settings.value("window/centre").toByteArray());
    m_charts->setWindowSeconds(settings.value("charts/window", 300).toInt());
    m_runPanel->setStepText(settings.value("run/step", "10").toString());
}

void MainWindow::writeSettings()
{
    QSettings settings;
    settings.setValue("window/geometry", saveGeometry());
    settings.setValue("window/state", saveState());
    settings.setValue("window/centre", m_centre->saveState());
    settings.setValue("charts/window", m_charts->windowSeconds());
    settings.setValue("run/step", m_runPanel->stepText());
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (!m_closeConfirmed) {
        if (!m_files->maybeSave()) {
            event->ignore();
            return;
        }
        m_closeConfirmed = true;
    }
    if (m_session->isLive() && !m_forceClose) {
        // Closes every connection first (and writes --report / --csv as headless mode would),
        // then the window: a run is never cut off mid-flight.
        if (!m_closing) {
            m_closing = true;
            statusBar()->showMessage(tr("Stopping the run before closing…"));
            m_closeTimeout.start();
            m_session->stop();
        }
        // A run still starting stops at once, inside stop(): the close() its end asks for came
        // while this close was under way and was dropped, so the window closes here.
        if (m_session->isLive()) {
            event->ignore();
            return;
        }
    }
    m_closeTimeout.stop();
    if (!m_historyKept) {
        m_historyKept = true; // closing can be asked again; the run is kept once
        m_history->keepLastRun();
    }
    writeSettings();
    event->accept();
}

} // namespace swarm
