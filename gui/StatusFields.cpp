#include "StatusFields.h"

#include "run/RunSession.h"

#include <QLabel>
#include <QLocale>
#include <QStatusBar>

namespace swarm {

namespace {

constexpr int kPadding = 8;

QString stateText(const RunSession& session)
{
    switch (session.state()) {
    case RunSession::State::NotStarted:
        return StatusFields::tr("Not running");
    case RunSession::State::Starting:
        return StatusFields::tr("Starting");
    case RunSession::State::Ready:
        return session.isIdle() ? StatusFields::tr("Idle") : StatusFields::tr("Running");
    case RunSession::State::Stopping:
        return StatusFields::tr("Stopping");
    case RunSession::State::Finished:
        return StatusFields::tr("Finished");
    }
    return QString();
}

// Sets a field's text, elided to its fixed width (the whole text in its tooltip).
void setField(QLabel* label, const QString& text)
{
    const QString shown
        = label->fontMetrics().elidedText(text, Qt::ElideRight, label->width() - kPadding);
    label->setText(shown);
    label->setToolTip(shown == text ? QString() : text);
}

} // namespace

StatusFields::StatusFields(RunSession* session, QStatusBar* bar)
    : QObject(bar)
    , m_session(session)
{
    const std::pair<QLabel**, std::pair<const char*, QString>> fields[] = {
        {&m_state, {"statusState", tr("Not running")}},
        {&m_connected, {"statusConnections", tr("Connected: 888,888")}},
        {&m_failing, {"statusFailing", tr("Failing: 888,888")}},
        {&m_target, {"statusTarget", tr("Target: 888,888")}},
        {&m_rps, {"statusRps", tr("Requests/s: 888,888.8")}},
        {&m_errors, {"statusErrors", tr("Errors: 88,888,888")}},
        {&m_console, {"statusConsole", tr("Console: 127.0.0.1:88888 (88 sessions)")}},
    };
    for (const auto& [label, what] : fields) {
        *label = new QLabel(bar);
        (*label)->setObjectName(QLatin1String(what.first));
        QFont bold = (*label)->font();
        bold.setBold(true); // errors turn bold: room for that too
        (*label)->setFixedWidth(QFontMetrics(bold).horizontalAdvance(what.second) + kPadding);
        bar->addPermanentWidget(*label);
    }
}

void StatusFields::update()
{
    const StatsSnapshot s = m_session->snapshot();
    const QLocale locale;
    setField(m_state, stateText(*m_session));
    setField(m_connected, tr("Connected: %1").arg(locale.toString(s.connectedNow())));
    setField(m_failing, tr("Failing: %1").arg(locale.toString(s.failingNow())));
    setField(m_target, tr("Target: %1").arg(locale.toString(m_session->target())));
    setField(m_rps, tr("Requests/s: %1").arg(locale.toString(s.rps, 'f', 1)));
    const quint64 errors = s.errors();
    QFont font = m_errors->font();
    font.setBold(errors > 0);
    m_errors->setFont(font);
    setField(m_errors, tr("Errors: %1").arg(locale.toString(errors)));
    setField(m_console, tr("Console: %1").arg(m_session->consoleDescription()));
}

} // namespace swarm
