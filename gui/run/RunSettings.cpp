#include "run/RunSettings.h"

#include "Colors.h"

#include "core/EngineConfig.h"
#include "run/OptionValues.h"
#include "run/RunController.h"
#include "run/RunSession.h"
#include "stats/Threshold.h"

#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>

namespace swarm {

namespace {

QSpinBox* millisecondsBox(int value, QWidget* parent)
{
    auto* box = new QSpinBox(parent);
    box->setRange(1, 3600000);
    box->setSingleStep(500);
    box->setSuffix(QStringLiteral(" ms"));
    box->setKeyboardTracking(false);
    box->setValue(value);
    return box;
}

QString thresholdsText(const QList<Threshold>& thresholds)
{
    QStringList texts;
    for (const Threshold& t : thresholds)
        texts << t.text();
    return texts.join(QStringLiteral(", "));
}

} // namespace

RunSettings::RunSettings(RunSession* session, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_ramp(new QDoubleSpinBox(this))
    , m_connectTimeout(millisecondsBox(session->options().engine.connectTimeoutMs, this))
    , m_replyTimeout(millisecondsBox(session->options().engine.replyTimeoutMs, this))
    , m_duration(new QLineEdit(this))
    , m_thresholds(new QLineEdit(this))
    , m_problem(new QLabel(this))
    , m_note(new QLabel(this))
{
    m_ramp->setObjectName(QStringLiteral("rampBox"));
    m_connectTimeout->setObjectName(QStringLiteral("connectTimeoutBox"));
    m_replyTimeout->setObjectName(QStringLiteral("replyTimeoutBox"));
    m_duration->setObjectName(QStringLiteral("durationEdit"));
    m_thresholds->setObjectName(QStringLiteral("thresholdsEdit"));
    m_problem->setObjectName(QStringLiteral("settingsProblem"));
    m_ramp->setRange(0, 1000000);
    m_ramp->setDecimals(1);
    m_ramp->setSpecialValueText(tr("at once"));
    m_ramp->setSuffix(tr(" conn/s"));
    m_ramp->setKeyboardTracking(false);
    m_ramp->setValue(session->options().engine.ramp);
    m_ramp->setToolTip(tr("New connections per second, over all workers (console: ramp R; "
                          "--ramp). Applies at once, also to connections still waiting."));
    m_connectTimeout->setToolTip(tr("How long a connect may take (--connect-timeout): from the "
                                    "next run on"));
    m_replyTimeout->setToolTip(tr("How long a reply may take (--reply-timeout): from the next "
                                  "run on"));
    m_duration->setPlaceholderText(tr("until stopped"));
    m_duration->setText(
        session->duration() > 0 ? formatDurationMs(session->duration()) : QString());
    m_duration->setToolTip(tr("Stop the run by itself this long after its first connection, "
                              "e.g. 30s, 5m, 1h30m (--duration). Applies to the run going now "
                              "(one already that long stops at once) and the next ones; empty: "
                              "until stopped."));
    m_thresholds->setPlaceholderText(tr("e.g. p99<50ms, errors<1%"));
    m_thresholds->setText(thresholdsText(session->thresholds()));
    m_thresholds->setToolTip(tr("Pass/fail conditions checked when the run ends, separated by "
                                "commas, as --threshold takes them: p99<50ms, errors<1%, "
                                "rps>1000, login.p95<20ms. Apply to the run going now and the "
                                "next ones; the outcome shows in the run panel and the reports."));
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(
        QStringLiteral("color: %1; font-weight: bold").arg(colors::css(colors::problem())));
    m_problem->hide();
    m_note->setObjectName(QStringLiteral("settingsNote"));
    m_note->setWordWrap(true);
    m_note->hide();
    layOut();

    connect(m_ramp, &QDoubleSpinBox::valueChanged, this,
        [this](double perSecond) { m_session->setRamp(perSecond); });
    const auto timeouts = [this] {
        m_session->setTimeouts(m_connectTimeout->value(), m_replyTimeout->value());
        const RunController* running = m_session->isLive() ? m_session->controller() : nullptr;
        const EngineConfig* now = running ? &running->options().engine : nullptr;
        const bool differ = now
            && (now->connectTimeoutMs != m_connectTimeout->value()
                || now->replyTimeoutMs != m_replyTimeout->value());
        // Said where the fields are, not only in their tooltips.
        m_note->setText(differ ? tr("The timeouts apply from the next run: this one keeps %1 ms "
                                    "to connect and %2 ms for a reply.")
                                     .arg(now->connectTimeoutMs)
                                     .arg(now->replyTimeoutMs)
                               : QString());
        m_note->setVisible(differ);
    };
    connect(m_connectTimeout, &QSpinBox::valueChanged, this, timeouts);
    connect(m_replyTimeout, &QSpinBox::valueChanged, this, timeouts);
    connect(m_session, &RunSession::runReplaced, m_note, &QLabel::hide);
    connect(m_duration, &QLineEdit::editingFinished, this, &RunSettings::commitDuration);
    connect(m_thresholds, &QLineEdit::editingFinished, this, &RunSettings::commitThresholds);
}

void RunSettings::layOut()
{
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    const auto field
        = [this, grid](const QString& text, QWidget* box, int row, int column, int span = 1) {
              auto* label = new QLabel(text, this);
              label->setBuddy(box);
              grid->addWidget(label, row, column);
              grid->addWidget(box, row, column + 1, 1, span);
          };
    field(tr("Ramp:"), m_ramp, 0, 0);
    field(tr("Connect timeout:"), m_connectTimeout, 0, 2);
    field(tr("Reply timeout:"), m_replyTimeout, 0, 4);
    field(tr("&Duration:"), m_duration, 1, 0);
    field(tr("T&hresholds:"), m_thresholds, 1, 2, 4); // to the end of the row
    grid->addWidget(m_problem, 2, 0, 1, 7);
    grid->addWidget(m_note, 3, 0, 1, 7);
    grid->setColumnStretch(6, 1);
}

void RunSettings::commitDuration()
{
    const QString text = m_duration->text().trimmed();
    qint64 ms = 0;
    if (!text.isEmpty() && (!parseDurationMs(text, &ms) || ms <= 0)) {
        m_durationProblem
            = tr("Duration '%1' is not a duration: write 30s, 5m or 1h30m (empty: "
                 "until stopped). The run keeps %2.")
                  .arg(text,
                      m_session->duration() > 0 ? formatDurationMs(m_session->duration())
                                                : tr("running until stopped"));
        showProblem(m_duration, m_durationProblem);
        return;
    }
    m_durationProblem.clear();
    showProblem(m_duration, QString());
    m_session->setDuration(ms);
}

void RunSettings::commitThresholds()
{
    QList<Threshold> thresholds;
    const QStringList texts = m_thresholds->text().split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString& text : texts) {
        if (text.trimmed().isEmpty()) continue;
        Threshold t;
        QString error;
        if (!Threshold::parse(text.trimmed(), &t, &error)) {
            m_thresholdsProblem = tr("Not applied: %1 (no threshold changed)").arg(error);
            showProblem(m_thresholds, m_thresholdsProblem);
            return;
        }
        thresholds << t;
    }
    m_thresholdsProblem.clear();
    showProblem(m_thresholds, QString());
    m_session->setThresholds(thresholds);
}

void RunSettings::showProblem(QLineEdit* edit, const QString& problem)
{
    // A refused field is marked until it holds something valid again.
    edit->setStyleSheet(problem.isEmpty()
            ? QString()
            : QStringLiteral("border: 1px solid %1").arg(colors::css(colors::problem())));
    QStringList problems;
    for (const QString& p : {m_durationProblem, m_thresholdsProblem})
        if (!p.isEmpty()) problems << p;
    m_problem->setText(problems.join(QLatin1Char('\n')));
    m_problem->setVisible(!problems.isEmpty());
}

} // namespace swarm
