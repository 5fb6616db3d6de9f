#include "core/ReplyText.h"

namespace swarm {

QString escapedBytes(const char* data, qint64 size)
{
    QString out;
    for (qint64 i = 0; i < size; ++i) {
        const uchar c = uchar(data[i]);
        switch (c) {
        case '\r':
            out += QLatin1String("\\r");
            break;
        case '\n':
            out += QLatin1String("\\n");
            break;
        case '\t':
            out += QLatin1String("\\t");
            break;
        case '\0':
            out += QLatin1String("\\0");
            break;
        case '"':
            out += QLatin1String("\\\"");
            break;
        case '\\':
            out += QLatin1String("\\\\");
            break;
        default:
            if (c >= 0x20 && c < 0x7f)
                out += QLatin1Char(char(c));
            else
                out += QStringLiteral("\\x%1").arg(uint(c), 2, 16, QLatin1Char('0'));
        }
    }
    return out;
}

QString quotedBytes(const char* data, qint64 size)
{
    return QLatin1Char('"') + escapedBytes(data, size) + QLatin1Char('"');
}

QString byteText(uchar c)
{
    QString out = QStringLiteral("0x%1").arg(uint(c), 2, 16, QLatin1Char('0'));
    if ((c >= 0x20 && c < 0x7f) || c == '\r' || c == '\n' || c == '\t' || c == '\0')
        out += QLatin1String(" '") + escapedBytes(reinterpret_cast<const char*>(&c), 1)
            + QLatin1Char('\'');
    return out;
}

QString limitText(qint64 max)
{
    return QStringLiteral("--max-reply-bytes (%1)").arg(max);
}

} // namespace swarm
