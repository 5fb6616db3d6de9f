#pragma once

#include <QByteArray>
#include <QString>

namespace swarm::fuzz {

// Inputs print as C-escaped text in failure messages; long ones are cut, the file has the rest.
inline QString shown(const QByteArray& bytes, int max = 300)
{
    QString out;
    for (int i = 0; i < bytes.size() && i < max; ++i) {
        const uchar c = uchar(bytes[i]);
        if (c == '\\')
            out += QLatin1String("\\\\");
        else if (c >= 0x20 && c < 0x7f)
            out += QLatin1Char(char(c));
        else
            out += QStringLiteral("\\x%1").arg(uint(c), 2, 16, QLatin1Char('0'));
    }
    if (bytes.size() > max) out += QStringLiteral("... (%1 bytes)").arg(bytes.size());
    return out;
}

} // namespace swarm::fuzz
