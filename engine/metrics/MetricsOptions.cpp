#include "metrics/MetricsOptions.h"

#include <QFile>

namespace swarm {

QString MetricsOptions::problem() const
{
    if (!enabled && (!token.isEmpty() || insecure))
        return QStringLiteral("--metrics-token and --metrics-insecure need --metrics ip:port");
    if (!enabled || address.isLoopback() || !token.isEmpty() || insecure) return QString();
    return QStringLiteral("metrics would be served on %1, which is not a loopback address: give "
                          "--metrics-token SECRET or --metrics-token-file FILE (scrapers then "
                          "send 'Authorization: Bearer SECRET') or, to let anyone who can reach "
                          "it read them, --metrics-insecure")
        .arg(address.toString());
}

bool readTokenFile(const QString& path, QString* token, QString* error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return false;
    }
    // A token is one line; the bound keeps a wrong path (a log, a device) from filling memory.
    constexpr qint64 kMaxTokenBytes = 4096;
    const QString line = QString::fromUtf8(file.readLine(kMaxTokenBytes)).trimmed();
    if (line.isEmpty()) {
        *error = QStringLiteral("%1: the first line is empty; it must hold the token").arg(path);
        return false;
    }
    *token = line;
    return true;
}

} // namespace swarm
