#pragma once

#include <QHostAddress>
#include <QString>

namespace swarm {

// Where and how `GET /metrics` is served (--metrics, --metrics-token, --metrics-token-file,
// --metrics-insecure). Off unless --metrics is given; bound like the console: loopback unless a
// token or an explicit --metrics-insecure says otherwise.
struct MetricsOptions
{
    bool enabled = false;
    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 0; // 0: any free port (the banner says which)
    QString token; // scrapes must send `Authorization: Bearer TOKEN` when set
    bool insecure = false; // allow a non-loopback address without a token

    // Why these options must not be used, or an empty string: a token or --metrics-insecure
    // without --metrics, or a non-loopback address without either.
    QString problem() const;
};

// Reads a token from a file (--metrics-token-file: a Kubernetes Secret mounted as a file keeps it
// out of `ps`): its first line without surrounding blanks. False with *error when the file cannot
// be read or that line is empty.
bool readTokenFile(const QString& path, QString* token, QString* error);

} // namespace swarm
