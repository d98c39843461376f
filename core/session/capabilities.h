#pragma once
// What a server announced in its EHLO reply: its name and each keyword with its
// parameters (RFC 5321 4.1.1.1).

#include "protocol/reply.h"

#include <QList>
#include <QStringList>

namespace smtp {

struct Capability
{
    QString keyword;      // upper case
    QStringList params;

    friend bool operator==(const Capability &a, const Capability &b)
    {
        return a.keyword == b.keyword && a.params == b.params;
    }
};

class Capabilities
{
public:
    static Capabilities fromEhloReply(const Reply &reply);

    bool isEmpty() const { return m_list.isEmpty(); }
    bool has(const QString &keyword) const;
    QStringList params(const QString &keyword) const;
    const QList<Capability> &list() const { return m_list; }
    QString serverName() const { return m_serverName; }

    qint64 sizeLimit() const;            // 0 when none announced
    QStringList authMechanisms() const;  // includes the old "AUTH=" form

    friend bool operator==(const Capabilities &a, const Capabilities &b)
    {
        return a.m_serverName == b.m_serverName && a.m_list == b.m_list;
    }

private:
    QString m_serverName;
    QList<Capability> m_list;
};

} // namespace smtp
