#pragma once

#include <QStringList>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QTimer;

namespace swarm {

class RunSession;

// The console mirror: every console session's commands and replies as they happen, labelled
// by peer ("127.0.0.1:53211" for telnet, "gui" for this window), the run's messages, and a line
// where the user types the same commands into the same interpreter.
class ConsolePane : public QWidget
{
    Q_OBJECT
public:
    explicit ConsolePane(RunSession* session, QWidget* parent = nullptr);

    QPlainTextEdit* mirror() const { return m_mirror; }
    QLineEdit* input() const { return m_input; }
    QString text() const;

    void submit();
    void appendTranscript(const QString& peer, const QString& command, const QString& reply);
    void appendEvent(const QString& peer, const QString& event);
    void appendMessage(const QString& text, bool problem);
    bool isWatching() const;
    void stopWatch();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void appendLine(const QList<std::pair<QString, QColor>>& parts, bool bold = false);
    void updateHint();
    void showFromBlock(int block);

    RunSession* m_session;
    QPlainTextEdit* m_mirror;
    QLineEdit* m_input;
    QLabel* m_hint;
    QStringList m_history;
    int m_historyIndex = 0;
    int m_transcripts = 0;
    QTimer* m_watch; // `watch N`: the status block every N s until a key is pressed
};

} // namespace swarm
