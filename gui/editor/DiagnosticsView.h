#pragma once

#include "scenario/Diagnostic.h"

#include <QListWidget>

namespace swarm {

// The problems of one file, one a line ("line 12: action 2, 'rounds': ..."); a click (or Enter)
// jumps to the place in the editor. Says so plainly when there is none.
class DiagnosticsView : public QListWidget
{
    Q_OBJECT
public:
    explicit DiagnosticsView(QWidget* parent = nullptr);

    void setDiagnostics(const Diagnostics& diagnostics, const QString& okText);
    int problemCount() const { return int(m_diagnostics.size()); }

Q_SIGNALS:
    void jumpRequested(int line, int column);

private:
    void fitHeight();

    Diagnostics m_diagnostics;
};

} // namespace swarm
