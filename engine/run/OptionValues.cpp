#include "run/OptionValues.h"

#include "net/Transport.h"

#include <QRegularExpression>

#include <cmath>

namespace swarm {

bool parseDurationMs(const QString& text, qint64* ms)
{
    const QString t = text.trimmed();
    if (t.isEmpty()) return false;
    bool plain = false;
    const double seconds = t.toDouble(&plain);
    if (plain) {
        if (!(seconds >= 0) || seconds > 1e9) return false;
        *ms = qint64(std::llround(seconds * 1000.0));
        return true;
    }
    static const QRegularExpression part(QStringLiteral(R"((\d+(?:\.\d+)?)(ms|s|m|h|d))"));
    qint64 total = 0;
    qsizetype at = 0;
    auto it = part.globalMatch(t);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        if (m.capturedStart() != at) return false;
        at = m.capturedEnd();
        const double v = m.captured(1).toDouble();
        const QString u = m.captured(2);
        const double scale = u == QLatin1String("ms") ? 1
            : u == QLatin1String("s")                 ? 1e3
            : u == QLatin1String("m")                 ? 60e3
            : u == QLatin1String("h")                 ? 3600e3
                                                      : 86400e3;
        total += qint64(std::llround(v * scale));
        if (total > qint64(1e12)) return false;
    }
    if (at != t.size() || at == 0) return false;
    *ms = total;
    return true;
}

bool parseByteSize(const QString& text, qint64* bytes)
{
    static const QRegularExpression re(
        QStringLiteral(R"(^\s*(\d+(?:\.\d+)?)\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?\s*$)"),
        QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch m = re.match(text);
    if (!m.hasMatch()) return false;
    const double v = m.captured(1).toDouble();
    const QString u = m.captured(2).toLower();
    double scale = 1;
    if (u.startsWith(QLatin1Char('k')))
        scale = 1024;
    else if (u.startsWith(QLatin1Char('m')))
        scale = 1024.0 * 1024;
    else if (u.startsWith(QLatin1Char('g')))
        scale = 1024.0 * 1024 * 1024;
    const double b = v * scale;
    if (b > 1e15) return false;
    *bytes = qint64(b);
    return true;
}

bool parseHostPort(const QString& text, QString* host, quint16* port, bool allowPortZero)
{
    const QString t = text.trimmed();
    QString h;
    QString p;
    if (t.startsWith(QLatin1Char('['))) {
        const qsizetype close = t.indexOf(QStringLiteral("]:"));
        if (close < 0) return false;
        h = t.mid(1, close - 1);
        p = t.mid(close + 2);
    } else {
        const qsizetype colon = t.lastIndexOf(QLatin1Char(':'));
        if (colon <= 0 || t.indexOf(QLatin1Char(':')) != colon) return false;
        h = t.left(colon);
        p = t.mid(colon + 1);
    }
    bool ok = false;
    const int n = p.toInt(&ok);
    if (!ok || n < (allowPortZero ? 0 : 1) || n > 65535 || h.isEmpty()) return false;
    *host = h;
    *port = quint16(n);
    return true;
}

bool parseAddressRange(const QString& text, QList<QHostAddress>* out, QString* error)
{
    const QStringList ends = text.trimmed().split(QLatin1Char('-'));
    if (ends.size() == 1) {
        QHostAddress a;
        if (!a.setAddress(ends[0])) {
            *error = QStringLiteral("'%1' is not an IP address").arg(text);
            return false;
        }
        *out << a;
        return true;
    }
    QHostAddress first;
    QHostAddress last;
    if (ends.size() != 2 || !first.setAddress(ends[0]) || !last.setAddress(ends[1])
        || first.protocol() != QAbstractSocket::IPv4Protocol
        || last.protocol() != QAbstractSocket::IPv4Protocol) {
        *error = QStringLiteral("'%1' is not an IPv4 range such as 127.0.0.1-127.0.0.8").arg(text);
        return false;
    }
    const quint32 a = first.toIPv4Address();
    const quint32 b = last.toIPv4Address();
    if (b < a || b - a >= 65536) {
        *error = QStringLiteral("'%1': the range must go upwards and hold at most 65,536 addresses")
                     .arg(text);
        return false;
    }
    for (quint32 i = a; i <= b; ++i)
        *out << QHostAddress(i);
    return true;
}

bool parseListenAddress(const QString& text, QHostAddress* address, quint16* port, QString* error)
{
    QString host;
    quint16 number = 0;
    if (!parseHostPort(text, &host, &number, true)) {
        *error = QStringLiteral("'%1' is not ip:port with a port from 0 to 65535 (for example "
                                "127.0.0.1:8411; port 0 picks a free one)")
                     .arg(text.trimmed());
        return false;
    }
    QHostAddress parsed;
    if (host == QLatin1String("localhost"))
        parsed = QHostAddress::LocalHost;
    else if (host == QLatin1String("*"))
        parsed = QHostAddress::AnyIPv4;
    else if (!parsed.setAddress(host)) {
        *error = QStringLiteral("'%1': '%2' is not an IP address (nor localhost or *)")
                     .arg(text.trimmed(), host);
        return false;
    }
    *address = parsed;
    *port = number;
    return true;
}

QHostAddress preferredAddress(const QList<QHostAddress>& addresses)
{
    for (const QHostAddress& a : addresses) {
        if (a.protocol() == QAbstractSocket::IPv4Protocol) return a;
    }
    return addresses.isEmpty() ? QHostAddress() : addresses.first();
}

QString formatDurationMs(qint64 ms)
{
    struct Unit
    {
        qint64 ms;
        const char* name;
    };
    static const Unit units[] = {{86400000, "d"}, {3600000, "h"}, {60000, "m"}, {1000, "s"}};
    if (ms == 0) return QStringLiteral("0");
    for (const Unit& u : units) {
        if (ms % u.ms == 0) return QString::number(ms / u.ms) + QLatin1String(u.name);
    }
    return QString::number(ms) + QLatin1String("ms");
}

QString formatByteSize(qint64 bytes)
{
    static const char* const units[] = {"GiB", "MiB", "KiB"};
    qint64 scale = qint64(1) << 30;
    for (const char* unit : units) {
        if (bytes >= scale && bytes % scale == 0)
            return QString::number(bytes / scale) + QLatin1String(unit);
        scale >>= 10;
    }
    return QString::number(bytes) + (bytes == 1 ? QLatin1String(" byte") : QLatin1String(" bytes"));
}

QString formatHostPort(const QHostAddress& address, quint16 port)
{
    return Endpoint {address, port}.toString();
}

} // namespace swarm
