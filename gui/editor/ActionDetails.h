#pragma once

#include "scenario/Scenario.h"
#include "script/ProtocolModuleInfo.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;

namespace swarm {

class ArgsTable;
class RangeEdit;

// One action of the scenario, field by field: the command (one of the module's), its args by
// parameter name, the rounds, both sleeps and the rate (the open model; empty: the closed loop).
class ActionDetails : public QWidget
{
    Q_OBJECT
public:
    explicit ActionDetails(QWidget* parent = nullptr);

    void setModule(const ProtocolModuleInfo& module);
    // Shows an action without emitting actionEdited().
    void setAction(const Action& action);
    Action action() const { return m_action; }

    QComboBox* commandBox() const { return m_command; }
    ArgsTable* argsTable() const { return m_args; }
    RangeEdit* roundsEdit() const { return m_rounds; }
    RangeEdit* sleepBetweenEdit() const { return m_sleepBetween; }
    RangeEdit* sleepAfterEdit() const { return m_sleepAfter; }
    QLineEdit* rateEdit() const { return m_rate; }
    // What is wrong with the rate typed, as the YAML loader words it; empty when nothing.
    QString rateProblem() const;

Q_SIGNALS:
    void actionEdited(const swarm::Action& action);

private:
    void fillCommands();
    void onCommandChosen(int index);
    void edited();
    void onRateEdited();

    ProtocolModuleInfo m_module;
    Action m_action;
    QComboBox* m_command;
    QLabel* m_commandNote;
    ArgsTable* m_args;
    RangeEdit* m_rounds;
    RangeEdit* m_sleepBetween;
    RangeEdit* m_sleepAfter;
    QLineEdit* m_rate;
    QLabel* m_rateProblem;
    QLabel* m_problem;
    bool m_filling = false;
};

} // namespace swarm
