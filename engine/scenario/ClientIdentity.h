#pragma once

#include "scenario/DataSet.h"

#include <QRandomGenerator>

#include <vector>

namespace swarm {

// Who a connection is, as its scripts and argument templates see it: client.id, client.iteration,
// the rows its data files gave it for this iteration. Plain values and pointers into what the
// connection and its worker own; valid during one call.
struct ClientIdentity
{
    qint64 id = 0; // 0-based, unique in the run (and the fleet), kept across reconnects
    qint64 iteration = 0; // passes through the action list started, this one included
    int agent = 0; // this swarm's index in its fleet
    const std::vector<DataSetPtr>* data = nullptr; // the scenario's data files, in order
    const std::vector<qint64>* rows = nullptr; // per data file: the file's row taken; -1: none
    QRandomGenerator* rng = nullptr;
};

} // namespace swarm
