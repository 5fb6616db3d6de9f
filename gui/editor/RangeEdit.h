#pragma once

#include "scenario/ValueRange.h"

#include <QWidget>

class QCheckBox;
class QDoubleSpinBox;
class QLabel;

namespace swarm {

// A scenario number as the YAML writes it: a fixed value, or a [min, max] range drawn anew each
// time. Counts (rounds) are whole numbers; seconds (the sleeps) take milliseconds.
class RangeEdit : public QWidget
{
    Q_OBJECT
public:
    enum class Kind { Count, Seconds };

    explicit RangeEdit(Kind kind, QWidget* parent = nullptr);

    // Shows a value without emitting edited().
    void setValue(const ValueRange& value);
    ValueRange value() const { return m_value; }

    QDoubleSpinBox* minimumBox() const { return m_min; }
    QDoubleSpinBox* maximumBox() const { return m_max; }
    QCheckBox* rangeBox() const { return m_range; }

Q_SIGNALS:
    void edited(const swarm::ValueRange& value);

private:
    void onUserChange();
    void updateVisibility();

    Kind m_kind;
    ValueRange m_value;
    QDoubleSpinBox* m_min;
    QDoubleSpinBox* m_max;
    QCheckBox* m_range;
    QLabel* m_to;
    bool m_updating = false;
};

} // namespace swarm
