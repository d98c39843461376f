#pragma once
// Greylisting memory shared by every connection of one lab server: when each
// (client IP, sender, recipient) triplet was first seen, so a retry can be let through.

#include <QDateTime>
#include <QHash>
#include <QString>

namespace smtp {

class LabGreylist
{
public:
    explicit LabGreylist(int delaySeconds = 5) : m_delaySeconds(delaySeconds) {}

    // Seconds the client must still wait; 0 means the triplet passes. Records first tries.
    int check(const QString &clientIp, const QString &sender, const QString &recipient,
              const QDateTime &now = QDateTime::currentDateTimeUtc());
    void setDelaySeconds(int seconds) { m_delaySeconds = seconds; }
    void clear() { m_firstSeen.clear(); }

private:
    int m_delaySeconds;
    QHash<QString, QDateTime> m_firstSeen;
};

} // namespace smtp
