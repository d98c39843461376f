#include "mxresolver.h"

#include <algorithm>

namespace smtp {

MxResolver::MxResolver(QObject *parent) : QObject(parent) {}

void MxResolver::lookup(const QString &domain)
{
    if (m_lookup)
        m_lookup->deleteLater();
    m_domain = domain;
    m_lookup = new QDnsLookup(QDnsLookup::MX, domain, this);
    if (!m_nameserver.isNull())
        m_lookup->setNameserver(m_nameserver);
    connect(m_lookup, &QDnsLookup::finished, this, &MxResolver::onFinished);
    m_lookup->lookup();
}

void MxResolver::onFinished()
{
    QDnsLookup *lookup = m_lookup;
    if (!lookup)
        return;
    lookup->deleteLater();
    QList<MxHost> hosts;
    // Qt 6.4 on glibc reports a name with no MX record (NOERROR, no answer) as an invalid
    // reply, since res_nquery fails on it; but a DNS server that does not answer looks the
    // same. The domain's own address tells them apart.
    if (lookup->error() == QDnsLookup::InvalidReplyError && lookup->type() == QDnsLookup::MX) {
        const QString firstError = lookup->errorString();
        m_lookup = new QDnsLookup(QDnsLookup::A, m_domain, this);
        if (!m_nameserver.isNull())
            m_lookup->setNameserver(m_nameserver);
        connect(m_lookup, &QDnsLookup::finished, this, [this, firstError] {
            QDnsLookup *address = m_lookup;
            address->deleteLater();
            if (address->error() == QDnsLookup::NoError && !address->hostAddressRecords().isEmpty())
                emit finished({{m_domain, 0, true}}, QString()); // no MX: the domain itself (RFC 5321 5.1)
            else
                emit finished({}, QStringLiteral("MX lookup for %1 failed: %2; is the DNS server reachable?")
                                      .arg(m_domain, firstError));
        });
        m_lookup->lookup();
        return;
    }
    if (lookup->error() == QDnsLookup::NotFoundError) {
        // NXDOMAIN: the name does not exist at all, so it has no address to fall back on.
        emit finished({}, QStringLiteral("%1 does not exist: the DNS answers NXDOMAIN. Check the spelling of the domain.")
                              .arg(m_domain));
        return;
    }
    const bool noRecords = lookup->error() == QDnsLookup::NoError && lookup->mailExchangeRecords().isEmpty();
    if (noRecords) {
        // RFC 5321 5.1: no MX means the domain's own address records act as one.
        hosts.append({m_domain, 0, true});
        emit finished(hosts, QString());
        return;
    }
    if (lookup->error() != QDnsLookup::NoError) {
        emit finished(hosts, QStringLiteral("MX lookup for %1 failed: %2").arg(m_domain, lookup->errorString()));
        return;
    }
    for (const QDnsMailExchangeRecord &r : lookup->mailExchangeRecords())
        hosts.append({r.exchange(), int(r.preference()), false});
    std::stable_sort(hosts.begin(), hosts.end(),
                     [](const MxHost &a, const MxHost &b) { return a.preference < b.preference; });
    if (hosts.size() == 1 && (hosts.first().host.isEmpty() || hosts.first().host == QLatin1String("."))) {
        emit finished({}, QStringLiteral("%1 accepts no mail: it publishes a null MX (RFC 7505).").arg(m_domain));
        return;
    }
    emit finished(hosts, QString());
}

} // namespace smtp
