#pragma once

#include <QObject>

class QMainWindow;
class QMenu;
class QPlainTextEdit;

namespace swarm {

class FindReplace;
class ScenarioTabs;

// The Edit menu of the YAML and JavaScript editors: Find, Find Next, Replace and Go to Line act
// on the editor of the tab shown (from the visual editor: the YAML text).
class EditMenu : public QObject
{
    Q_OBJECT
public:
    EditMenu(ScenarioTabs* tabs, QMainWindow* window, QMenu* menu);

    // The text editor the menu acts on now (showing the YAML tab if the visual one is shown).
    QPlainTextEdit* currentEditor() const;
    // Puts the cursor at the start of `line` (1-based) in the current editor.
    void goToLine(int line);
    FindReplace* findReplace() const { return m_find; }

private:
    void askLine();

    ScenarioTabs* m_tabs;
    QMainWindow* m_window;
    FindReplace* m_find;
};

} // namespace swarm
