#include "editor/FindReplace.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTextDocument>
#include <QVBoxLayout>

namespace swarm {

FindReplace::FindReplace(Target target, QWidget* parent)
    : QDialog(parent)
    , m_target(std::move(target))
    , m_find(new QLineEdit(this))
    , m_replace(new QLineEdit(this))
    , m_case(new QCheckBox(tr("&Match case"), this))
    , m_status(new QLabel(this))
{
    setObjectName(QStringLiteral("findReplace"));
    setWindowTitle(tr("Find and Replace"));
    m_find->setObjectName(QStringLiteral("findText"));
    m_replace->setObjectName(QStringLiteral("replaceText"));
    auto* form = new QFormLayout;
    form->addRow(tr("F&ind:"), m_find);
    form->addRow(tr("Replace &with:"), m_replace);
    form->addRow(QString(), m_case);
    auto* buttons = new QDialogButtonBox(this);
    QPushButton* next = buttons->addButton(tr("Find &Next"), QDialogButtonBox::ActionRole);
    QPushButton* one = buttons->addButton(tr("&Replace"), QDialogButtonBox::ActionRole);
    QPushButton* all = buttons->addButton(tr("Replace &All"), QDialogButtonBox::ActionRole);
    buttons->addButton(QDialogButtonBox::Close);
    next->setDefault(true);
    connect(next, &QPushButton::clicked, this, &FindReplace::findNext);
    connect(one, &QPushButton::clicked, this, &FindReplace::replaceOne);
    connect(all, &QPushButton::clicked, this, &FindReplace::replaceAll);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::hide);
    m_status->setWordWrap(true);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
}

void FindReplace::showFor(bool replace)
{
    QPlainTextEdit* editor = m_target();
    if (editor && editor->textCursor().hasSelection())
        m_find->setText(editor->textCursor().selectedText());
    m_status->clear();
    show();
    raise();
    activateWindow();
    (replace && !m_find->text().isEmpty() ? m_replace : m_find)->setFocus();
    m_find->selectAll();
}

void FindReplace::say(const QString& text)
{
    m_status->setText(text);
}

bool FindReplace::findNext()
{
    QPlainTextEdit* editor = m_target();
    if (!editor || m_find->text().isEmpty()) return false;
    const QTextDocument::FindFlags flags
        = m_case->isChecked() ? QTextDocument::FindCaseSensitively : QTextDocument::FindFlags();
    say(QString());
    if (editor->find(m_find->text(), flags)) return true;
    // From the top again.
    const QTextCursor kept = editor->textCursor();
    editor->moveCursor(QTextCursor::Start);
    if (editor->find(m_find->text(), flags)) {
        say(tr("Continued from the top."));
        return true;
    }
    editor->setTextCursor(kept);
    say(tr("“%1” is not in the text.").arg(m_find->text()));
    return false;
}

bool FindReplace::replaceOne()
{
    QPlainTextEdit* editor = m_target();
    if (!editor || editor->isReadOnly()) return false;
    QTextCursor c = editor->textCursor();
    const Qt::CaseSensitivity cs = m_case->isChecked() ? Qt::CaseSensitive : Qt::CaseInsensitive;
    if (c.hasSelection() && c.selectedText().compare(m_find->text(), cs) == 0)
        c.insertText(m_replace->text());
    return findNext();
}

int FindReplace::replaceAll()
{
    QPlainTextEdit* editor = m_target();
    if (!editor || editor->isReadOnly() || m_find->text().isEmpty()) return 0;
    const QTextDocument::FindFlags flags
        = m_case->isChecked() ? QTextDocument::FindCaseSensitively : QTextDocument::FindFlags();
    QTextDocument* doc = editor->document();
    QTextCursor edit(doc);
    edit.beginEditBlock(); // one Undo takes every replacement back
    int count = 0;
    QTextCursor found = doc->find(m_find->text(), 0, flags);
    while (!found.isNull()) {
        found.insertText(m_replace->text());
        ++count;
        found = doc->find(m_find->text(), found, flags);
    }
    edit.endEditBlock();
    say(count ? tr("Replaced %n time(s).", nullptr, count)
              : tr("“%1” is not in the text.").arg(m_find->text()));
    return count;
}

} // namespace swarm
