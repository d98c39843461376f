#include "domainchecks.h"

#include "dmarcrecord.h"
#include "httpsget.h"
#include "mtastspolicy.h"
#include "spfrecord.h"
#include "tlsrptrecord.h"

#include "protocol/untrustedtext.h"

#include <QSet>

namespace smtp {

namespace {

QString shown(const QString &text)
{
    return visibleText(text, LineBreaks::Mark);
}

QString bullets(const QStringList &lines)
{
    QString out;
    for (const QString &l : lines)
        out += QStringLiteral("- %1\n").arg(l);
    return out;
}

QString policyName(DmarcRecord::Policy p)
{
    switch (p) {
    case DmarcRecord::Policy::None: return QStringLiteral("none");
    case DmarcRecord::Policy::Quarantine: return QStringLiteral("quarantine");
    case DmarcRecord::Policy::Reject: return QStringLiteral("reject");
    case DmarcRecord::Policy::Missing: return QStringLiteral("missing");
    case DmarcRecord::Policy::Invalid: break;
    }
    return QStringLiteral("invalid");
}

QString modeName(std::optional<MtaStsPolicy::Mode> mode)
{
    if (!mode)
        return QStringLiteral("no valid");
    switch (*mode) {
    case MtaStsPolicy::Mode::Enforce: return QStringLiteral("enforce");
    case MtaStsPolicy::Mode::Testing: return QStringLiteral("testing");
    case MtaStsPolicy::Mode::None: break;
    }
    return QStringLiteral("none");
}

bool looksLikeName(const QString &name)
{
    QHostAddress literal;
    return !literal.setAddress(name);
}

MailHost resolveHost(CheckContext &ctx, const QString &name, int preference, QStringList &problems)
{
    MailHost host{name, preference, {}};
    DnsAnswer a;
    host.addresses = ctx.dns().addresses(name, &a);
    if (!looksLikeName(name))
        problems.append(QStringLiteral("%1 is an IP address written as a host name: senders look it up as a name and find nothing").arg(name));
    else if (!a.canonicalName.isEmpty())
        problems.append(QStringLiteral("%1 is an alias (CNAME) of %2: an MX must name the host itself").arg(name, a.canonicalName));
    if (host.addresses.isEmpty() && looksLikeName(name))
        problems.append(QStringLiteral("%1 has no A or AAAA record%2").arg(name, a.failed() ? QStringLiteral(" (") + a.error + QLatin1Char(')') : QString()));
    return host;
}

// What a check says when the domain publishes no record of its kind.
struct Absent
{
    CheckStatus status;
    QString summary;
    QString detail;
};

// The one record of a kind at `name`; nullopt once the problem is reported: a failed lookup,
// no record (`absent`), or several (`several` names the rule that then ignores them all).
std::optional<QString> oneRecord(CheckContext &ctx, const QString &id, const QString &domain, const QString &name,
                                 bool (*looksLike)(QStringView), const Absent &absent, const QString &several)
{
    DnsAnswer answer;
    const QStringList records = txtRecords(ctx, name, looksLike, &answer);
    if (answer.failed()) {
        ctx.report(id, domain, CheckStatus::Error, QStringLiteral("TXT lookup of %1 failed: %2").arg(name, answer.error));
        return std::nullopt;
    }
    if (records.isEmpty()) {
        ctx.report(id, domain, absent.status, absent.summary, absent.detail);
        return std::nullopt;
    }
    if (records.size() > 1) {
        QStringList shownRecords;
        for (const QString &r : records)
            shownRecords.append(shown(r));
        ctx.report(id, domain, CheckStatus::Fail, QStringLiteral("%1 records at %2: receivers use none").arg(records.size()).arg(name),
                   bullets(shownRecords) + several);
        return std::nullopt;
    }
    return records.first();
}

} // namespace

QStringList txtRecords(CheckContext &ctx, const QString &name, bool (*looksLike)(QStringView), DnsAnswer *answer)
{
    const DnsAnswer txt = ctx.dns().query(name, DnsType::Txt);
    QStringList out;
    for (const QByteArray &r : txt.records) {
        const QString text = txtFromWire(r);
        if (looksLike(text))
            out.append(text);
    }
    if (answer)
        *answer = txt;
    return out;
}

MxFindings checkMx(CheckContext &ctx, const QString &domain)
{
    ctx.begin();
    MxFindings found;
    const DnsAnswer answer = ctx.dns().query(domain, DnsType::Mx);
    if (answer.failed()) {
        ctx.report(QStringLiteral("mx"), domain, CheckStatus::Error,
                   QStringLiteral("MX lookup failed: %1").arg(answer.error));
        return found;
    }
    if (answer.nxdomain()) {
        found.nxdomain = true;
        ctx.report(QStringLiteral("mx"), domain, CheckStatus::Fail,
                   QStringLiteral("%1 does not exist (NXDOMAIN)").arg(domain),
                   QStringLiteral("The DNS says the domain does not exist (%1): no mail can be delivered to it.")
                       .arg(answer.securityText()));
        return found;
    }
    QList<MxRecord> records;
    for (const QByteArray &r : answer.records)
        records.append(mxFromWire(r));
    std::sort(records.begin(), records.end(), [](const MxRecord &a, const MxRecord &b) { return a.preference < b.preference; });

    const bool hasNull = std::any_of(records.begin(), records.end(), [](const MxRecord &m) { return m.exchange == QLatin1String("."); });
    if (hasNull) {
        found.nullMx = true;
        if (records.size() == 1) {
            ctx.report(QStringLiteral("mx"), domain, CheckStatus::Info,
                       QStringLiteral("null MX: %1 accepts no mail (RFC 7505)").arg(domain),
                       QStringLiteral("The only MX is '0 .': senders bounce mail to this domain at once instead of "
                                      "retrying. Right for a domain that sends but never receives mail. (%1)")
                           .arg(answer.securityText()));
        } else {
            ctx.report(QStringLiteral("mx"), domain, CheckStatus::Fail,
                       QStringLiteral("a null MX beside other MX records"),
                       QStringLiteral("RFC 7505 3 allows the null MX only as the single MX record; with others beside it "
                                      "senders may treat the domain as taking no mail."));
        }
        return found;
    }

    QStringList problems;
    if (records.isEmpty()) {
        found.implicit = true;
        MailHost self = resolveHost(ctx, domain, 0, problems);
        if (!self.addresses.isEmpty())
            found.hosts.append(self);
        ctx.report(QStringLiteral("mx"), domain, self.addresses.isEmpty() ? CheckStatus::Fail : CheckStatus::Warn,
                   self.addresses.isEmpty() ? QStringLiteral("no MX and no address: %1 cannot receive mail").arg(domain)
                                            : QStringLiteral("no MX records: mail goes to %1's own address (implicit MX)").arg(domain),
                   QStringLiteral("Without MX records senders use the domain's A/AAAA records (RFC 5321 5.1). "
                                  "It works, but an explicit MX says which host is the mail server."));
        return found;
    }
    QStringList lines;
    for (const MxRecord &mx : records) {
        const MailHost host = resolveHost(ctx, mx.exchange, mx.preference, problems);
        QStringList addresses;
        for (const QHostAddress &a : host.addresses)
            addresses.append(a.toString());
        lines.append(QStringLiteral("%1 %2 -> %3").arg(mx.preference).arg(mx.exchange,
                     addresses.isEmpty() ? QStringLiteral("no address") : addresses.join(QStringLiteral(", "))));
        if (!host.addresses.isEmpty())
            found.hosts.append(host);
    }
    QString detail = bullets(lines) + QStringLiteral("Answer: %1\n").arg(answer.securityText());
    if (!problems.isEmpty())
        detail += QStringLiteral("\nProblems:\n") + bullets(problems);
    ctx.report(QStringLiteral("mx"), domain, problems.isEmpty() ? CheckStatus::Pass : CheckStatus::Fail,
               problems.isEmpty() ? QStringLiteral("%1 MX record(s), each with an address").arg(records.size())
                                  : problems.first(),
               detail.trimmed());
    return found;
}

namespace {

// Lookups an SPF record costs, its includes and redirect followed (RFC 7208 4.6.4).
int spfLookups(CheckContext &ctx, const SpfRecord &record, QSet<QString> &seen, QStringList &notes, int depth)
{
    int count = record.lookupTerms();
    QStringList targets = record.includes();
    if (!record.redirect().isEmpty())
        targets.append(record.redirect());
    for (const QString &target : targets) {
        if (depth > 10 || seen.contains(target.toLower()) || target.contains(QLatin1Char('%')))
            continue;
        seen.insert(target.toLower());
        const QStringList found = txtRecords(ctx, target, &SpfRecord::looksLikeSpf);
        if (found.size() != 1) {
            notes.append(QStringLiteral("%1 has %2 SPF records (an include needs exactly one)").arg(target).arg(found.size()));
            continue;
        }
        count += spfLookups(ctx, SpfRecord::parse(found.first()), seen, notes, depth + 1);
    }
    return count;
}

} // namespace

void checkSpf(CheckContext &ctx, const QString &domain)
{
    ctx.begin();
    const QString id = QStringLiteral("spf");
    const std::optional<QString> record = oneRecord(ctx, id, domain, domain, &SpfRecord::looksLikeSpf,
        {CheckStatus::Warn, QStringLiteral("no SPF record"), QStringLiteral("No TXT record of %1 starts with 'v=spf1'.").arg(domain)},
        QStringLiteral("RFC 7208 4.5: more than one record is a permerror, as if none."));
    if (!record)
        return;
    const SpfRecord spf = SpfRecord::parse(*record);
    QSet<QString> seen;
    QStringList notes = spf.warnings;
    const int lookups = spfLookups(ctx, spf, seen, notes, 1);
    QString detail = QStringLiteral("Record: %1\nDNS lookups it costs: %2 (at most 10)\n").arg(shown(*record)).arg(lookups);
    CheckStatus status = CheckStatus::Pass;
    QString summary = QStringLiteral("v=spf1, %1 lookup(s), ends in %2all").arg(lookups).arg(spf.allQualifier().value_or(QChar(u'?')));
    if (!spf.errors.isEmpty()) {
        status = CheckStatus::Fail;
        summary = QStringLiteral("permanent error: %1").arg(spf.errors.first());
        detail += QStringLiteral("Errors:\n") + bullets(spf.errors);
    } else if (lookups > 10) {
        status = CheckStatus::Fail;
        summary = QStringLiteral("%1 DNS lookups: over the limit of 10 (permerror)").arg(lookups);
    } else if (spf.allQualifier() == QChar(u'+')) {
        status = CheckStatus::Fail;
        summary = QStringLiteral("'+all': every host on the Internet may send as %1").arg(domain);
    } else if (!notes.isEmpty()) {
        status = CheckStatus::Warn;
        summary = notes.first();
    }
    if (!notes.isEmpty())
        detail += QStringLiteral("Notes:\n") + bullets(notes);
    ctx.report(id, domain, status, summary, detail.trimmed());
}

void checkDmarc(CheckContext &ctx, const QString &domain)
{
    ctx.begin();
    const QString id = QStringLiteral("dmarc");
    const QString name = QStringLiteral("_dmarc.") + domain;
    const std::optional<QString> record = oneRecord(ctx, id, domain, name, &DmarcRecord::looksLikeDmarc,
        {CheckStatus::Warn, QStringLiteral("no DMARC record at %1").arg(name),
         QStringLiteral("Receivers fall back to the organizational domain's record, if there is one.")},
        QStringLiteral("RFC 7489 6.6.3: more than one record means no DMARC policy."));
    if (!record)
        return;
    const DmarcRecord dmarc = DmarcRecord::parse(*record);
    QString detail = QStringLiteral("Record: %1\n").arg(shown(*record));
    CheckStatus status = CheckStatus::Pass;
    QString summary = QStringLiteral("policy %1").arg(policyName(dmarc.policy));
    if (!dmarc.errors.isEmpty()) {
        status = CheckStatus::Fail;
        summary = dmarc.errors.first();
        detail += QStringLiteral("Errors:\n") + bullets(dmarc.errors);
    } else if (!dmarc.warnings.isEmpty()) {
        status = CheckStatus::Warn;
        summary = QStringLiteral("policy %1: %2").arg(policyName(dmarc.policy), dmarc.warnings.first());
    }
    if (!dmarc.warnings.isEmpty())
        detail += QStringLiteral("Notes:\n") + bullets(dmarc.warnings);
    ctx.report(id, domain, status, summary, detail.trimmed());
}

void checkTlsRpt(CheckContext &ctx, const QString &domain)
{
    ctx.begin();
    const QString id = QStringLiteral("tls-rpt");
    const QString name = QStringLiteral("_smtp._tls.") + domain;
    const std::optional<QString> record = oneRecord(ctx, id, domain, name, &TlsRptRecord::looksLikeTlsRpt,
        {CheckStatus::Info, QStringLiteral("no TLS-RPT record at %1").arg(name),
         QStringLiteral("Senders have nowhere to report TLS failures of mail to %1.").arg(domain)},
        QStringLiteral("RFC 8460 3: with more than one record, reporting is not done."));
    if (!record)
        return;
    const TlsRptRecord rpt = TlsRptRecord::parse(*record);
    const QString detail = QStringLiteral("Record: %1\n%2").arg(shown(*record), bullets(rpt.errors));
    if (!rpt.errors.isEmpty())
        ctx.report(id, domain, CheckStatus::Fail, rpt.errors.first(), detail.trimmed());
    else
        ctx.report(id, domain, CheckStatus::Pass, QStringLiteral("reports go to %1").arg(shown(rpt.rua.join(QStringLiteral(", ")))), detail.trimmed());
}

void checkMtaSts(CheckContext &ctx, const QString &domain, const QStringList &mxNames)
{
    ctx.begin();
    const QString id = QStringLiteral("mta-sts");
    const QString name = QStringLiteral("_mta-sts.") + domain;
    const std::optional<QString> record = oneRecord(ctx, id, domain, name, &MtaStsRecord::looksLikeMtaSts,
        {CheckStatus::Info, QStringLiteral("no MTA-STS record at %1").arg(name),
         QStringLiteral("Senders may deliver to %1 in clear if STARTTLS is stripped (unless DANE protects it).").arg(domain)},
        QStringLiteral("RFC 8461 3.1: with more than one record, senders take the domain as having no policy."));
    if (!record)
        return;
    const MtaStsRecord txt = MtaStsRecord::parse(*record);
    if (!txt.errors.isEmpty()) {
        ctx.report(id, domain, CheckStatus::Fail, txt.errors.first(), QStringLiteral("Record: %1").arg(shown(*record)));
        return;
    }
    const QString host = QStringLiteral("mta-sts.") + domain;
    const QList<QHostAddress> addresses = ctx.dns().addresses(host);
    if (addresses.isEmpty()) {
        ctx.report(id, domain, CheckStatus::Fail, QStringLiteral("%1 has no address: the policy cannot be fetched").arg(host));
        return;
    }
    const QString path = QStringLiteral("/.well-known/mta-sts.txt");
    const HttpsResponse response = httpsGet(addresses.first(), quint16(ctx.options().httpsPort), host, path,
                                            ctx.extraCas(), ctx.timeoutMs());
    const QString url = QStringLiteral("https://%1%2").arg(host, path);
    QString detail = QStringLiteral("TXT: %1\nPolicy: %2\n").arg(shown(*record), url);
    if (!response.ok() || !response.tlsErrors.isEmpty() || response.status != 200) {
        QString why = response.error;
        if (why.isEmpty() && !response.tlsErrors.isEmpty())
            why = QStringLiteral("its certificate does not verify: %1").arg(response.tlsErrors.first().errorString());
        if (why.isEmpty())
            why = QStringLiteral("HTTP status %1").arg(response.status);
        ctx.report(id, domain, CheckStatus::Fail, QStringLiteral("policy not fetched: %1").arg(why),
                   detail + QStringLiteral("Senders ignore a policy they cannot fetch over verified HTTPS (RFC 8461 3.3)."));
        return;
    }
    const MtaStsPolicy policy = MtaStsPolicy::parse(QString::fromUtf8(response.body));
    detail += QStringLiteral("\n%1\n").arg(visibleText(QString::fromUtf8(response.body).trimmed()));
    QStringList problems = policy.errors;
    if (response.contentType != QLatin1String("text/plain"))
        problems.append(QStringLiteral("served as '%1', not text/plain (RFC 8461 3.2)").arg(shown(response.contentType)));
    for (const QString &mx : mxNames) {
        if (!policy.matchesMx(mx))
            problems.append(QStringLiteral("MX %1 matches no 'mx:' line: senders in enforce mode will not deliver to it").arg(mx));
    }
    if (!problems.isEmpty()) {
        ctx.report(id, domain, CheckStatus::Fail, problems.first(), detail + QStringLiteral("Problems:\n") + bullets(problems));
        return;
    }
    const bool enforce = policy.mode == MtaStsPolicy::Mode::Enforce;
    ctx.report(id, domain, enforce ? CheckStatus::Pass : CheckStatus::Warn,
               enforce ? QStringLiteral("policy in enforce mode, every MX listed")
                       : QStringLiteral("policy in %1 mode: senders report but still deliver without TLS").arg(modeName(policy.mode)),
               (detail + bullets(policy.warnings)).trimmed());
}

} // namespace smtp
