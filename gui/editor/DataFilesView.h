#pragma once

#include "scenario/Scenario.h"

#include <QTreeWidget>

namespace swarm {

// The scenario's data files in the visual editor: name, file, format, order, and what loading
// it found (rows and columns, or the error with its line and column). Read-only: the files are
// named in the YAML tab's `data:` section.
class DataFilesView : public QTreeWidget
{
    Q_OBJECT
public:
    explicit DataFilesView(QWidget* parent = nullptr);
    void setScenario(const Scenario& scenario);
};

} // namespace swarm
