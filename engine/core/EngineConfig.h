#pragma once

#include "core/ArrivalSchedule.h"
#include "net/Transport.h"
#include "scenario/DataSet.h"

#include <QHostAddress>
#include <QList>
#include <QString>

namespace swarm {

// Everything a run is configured with besides the scenario: plain values, copied into every
// worker. Defaults are the original tool's where it had one.
struct EngineConfig
{
    Endpoint server;
    QList<QHostAddress> sourceAddresses; // --source-ip; empty: let the system choose
    int threads = 1;
    qint64 connectSpreadMinMs = 0; // a new connection waits a random time in [min, max] first
    qint64 connectSpreadMaxMs = 1000;
    int connectTimeoutMs = 3000;
    int replyTimeoutMs = 30000;
    int scriptTimeoutMs = 1000;
    qint64 maxReplyBytes = 16 * 1024 * 1024;
    int reconnectBaseMs = 100; // first retry after an error waits 50-100 ms, then doubles ...
    int reconnectMaxMs = 30000; // ... up to this cap (--reconnect-max)
    double ramp = 0; // new connections per second over all workers; 0: no limit
    SocketOptions socket;
    IoKind io = IoKind::Auto; // Auto: the best this build has (see resolveIo)
    int statsIntervalMs = 1000;
    int goodbyeTimeoutMs = 1000; // the scenario's on_close command must finish within this
    // --agent-index I/N: this swarm's place in a fleet of N; client.id and the data files' rows
    // are split by it, so no two agents share an id or a unique row.
    Fleet fleet;
    // The open model: rounds started per second over all connections (an action's own `rate:`
    // wins); 0: the closed loop (sleeps). Changed live by the console's `rate R`.
    double rate = 0;
    ArrivalKind arrivals = ArrivalKind::Fixed; // --arrivals
};

} // namespace swarm
