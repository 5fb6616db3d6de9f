#pragma once

#include "net/Transport.h"

#include <QHostAddress>
#include <QList>
#include <QString>
#include <QStringList>

namespace swarm {

// Everything the command line can say. One table (Options.cpp) drives QCommandLineParser,
// --help, and the GUI's prefill, so the three never disagree.
struct Options
{
    // The original tool's options.
    QHostAddress listenAddress = QHostAddress::LocalHost; // --listen (console)
    quint16 listenPort = 8411;
    QString server; // --server host:port as given; empty: the embedded demo server
    QString serverHost;
    quint16 serverPort = 0;
    QString script; // --script; empty: the bundled example scenario
    QString protocolDir; // --protocol-dir; empty: next to the scenario, then the bundled ones

    bool headless = false;
    bool check = false;
    int threads = 0; // 0: one per core

    qint64 connectSpreadMinMs = 0;
    qint64 connectSpreadMaxMs = 1000;
    bool connectSpreadGiven = false;
    int connectTimeoutMs = 3000;
    int replyTimeoutMs = 30000;
    int scriptTimeoutMs = 1000;
    int reconnectMaxMs = 30000;
    qint64 maxReplyBytes = 16 * 1024 * 1024;
    int receiveBuffer = 128;
    int sendBuffer = 1024;
    int statusIntervalMs = 10000;

    int connections = 0; // --connections: an `incr N` at start
    double ramp = 0; // --ramp: connections per second
    qint64 durationMs = 0; // --duration: stop after
    QString reportFile;
    QString csvFile;
    QStringList thresholds;

    QList<QHostAddress> sourceAddresses;
    QString consoleToken;
    bool consoleInsecure = false;
    IoKind io = IoKind::Auto; // --io
};

enum class ParseOutcome { Run, Exit, Error };

// Parses `arguments` (argv, program name first). Run: *options is filled. Exit: --help or
// --version, whose text is in *message. Error: a one-line message in *message.
ParseOutcome parseOptions(const QStringList& arguments, Options* options, QString* message);

// Helpers shared with the console and the GUI; each returns false on a malformed value.
bool parseDurationMs(const QString& text, qint64* ms); // "30s", "5m", "1h30m", "250ms", "2.5"
bool parseByteSize(const QString& text, qint64* bytes); // "16MiB", "64k", "1000"
bool parseHostPort(const QString& text, QString* host, quint16* port, bool allowPortZero);
// "127.0.0.1", "127.0.0.1-127.0.0.8", "::1"
bool parseAddressRange(const QString& text, QList<QHostAddress>* out, QString* error);

// True if argv asks for a mode that needs no window (--headless, --check, --help, --version).
bool wantsNoWindow(int argc, char** argv);

} // namespace swarm
