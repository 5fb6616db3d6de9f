#pragma once

#include "console/ConsoleOptions.h"
#include "core/EngineConfig.h"
#include "fleet/FleetSpec.h"
#include "metrics/MetricsOptions.h"
#include "run/OptionValues.h"
#include "stats/Threshold.h"

#include <QList>
#include <QString>

namespace swarm {

// Everything the command line can say, holding the engine's and the console's own option
// structs so a run is configured without copying field by field. The defaults are the member
// initializers here and in EngineConfig, SocketOptions and ConsoleOptions; --help shows them from
// there. One table (OptionTable.cpp) maps each command-line option to its field.
struct Options
{
    ConsoleOptions console; // --listen, --console-token, --console-insecure
    MetricsOptions metrics; // --metrics, --metrics-token(-file), --metrics-insecure
    EngineConfig engine; // every worker's configuration; engine.server is resolved from --server
    QString server; // --server host:port as given; empty: the embedded demo server
    QString serverHost;
    quint16 serverPort = 0;
    QString script; // --script; empty: the bundled example scenario
    QString protocolDir; // --protocol-dir; empty: next to the scenario, then the bundled ones
    QString fleet; // --fleet SPEC as given; empty: this swarm runs connections itself
    QList<FleetEndpoint> fleetEntries; // --fleet, parsed
    bool fleetRebalance = true; // --fleet-rebalance

    bool headless = false;
    bool check = false;
    bool connectSpreadGiven = false; // else --ramp paces the connects without a spread
    int statusIntervalMs = 10000;
    int connections = 0; // --connections: an `incr N` at start
    qint64 durationMs = 0; // --duration: stop after; 0: never
    bool allowNoConnection = false; // --allow-no-connection: a run that never connected is fine
    QString reportFile;
    QString csvFile;
    QString htmlFile; // --html: the self-contained HTML report
    QList<Threshold> thresholds; // parsed once, evaluated at the end of the run
    QStringList given; // long names of the options given on the command line (they win)
};

enum class ParseOutcome { Run, Exit, Error };

// Parses `arguments` (argv, program name first). Run: *options is filled. Exit: --help or
// --version, whose text is in *message. Error: a one-line message in *message.
ParseOutcome parseOptions(const QStringList& arguments, Options* options, QString* message);

// True if argv asks for a mode that needs no window (--headless, --check, --help, --version).
bool wantsNoWindow(int argc, char** argv);

} // namespace swarm
