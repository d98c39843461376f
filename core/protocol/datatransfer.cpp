#include "datatransfer.h"

namespace smtp {

QByteArray encodeForData(const QByteArray &message)
{
    QByteArray out;
    out.reserve(message.size() + message.size() / 40 + 8);
    bool lineStart = true;
    for (qsizetype i = 0; i < message.size(); ++i) {
        const char c = message[i];
        if (c == '\r' || c == '\n') {
            // CRLF, bare LF and bare CR all end a line; a bare one must never reach the
            // wire (RFC 5321 2.3.8).
            if (c == '\r' && i + 1 < message.size() && message[i + 1] == '\n')
                ++i;
            out.append("\r\n");
            lineStart = true;
            continue;
        }
        if (lineStart && c == '.')
            out.append('.');
        out.append(c);
        lineStart = false;
    }
    if (!lineStart)
        out.append("\r\n");
    out.append(".\r\n");
    return out;
}

QByteArray decodeFromData(const QByteArray &wire)
{
    QByteArray body = wire;
    if (body.endsWith("\r\n.\r\n"))
        body.chop(3);
    else if (body == ".\r\n")
        body.clear();
    QByteArray out;
    out.reserve(body.size());
    bool lineStart = true;
    for (qsizetype i = 0; i < body.size(); ++i) {
        const char c = body[i];
        if (!(lineStart && c == '.'))
            out.append(c);
        lineStart = c == '\n';
    }
    return out;
}

} // namespace smtp
