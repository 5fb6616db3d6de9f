#pragma once

#include "net/Transport.h"

#include <memory>

namespace swarm {

// Which transport a run uses: `requested` (--io; Auto: the best this build has) made concrete.
// Epoll falls back to Qt when the system refuses an epoll set; *fallback then says why (the
// banner and the report repeat it), and stays empty otherwise.
IoKind resolveIo(IoKind requested, QString* fallback);

// A worker's transport of a resolved kind (Epoll falls back to Qt here too, should the system
// refuse an epoll set to this thread). nullptr, with *error, when its TLS context cannot be made
// from options.tls (the run checks the files first: this is for what changed since).
std::unique_ptr<Transport> makeTransport(
    IoKind io, TransportHandler* handler, const SocketOptions& options, QString* error);

} // namespace swarm
