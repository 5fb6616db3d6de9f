#pragma once

#include "net/Transport.h"

#include <QHostAddress>
#include <QObject>
#include <QString>

class QSocketNotifier;

namespace swarm::platform {

// The few operating-system calls swarm makes, behind one seam: POSIX here, stubs or the Windows
// equivalents elsewhere.

struct FileLimit
{
    qint64 soft = -1; // before raising; -1 when unknown
    qint64 hard = -1;
    qint64 now = -1; // after raising
    QString error;
};

// Raises the soft open-files limit to the hard limit (each connection needs a descriptor).
FileLimit raiseOpenFilesLimit();

// A peer closing while we write must be an error code, not a signal that kills the process; a
// closed terminal must not stop a long run.
void ignoreBrokenPipeAndHangup();

// Takes the error a socket has pending (SO_ERROR): true, with *failure and *detail, when there is
// one. QTcpSocket reads a connection reset as an orderly close; asking first tells them apart.
bool takeSocketError(qintptr descriptor, SocketFailure* failure, QString* detail);

// A TCP socket (non-blocking, close-on-exec) bound to `local` whose port connect() chooses later,
// together with the destination (Linux: IP_BIND_ADDRESS_NO_PORT). A bind to port 0 picks the port
// alone, which is slow once thousands of ports wait in TIME_WAIT and cannot reuse a port towards
// another server. Returns the descriptor; -1 with *error empty where the system cannot defer the
// port (the caller binds through Qt then); -1 with *error when the socket or the bind failed.
qintptr openPortDeferredSocket(const QHostAddress& local, QString* error);

// Closes a socket descriptor that nothing else owns.
void closeDescriptor(qintptr descriptor);

// Ends a connected socket's sending direction (a FIN) and leaves it open for reading.
bool shutdownWrite(qintptr descriptor);

// Hands freed heap memory back to the system (glibc keeps it otherwise), so that RSS follows the
// number of connections down after a large decr. A no-op where there is nothing to do.
void releaseFreeMemory();

// Turns SIGINT and SIGTERM (Ctrl-C in a console on Windows) into a Qt signal on the thread that
// created it, through a self-pipe: the handler itself only writes one byte.
class StopSignals : public QObject
{
    Q_OBJECT
public:
    explicit StopSignals(QObject* parent = nullptr);
    ~StopSignals() override;
    bool isActive() const { return m_active; }
    // Also turns SIGHUP into received() (headless runs reload their files on it). A no-op
    // where there is no SIGHUP.
    void catchHangup();
    static bool isHangup(int signal);

Q_SIGNALS:
    void received(int signal);

private:
    bool m_active = false;
    bool m_hangup = false;
    QSocketNotifier* m_notifier = nullptr;
};

} // namespace swarm::platform
