#include "hostchecks.h"

#include "smtpprobe.h"

#include "knowledge/knowledge.h"
#include "protocol/untrustedtext.h"
#include "session/capabilities.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QRandomGenerator>
#include <QSslKey>

namespace smtp {

namespace {

QString shown(const QString &text)
{
    return visibleText(text, LineBreaks::Mark);
}

QString firstLine(const Reply &reply)
{
    return shown(reply.displayLine(0));
}

QString replyText(const std::optional<Reply> &reply, const SmtpProbe &probe)
{
    return reply ? firstLine(*reply) : QStringLiteral("(%1)").arg(probe.error());
}

bool isPositive(const std::optional<Reply> &reply)
{
    return reply && reply->code >= 200 && reply->code < 300;
}

// What one host's checks learn and pass on to the next.
struct HostState
{
    HostTarget target;
    QString label;
    QStringList ptrNames;
    Capabilities plainCaps;
    bool tlsUp = false;
    TlsInfo tls;
};

// ---- reverse DNS ---------------------------------------------------------------------

void checkPtr(CheckContext &ctx, HostState &h)
{
    ctx.begin();
    const QString id = QStringLiteral("ptr");
    const QString address = h.target.address.toString();
    const DnsAnswer answer = ctx.dns().query(reverseName(h.target.address), DnsType::Ptr);
    for (const QByteArray &r : answer.records)
        h.ptrNames.append(dnsNameFromWire(r));
    if (!ctx.wants(id))
        return;
    if (answer.failed() && !answer.nxdomain()) {
        ctx.report(id, h.label, CheckStatus::Error, QStringLiteral("PTR lookup of %1 failed: %2").arg(address, answer.error));
        return;
    }
    if (h.ptrNames.isEmpty()) {
        ctx.report(id, h.label, CheckStatus::Fail, QStringLiteral("%1 has no PTR record").arg(address),
                   QStringLiteral("Looked up %1: %2.").arg(reverseName(h.target.address),
                                                          answer.nxdomain() ? QStringLiteral("no such name") : QStringLiteral("no PTR")));
        return;
    }
    QStringList confirmed, unconfirmed;
    for (const QString &name : std::as_const(h.ptrNames)) {
        const QList<QHostAddress> forward = ctx.dns().addresses(name);
        (forward.contains(h.target.address) ? confirmed : unconfirmed).append(name);
    }
    const QString detail = QStringLiteral("%1 -> %2 (%3)").arg(address, h.ptrNames.join(QStringLiteral(", ")), answer.securityText());
    if (!confirmed.isEmpty()) {
        ctx.report(id, h.label, CheckStatus::Pass, QStringLiteral("%1 -> %2, which leads back to it").arg(address, confirmed.first()), detail);
        return;
    }
    ctx.report(id, h.label, CheckStatus::Warn,
               QStringLiteral("%1 -> %2, but that name does not lead back to %1").arg(address, unconfirmed.first()),
               detail + QStringLiteral("\nNot forward-confirmed: the PTR name's A/AAAA records do not hold the address."));
}

// ---- the plaintext dialogue ----------------------------------------------------------

void checkBanner(CheckContext &ctx, HostState &h, const SmtpProbe &probe)
{
    ctx.begin();
    const QString id = QStringLiteral("banner");
    const Reply &greeting = probe.greeting();
    const QString line = firstLine(greeting);
    const QString name = greeting.lines.value(0).section(QLatin1Char(' '), 0, 0);
    QString detail = QStringLiteral("Greeting: %1\nIt came %2 ms after the connection.\n").arg(line).arg(probe.greetingMs());
    if (greeting.code != 220) {
        ctx.report(id, h.label, CheckStatus::Fail, QStringLiteral("the server greets with %1, not 220").arg(greeting.code),
                   detail + QStringLiteral("A 554 greeting means it will not talk to this client (RFC 5321 3.1)."));
        return;
    }
    QStringList notes;
    if (probe.greetingMs() > 10000)
        notes.append(QStringLiteral("the greeting took %1 s; senders wait 5 minutes, but a slow greeting delays every message").arg(probe.greetingMs() / 1000.0, 0, 'f', 1));
    const bool matchesPtr = h.ptrNames.contains(name, Qt::CaseInsensitive);
    const bool matchesHost = !h.target.name.isEmpty() && name.compare(h.target.name, Qt::CaseInsensitive) == 0;
    if (!name.contains(QLatin1Char('.')))
        notes.append(QStringLiteral("it names itself '%1', not a fully qualified domain name (RFC 5321 4.3.1)").arg(shown(name)));
    else if (!matchesPtr && !h.ptrNames.isEmpty())
        notes.append(QStringLiteral("it names itself %1, but the address's PTR says %2").arg(shown(name), h.ptrNames.join(QStringLiteral(", "))));
    detail += QStringLiteral("Name in the greeting: %1 (%2)\n").arg(shown(name),
                  matchesPtr ? QStringLiteral("matches the PTR") : matchesHost ? QStringLiteral("matches the host name") : QStringLiteral("matches neither PTR nor host name"));
    if (!notes.isEmpty()) {
        ctx.report(id, h.label, CheckStatus::Warn, notes.first(), detail + QStringLiteral("Notes:\n- ") + notes.join(QStringLiteral("\n- ")));
        return;
    }
    ctx.report(id, h.label, CheckStatus::Pass, QStringLiteral("220 from %1 in %2 ms").arg(shown(name)).arg(probe.greetingMs()), detail.trimmed());
}

QString describeCapabilities(const Capabilities &caps)
{
    QString out;
    const Knowledge &k = Knowledge::instance();
    for (const Capability &c : caps.list()) {
        const KeywordInfo *info = k.keyword(c.keyword);
        QString meaning = info ? info->title : QStringLiteral("not a registered extension");
        const QString params = k.describeParameters(c.keyword, c.params);
        if (!params.isEmpty())
            meaning += QStringLiteral(": ") + params;
        out += QStringLiteral("- %1 %2: %3%4\n").arg(shown(c.keyword), shown(c.params.join(QLatin1Char(' '))), meaning,
                                                     info && !info->rfc.isEmpty() ? QStringLiteral(" (") + info->rfc + QLatin1Char(')') : QString());
    }
    return out;
}

void checkEhlo(CheckContext &ctx, HostState &h, SmtpProbe &probe)
{
    ctx.begin();
    const QString id = QStringLiteral("ehlo");
    const std::optional<Reply> reply = probe.command("EHLO " + ctx.heloName().toLatin1());
    if (!isPositive(reply)) {
        const std::optional<Reply> helo = probe.command("HELO " + ctx.heloName().toLatin1());
        ctx.report(id, h.label, isPositive(helo) ? CheckStatus::Warn : CheckStatus::Fail,
                   QStringLiteral("EHLO refused: %1").arg(replyText(reply, probe)),
                   isPositive(helo) ? QStringLiteral("HELO works, so the server speaks only basic SMTP: no TLS, no size limit, no 8-bit.")
                                    : QStringLiteral("HELO refused too: %1").arg(replyText(helo, probe)));
        return;
    }
    h.plainCaps = Capabilities::fromEhloReply(*reply);
    QStringList missing;
    for (const char *keyword : {"PIPELINING", "8BITMIME", "SIZE", "ENHANCEDSTATUSCODES", "SMTPUTF8"}) {
        if (!h.plainCaps.has(QLatin1String(keyword)))
            missing.append(QLatin1String(keyword));
    }
    QString detail = QStringLiteral("Offered before TLS:\n") + describeCapabilities(h.plainCaps);
    if (!missing.isEmpty())
        detail += QStringLiteral("Not offered: %1\n").arg(missing.join(QStringLiteral(", ")));
    const qint64 size = h.plainCaps.sizeLimit();
    const QString sizeText = size > 0 ? QStringLiteral("SIZE %1 MB").arg(size / 1000000.0, 0, 'f', 1) : QStringLiteral("no SIZE");
    ctx.report(id, h.label, missing.size() > 2 ? CheckStatus::Warn : CheckStatus::Pass,
               QStringLiteral("%1 extension(s), %2").arg(h.plainCaps.list().size()).arg(sizeText), detail.trimmed());
}

void checkAuthPlaintext(CheckContext &ctx, HostState &h)
{
    ctx.begin();
    const QString id = QStringLiteral("auth-plaintext");
    const QStringList mechanisms = h.plainCaps.authMechanisms();
    if (mechanisms.isEmpty()) {
        ctx.report(id, h.label, CheckStatus::Pass, QStringLiteral("no AUTH offered before TLS"));
        return;
    }
    const bool clear = mechanisms.contains(QLatin1String("PLAIN")) || mechanisms.contains(QLatin1String("LOGIN"));
    ctx.report(id, h.label, clear ? CheckStatus::Fail : CheckStatus::Warn,
               QStringLiteral("AUTH %1 offered before TLS").arg(shown(mechanisms.join(QLatin1Char(' ')))),
               clear ? QStringLiteral("PLAIN and LOGIN send the password itself, readable by anyone on the path.")
                     : QStringLiteral("Challenge-response mechanisms hide the password, but the user name and the session stay in clear."));
}

void checkVrfy(CheckContext &ctx, HostState &h, SmtpProbe &probe)
{
    ctx.begin();
    const QString id = QStringLiteral("vrfy");
    // Names likely to exist (the test mailbox's first) against one that cannot.
    QStringList likely = {QStringLiteral("postmaster"), QStringLiteral("root"), QStringLiteral("admin")};
    if (!ctx.options().rcpt.isEmpty())
        likely.prepend(ctx.options().rcpt.section(QLatin1Char('@'), 0, 0));
    const QString nobody = QStringLiteral("smtpwb-nobody-%1").arg(QRandomGenerator::global()->generate() % 1000000);
    const std::optional<Reply> unknown = probe.command("VRFY " + nobody.toUtf8());
    if (!unknown) {
        ctx.report(id, h.label, CheckStatus::Error, QStringLiteral("no answer to VRFY: %1").arg(probe.error()));
        return;
    }
    QStringList lines = {QStringLiteral("VRFY %1 -> %2").arg(nobody, firstLine(*unknown))};
    for (const QString &name : std::as_const(likely)) {
        const std::optional<Reply> known = probe.command("VRFY " + name.toUtf8());
        if (!known)
            break;
        lines.append(QStringLiteral("VRFY %1 -> %2").arg(shown(name), firstLine(*known)));
        if (known->klass() == 2 && unknown->klass() != 2) { // even 252 against 550 tells them apart
            ctx.report(id, h.label, CheckStatus::Warn, QStringLiteral("VRFY tells existing from unknown users (%1)").arg(shown(name)),
                       lines.join(QLatin1Char('\n')));
            return;
        }
    }
    const QString summary = unknown->code == 252 ? QStringLiteral("VRFY answers 252 (cannot verify) for everyone")
        : unknown->klass() == 5 && (unknown->code == 502 || unknown->code == 500) ? QStringLiteral("VRFY is disabled (%1)").arg(unknown->code)
                                                                                   : QStringLiteral("VRFY revealed no user");
    ctx.report(id, h.label, CheckStatus::Pass, summary, lines.join(QLatin1Char('\n')));
}

// MAIL FROM, one RCPT, RSET: the recipient's reply, or nullopt when MAIL itself failed.
std::optional<Reply> tryRecipient(CheckContext &ctx, SmtpProbe &probe, const QString &rcpt, QString *mailProblem)
{
    const std::optional<Reply> mail = probe.command("MAIL FROM:<" + ctx.options().from.toUtf8() + ">");
    if (!isPositive(mail)) {
        *mailProblem = QStringLiteral("MAIL FROM:<%1> -> %2").arg(ctx.options().from, replyText(mail, probe));
        if (mail)
            probe.command("RSET");
        return std::nullopt;
    }
    const std::optional<Reply> reply = probe.command("RCPT TO:<" + rcpt.toUtf8() + ">");
    probe.command("RSET");
    if (!reply)
        *mailProblem = probe.error();
    return reply;
}

void checkPostmaster(CheckContext &ctx, HostState &h, SmtpProbe &probe)
{
    ctx.begin();
    const QString id = QStringLiteral("postmaster");
    QString domain = h.target.domain;
    if (domain.isEmpty())
        domain = ctx.options().rcpt.section(QLatin1Char('@'), 1);
    if (domain.isEmpty()) {
        ctx.report(id, h.label, CheckStatus::Skip, QStringLiteral("which domain? give a domain as the target, or --rcpt"));
        return;
    }
    QString problem;
    const QString rcpt = QStringLiteral("postmaster@") + domain;
    const std::optional<Reply> reply = tryRecipient(ctx, probe, rcpt, &problem);
    if (!reply) {
        ctx.report(id, h.label, CheckStatus::Error, QStringLiteral("could not ask: %1").arg(problem));
        return;
    }
    const QString detail = QStringLiteral("RCPT TO:<%1> -> %2").arg(rcpt, firstLine(*reply));
    const CheckStatus status = reply->klass() == 2 ? CheckStatus::Pass : reply->klass() == 4 ? CheckStatus::Warn : CheckStatus::Fail;
    ctx.report(id, h.label, status,
               status == CheckStatus::Pass ? QStringLiteral("%1 accepted").arg(rcpt) : QStringLiteral("%1 refused: %2").arg(rcpt, firstLine(*reply)),
               detail);
}

void checkOpenRelay(CheckContext &ctx, HostState &h, SmtpProbe &probe)
{
    ctx.begin();
    const QString id = QStringLiteral("open-relay");
    // RFC 2606's .example can never be one of the server's own domains.
    const QString rcpt = QStringLiteral("smtpwb-relay-test@relay-check.example");
    QString problem;
    const std::optional<Reply> reply = tryRecipient(ctx, probe, rcpt, &problem);
    if (!reply) {
        ctx.report(id, h.label, CheckStatus::Error, QStringLiteral("could not ask: %1").arg(problem));
        return;
    }
    const QString detail = QStringLiteral("MAIL FROM:<%1>, RCPT TO:<%2> -> %3 (no DATA sent; RSET after)")
                               .arg(ctx.options().from, rcpt, firstLine(*reply));
    if (reply->klass() == 2) {
        ctx.report(id, h.label, CheckStatus::Fail, QStringLiteral("accepts mail for any domain from anyone: an open relay"),
                   detail + QStringLiteral("\nIf this machine is in the server's trusted networks, ask again from outside them."));
        return;
    }
    ctx.report(id, h.label, CheckStatus::Pass, QStringLiteral("relaying refused (%1)").arg(reply->code), detail);
}

// ---- STARTTLS, the certificate, DANE -------------------------------------------------

bool upgrade(CheckContext &ctx, const HostState &h, SmtpProbe &probe, QString *problem,
             QSsl::SslProtocol protocol = QSsl::SecureProtocols)
{
    const std::optional<Reply> reply = probe.command("STARTTLS");
    if (!reply || reply->code != 220) {
        *problem = QStringLiteral("STARTTLS -> %1").arg(replyText(reply, probe));
        return false;
    }
    if (!probe.startTls(h.target.peerName(), ctx.extraCas(), protocol)) {
        *problem = probe.error();
        return false;
    }
    return true;
}

void checkStartTls(CheckContext &ctx, HostState &h, SmtpProbe &probe)
{
    ctx.begin();
    const QString id = QStringLiteral("starttls");
    if (!h.plainCaps.has(QStringLiteral("STARTTLS"))) {
        ctx.report(id, h.label, CheckStatus::Fail, QStringLiteral("STARTTLS not offered: mail to this server travels in clear"),
                   QStringLiteral("The EHLO reply has no STARTTLS. If the server has TLS configured, something on the path "
                                  "(a firewall's SMTP inspection, a man in the middle) may be removing it."));
        return;
    }
    QString problem;
    if (!upgrade(ctx, h, probe, &problem)) {
        ctx.report(id, h.label, CheckStatus::Fail, QStringLiteral("STARTTLS failed: %1").arg(problem));
        return;
    }
    h.tlsUp = true;
    h.tls = probe.tlsInfo();
    const QString detail = QStringLiteral("Negotiated: %1").arg(h.tls.summary());
    if (probe.discardedBeforeTls() > 0) {
        ctx.report(id, h.label, CheckStatus::Fail,
                   QStringLiteral("the server sent %1 more repl(ies) with its 220 to STARTTLS").arg(probe.discardedBeforeTls()),
                   detail + QStringLiteral("\nAnything sent in clear after the 220 must be discarded (RFC 3207 4.2); a client that "
                                           "keeps it lets a man in the middle inject replies into the TLS session."));
        return;
    }
    ctx.report(id, h.label, CheckStatus::Pass, QStringLiteral("%1, %2").arg(h.tls.protocol, h.tls.cipher), detail);
}

void checkCertificate(CheckContext &ctx, HostState &h, bool daneMatched)
{
    ctx.begin();
    const QString id = QStringLiteral("certificate");
    if (h.tls.chain.isEmpty()) {
        ctx.report(id, h.label, CheckStatus::Error, QStringLiteral("no certificate received"));
        return;
    }
    const QSslCertificate &leaf = h.tls.chain.first();
    QStringList problems, notes;
    for (const QSslError &e : std::as_const(h.tls.errors)) {
        const bool trustOnly = e.error() == QSslError::SelfSignedCertificate || e.error() == QSslError::SelfSignedCertificateInChain
            || e.error() == QSslError::UnableToGetLocalIssuerCertificate || e.error() == QSslError::UnableToVerifyFirstCertificate;
        if (trustOnly && daneMatched)
            notes.append(QStringLiteral("%1, but DANE vouches for it").arg(e.errorString()));
        else
            problems.append(e.errorString());
    }
    const qint64 days = QDateTime::currentDateTimeUtc().daysTo(leaf.expiryDate());
    if (days >= 0 && days < 14)
        problems.append(QStringLiteral("expires in %1 day(s)").arg(days));
    const QSslKey key = leaf.publicKey();
    if ((key.algorithm() == QSsl::Rsa && key.length() < 2048) || (key.algorithm() == QSsl::Ec && key.length() < 256))
        problems.append(QStringLiteral("a weak key: %1 bits").arg(key.length()));
    const QString signature = TlsInfo::signatureAlgorithm(leaf);
    if (signature.contains(QLatin1String("sha1"), Qt::CaseInsensitive) || signature.contains(QLatin1String("md5"), Qt::CaseInsensitive))
        problems.append(QStringLiteral("a weak signature: %1").arg(signature));
    QString detail = TlsInfo::describe(leaf) + QStringLiteral("Chain: %1 certificate(s); checked against the name %2\n")
                                                   .arg(h.tls.chain.size()).arg(h.target.peerName());
    if (!notes.isEmpty())
        detail += QStringLiteral("Notes:\n- ") + notes.join(QStringLiteral("\n- ")) + QLatin1Char('\n');
    if (!problems.isEmpty()) {
        const bool onlySoon = problems.size() == 1 && days >= 0 && days < 14;
        ctx.report(id, h.label, onlySoon ? CheckStatus::Warn : CheckStatus::Fail, problems.first(),
                   detail + QStringLiteral("Problems:\n- ") + problems.join(QStringLiteral("\n- ")));
        return;
    }
    ctx.report(id, h.label, CheckStatus::Pass,
               QStringLiteral("valid for %1, %2 day(s) left").arg(h.target.peerName()).arg(days), detail.trimmed());
}

QByteArray tlsaDigest(const QByteArray &data, int matchingType)
{
    switch (matchingType) {
    case 0: return data;
    case 1: return QCryptographicHash::hash(data, QCryptographicHash::Sha256);
    case 2: return QCryptographicHash::hash(data, QCryptographicHash::Sha512);
    }
    return {};
}

bool tlsaMatches(const TlsaRecord &t, const QList<QSslCertificate> &chain)
{
    QList<QSslCertificate> candidates;
    if (t.usage == 3 || t.usage == 1)
        candidates = chain.mid(0, 1);
    else
        candidates = chain.mid(1);
    for (const QSslCertificate &c : candidates) {
        const QByteArray selected = t.selector == 0 ? c.toDer() : c.publicKey().toDer();
        if (!selected.isEmpty() && tlsaDigest(selected, t.matchingType) == t.data)
            return true;
    }
    return false;
}

// Returns whether a DNSSEC-proven TLSA record matched the certificate.
bool checkDane(CheckContext &ctx, HostState &h)
{
    ctx.begin();
    const QString id = QStringLiteral("dane");
    if (h.target.name.isEmpty()) {
        if (ctx.wants(id))
            ctx.report(id, h.label, CheckStatus::Skip, QStringLiteral("an IP address has no TLSA records; check by name"));
        return false;
    }
    const QString name = QStringLiteral("_%1._tcp.%2").arg(h.target.port).arg(h.target.name);
    const DnsAnswer answer = ctx.dns().query(name, DnsType::Tlsa);
    QList<TlsaRecord> records;
    QStringList lines;
    for (const QByteArray &r : answer.records) {
        records.append(tlsaFromWire(r));
        lines.append(QStringLiteral("%1 %2 %3 %4").arg(records.last().usage).arg(records.last().selector)
                         .arg(records.last().matchingType).arg(QString::fromLatin1(records.last().data.toHex())));
    }
    QString detail = QStringLiteral("%1 TLSA: %2\nAnswer: %3\n").arg(name, lines.isEmpty() ? QStringLiteral("none") : lines.join(QStringLiteral("; ")),
                                                                   answer.securityText());
    if (answer.isBogus()) {
        ctx.report(id, h.label, CheckStatus::Fail, QStringLiteral("TLSA lookup is BOGUS: DNSSEC validation failed"),
                   detail + QStringLiteral("DANE senders defer all mail to this host until the signatures are fixed."));
        return false;
    }
    if (answer.failed() && !answer.nxdomain()) {
        ctx.report(id, h.label, CheckStatus::Error, QStringLiteral("TLSA lookup failed: %1").arg(answer.error));
        return false;
    }
    if (records.isEmpty()) {
        ctx.report(id, h.label, CheckStatus::Info, QStringLiteral("no TLSA records (no DANE)"), detail.trimmed());
        return false;
    }
    if (!answer.isSecure()) {
        ctx.report(id, h.label, CheckStatus::Warn, QStringLiteral("TLSA records without DNSSEC: senders ignore them"),
                   detail + (ctx.dns().validates() ? QString() : QStringLiteral("No trust anchor was loaded, so nothing could be validated.\n")));
        return false;
    }
    if (!h.tlsUp) {
        ctx.report(id, h.label, CheckStatus::Fail, QStringLiteral("TLSA published but no TLS to match it against"),
                   detail + QStringLiteral("DANE senders will not deliver to this host without TLS."));
        return false;
    }
    for (const TlsaRecord &t : std::as_const(records)) {
        if (tlsaMatches(t, h.tls.chain)) {
            const bool pkix = t.usage == 0 || t.usage == 1;
            ctx.report(id, h.label, pkix ? CheckStatus::Warn : CheckStatus::Pass,
                       QStringLiteral("TLSA %1 %2 %3 matches the certificate (DNSSEC secure)").arg(t.usage).arg(t.selector).arg(t.matchingType),
                       detail + (pkix ? QStringLiteral("Usages 0 and 1 are not for SMTP (RFC 7672 3.1.3): use 3 or 2.") : QString()));
            return true;
        }
    }
    ctx.report(id, h.label, CheckStatus::Fail, QStringLiteral("no TLSA record matches the certificate the server presents"),
               detail + QStringLiteral("DANE senders defer all mail to this host."));
    return false;
}

// ---- probes on their own connections ------------------------------------------------

// A fresh connection greeted with EHLO; nullptr with `problem` set when that fails.
std::unique_ptr<SmtpProbe> openSession(CheckContext &ctx, const HostState &h, QString *problem)
{
    auto probe = std::make_unique<SmtpProbe>(ctx.timeoutMs());
    if (!probe->open(h.target.address, h.target.port)) {
        *problem = probe->error();
        return nullptr;
    }
    if (!isPositive(probe->ehlo(ctx.heloName()))) {
        *problem = QStringLiteral("EHLO refused");
        return nullptr;
    }
    return probe;
}

void checkTlsVersions(CheckContext &ctx, HostState &h)
{
    ctx.begin();
    const QString id = QStringLiteral("tls-versions");
    // Deprecated for clients that want security; a check has to ask for them by name.
    QT_WARNING_PUSH
    QT_WARNING_DISABLE_DEPRECATED
    const struct { QSsl::SslProtocol protocol; const char *name; } versions[] = {
        {QSsl::TlsV1_0, "TLS 1.0"}, {QSsl::TlsV1_1, "TLS 1.1"}, {QSsl::TlsV1_2, "TLS 1.2"}, {QSsl::TlsV1_3, "TLS 1.3"}};
    QT_WARNING_POP
    QStringList accepted, refused, untested, lines;
    for (const auto &v : versions) {
        const QString name = QLatin1String(v.name);
        QString problem;
        std::unique_ptr<SmtpProbe> probe = openSession(ctx, h, &problem);
        if (!probe) {
            untested.append(name);
            lines.append(QStringLiteral("%1: not tried (%2)").arg(name, problem));
            continue;
        }
        const bool ok = upgrade(ctx, h, *probe, &problem, v.protocol);
        (ok ? accepted : refused).append(name);
        lines.append(QStringLiteral("%1: %2").arg(name, ok ? QStringLiteral("accepted") : QStringLiteral("refused (%1)").arg(problem)));
        probe->close();
    }
    const QString detail = lines.join(QLatin1Char('\n'))
        + QStringLiteral("\n(A refusal of TLS 1.0 or 1.1 may come from this machine's own TLS library, which may no longer offer them.)");
    const bool old = accepted.contains(QLatin1String("TLS 1.0")) || accepted.contains(QLatin1String("TLS 1.1"));
    const bool modern = accepted.contains(QLatin1String("TLS 1.2")) || accepted.contains(QLatin1String("TLS 1.3"));
    CheckStatus status = old ? CheckStatus::Warn : CheckStatus::Pass;
    if (!modern)
        status = untested.size() == 4 ? CheckStatus::Error : CheckStatus::Fail;
    ctx.report(id, h.label, status,
               accepted.isEmpty() ? QStringLiteral("no TLS version accepted") : QStringLiteral("accepts %1").arg(accepted.join(QStringLiteral(", "))),
               detail);
}

void checkStartTlsInjection(CheckContext &ctx, HostState &h)
{
    ctx.begin();
    const QString id = QStringLiteral("starttls-injection");
    QString problem;
    std::unique_ptr<SmtpProbe> probe = openSession(ctx, h, &problem);
    if (!probe) {
        ctx.report(id, h.label, CheckStatus::Error, QStringLiteral("could not connect: %1").arg(problem));
        return;
    }
    // One write: a man in the middle would add its NOOP to the client's STARTTLS this way.
    probe->send("STARTTLS\r\nNOOP\r\n");
    const std::optional<Reply> ready = probe->read();
    if (!ready || ready->code != 220 || !probe->startTls(h.target.peerName(), ctx.extraCas())) {
        ctx.report(id, h.label, CheckStatus::Error, QStringLiteral("STARTTLS did not complete: %1").arg(replyText(ready, *probe)));
        return;
    }
    const std::optional<Reply> injected = probe->read(1500);
    const QString detail = QStringLiteral("Sent 'STARTTLS\\r\\nNOOP\\r\\n' in one packet, completed TLS, sent nothing more, waited 1.5 s.\n");
    if (injected) {
        ctx.report(id, h.label, CheckStatus::Fail, QStringLiteral("the server ran the NOOP sent in clear inside the TLS session"),
                   detail + QStringLiteral("Over TLS it answered: %1").arg(firstLine(*injected)));
        return;
    }
    if (probe->discardedBeforeTls() > 0) {
        ctx.report(id, h.label, CheckStatus::Warn, QStringLiteral("the server answered the NOOP in clear before TLS"),
                   detail + QStringLiteral("It did not wait for the handshake; the answer was discarded."));
        return;
    }
    ctx.report(id, h.label, CheckStatus::Pass, QStringLiteral("plaintext sent with STARTTLS was discarded"), detail.trimmed());
}

enum class SmuggleOutcome { Ended, Refused, NotEnded, Error };

SmuggleOutcome smuggleOnce(CheckContext &ctx, const HostState &h, const SmugglingVariant &v, QString *seen)
{
    QString problem;
    std::unique_ptr<SmtpProbe> probe = openSession(ctx, h, &problem);
    if (probe && h.plainCaps.has(QStringLiteral("STARTTLS")) && (!upgrade(ctx, h, *probe, &problem) || !isPositive(probe->ehlo(ctx.heloName()))))
        probe.reset();
    if (!probe) {
        *seen = problem;
        return SmuggleOutcome::Error;
    }
    const QByteArray from = ctx.options().from.toUtf8();
    const QByteArray rcpt = ctx.options().rcpt.toUtf8();
    const std::optional<Reply> mail = probe->command("MAIL FROM:<" + from + ">");
    const std::optional<Reply> to = isPositive(mail) ? probe->command("RCPT TO:<" + rcpt + ">") : mail;
    const std::optional<Reply> data = isPositive(to) ? probe->command("DATA") : to;
    if (!data || data->code != 354) {
        *seen = replyText(data, *probe);
        return SmuggleOutcome::Error;
    }
    const QByteArray message =
        "From: <" + (from.isEmpty() ? QByteArray("smtpwb-check@invalid") : from) + ">\r\nTo: <" + rcpt + ">\r\n"
        "Subject: [SMTP Workbench test] SMTP smuggling probe, variant " + v.name.toUtf8() + " (safe to delete)\r\n"
        "Date: " + QDateTime::currentDateTimeUtc().toString(Qt::RFC2822Date).toLatin1() + "\r\n"
        "Message-ID: <smtpwb-" + QByteArray::number(QRandomGenerator::global()->generate()) + "@smtpwb.invalid>\r\n\r\n"
        "SMTP Workbench checks whether this server ends a message at a sequence other than CRLF.CRLF.";
    probe->send(message + v.bytes + "NOOP\r\n");
    std::optional<Reply> early = probe->read(1000);
    if (early) {
        *seen = firstLine(*early);
        return early->klass() == 2 ? SmuggleOutcome::Ended : SmuggleOutcome::Refused;
    }
    if (!probe->isOpen()) {
        *seen = QStringLiteral("closed the connection");
        return SmuggleOutcome::Refused;
    }
    probe->send("\r\n.\r\n");
    const std::optional<Reply> end = probe->read();
    *seen = QStringLiteral("nothing until <CRLF>.<CRLF>, then %1").arg(replyText(end, *probe));
    probe->close();
    return SmuggleOutcome::NotEnded;
}

void checkSmuggling(CheckContext &ctx, HostState &h)
{
    ctx.begin();
    const QString id = QStringLiteral("smuggling");
    if (ctx.options().rcpt.isEmpty()) {
        ctx.report(id, h.label, CheckStatus::Skip, QStringLiteral("needs --rcpt: a mailbox you may send test messages to"));
        return;
    }
    QStringList ended, lines;
    int errors = 0;
    for (const SmugglingVariant &v : smugglingVariants()) {
        if (ctx.isCancelled())
            return;
        QString seen;
        const SmuggleOutcome outcome = smuggleOnce(ctx, h, v, &seen);
        if (outcome == SmuggleOutcome::Ended)
            ended.append(v.name);
        errors += outcome == SmuggleOutcome::Error;
        const char *verdict = outcome == SmuggleOutcome::Ended ? "ENDED DATA there" : outcome == SmuggleOutcome::Refused ? "refused it"
                            : outcome == SmuggleOutcome::NotEnded ? "kept reading" : "not tried";
        lines.append(QStringLiteral("%1: %2 (%3)").arg(v.name, QLatin1String(verdict), seen));
    }
    const QString detail = QStringLiteral("Each variant: one message to %1, then a NOOP right after the sequence in the same write.\n")
                               .arg(ctx.options().rcpt) + lines.join(QLatin1Char('\n'));
    if (!ended.isEmpty()) {
        ctx.report(id, h.label, CheckStatus::Fail, QStringLiteral("ends DATA at %1: open to SMTP smuggling").arg(ended.join(QStringLiteral(", "))), detail);
        return;
    }
    if (errors == smugglingVariants().size()) {
        ctx.report(id, h.label, CheckStatus::Error, QStringLiteral("no variant could be tried"), detail);
        return;
    }
    ctx.report(id, h.label, CheckStatus::Pass, QStringLiteral("ends DATA only at <CRLF>.<CRLF>"), detail);
}

void reportSkipped(CheckContext &ctx, const HostState &h, const QStringList &ids, const QString &why)
{
    for (const QString &id : ids) {
        if (ctx.wants(id)) {
            ctx.begin();
            ctx.report(id, h.label, CheckStatus::Skip, why);
        }
    }
}

} // namespace

QList<SmugglingVariant> smugglingVariants()
{
    return {
        {"\n.\n", QStringLiteral("\\n.\\n")},
        {"\n.\r\n", QStringLiteral("\\n.\\r\\n")},
        {"\r.\r", QStringLiteral("\\r.\\r")},
        {"\r\n.\r", QStringLiteral("\\r\\n.\\r")},
        {"\r.\r\n", QStringLiteral("\\r.\\r\\n")},
        {QByteArray("\r\n\0.\r\n", 6), QStringLiteral("\\r\\n\\0.\\r\\n")},
    };
}

void checkHost(CheckContext &ctx, const HostTarget &target)
{
    HostState h{target, target.label(), {}, {}, false, {}};
    checkPtr(ctx, h);

    const QStringList dialogue = {QStringLiteral("banner"), QStringLiteral("ehlo"), QStringLiteral("auth-plaintext"),
                                  QStringLiteral("vrfy"), QStringLiteral("postmaster"), QStringLiteral("open-relay"),
                                  QStringLiteral("starttls"), QStringLiteral("certificate"), QStringLiteral("dane"),
                                  QStringLiteral("tls-versions"), QStringLiteral("starttls-injection"), QStringLiteral("smuggling")};
    ctx.begin();
    SmtpProbe probe(ctx.timeoutMs());
    if (!probe.open(target.address, target.port)) {
        ctx.report(QStringLiteral("connect"), h.label, CheckStatus::Fail, probe.error());
        reportSkipped(ctx, h, dialogue, QStringLiteral("no connection"));
        return;
    }
    if (ctx.wants(QStringLiteral("connect"))) {
        const bool slow = probe.connectMs() > 3000;
        ctx.report(QStringLiteral("connect"), h.label, slow ? CheckStatus::Warn : CheckStatus::Pass,
                   QStringLiteral("connected to %1 port %2 in %3 ms").arg(target.address.toString()).arg(target.port).arg(probe.connectMs()));
    }
    if (ctx.wants(QStringLiteral("banner")))
        checkBanner(ctx, h, probe);
    if (probe.greeting().code != 220) {
        reportSkipped(ctx, h, dialogue.mid(1), QStringLiteral("the server did not greet with 220"));
        return;
    }
    checkEhlo(ctx, h, probe); // every later step needs the extensions
    if (ctx.wants(QStringLiteral("auth-plaintext")))
        checkAuthPlaintext(ctx, h);
    if (ctx.wants(QStringLiteral("vrfy")))
        checkVrfy(ctx, h, probe);
    if (ctx.wants(QStringLiteral("postmaster")))
        checkPostmaster(ctx, h, probe);
    if (ctx.wants(QStringLiteral("open-relay")))
        checkOpenRelay(ctx, h, probe);
    if (ctx.wants(QStringLiteral("starttls")) || ctx.wants(QStringLiteral("certificate")) || ctx.wants(QStringLiteral("dane")))
        checkStartTls(ctx, h, probe);
    probe.close();
    const bool daneMatched = (ctx.wants(QStringLiteral("dane")) || ctx.wants(QStringLiteral("certificate"))) && checkDane(ctx, h);
    if (ctx.wants(QStringLiteral("certificate"))) {
        if (h.tlsUp)
            checkCertificate(ctx, h, daneMatched);
        else
            reportSkipped(ctx, h, {QStringLiteral("certificate")}, QStringLiteral("no TLS session"));
    }
    const bool tlsOffered = h.plainCaps.has(QStringLiteral("STARTTLS"));
    if (ctx.wants(QStringLiteral("tls-versions")) && !ctx.isCancelled())
        tlsOffered ? checkTlsVersions(ctx, h) : reportSkipped(ctx, h, {QStringLiteral("tls-versions")}, QStringLiteral("STARTTLS not offered"));
    if (ctx.wants(QStringLiteral("starttls-injection")) && !ctx.isCancelled())
        tlsOffered ? checkStartTlsInjection(ctx, h) : reportSkipped(ctx, h, {QStringLiteral("starttls-injection")}, QStringLiteral("STARTTLS not offered"));
    if (ctx.wants(QStringLiteral("smuggling")) && !ctx.isCancelled())
        checkSmuggling(ctx, h);
}

} // namespace smtp
