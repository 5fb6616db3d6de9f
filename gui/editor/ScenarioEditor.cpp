#include "editor/ScenarioEditor.h"

#include "Colors.h"
#include "TabOrder.h"

#include "editor/ActionDetails.h"
#include "editor/ArgValueText.h"
#include "editor/DataFilesView.h"

#include <QComboBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QScrollArea>
#include <QShortcut>
#include <QSignalBlocker>
#include <QSplitter>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace swarm {

namespace {

QToolButton* makeButton(
    const QString& text, const QString& tip, const QKeySequence& key, QWidget* parent)
{
    auto* b = new QToolButton(parent);
    b->setText(text);
    b->setToolTip(QStringLiteral("%1 (%2)").arg(tip, key.toString(QKeySequence::NativeText)));
    b->setToolButtonStyle(Qt::ToolButtonTextOnly);
    b->setAutoRaise(false);
    auto* shortcut = new QShortcut(key, parent);
    shortcut->setContext(Qt::WidgetWithChildrenShortcut);
    QObject::connect(shortcut, &QShortcut::activated, b, &QToolButton::click);
    return b;
}

} // namespace

ScenarioEditor::ScenarioEditor(QWidget* parent)
    : QWidget(parent)
    , m_protocol(new QComboBox(this))
    , m_list(new QListWidget(this))
    , m_details(new ActionDetails(this))
    , m_dataFiles(new DataFilesView(this))
    , m_blockedLabel(new QLabel(this))
    , m_body(new QWidget(this))
{
    m_dataFiles->setScenario(Scenario());
    setUpControls();
    createButtons();
    layOut();
    connectEditing();
    updateButtons();
}

void ScenarioEditor::setUpControls()
{
    m_protocol->setObjectName(QStringLiteral("protocolBox"));
    m_list->setObjectName(QStringLiteral("actionList"));
    m_protocol->setToolTip(tr("The protocol module (NAME.js) whose commands the actions run"));
    m_blockedLabel->setWordWrap(true);
    // A note in the palette's colours (a dark theme gets a dark note).
    m_blockedLabel->setStyleSheet(QStringLiteral(
        "QLabel { background: palette(alternate-base); border: 1px solid palette(mid); "
        "padding: 6px; }"));
    m_blockedLabel->hide();
    connect(m_blockedLabel, &QLabel::linkActivated, this, &ScenarioEditor::yamlRequested);

    m_list->setDragDropMode(QAbstractItemView::InternalMove);
    m_list->setDefaultDropAction(Qt::MoveAction);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setAlternatingRowColors(true);
    m_list->setToolTip(tr("Each connection runs these actions from top to bottom, then again.\n"
                          "Drag to reorder."));
}

void ScenarioEditor::createButtons()
{
    m_add = makeButton(tr("Add"), tr("Add an action after the selected one"),
        QKeySequence(Qt::CTRL | Qt::Key_Insert), this);
    m_duplicate = makeButton(tr("Duplicate"), tr("Duplicate the selected action"),
        QKeySequence(Qt::CTRL | Qt::Key_D), this);
    m_remove = makeButton(tr("Remove"), tr("Remove the selected action"),
        QKeySequence(Qt::CTRL | Qt::Key_Delete), this);
    m_up = makeButton(tr("Move Up"), tr("Move the selected action up"),
        QKeySequence(Qt::CTRL | Qt::Key_Up), this);
    m_down = makeButton(tr("Move Down"), tr("Move the selected action down"),
        QKeySequence(Qt::CTRL | Qt::Key_Down), this);
    m_add->setObjectName(QStringLiteral("addActionButton"));
    m_duplicate->setObjectName(QStringLiteral("duplicateActionButton"));
    m_remove->setObjectName(QStringLiteral("removeActionButton"));
    m_up->setObjectName(QStringLiteral("moveUpButton"));
    m_down->setObjectName(QStringLiteral("moveDownButton"));
    connect(m_add, &QToolButton::clicked, this, &ScenarioEditor::addAction);
    connect(m_duplicate, &QToolButton::clicked, this, &ScenarioEditor::duplicateAction);
    connect(m_remove, &QToolButton::clicked, this, &ScenarioEditor::removeAction);
    connect(m_up, &QToolButton::clicked, this, [this] { moveAction(-1); });
    connect(m_down, &QToolButton::clicked, this, [this] { moveAction(1); });
}

