#include "editor/RangeEdit.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>

#include <cmath>

namespace swarm {

namespace {

bool whole(double v)
{
    return std::floor(v) == v;
}

QDoubleSpinBox* makeBox(RangeEdit::Kind kind, QWidget* parent)
{
    auto* box = new QDoubleSpinBox(parent);
    // Emitting only when the user is done typing: "15" must not apply "1" first.
    box->setKeyboardTracking(false);
    box->setAccelerated(true);
    if (kind == RangeEdit::Kind::Count) {
        box->setDecimals(0);
        box->setRange(0, 1000000);
    } else {
        box->setDecimals(3);
        box->setRange(0, 86400);
        box->setSingleStep(0.5);
        box->setSuffix(QStringLiteral(" s"));
    }
    box->setMinimumWidth(90);
    return box;
}

} // namespace

RangeEdit::RangeEdit(Kind kind, QWidget* parent)
    : QWidget(parent)
    , m_kind(kind)
    , m_min(makeBox(kind, this))
    , m_max(makeBox(kind, this))
    , m_range(new QCheckBox(tr("range"), this))
    , m_to(new QLabel(tr("to"), this))
{
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_min);
    layout->addWidget(m_to);
    layout->addWidget(m_max);
    layout->addWidget(m_range);
    layout->addStretch(1);
    // Hidden, "to" and the maximum keep their room: ticking "range" does not move the box
    // under the cursor.
    for (QWidget* w : {static_cast<QWidget*>(m_to), static_cast<QWidget*>(m_max)}) {
        QSizePolicy policy = w->sizePolicy();
        policy.setRetainSizeWhenHidden(true);
        w->setSizePolicy(policy);
    }
    m_range->setToolTip(kind == Kind::Count
            ? tr("A random whole number from min to max, drawn anew each time")
            : tr("A random time from min to max, drawn anew each time (whole "
                 "seconds when both bounds are whole)"));
    connect(m_min, &QDoubleSpinBox::valueChanged, this, &RangeEdit::onUserChange);
    connect(m_max, &QDoubleSpinBox::valueChanged, this, &RangeEdit::onUserChange);
    connect(m_range, &QCheckBox::toggled, this, [this](bool on) {
        if (m_updating) return;
        if (on && m_max->value() < m_min->value()) {
            const QSignalBlocker block(m_max);
            m_max->setValue(m_min->value());
        }
        updateVisibility();
        onUserChange();
    });
    setValue(ValueRange::fixed(1));
}

void RangeEdit::setValue(const ValueRange& value)
{
    m_updating = true;
    const QSignalBlocker b1(m_min);
    const QSignalBlocker b2(m_max);
    const QSignalBlocker b3(m_range);
    m_value = value;
    m_min->setValue(value.min);
    m_max->setValue(value.isRange ? value.max : value.min);
    m_range->setChecked(value.isRange);
    updateVisibility();
    m_updating = false;
}

void RangeEdit::updateVisibility()
{
    m_to->setVisible(m_range->isChecked());
    m_max->setVisible(m_range->isChecked());
}

void RangeEdit::onUserChange()
{
    if (m_updating) return;
    double lo = m_min->value();
    double hi = m_range->isChecked() ? m_max->value() : lo;
    if (m_range->isChecked() && hi < lo) {
        // The bound being edited pushes the other one along: a range never ends below its start.
        if (sender() == m_max) {
            lo = hi;
            const QSignalBlocker block(m_min);
            m_min->setValue(lo);
        } else {
            hi = lo;
            const QSignalBlocker block(m_max);
            m_max->setValue(hi);
        }
    }
    const bool integral = m_kind == Kind::Count || (whole(lo) && whole(hi));
    const ValueRange v = m_range->isChecked() ? ValueRange::range(lo, hi, integral)
                                              : ValueRange::fixed(lo, integral);
    if (v == m_value) return;
    m_value = v;
    Q_EMIT edited(m_value);
}

} // namespace swarm
