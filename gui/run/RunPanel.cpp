#include "run/RunPanel.h"

#include "core/LoadDriver.h"

#include "Colors.h"
#include "TabOrder.h"

#include "editor/ScenarioDocument.h"
#include "fleet/FleetEngine.h"
#include "run/AgentsView.h"
#include "run/CommandStatsModel.h"
#include "run/RunSession.h"
#include "run/RunSettings.h"
#include "run/RunSummary.h"
#include "run/StateCountsView.h"
#include "run/TlsDialog.h"
#include "stats/StatusText.h"

#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QIntValidator>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QStyle>
#include <QTableView>
#include <QVBoxLayout>

namespace swarm {

namespace {
constexpr int kMaxConnections = 1000000; // in the step and target boxes, as --connections
}

RunPanel::RunPanel(RunSession* session, ScenarioDocument* document, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_document(document)
    , m_server(new QLineEdit(this))
    , m_listen(new QLineEdit(this))
    , m_tls(new QPushButton(this))
    , m_minus(new QPushButton(this))
    , m_plus(new QPushButton(this))
    , m_step(new QComboBox(this))
    , m_target(new QSpinBox(this))
    , m_stop(new QPushButton(style()->standardIcon(QStyle::SP_MediaStop), tr("Stop"), this))
    , m_newRun(new QPushButton(style()->standardIcon(QStyle::SP_MediaPlay), tr("New Run"), this))
    , m_apply(new QPushButton(tr("Apply to Running Load"), this))
    , m_summary(new QLabel(this))
    , m_applyState(new QLabel(this))
    , m_message(new QLabel(this))
    , m_states(new StateCountsView(this))
    , m_agents(new AgentsView(this))
    , m_model(new CommandStatsModel(this))
    , m_table(new QTableView(this))
    , m_settings(new RunSettings(session, this))
{
    // The tests and the screenshot tool find the controls by these names.
    const std::pair<QObject*, const char*> names[] = {{m_server, "serverEdit"},
        {m_listen, "listenEdit"}, {m_tls, "tlsButton"}, {m_minus, "minusButton"},
        {m_plus, "plusButton"}, {m_step, "stepBox"}, {m_target, "targetBox"},
        {m_stop, "stopButton"}, {m_newRun, "newRunButton"}, {m_apply, "applyButton"},
        {m_summary, "runSummary"}, {m_applyState, "applyState"}, {m_message, "runMessage"},
        {m_states, "stateCounts"}, {m_table, "commandStats"}, {m_model, "commandStatsModel"}};
    for (const auto& [w, name] : names)
        w->setObjectName(QLatin1String(name));
    setUpAddresses();
    setUpLoadControls();
    setUpTable();
    layOut();
    // Tab as the panel reads: the addresses, the load row, the settings, Apply, the table.
    setReadingOrder({m_server, m_tls, m_listen, m_minus, m_step, m_plus, m_target, m_stop, m_newRun,
        m_settings, m_apply, m_agents, m_table});
    connectControls();
    connectSession();
    onStateChanged();
}

void RunPanel::setUpAddresses()
{
    m_server->setPlaceholderText(tr("empty: the embedded demo server (durian protocol)"));
    m_server->setToolTip(tr("host:port of the server to load (-r). Changes only while no "
                            "connection runs."));
    m_server->setClearButtonEnabled(true);
    m_listen->setToolTip(tr("ip:port where the telnet console listens (-l); port 0 picks a free "
                            "one, * every interface. Try: nc %1")
                             .arg(QStringLiteral("127.0.0.1 8411")));
    m_server->setText(m_session->serverText());
    m_listen->setText(m_session->listenText());
}

void RunPanel::setUpLoadControls()
{
    m_step->setEditable(true);
    m_step->addItems(
        {QStringLiteral("1"), QStringLiteral("10"), QStringLiteral("100"), QStringLiteral("1000")});
    m_step->setCurrentIndex(1);
    m_step->setValidator(new QIntValidator(1, kMaxConnections, m_step));
    m_step->setToolTip(tr("How many connections + and − add or remove"));
    m_target->setRange(0, kMaxConnections);
    m_target->setKeyboardTracking(false); // "250" must not send 2, then 25, then 250
    m_target->setAccelerated(true);
    m_target->setToolTip(tr("Connections wanted: type a number and press Enter (sends incr or "
                            "decr for the difference)"));
    m_target->setMinimumWidth(100);
    m_plus->setToolTip(tr("Open more connections (console: incr N)"));
    m_minus->setToolTip(tr("Close connections, the newest first (console: decr N)"));
    m_stop->setToolTip(tr("Close every connection and end the run; its figures stay shown"));
    m_newRun->setToolTip(tr("Start a new run with the scenario as edited (the console listens "
                            "again)"));
    m_apply->setToolTip(tr("Send the edited scenario and module to the running connections: "
                           "each picks them up at its next iteration, none is dropped"));
    for (QPushButton* b : {m_minus, m_plus}) {
        QFont f = b->font();
        f.setBold(true);
        b->setFont(f);
        b->setMinimumWidth(72);
    }
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::RichText);
    m_applyState->setWordWrap(true);
    m_message->setWordWrap(true);
    m_message->hide();
}

void RunPanel::setUpTable()
{
    m_table->setModel(m_model);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(
        CommandStatsModel::Name, QHeaderView::ResizeToContents);
    m_table->setAlternatingRowColors(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    // As tall as its rows (every command and the total), no taller; when the window is short it
    // shrinks to two rows and scrolls.
    const auto fitRows = [this] {
        const int row = m_table->verticalHeader()->defaultSectionSize();
        const int chrome
            = m_table->horizontalHeader()->sizeHint().height() + 2 * m_table->frameWidth() + 2;
        m_table->setMinimumHeight(chrome + 2 * row);
        m_table->setMaximumHeight(chrome + qMax(2, m_model->rowCount()) * row);
    };
    connect(m_model, &QAbstractItemModel::modelReset, this, fitRows);
    fitRows();
}

void RunPanel::layOut()
{
    const auto labelFor = [this](const QString& text, QWidget* buddy) {
        auto* label = new QLabel(text, this);
        label->setBuddy(buddy);
        return label;
    };
    auto* addresses = new QHBoxLayout;
    addresses->addWidget(labelFor(tr("&Server:"), m_server));
    addresses->addWidget(m_server, 3);
    addresses->addWidget(m_tls);
    addresses->addSpacing(12);
    addresses->addWidget(labelFor(tr("C&onsole:"), m_listen));
    addresses->addWidget(m_listen, 2);

    auto* load = new QHBoxLayout;
    load->addWidget(new QLabel(tr("Connections:"), this));
    load->addWidget(m_minus);
    load->addWidget(m_step);
    load->addWidget(m_plus);
    load->addSpacing(12);
    load->addWidget(labelFor(tr("&Target:"), m_target));
    load->addWidget(m_target);
    load->addStretch(1);
    load->addWidget(m_stop);
    load->addWidget(m_newRun);

    auto* applyRow = new QHBoxLayout;
    applyRow->addWidget(m_applyState, 1);
    applyRow->addWidget(m_apply);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(addresses);
    layout->addLayout(load);
    layout->addWidget(m_settings);
    layout->addWidget(m_summary);
    layout->addLayout(applyRow);
    layout->addWidget(m_message);
    layout->addWidget(m_states);
    layout->addWidget(m_agents);
    layout->addWidget(m_table);
    layout->addStretch(1);
}

void RunPanel::connectControls()
{
    connect(m_plus, &QPushButton::clicked, this, &RunPanel::addConnections);
    connect(m_minus, &QPushButton::clicked, this, &RunPanel::removeConnections);
    connect(m_stop, &QPushButton::clicked, this, &RunPanel::stopRun);
    connect(m_newRun, &QPushButton::clicked, this, &RunPanel::newRun);
    connect(m_apply, &QPushButton::clicked, this, &RunPanel::applyChanges);
    connect(m_target, &QSpinBox::valueChanged, this, [this](int v) { m_session->setTarget(v); });
    const auto labelButtons = [this] {
        m_plus->setText(QStringLiteral("+ %1").arg(step()));
        m_minus->setText(QStringLiteral("− %1").arg(step()));
    };
    connect(m_step, &QComboBox::currentTextChanged, this, labelButtons);
    labelButtons();
    connect(m_server, &QLineEdit::editingFinished, this,
        [this] { commitAddress(m_server, &RunSession::setServer, &RunSession::serverText); });
    connect(m_listen, &QLineEdit::editingFinished, this,
        [this] { commitAddress(m_listen, &RunSession::setListen, &RunSession::listenText); });
    connect(m_document, &ScenarioDocument::validated, this, &RunPanel::updateApplyState);
    connect(m_tls, &QPushButton::clicked, this, &RunPanel::editTls);
    showTls();
}

void RunPanel::editTls()
{
    TlsDialog dialog(m_session->tls(), this);
    if (dialog.exec() != QDialog::Accepted) return;
    QString why;
    if (!m_session->setTls(dialog.config(), &why)) showMessage(why, true);
    showTls();
}

void RunPanel::showTls()
{
    const TlsConfig& tls = m_session->tls();
    m_tls->setText(!tls.enabled ? tr("TLS: off")
            : tls.insecure      ? tr("TLS: on, NOT verified")
                                : tr("TLS: on"));
    m_tls->setToolTip(tls.enabled ? tls.describe() : tr("Plain TCP; click to set up TLS"));
}

void RunPanel::connectSession()
{
    connect(m_session, &RunSession::statsUpdated, this, &RunPanel::onStats);
    connect(m_session, &RunSession::stateChanged, this, &RunPanel::onStateChanged);
    connect(m_session, &RunSession::runReplaced, this, &RunPanel::onRunReplaced);
    connect(m_session, &RunSession::targetChanged, this, [this](int target) {
        if (!m_target->hasFocus()) {
            const QSignalBlocker block(m_target);
            m_target->setValue(target);
        }
        updateSummary();
        updateApplyState();
    });
    connect(m_session, &RunSession::applied, this, &RunPanel::onApplied);
}

void RunPanel::onApplied(bool ok, int version, const QString& error)
{
    if (ok) {
        showMessage(tr("Applied version %1 to the running load: each connection picks it up at "
                       "its next iteration; none was dropped.")
                        .arg(version),
            false);
        m_appliedShown = true; // until the editor or the run no longer says so
    } else {
        showMessage(tr("Not applied: %1. Nothing was dropped: the load keeps running version %2.")
                        .arg(error)
                        .arg(m_session->runningBundle() ? m_session->runningBundle()->version : 0),
            true);
    }
    updateApplyState();
}

QString RunPanel::stepText() const
{
    return m_step->currentText();
}

void RunPanel::setStepText(const QString& text)
{
    m_step->setCurrentText(text);
}

void RunPanel::focusTarget()
{
    m_target->setFocus();
    m_target->selectAll();
}

bool RunPanel::canApply() const
{
    return m_apply->isEnabled();
}

int RunPanel::step() const
{
    return qBound(1, m_step->currentText().toInt(), kMaxConnections);
}

bool RunPanel::confirmStep(const QString& what) const
{
    if (step() <= kConfirmStepAbove) return true;
    const QString question = tr("%1 %2 connections at once?").arg(what, QLocale().toString(step()));
    if (m_confirm) return m_confirm(question);
    return QMessageBox::question(const_cast<RunPanel*>(this), tr("A large step"),
               question + tr("\n\nThe step box says %1.").arg(QLocale().toString(step())),
               QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel)
        == QMessageBox::Yes;
}

void RunPanel::addConnections()
{
    if (!confirmStep(tr("Open"))) return;
    // A finished run has no engine to add to: + starts the next run, then adds.
    if (m_session->state() == RunSession::State::Finished
        || m_session->state() == RunSession::State::NotStarted) {
        newRun();
        if (m_session->state() != RunSession::State::Starting
            && m_session->state() != RunSession::State::Ready)
            return;
    }
    m_session->incr(step());
}

void RunPanel::removeConnections()
{
    if (!confirmStep(tr("Close"))) return;
    m_session->decr(step());
}

void RunPanel::stopRun()
{
    m_session->stop();
}

void RunPanel::newRun()
{
    const ScenarioBundlePtr bundle = m_document->bundle();
    if (!bundle) {
        showMessage(tr("The scenario or its module has problems: fix them (YAML and Protocol tabs) "
                       "to start a run."),
            true);
        return;
    }
    m_message->hide();
    m_session->startRun(bundle, m_document->scenarioPath(), m_document->modulePath());
}

void RunPanel::applyChanges()
{
    const ScenarioBundlePtr bundle = m_document->bundle();
    if (!bundle) {
        showMessage(tr("Cannot apply: the editor's scenario or module has problems. The load "
                       "keeps running the last version applied."),
            true);
        return;
    }
    showMessage(tr("Applying…"), false);
    m_session->apply(bundle);
    updateApplyState();
}

void RunPanel::showMessage(const QString& text, bool problem)
{
    m_appliedShown = false;
    m_message->setText(text);
    m_message->setStyleSheet(problem
            ? QStringLiteral("color: %1; font-weight: bold").arg(colors::css(colors::problem()))
            : QStringLiteral("color: %1").arg(colors::css(colors::fine())));
    m_message->setVisible(!text.isEmpty());
    Q_EMIT message(text);
}

void RunPanel::commitAddress(QLineEdit* edit, bool (RunSession::*set)(const QString&, QString*),
    QString (RunSession::*current)() const)
{
    QString why;
    if (!(m_session->*set)(edit->text(), &why)) {
        showMessage(why, true);
        edit->setText((m_session->*current)());
        return;
    }
    // A run that could not start (a console port in use, say) starts with the new address.
    if (m_session->state() == RunSession::State::NotStarted && m_document->bundle()) newRun();
    updateSummary();
}

void RunPanel::onStats(const StatsSnapshot& s)
{
    m_last = s;
    m_states->setSnapshot(s);
    m_model->setSnapshot(s);
    const LoadDriver* driver = m_session->engine();
    m_agents->setAgents(qobject_cast<const FleetEngine*>(driver) != nullptr,
        driver ? driver->agentsJson() : QJsonArray());
    if (!m_target->hasFocus()) {
        const QSignalBlocker block(m_target);
        m_target->setValue(m_session->target());
    }
    updateSummary();
    updateApplyState();
}

void RunPanel::onRunReplaced()
{
    m_last = StatsSnapshot();
    m_states->clearCounts();
    m_model->clear();
    updateSummary();
}

void RunPanel::onStateChanged()
{
    using State = RunSession::State;
    const State st = m_session->state();
    const bool live = st == State::Ready || st == State::Starting;
    m_stop->setEnabled(live && !m_session->isIdle());
    m_newRun->setEnabled(st == State::Finished || st == State::NotStarted);
    m_minus->setEnabled(live);
    m_target->setEnabled(live);
    m_plus->setEnabled(st != State::Stopping);
    if (st == State::Finished) {
        const QSignalBlocker block(m_target);
        m_target->setValue(0);
        onStats(m_session->snapshot()); // its "now" is 0: nothing runs any more
    }
    if (!m_listen->hasFocus()) m_listen->setText(m_session->listenText());
    updateSummary();
    updateApplyState();
}

void RunPanel::updateSummary()
{
    m_summary->setText(runSummaryText(*m_session, m_last));
}

void RunPanel::updateApplyState()
{
    using State = RunSession::State;
    const State st = m_session->state();
    const ScenarioBundlePtr edited = m_document->bundle();
    const ScenarioBundlePtr running = m_session->runningBundle();
    const bool live = st == State::Ready || st == State::Starting;
    bool canApply = false;
    QString text;
    if (!live) {
        text = edited ? tr("The next run starts with the scenario as edited.")
                      : tr("Fix the scenario's problems to start a run.");
    } else if (!edited) {
        const int n = int(
            m_document->scenarioDiagnostics().size() + m_document->moduleDiagnostics().size());
        text = tr("<span style='color:%3'>The editor has %1: the load keeps running version "
                  "%2.</span>")
                   .arg(n == 1 ? tr("a problem") : tr("%1 problems").arg(n))
                   .arg(running ? running->version : 0)
                   .arg(colors::css(colors::problem()));
    } else if (m_session->isApplying()) {
        text = tr("Applying the edited scenario…");
    } else if (RunSession::sameContent(edited, running)) {
        text = tr("The load runs the scenario as edited (version %1).")
                   .arg(running ? running->version : 0);
    } else if (m_session->hasLoad()) {
        text = tr("<b>The editor has changes the running load does not have yet.</b>");
        canApply = true;
    } else {
        text = tr("No connection runs: the edited scenario applies by itself.");
        canApply = true;
    }
    if (m_appliedShown && (!live || !RunSession::sameContent(edited, running))) {
        // "Applied version 5" no longer holds: the editor changed since, or the run is over.
        m_appliedShown = false;
        m_message->clear();
        m_message->hide();
    }
    m_applyState->setText(text);
    m_apply->setEnabled(canApply);
    Q_EMIT applyAvailable(canApply);
}

} // namespace swarm
