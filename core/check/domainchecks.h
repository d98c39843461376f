#pragma once
// The checks made once per domain: its MX records (which also say which hosts to check),
// SPF, DMARC, MTA-STS and TLS-RPT. Each reads DNS (and HTTPS) through the context.

#include "checkcontext.h"

namespace smtp {

struct MailHost
{
    QString name;
    int preference = 0;
    QList<QHostAddress> addresses;
};

struct MxFindings
{
    QList<MailHost> hosts;   // by preference; empty when the domain takes no mail
    bool nullMx = false;
    bool implicit = false;   // no MX: the domain's own addresses
    bool nxdomain = false;
};

MxFindings checkMx(CheckContext &ctx, const QString &domain);
void checkSpf(CheckContext &ctx, const QString &domain);
void checkDmarc(CheckContext &ctx, const QString &domain);
void checkTlsRpt(CheckContext &ctx, const QString &domain);
void checkMtaSts(CheckContext &ctx, const QString &domain, const QStringList &mxNames);

// The TXT records at `name` that `looksLike` accepts, each joined from its strings.
QStringList txtRecords(CheckContext &ctx, const QString &name, bool (*looksLike)(QStringView),
                       DnsAnswer *answer = nullptr);

} // namespace smtp
