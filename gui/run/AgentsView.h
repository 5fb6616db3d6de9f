#pragma once

#include <QPlainTextEdit>

namespace swarm {

// A fleet controller's agents in the run panel (`--fleet`): one line each, as `status agents`
// prints them (address, state, connections, share, req/s, last error). Hidden without a fleet.
class AgentsView : public QPlainTextEdit
{
    Q_OBJECT
public:
    explicit AgentsView(QWidget* parent = nullptr);
    // The agents' lines; empty: not a fleet, the view hides.
    void setAgents(const QString& text);
};

} // namespace swarm
