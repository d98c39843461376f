#include "sessionoptions.h"

#include <QRegularExpression>

namespace smtp {

QString securityName(Security security)
{
    switch (security) {
    case Security::Plain: return QStringLiteral("plain");
    case Security::StartTlsRequired: return QStringLiteral("starttls");
    case Security::StartTlsOpportunistic: return QStringLiteral("starttls-optional");
    case Security::ImplicitTls: return QStringLiteral("tls");
    }
    return QString();
}

QString securityLabel(Security security)
{
    switch (security) {
    case Security::Plain: return QStringLiteral("Plain");
    case Security::StartTlsRequired: return QStringLiteral("STARTTLS required");
    case Security::StartTlsOpportunistic: return QStringLiteral("STARTTLS if offered");
    case Security::ImplicitTls: return QStringLiteral("Implicit TLS");
    }
    return QString();
}

void Timeouts::capAt(int seconds)
{
    for (int *t : {&connect, &greeting, &command, &dataStart, &dataBlock, &dataEnd})
        *t = qMin(*t, seconds);
}

bool parseHostPort(const QString &text, QString *host, int *port)
{
    // host, host:port, [IPv6]:port, [IPv6], or a bare IPv6 address (more than one colon).
    static const QRegularExpression pattern(QStringLiteral("^(?:\\[([^\\]]+)\\]|([^:\\[\\]]+))(?::(\\d{1,5}))?$"));
    const QString trimmed = text.trimmed();
    *port = -1;
    if (trimmed.count(QLatin1Char(':')) > 1 && !trimmed.startsWith(QLatin1Char('['))) {
        *host = trimmed;
        return true;
    }
    const QRegularExpressionMatch m = pattern.match(trimmed);
    if (!m.hasMatch())
        return false;
    *host = m.captured(1).isEmpty() ? m.captured(2) : m.captured(1);
    if (!m.captured(3).isEmpty()) {
        *port = m.captured(3).toInt();
        if (*port < 1 || *port > 65535)
            return false;
    }
    return !host->isEmpty();
}

} // namespace smtp
