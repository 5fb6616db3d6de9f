#include "editor/ArgsTable.h"

#include "Colors.h"

#include "editor/ArgValueText.h"

#include <QHeaderView>

namespace swarm {

ArgsTable::ArgsTable(QWidget* parent)
    : QTableWidget(0, 3, parent)
{
    setHorizontalHeaderLabels({tr("Parameter"), tr("Value (YAML)"), tr("")});
    horizontalHeader()->setSectionResizeMode(NameColumn, QHeaderView::ResizeToContents);
    horizontalHeader()->setSectionResizeMode(ValueColumn, QHeaderView::Stretch);
    horizontalHeader()->setSectionResizeMode(NoteColumn, QHeaderView::ResizeToContents);
    verticalHeader()->hide();
    setSelectionBehavior(QAbstractItemView::SelectItems);
    setEditTriggers(QAbstractItemView::AllEditTriggers);
    setToolTip(tr("Values are YAML: 123 is a number, \"123\" or hello a string, [1, 2] a list.\n"
                  "Leave a value empty to use the parameter's default from the module."));
    connect(this, &QTableWidget::itemChanged, this, &ArgsTable::onItemChanged);
}

void ArgsTable::addRow(const QString& name, const QString& value, const QString& note, bool foreign)
{
    const int row = rowCount();
    insertRow(row);
    auto* nameItem = new QTableWidgetItem(name);
    nameItem->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    auto* valueItem = new QTableWidgetItem(value);
    valueItem->setData(Qt::UserRole, name);
    auto* noteItem = new QTableWidgetItem(note);
    noteItem->setFlags(Qt::ItemIsEnabled);
    noteItem->setForeground(
        foreign ? QBrush(colors::problem()) : palette().brush(QPalette::PlaceholderText));
    if (foreign) nameItem->setForeground(colors::problem());
    setItem(row, NameColumn, nameItem);
    setItem(row, ValueColumn, valueItem);
    setItem(row, NoteColumn, noteItem);
}

void ArgsTable::setArgs(const CommandInfo* command, const QList<ActionArg>& args)
{
    m_filling = true;
    m_args = args;
    setRowCount(0);
    QStringList shown;
    auto valueOf = [&args](const QString& name) {
        for (const ActionArg& a : args)
            if (a.name == name) return ArgValueText::toText(a.value);
        return QString();
    };
    if (command) {
        for (const QString& p : command->params) {
            if (p.isEmpty() || shown.contains(p))
                continue; // a destructuring pattern has no name to give
            const bool optional = command->paramsWithDefault.contains(p);
            addRow(p, valueOf(p), optional ? tr("optional") : tr("required"), false);
            shown << p;
        }
    }
    for (const ActionArg& a : args) {
        if (shown.contains(a.name)) continue;
        addRow(a.name, ArgValueText::toText(a.value),
            command ? tr("not a parameter of %1: clear it").arg(command->name)
                    : tr("command not in the module"),
            true);
        shown << a.name;
    }
    m_filling = false;
    Q_EMIT problem(QString());
}

int ArgsTable::rowOf(const QString& name) const
{
    for (int r = 0; r < rowCount(); ++r)
        if (item(r, NameColumn) && item(r, NameColumn)->text() == name) return r;
    return -1;
}

void ArgsTable::onItemChanged(QTableWidgetItem* changed)
{
    if (m_filling || changed->column() != ValueColumn) return;
    const QString name = changed->data(Qt::UserRole).toString();
    const QString text = changed->text().trimmed();
    QList<ActionArg> args = m_args;
    qsizetype index = -1;
    for (qsizetype i = 0; i < args.size(); ++i)
        if (args[i].name == name) index = i;
    if (text.isEmpty()) {
        if (index >= 0) args.removeAt(index);
    } else {
        QVariant value;
        QString error;
        if (!ArgValueText::fromText(text, &value, &error)) {
            // The typing stays in the cell, marked, and the action keeps its last good value.
            const QSignalBlocker block(this);
            changed->setBackground(QColor(255, 220, 220));
            changed->setToolTip(error);
            Q_EMIT problem(tr("'%1': %2").arg(name, error));
            return;
        }
        if (index >= 0) {
            args[index].value = value;
        } else {
            ActionArg a;
            a.name = name;
            a.value = value;
            args << a; // existing args keep their order; new ones go last
        }
    }
    {
        const QSignalBlocker block(this);
        changed->setBackground(QBrush());
        changed->setToolTip(QString());
    }
    Q_EMIT problem(QString());
    if (args.size() == m_args.size()) {
        bool same = true;
        for (qsizetype i = 0; i < args.size() && same; ++i)
            same = args[i].name == m_args[i].name && args[i].value == m_args[i].value
                && args[i].value.metaType() == m_args[i].value.metaType();
        if (same) return;
    }
    m_args = args;
    Q_EMIT argsEdited(m_args);
}

} // namespace swarm
