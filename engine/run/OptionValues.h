#pragma once

#include <QHostAddress>
#include <QList>
#include <QString>

namespace swarm {

// The value syntaxes of the command line, shared with the console and the window. Each parser
// returns false on a malformed value and leaves its output alone.

bool parseDurationMs(const QString& text, qint64* ms); // "30s", "5m", "1h30m", "250ms", "2.5"
bool parseByteSize(const QString& text, qint64* bytes); // "16MiB", "64k", "1000"
bool parseHostPort(const QString& text, QString* host, quint16* port, bool allowPortZero);
// "127.0.0.1", "127.0.0.1-127.0.0.8", "::1"
bool parseAddressRange(const QString& text, QList<QHostAddress>* out, QString* error);
// Where the console listens: "ip:port", "[v6]:port", "localhost:port" or "*:port" (every IPv4
// interface); port 0 picks a free one. The command line and the window both use this.
bool parseListenAddress(const QString& text, QHostAddress* address, quint16* port, QString* error);

// Which of a host name's addresses connections go to: the first IPv4 one, else the first.
// Null when there is none. The headless run and the window resolve --server with it.
QHostAddress preferredAddress(const QList<QHostAddress>& addresses);

// The inverse, for --help and error messages: 3000 -> "3s", 16777216 -> "16MiB".
QString formatDurationMs(qint64 ms);
QString formatByteSize(qint64 bytes);
// "127.0.0.1:8411", "[::1]:8411".
QString formatHostPort(const QHostAddress& address, quint16 port);

} // namespace swarm
