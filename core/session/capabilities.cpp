#include "capabilities.h"

namespace smtp {

Capabilities Capabilities::fromEhloReply(const Reply &reply)
{
    Capabilities caps;
    if (reply.code != 250 || reply.lines.isEmpty())
        return caps;
    caps.m_serverName = reply.lines.first().section(QLatin1Char(' '), 0, 0);
    for (qsizetype i = 1; i < reply.lines.size(); ++i) {
        QStringList words = reply.lines[i].split(QLatin1Char(' '), Qt::SkipEmptyParts);
        if (words.isEmpty())
            continue;
        Capability cap;
        cap.keyword = words.takeFirst().toUpper();
        // Old servers announce "AUTH=LOGIN PLAIN" for pre-standard clients.
        if (cap.keyword.startsWith(QLatin1String("AUTH="))) {
            words.prepend(cap.keyword.mid(5));
            cap.keyword = QStringLiteral("AUTH=");
        }
        cap.params = words;
        caps.m_list.append(cap);
    }
    return caps;
}

bool Capabilities::has(const QString &keyword) const
{
    for (const Capability &c : m_list)
        if (c.keyword == keyword)
            return true;
    return false;
}

QStringList Capabilities::params(const QString &keyword) const
{
    for (const Capability &c : m_list)
        if (c.keyword == keyword)
            return c.params;
    return {};
}

qint64 Capabilities::sizeLimit() const
{
    return params(QStringLiteral("SIZE")).value(0).toLongLong();
}

QStringList Capabilities::authMechanisms() const
{
    QStringList mechanisms;
    for (const QString &m : params(QStringLiteral("AUTH")) + params(QStringLiteral("AUTH=")))
        if (!mechanisms.contains(m.toUpper()))
            mechanisms.append(m.toUpper());
    return mechanisms;
}

} // namespace smtp
