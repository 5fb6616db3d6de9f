#include "run/ConsolePane.h"

#include "Colors.h"

#include "run/RunSession.h"

#include <QCompleter>
#include <QDateTime>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QTextBlock>
#include <QTimer>
#include <QVBoxLayout>

namespace swarm {

namespace {

const QColor kTime(0x75, 0x75, 0x75);
const QColor kReply(0x42, 0x42, 0x42);
const QColor kGui(0x15, 0x65, 0xc0);
const QColor kProblem(0xb0, 0x00, 0x20);

// Each telnet peer keeps its colour, so two colleagues' commands are told apart at a glance.
QColor peerColor(const QString& peer)
{
    if (peer == QLatin1String("gui")) return kGui;
    static const QColor colors[] = {QColor(0x6a, 0x1b, 0x9a), QColor(0x00, 0x69, 0x5c),
        QColor(0xad, 0x14, 0x57), QColor(0x8d, 0x6e, 0x00), QColor(0x2e, 0x7d, 0x32)};
    return colors[qHash(peer) % (sizeof(colors) / sizeof(colors[0]))];
}

QString now()
{
    return QTime::currentTime().toString(QStringLiteral("HH:mm:ss "));
}

// A telnet peer's reply line longer than this is shown cut in the mirror (its session got all of
// it). A dashboard asking `stats json` every second would otherwise lay out a line that grows
// with the scenario's commands (about 350 characters each) every second, the window's largest
// cost per second with 20 commands, and keep every one of them.
constexpr qsizetype kMirroredReplyChars = 240;

QString mirrored(const QString& line)
{
    if (line.size() <= kMirroredReplyChars) return line;
    return line.left(kMirroredReplyChars)
        + ConsolePane::tr(" … (%1 characters in all)").arg(QLocale().toString(line.size()));
}

} // namespace

ConsolePane::ConsolePane(RunSession* session, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_mirror(new QPlainTextEdit(this))
    , m_input(new QLineEdit(this))
    , m_hint(new QLabel(this))
    , m_watch(new QTimer(this))
{
    connect(m_watch, &QTimer::timeout, this, [this] {
        const QString block = m_session->statusBlock();
        if (block.isEmpty()) {
            stopWatch();
            return;
        }
        appendMessage(block, false);
    });
    m_mirror->setObjectName(QStringLiteral("consoleMirror"));
    m_input->setObjectName(QStringLiteral("consoleInput"));
    m_mirror->setReadOnly(true);
    m_mirror->setMaximumBlockCount(20000); // a flood of commands cannot grow memory for ever
    m_mirror->setLineWrapMode(QPlainTextEdit::NoWrap);
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_mirror->setFont(mono);
    m_input->setFont(mono);
    m_input->setPlaceholderText(
        tr("Type a console command: incr N, decr N, target N, status, "
           "reload, watch, help — the same interpreter telnet sessions use"));
    m_input->setClearButtonEnabled(true);
    auto* completer = new QCompleter(
        {QStringLiteral("incr "), QStringLiteral("decr "), QStringLiteral("target "),
            QStringLiteral("ramp "), QStringLiteral("reload"), QStringLiteral("status"),
            QStringLiteral("status errors"), QStringLiteral("status commands"),
            QStringLiteral("status connections"), QStringLiteral("watch"),
            QStringLiteral("stats json"), QStringLiteral("stop"), QStringLiteral("help")},
        m_input);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_input->setCompleter(completer);
    m_input->installEventFilter(this);
    m_hint->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_hint->setWordWrap(true); // "(run over: status only…)" wraps; the dock keeps its width
    auto* send = new QPushButton(tr("Send"), this);
    auto* clear = new QPushButton(tr("Clear"), this);
    send->setObjectName(QStringLiteral("consoleSend"));
    clear->setObjectName(QStringLiteral("consoleClear"));
    clear->setToolTip(tr("Clear the mirror (the run is not affected)"));

    auto* row = new QHBoxLayout;
    row->addWidget(new QLabel(QStringLiteral("gui ›"), this));
    row->addWidget(m_input, 1);
    row->addWidget(send);
    row->addWidget(clear);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_hint);
    layout->addWidget(m_mirror, 1);
    layout->addLayout(row);

    connect(m_input, &QLineEdit::returnPressed, this, &ConsolePane::submit);
    connect(send, &QPushButton::clicked, this, &ConsolePane::submit);
    connect(clear, &QPushButton::clicked, m_mirror, &QPlainTextEdit::clear);
    connect(session, &RunSession::transcript, this, &ConsolePane::appendTranscript);
    connect(session, &RunSession::sessionEvent, this, &ConsolePane::appendEvent);
    connect(
        session, &RunSession::output, this, [this](const QString& t) { appendMessage(t, false); });
    connect(
        session, &RunSession::error, this, [this](const QString& t) { appendMessage(t, true); });
    connect(session, &RunSession::stateChanged, this, &ConsolePane::updateHint);
    connect(session, &RunSession::followUp, this,
        [this](const QString& t) { appendMessage(t, t.contains(QLatin1String("ERROR"))); });
    updateHint();
}

QString ConsolePane::text() const
{
    return m_mirror->toPlainText();
}

void ConsolePane::updateHint()
{
    const QString where = m_session->consoleDescription();
    m_hint->setText(where.startsWith(QLatin1Char('n'))
            ? tr("Telnet console: not listening (no run)")
            : tr("Telnet console: %1 — colleagues connect with <tt>nc %2</tt>")
                  .arg(where.toHtmlEscaped(),
                      where.section(QLatin1Char(' '), 0, 0)
                          .replace(QLatin1Char(':'), QLatin1Char(' '))));
}

void ConsolePane::appendLine(const QList<std::pair<QString, QColor>>& parts, bool bold)
{
    QScrollBar* bar = m_mirror->verticalScrollBar();
    const bool atEnd = bar->value() >= bar->maximum() - 4;
    QTextCursor c(m_mirror->document());
    c.movePosition(QTextCursor::End);
    if (!m_mirror->document()->isEmpty()) c.insertBlock();
    for (const auto& [text, color] : parts) {
        QTextCharFormat f;
        f.setForeground(colors::readable(color));
        if (bold) f.setFontWeight(QFont::Bold);
        c.insertText(text, f);
    }
    // Follows the newest line unless the user scrolled up to read.
    if (atEnd) bar->setValue(bar->maximum());
}

void ConsolePane::appendTranscript(
    const QString& peer, const QString& command, const QString& reply)
{
    ++m_transcripts;
    appendLine({{now(), kTime}, {peer, peerColor(peer)},
        {QStringLiteral(" › ") + command, palette().color(QPalette::Text)}});
    const QStringList lines = reply.split(QLatin1Char('\n'));
    const bool error = reply.startsWith(QLatin1String("ERROR"));
    const bool own = peer == QLatin1String("gui"); // what the user typed here is shown whole
    for (const QString& line : lines)
        appendLine({{QStringLiteral("         "), kTime},
            {own ? line : mirrored(line), error ? kProblem : kReply}});
    updateHint();
}

void ConsolePane::appendEvent(const QString& peer, const QString& event)
{
    appendLine({{now(), kTime}, {peer, peerColor(peer)}, {QStringLiteral(" ") + event, kTime}});
    updateHint();
}

void ConsolePane::appendMessage(const QString& text, bool problem)
{
    const QStringList lines = text.split(QLatin1Char('\n'));
    bool first = true;
    for (const QString& line : lines) {
        appendLine({{first ? now() : QStringLiteral("         "), kTime},
            {line, problem ? kProblem : kTime}});
        first = false;
    }
    updateHint();
}

void ConsolePane::submit()
{
    const QString line = m_input->text().trimmed();
    if (line.isEmpty()) return;
    if (m_history.isEmpty() || m_history.last() != line) m_history << line;
    m_historyIndex = int(m_history.size());
    m_input->clear();
    const int firstNew = m_mirror->document()->isEmpty() ? 0 : m_mirror->document()->blockCount();
    const int before = m_transcripts;
    const ConsoleInterpreter::Result r = m_session->executeCommand(line);
    const QString& reply = r.reply;
    // The interpreter's transcript shows command and reply; without a run there is none.
    if (m_transcripts == before && !reply.isEmpty())
        appendTranscript(QStringLiteral("gui"), line, reply);
    if (r.watchSeconds > 0) m_watch->start(r.watchSeconds * 1000);
    if (line.compare(QLatin1String("quit"), Qt::CaseInsensitive) == 0)
        appendMessage(tr("(quit closes a telnet session; File > Quit closes the window)"), false);
    showFromBlock(firstNew);
}

// Scrolls to what a command just sent brought: as much of it as fits, its first line at least,
// from the left edge (a wide `status` table scrolls sideways; it does not wrap).
void ConsolePane::showFromBlock(int block)
{
    QScrollBar* bar = m_mirror->verticalScrollBar();
    bar->setValue(bar->maximum());
    const QTextBlock first = m_mirror->document()->findBlockByNumber(block);
    if (first.isValid()) {
        m_mirror->setTextCursor(QTextCursor(first));
        m_mirror->ensureCursorVisible();
    }
    m_mirror->horizontalScrollBar()->setValue(0);
}

bool ConsolePane::isWatching() const
{
    return m_watch->isActive();
}

void ConsolePane::stopWatch()
{
    if (!m_watch->isActive()) return;
    m_watch->stop();
    appendMessage(tr("(watch stopped)"), false);
}

bool ConsolePane::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_input && event->type() == QEvent::KeyPress && isWatching()) {
        // As on telnet: any key stops `watch`, and is not typed.
        stopWatch();
        return true;
    }
    if (watched == m_input && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent*>(event)->key();
        if ((key == Qt::Key_Up || key == Qt::Key_Down) && !m_history.isEmpty()) {
            m_historyIndex
                = qBound(0, m_historyIndex + (key == Qt::Key_Up ? -1 : 1), int(m_history.size()));
            m_input->setText(
                m_historyIndex < m_history.size() ? m_history[m_historyIndex] : QString());
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace swarm
