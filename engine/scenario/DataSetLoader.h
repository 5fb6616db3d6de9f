#pragma once

#include "scenario/DataSet.h"
#include "scenario/Diagnostic.h"
#include "scenario/Scenario.h"

#include <vector>

namespace swarm {

// Loads the data files a scenario names and checks its argument templates against them: a
// missing file, a malformed row (file:line:column of the data file), a ${...} naming an unknown
// data file or column (file:line:column of the scenario). A file loaded before and unchanged
// since (same path, size and time) is shared, not read again: the window checks the scenario
// after every edit, and a running load keeps its rows (and its sequential cursor) on apply.
class DataSetLoader
{
public:
    // Every data file of the scenario, in order; a null entry for a file that failed (and its
    // diagnostic in *diagnostics).
    static std::vector<DataSetPtr> load(const Scenario& scenario, Diagnostics* diagnostics);
    // Where a data file is: relative names are relative to the scenario's folder.
    static QString pathOf(const Scenario& scenario, const DataSource& source);
    // Why `connections` connections at a time cannot each have their own row of a unique data
    // file (without wrap) in this agent's share, or an empty string.
    static QString shortage(const std::vector<DataSetPtr>& data, Fleet fleet, qint64 connections);
    // Every ${...} of every action's args: syntax, names, data files and their columns.
    static Diagnostics checkTemplates(
        const Scenario& scenario, const std::vector<DataSetPtr>& data);
};

} // namespace swarm