void ScenarioEditor::layOut()
{
    auto* top = new QHBoxLayout;
    auto* protocolLabel = new QLabel(tr("&Protocol:"), this);
    protocolLabel->setBuddy(m_protocol);
    top->addWidget(protocolLabel);
    top->addWidget(m_protocol, 1);

    auto* listPane = new QWidget(this);
    auto* listLayout = new QVBoxLayout(listPane);
    listLayout->setContentsMargins(0, 0, 0, 0);
    listLayout->addWidget(new QLabel(tr("Actions (run in order, then again):"), listPane));
    listLayout->addWidget(m_list, 1);
    auto* buttons = new QHBoxLayout;
    for (QToolButton* b : {m_add, m_duplicate, m_remove, m_up, m_down})
        buttons->addWidget(b);
    buttons->addStretch(1);
    listLayout->addLayout(buttons);

    auto* group = new QGroupBox(tr("Selected action"), this);
    group->setObjectName(QStringLiteral("actionGroup"));
    auto* groupLayout = new QVBoxLayout(group);
    // In a scroll area: the action's fields (command, args, rounds, sleeps, rate) are taller
    // than the room a 1280×720 window leaves them (tst_gui_windowfit); they scroll there and
    // fill the group at any larger size.
    auto* detailsArea = new QScrollArea(group);
    detailsArea->setObjectName(QStringLiteral("actionDetailsArea"));
    detailsArea->setFrameShape(QFrame::NoFrame);
    detailsArea->setWidgetResizable(true);
    detailsArea->setWidget(m_details);
    groupLayout->addWidget(detailsArea);

    auto* dataGroup = new QGroupBox(tr("Data files"), this);
    auto* dataLayout = new QVBoxLayout(dataGroup);
    dataLayout->addWidget(m_dataFiles);
    // Its title and a line at least, not the table's own minimum (a scroll area's: rows and
    // scroll bars): the window must still shrink to a laptop's 1280×720 (tst_gui_windowfit).
    // The splitter gives it room at any larger size.
    dataGroup->setMinimumHeight(fontMetrics().height() * 2 + 8);

    auto* splitter = new QSplitter(Qt::Vertical, m_body);
    splitter->addWidget(dataGroup);
    splitter->addWidget(listPane);
    splitter->addWidget(group);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 2);
    splitter->setStretchFactor(2, 3);
    splitter->setChildrenCollapsible(false);
    auto* bodyLayout = new QVBoxLayout(m_body);
    bodyLayout->setContentsMargins(0, 0, 0, 0);
    bodyLayout->addLayout(top);
    bodyLayout->addWidget(splitter, 1);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_blockedLabel);
    layout->addWidget(m_body, 1);
    // Tab as the editor reads: the protocol, the data files, the actions and their buttons,
    // then the selected action's fields.
    setReadingOrder(
        {m_protocol, m_dataFiles, m_list, m_add, m_duplicate, m_remove, m_up, m_down, m_details});
}

void ScenarioEditor::connectEditing()
{
    connect(m_protocol, &QComboBox::activated, this, [this](int index) {
        const QString name = m_protocol->itemText(index);
        if (name == m_scenario.protocol) return;
        m_scenario.protocol = name;
        emitEdited();
    });
    connect(m_list, &QListWidget::currentRowChanged, this, [this](int row) {
        if (m_filling) return;
        if (row >= 0 && row < m_scenario.actions.size())
            m_details->setAction(m_scenario.actions[row]);
        m_details->setEnabled(row >= 0);
        updateButtons();
        Q_EMIT actionSelected(row);
    });
    connect(m_details, &ActionDetails::actionEdited, this, [this](const Action& a) {
        const int row = currentAction();
        if (row < 0 || row >= m_scenario.actions.size()) return;
        m_scenario.actions[row] = a;
        m_list->item(row)->setText(summary(row));
        emitEdited();
    });
    // A drop reorders the list's rows; the actions follow once the drop is over.
    connect(m_list->model(), &QAbstractItemModel::rowsMoved, this,
        [this] { QTimer::singleShot(0, this, &ScenarioEditor::syncOrderFromList); });
    connect(m_list->model(), &QAbstractItemModel::rowsRemoved, this,
        [this] { QTimer::singleShot(0, this, &ScenarioEditor::syncOrderFromList); });
}

void ScenarioEditor::setModule(const ProtocolModuleInfo& module)
{
    m_module = module;
    m_details->setModule(module);
}

void ScenarioEditor::setProtocols(const QStringList& names)
{
    const QSignalBlocker block(m_protocol);
    m_protocol->clear();
    m_protocol->addItems(names);
    if (m_protocol->findText(m_scenario.protocol) < 0 && !m_scenario.protocol.isEmpty())
        m_protocol->addItem(m_scenario.protocol);
    m_protocol->setCurrentIndex(m_protocol->findText(m_scenario.protocol));
}

