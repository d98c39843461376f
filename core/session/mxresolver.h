#pragma once
// Finds where a domain's mail goes: its MX hosts by preference (RFC 5321 5.1), the domain
// itself when it has none (implicit MX, A/AAAA), or the news that it takes no mail (null
// MX, RFC 7505).

#include <QDnsLookup>
#include <QHostAddress>
#include <QObject>
#include <QPointer>

namespace smtp {

struct MxHost
{
    QString host;
    int preference = 0;
    bool implicit = false;   // no MX record: the domain's own address (A/AAAA)
};

class MxResolver : public QObject
{
    Q_OBJECT
public:
    explicit MxResolver(QObject *parent = nullptr);
    // Ask this server instead of the system's (tests point it at one on loopback).
    void setNameserver(const QHostAddress &address) { m_nameserver = address; }
    void lookup(const QString &domain);

signals:
    // Hosts sorted by preference; empty with an error message when there is nowhere to go.
    void finished(const QList<smtp::MxHost> &hosts, const QString &error);

private:
    void onFinished();
    QPointer<QDnsLookup> m_lookup;
    QString m_domain;
    QHostAddress m_nameserver;
};

} // namespace smtp

Q_DECLARE_METATYPE(smtp::MxHost)
