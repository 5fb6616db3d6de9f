#include "run/RunSettings.h"

#include "run/RunSession.h"

#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
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

} // namespace

RunSettings::RunSettings(RunSession* session, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_ramp(new QDoubleSpinBox(this))
    , m_connectTimeout(millisecondsBox(session->options().engine.connectTimeoutMs, this))
    , m_replyTimeout(millisecondsBox(session->options().engine.replyTimeoutMs, this))
{
    m_ramp->setObjectName(QStringLiteral("rampBox"));
    m_connectTimeout->setObjectName(QStringLiteral("connectTimeoutBox"));
    m_replyTimeout->setObjectName(QStringLiteral("replyTimeoutBox"));
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
    auto* row = new QHBoxLayout(this);
    row->setContentsMargins(0, 0, 0, 0);
    const std::pair<QString, QWidget*> fields[] = {{tr("Ramp:"), m_ramp},
        {tr("Connect timeout:"), m_connectTimeout}, {tr("Reply timeout:"), m_replyTimeout}};
    for (const auto& [text, box] : fields) {
        auto* label = new QLabel(text, this);
        label->setBuddy(box);
        row->addWidget(label);
        row->addWidget(box);
    }
    row->addStretch(1);

    connect(m_ramp, &QDoubleSpinBox::valueChanged, this,
        [this](double perSecond) { m_session->setRamp(perSecond); });
    const auto timeouts
        = [this] { m_session->setTimeouts(m_connectTimeout->value(), m_replyTimeout->value()); };
    connect(m_connectTimeout, &QSpinBox::valueChanged, this, timeouts);
    connect(m_replyTimeout, &QSpinBox::valueChanged, this, timeouts);
}

} // namespace swarm
