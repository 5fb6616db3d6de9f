#include "EditMenu.h"

#include "editor/CodeEditor.h"
#include "editor/FindReplace.h"
#include "editor/ProtocolEditor.h"
#include "editor/ScenarioTabs.h"
#include "editor/YamlEditor.h"

#include <QAction>
#include <QInputDialog>
#include <QMainWindow>
#include <QMenu>
#include <QTextBlock>

namespace swarm {

EditMenu::EditMenu(ScenarioTabs* tabs, QMainWindow* window, QMenu* menu)
    : QObject(window)
    , m_tabs(tabs)
    , m_window(window)
    , m_find(new FindReplace([this] { return currentEditor(); }, window))
{
    const auto add = [this, menu](const char* name, const QString& text, const QKeySequence& key,
                         const std::function<void()>& slot) {
        QAction* a = menu->addAction(text, this, slot);
        a->setObjectName(QLatin1String(name));
        a->setShortcut(key);
    };
    add("actionFind", tr("&Find…"), QKeySequence::Find, [this] { m_find->showFor(false); });
    add("actionFindNext", tr("Find &Next"), QKeySequence::FindNext, [this] {
        if (!m_find->findNext()) m_find->showFor(false);
    });
    add("actionReplace", tr("&Replace…"), QKeySequence(Qt::CTRL | Qt::Key_H),
        [this] { m_find->showFor(true); });
    menu->addSeparator();
    add("actionGoToLine", tr("&Go to Line…"), QKeySequence(Qt::CTRL | Qt::Key_G),
        [this] { askLine(); });
}

QPlainTextEdit* EditMenu::currentEditor() const
{
    if (m_tabs->currentIndex() == ScenarioTabs::ProtocolTab) return m_tabs->protocol()->editor();
    if (m_tabs->currentIndex() != ScenarioTabs::YamlTab)
        m_tabs->setCurrentIndex(ScenarioTabs::YamlTab);
    return m_tabs->yaml()->editor();
}

void EditMenu::goToLine(int line)
{
    QPlainTextEdit* editor = currentEditor();
    const QTextBlock block = editor->document()->findBlockByNumber(line - 1);
    if (!block.isValid()) return;
    editor->setTextCursor(QTextCursor(block));
    editor->centerCursor();
    editor->setFocus();
}

void EditMenu::askLine()
{
    QPlainTextEdit* editor = currentEditor();
    bool ok = false;
    const int lines = editor->document()->blockCount();
    const int line = QInputDialog::getInt(m_window, tr("Go to Line"),
        tr("Line (1 to %1):").arg(lines), editor->textCursor().blockNumber() + 1, 1, lines, 1, &ok);
    if (ok) goToLine(line);
}

} // namespace swarm
