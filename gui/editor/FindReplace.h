#pragma once

#include <QDialog>

#include <functional>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace swarm {

// Edit → Find / Replace for the YAML and JavaScript editors: a small dialog that stays open
// beside the text, working on whichever editor `target` returns when a button is pressed.
// Find Next wraps at the end (and says so); Replace All is one undoable step.
class FindReplace : public QDialog
{
    Q_OBJECT
public:
    using Target = std::function<QPlainTextEdit*()>;
    FindReplace(Target target, QWidget* parent = nullptr);

    // Shows the dialog with the editor's selection (if any) as the text to find.
    void showFor(bool replace);
    bool findNext(); // false: not found anywhere
    bool replaceOne(); // replaces the selected match, then finds the next
    int replaceAll(); // how many were replaced
    QLineEdit* findEdit() const { return m_find; }
    QLineEdit* replaceEdit() const { return m_replace; }

private:
    void say(const QString& text);

    Target m_target;
    QLineEdit* m_find;
    QLineEdit* m_replace;
    QCheckBox* m_case;
    QLabel* m_status;
};

} // namespace swarm