void ScenarioEditor::setScenario(const Scenario& scenario)
{
    const int row = currentAction();
    m_scenario = scenario;
    {
        const QSignalBlocker block(m_protocol);
        if (m_protocol->findText(scenario.protocol) < 0) m_protocol->addItem(scenario.protocol);
        m_protocol->setCurrentIndex(m_protocol->findText(scenario.protocol));
    }
    if (scenario.data != m_shownData || scenario.file != m_shownFile) {
        m_dataFiles->setScenario(scenario);
        m_shownData = scenario.data;
        m_shownFile = scenario.file;
    }
    rebuildList();
    selectAction(qBound(0, row, int(m_scenario.actions.size()) - 1));
}

void ScenarioEditor::setBlocked(const QString& reason)
{
    m_blocked = !reason.isEmpty();
    m_blockedLabel->setText(reason);
    m_blockedLabel->setVisible(m_blocked);
    m_body->setEnabled(!m_blocked);
}

int ScenarioEditor::currentAction() const
{
    return m_list->currentRow();
}

void ScenarioEditor::selectAction(int index)
{
    if (index < 0 || index >= m_list->count()) index = m_list->count() - 1;
    m_list->setCurrentRow(index);
    if (index >= 0) m_details->setAction(m_scenario.actions[index]);
    m_details->setEnabled(index >= 0);
    updateButtons();
}

QString ScenarioEditor::summary(int index) const
{
    const Action& a = m_scenario.actions[index];
    QStringList args;
    for (const ActionArg& arg : a.args)
        args << arg.name + QLatin1Char('=') + ArgValueText::toText(arg.value);
    QString text = QStringLiteral("%1. %2(%3)")
                       .arg(index + 1)
                       .arg(a.command, args.join(QStringLiteral(", ")));
    text += tr("  ×%1, sleeps %2 / %3")
                .arg(a.rounds.toYaml(), a.sleepBetweenRounds.toYaml(), a.sleepAfterAction.toYaml());
    if (a.rate > 0) text += tr(", rate %1/s").arg(QString::number(a.rate, 'g', 15));
    return text;
}

void ScenarioEditor::rebuildList()
{
    m_filling = true;
    m_list->clear();
    for (int i = 0; i < m_scenario.actions.size(); ++i) {
        auto* item = new QListWidgetItem(summary(i), m_list);
        item->setData(Qt::UserRole, i);
        if (!m_module.command(m_scenario.actions[i].command))
            item->setForeground(colors::problem());
    }
    m_filling = false;
}

void ScenarioEditor::updateButtons()
{
    const int row = currentAction();
    const int n = int(m_scenario.actions.size());
    m_duplicate->setEnabled(row >= 0);
    // The loader refuses a scenario without actions: the last one stays.
    m_remove->setEnabled(row >= 0 && n > 1);
    m_up->setEnabled(row > 0);
    m_down->setEnabled(row >= 0 && row < n - 1);
}

void ScenarioEditor::emitEdited()
{
    updateButtons();
    Q_EMIT scenarioEdited(m_scenario);
}

void ScenarioEditor::addAction()
{
    if (m_blocked) return;
    Action a;
    a.command
        = m_module.commands.isEmpty() ? QStringLiteral("command") : m_module.commands.first().name;
    const int at = currentAction() + 1;
    m_scenario.actions.insert(at, a);
    rebuildList();
    selectAction(at);
    emitEdited();
}

void ScenarioEditor::duplicateAction()
{
    const int row = currentAction();
    if (m_blocked || row < 0) return;
    m_scenario.actions.insert(row + 1, m_scenario.actions[row]);
    rebuildList();
    selectAction(row + 1);
    emitEdited();
}

void ScenarioEditor::removeAction()
{
    const int row = currentAction();
    if (m_blocked || row < 0 || m_scenario.actions.size() <= 1) return;
    m_scenario.actions.removeAt(row);
    rebuildList();
    selectAction(qMin(row, int(m_scenario.actions.size()) - 1));
    emitEdited();
}

void ScenarioEditor::moveAction(int delta)
{
    const int row = currentAction();
    const int to = row + delta;
    if (m_blocked || row < 0 || to < 0 || to >= m_scenario.actions.size()) return;
    m_scenario.actions.move(row, to);
    rebuildList();
    selectAction(to);
    emitEdited();
}

void ScenarioEditor::syncOrderFromList()
{
    if (m_filling || m_list->count() != m_scenario.actions.size()) return;
    QList<Action> ordered;
    bool moved = false;
    for (int i = 0; i < m_list->count(); ++i) {
        const int from = m_list->item(i)->data(Qt::UserRole).toInt();
        if (from < 0 || from >= m_scenario.actions.size()) return;
        moved = moved || from != i;
        ordered << m_scenario.actions[from];
    }
    if (!moved) return;
    const int row = currentAction();
    m_scenario.actions = ordered;
    rebuildList();
    selectAction(row);
    emitEdited();
}

} // namespace swarm
