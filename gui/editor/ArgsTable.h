#pragma once

#include "scenario/Scenario.h"
#include "script/ProtocolModuleInfo.h"

#include <QTableWidget>

namespace swarm {

// The args of one action: a row per parameter of its command, named by the module, with the
// value as YAML. An empty value leaves the parameter out, so the command's default applies.
// Args the command does not take stay listed (in red) until the user clears them.
class ArgsTable : public QTableWidget
{
    Q_OBJECT
public:
    enum Column { NameColumn, ValueColumn, NoteColumn };

    explicit ArgsTable(QWidget* parent = nullptr);

    // Shows the args of an action whose command is `command` (null: not in the module).
    void setArgs(const CommandInfo* command, const QList<ActionArg>& args);
    QList<ActionArg> args() const { return m_args; }
    int rowOf(const QString& name) const;

Q_SIGNALS:
    void argsEdited(const QList<ActionArg>& args);
    // A value that is not valid YAML; empty when every value is fine again.
    void problem(const QString& message);

private:
    void onItemChanged(QTableWidgetItem* item);
    void addRow(const QString& name, const QString& value, const QString& note, bool foreign);

    QList<ActionArg> m_args;
    bool m_filling = false;
};

} // namespace swarm
