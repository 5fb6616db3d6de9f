#pragma once

#include "net/Transport.h"
#include "scenario/Scenario.h"

#include <QString>

namespace swarm {

struct Options;

// Applies the scenario's `tls:` block to options->engine.socket.tls, key by key, as the
// --tls-... option each stands for, except those given on the command line (which win). File
// names are relative to the scenario's directory. False, with *error naming the file, line and
// key, for a value the option would refuse.
bool applyScenarioTls(const Scenario& scenario, Options* options, QString* error);

// Loads the TLS files as the transport `io` will (and Qt's configuration besides), so that a bad
// file or a key that is not the certificate's stops the run before anything connects.
bool checkTls(const TlsConfig& tls, IoKind io, QString* error);

} // namespace swarm
