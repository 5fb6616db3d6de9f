#include "editor/ActionDetails.h"

#include "Colors.h"

#include "editor/ArgsTable.h"
#include "editor/RangeEdit.h"
#include "scenario/ScenarioLoader.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSignalBlocker>

namespace swarm {

ActionDetails::ActionDetails(QWidget* parent)
    : QWidget(parent)
    , m_command(new QComboBox(this))
    , m_commandNote(new QLabel(this))
    , m_args(new ArgsTable(this))
    , m_rounds(new RangeEdit(RangeEdit::Kind::Count, this))
    , m_sleepBetween(new RangeEdit(RangeEdit::Kind::Seconds, this))
    , m_sleepAfter(new RangeEdit(RangeEdit::Kind::Seconds, this))
    , m_rate(new QLineEdit(this))
    , m_rateProblem(new QLabel(this))
    , m_problem(new QLabel(this))
{
    m_command->setObjectName(QStringLiteral("commandBox"));
    m_args->setObjectName(QStringLiteral("argsTable"));
    m_rounds->setObjectName(QStringLiteral("roundsEdit"));
    m_sleepBetween->setObjectName(QStringLiteral("sleepBetweenEdit"));
    m_sleepAfter->setObjectName(QStringLiteral("sleepAfterEdit"));
    m_rate->setObjectName(QStringLiteral("rateEdit"));
    m_rateProblem->setObjectName(QStringLiteral("rateProblem"));
    m_command->setMinimumContentsLength(16);
    const QString problemStyle = QStringLiteral("color: %1").arg(colors::css(colors::problem()));
    m_commandNote->setStyleSheet(problemStyle);
    m_commandNote->setWordWrap(true);
    m_commandNote->hide();
    m_problem->setStyleSheet(problemStyle);
    m_problem->setWordWrap(true);
    m_problem->hide();
    m_rateProblem->setStyleSheet(problemStyle);
    m_rateProblem->setWordWrap(true);
    m_rateProblem->hide();
    m_rate->setPlaceholderText(tr("none: the sleeps pace it (closed loop)"));
    m_rate->setClearButtonEnabled(true);

    auto* form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(tr("&Command:"), m_command);
    form->addRow(QString(), m_commandNote);
    form->addRow(tr("&Args:"), m_args);
    form->addRow(QString(), m_problem);
    form->addRow(tr("&Rounds:"), m_rounds);
    form->addRow(tr("Sleep &between rounds:"), m_sleepBetween);
    form->addRow(tr("Sleep a&fter action:"), m_sleepAfter);
    form->addRow(tr("Ra&te (rounds/s):"), m_rate);
    form->addRow(QString(), m_rateProblem);
    m_rounds->setToolTip(tr("How many times the command runs in a row (0 skips the action)"));
    m_sleepBetween->setToolTip(tr("Pause between two rounds of this command"));
    m_sleepAfter->setToolTip(tr("Pause after the last round, before the next action"));
    m_rate->setToolTip(tr("The open model: rounds per second of this action over all "
                          "connections, started on schedule (--arrivals) whatever the replies "
                          "take. Empty: the run's --rate if any, else the closed loop"));

    connect(m_command, &QComboBox::activated, this, &ActionDetails::onCommandChosen);
    connect(m_rate, &QLineEdit::editingFinished, this, &ActionDetails::onRateEdited);
    connect(m_args, &ArgsTable::argsEdited, this, [this](const QList<ActionArg>& args) {
        m_action.args = args;
        edited();
    });
    connect(m_args, &ArgsTable::problem, this, [this](const QString& message) {
        m_problem->setText(message);
        m_problem->setVisible(!message.isEmpty());
    });
    connect(m_rounds, &RangeEdit::edited, this, [this](const ValueRange& v) {
        m_action.rounds = v;
        edited();
    });
    connect(m_sleepBetween, &RangeEdit::edited, this, [this](const ValueRange& v) {
        m_action.sleepBetweenRounds = v;
        edited();
    });
    connect(m_sleepAfter, &RangeEdit::edited, this, [this](const ValueRange& v) {
        m_action.sleepAfterAction = v;
        edited();
    });
}

void ActionDetails::setModule(const ProtocolModuleInfo& module)
{
    m_module = module;
    setAction(m_action);
}

void ActionDetails::fillCommands()
{
    const QSignalBlocker block(m_command);
    m_command->clear();
    for (const CommandInfo& c : m_module.commands) {
        QStringList params;
        for (const QString& p : c.params)
            if (!p.isEmpty()) params << p;
        m_command->addItem(c.name, c.name);
        m_command->setItemData(m_command->count() - 1,
            QStringLiteral("%1(%2)").arg(c.name, params.join(QStringLiteral(", "))),
            Qt::ToolTipRole);
    }
    const CommandInfo* known = m_module.command(m_action.command);
    if (!known && !m_action.command.isEmpty())
        m_command->addItem(
            tr("%1 (not in %2)").arg(m_action.command, m_module.name), m_action.command);
    m_command->setCurrentIndex(m_command->findData(m_action.command));
    m_commandNote->setText(known || m_action.command.isEmpty()
            ? QString()
            : tr("Protocol '%1' has no command '%2': pick one of its commands.")
                  .arg(m_module.name, m_action.command));
    m_commandNote->setVisible(!m_commandNote->text().isEmpty());
}

void ActionDetails::setAction(const Action& action)
{
    m_filling = true;
    m_action = action;
    fillCommands();
    m_args->setArgs(m_module.command(action.command), action.args);
    m_rounds->setValue(action.rounds);
    m_sleepBetween->setValue(action.sleepBetweenRounds);
    m_sleepAfter->setValue(action.sleepAfterAction);
    bool written = false;
    const bool asWritten = action.rateWritten.toDouble(&written) == action.rate && written;
    m_rate->setText(action.rate <= 0 ? QString()
            : asWritten              ? action.rateWritten
                                     : QString::number(action.rate, 'g', 15));
    m_rateProblem->clear();
    m_rateProblem->hide();
    m_filling = false;
}

void ActionDetails::onCommandChosen(int index)
{
    const QString name = m_command->itemData(index).toString();
    if (name == m_action.command) return;
    // The args the new command takes too (by name) are kept; the others would only be errors.
    const CommandInfo* info = m_module.command(name);
    QList<ActionArg> kept;
    for (const ActionArg& a : m_action.args)
        if (info && info->params.contains(a.name)) kept << a;
    m_action.command = name;
    m_action.args = kept;
    setAction(m_action);
    edited();
}

QString ActionDetails::rateProblem() const
{
    return m_rateProblem->text();
}

// Checked by the YAML loader's own rule: what the field takes is what `rate:` takes, and a
// refusal reads the same. A refused text stays in the field (to be fixed) and changes nothing.
void ActionDetails::onRateEdited()
{
    if (m_filling) return;
    const QString text = m_rate->text().trimmed();
    double rate = 0;
    const QString problem = text.isEmpty() ? QString() : ScenarioLoader::parseRate(text, &rate);
    m_rateProblem->setText(problem.isEmpty() ? QString() : tr("rate: %1").arg(problem));
    m_rateProblem->setVisible(!problem.isEmpty());
    if (!problem.isEmpty() || (rate == m_action.rate && text == m_action.rateWritten)) return;
    m_action.rate = rate;
    m_action.rateWritten = text; // the user's own form ("250.0") goes into the YAML
    edited();
}

void ActionDetails::edited()
{
    if (!m_filling) Q_EMIT actionEdited(m_action);
}

} // namespace swarm
