// The prose bounces of the MTAs (the formats are FreeTextRules'), and pasted fragments.

#include "readers.h"

#include "knowledge/reasonclassifier.h"

#include <QRegularExpression>

namespace smtp {

namespace {

// What a notice in words says of its recipients: "delayed" when it only warns of a late
// delivery, "failed" when it says it could not deliver; empty when it says neither. A pasted
// fragment is a piece of one: a delay's words still say late, but failure words in it may be
// a reply's own ("451 Temporary failure"), whose code tells better.
QString actionOfNotice(const QString &subject, const QString &notification, bool fragment)
{
    const QString head = notification.left(6000).simplified(); // "could not\nbe delivered"
    if (ReasonClassifier::instance().soundsDelayed(subject, head))
        return QStringLiteral("delayed");
    if (fragment)
        return QString();
    return FreeTextRules::soundsLikeFailure(subject + QLatin1Char('\n') + head) ? QStringLiteral("failed") : QString();
}

// A failed address Exim names in a header, with the words of its item in the notice's
// list (a pipe or a file shows no address of its own), else those of the whole notice.
FreeTextFinding findingInItem(const QString &address, const QString &notification)
{
    const QString item = FreeTextRules::listedItemAbout(address, notification);
    if (item.isEmpty())
        return findingFromNotification(address, notification);
    FreeTextFinding f = findingFromNotification(address, item);
    f.context = notification.left(4000); // the reason rules still read the whole notice
    return f;
}

// Exim names the failed addresses in X-Failed-Recipients even where its prose shows only
// a file or a pipe ("save to ..."). Read where the prose names no one: where it does, the
// header may hold the address before an alias (or a sample's edits) and only adds noise.
void addFailedRecipientsHeader(const Notice &notice, QList<FreeTextFinding> &found)
{
    for (const QString &h : notice.content.top.other) {
        if (!h.startsWith(QLatin1String("X-Failed-Recipients:"), Qt::CaseInsensitive))
            continue;
        for (const QString &address : FreeTextRules::addressesIn(h))
            found.append(findingInItem(address, notice.notification));
    }
}

// Mailboxes named without a domain (AOL's screen names) are the mail system's own: the
// domain the notice comes from completes them. They are read where the prose names no one
// else, or only addresses on the line that lists them ("not accepting mail from x@y:").
void addBareLocalParts(const Notice &notice, QList<FreeTextFinding> &found)
{
    QString lead;
    const QStringList parts = FreeTextRules::bareLocalParts(notice.notification, &lead);
    const QString system = firstAddress(notice.content.top.from);
    if (parts.isEmpty() || system.isEmpty())
        return;
    for (const FreeTextFinding &f : found)
        if (!lead.contains(f.recipient, Qt::CaseInsensitive))
            return;
    const QString domain = system.mid(system.indexOf(QLatin1Char('@')) + 1);
    found.clear();
    for (const QString &part : parts)
        found.append(findingFromNotification(part + QLatin1Char('@') + domain, notice.notification));
}

// Whether an address is the mailing list the original came through: a list header names
// it, or its List-Id is the address's local part and domain joined by a dot.
bool isListAddress(const Notice &notice, const QString &address)
{
    for (const QString &name : FreeTextRules::listHeaders())
        if (FreeTextRules::addressesIn(originalHeader(notice, name)).contains(address, Qt::CaseInsensitive))
            return true;
    const QString id = originalHeader(notice, QStringLiteral("List-Id"));
    QString joined = address;
    joined.replace(QLatin1Char('@'), QLatin1Char('.'));
    return !address.isEmpty() && id.contains(QLatin1Char('<') + joined + QLatin1Char('>'), Qt::CaseInsensitive);
}

// Who the original went to, for a bounce that names no one: its To, unless that is the
// mailing list it came through; then the address the last hop received it for.
QString recipientOfOriginal(const Notice &notice, QString &source)
{
    const QString to = firstAddress(originalTo(notice));
    source = QStringLiteral("To");
    if (!to.isEmpty() && !isListAddress(notice, to))
        return to;
    source = QStringLiteral("Received ... for");
    const QString envelope = FreeTextRules::envelopeRecipient(originalHeader(notice, QStringLiteral("Received")));
    return isListAddress(notice, envelope) ? QString() : envelope;
}

// Some bounces name no one: whom the original went to is who failed.
void addOriginalTo(const Notice &notice, QList<FreeTextFinding> &found, QStringList &notes)
{
    QString source;
    const QString address = recipientOfOriginal(notice, source);
    if (address.isEmpty())
        return;
    found.append(findingFromNotification(address, notice.notification));
    notes.append(QStringLiteral("the bounce names no recipient; the original message's %1 was taken").arg(source));
}

// No address, but a reply ("550 5.1.1 user unknown") or words that say the mail failed or
// is late ("could not be delivered. Reason: ..."): a recipient without an address.
std::optional<Found::Recipient> withoutAnAddress(const QString &notification, const QString &action)
{
    const FreeTextFinding f = findingFromNotification(QString(), notification);
    if (!f.replyCode && f.status.isEmpty() && action.isEmpty())
        return std::nullopt;
    BounceRecipient r;
    r.replyCode = f.replyCode;
    r.status = f.status;
    r.diagnostic = f.diagnostic;
    if (klassOf(r) != 5)
        r.action = action;
    return Found::Recipient{r, f.context};
}

} // namespace

bool soundsLikeBounce(const Notice &notice)
{
    if (notice.fragment)
        return true;
    const MimeContent &c = notice.content;
    if (FreeTextRules::soundsLikeBounceSender(c.top.from, c.top.subject))
        return true;
    for (const QString &h : c.top.other)
        if (h.startsWith(QLatin1String("Return-Path: <>"), Qt::CaseInsensitive))
            return true;
    return FreeTextRules::soundsLikeFailure(notice.notification.left(6000));
}

std::optional<Found> readFreeText(const Notice &notice)
{
    if (!soundsLikeBounce(notice))
        return std::nullopt;
    Found found;
    found.kind = notice.fragment ? BounceReport::Kind::Fragment : BounceReport::Kind::FreeText;
    QList<FreeTextFinding> findings = notice.findings;
    if (!notice.fragment)
        addBareLocalParts(notice, findings);
    if (findings.isEmpty() && !notice.fragment)
        addFailedRecipientsHeader(notice, findings);
    if (findings.isEmpty() && !notice.fragment)
        addOriginalTo(notice, findings, found.notes);
    const QString action = actionOfNotice(notice.content.top.subject, notice.notification, notice.fragment);
    const QString reportingMta = FreeTextRules::reportingHostInProse(notice.notification);
    for (const FreeTextFinding &f : findings) {
        BounceRecipient r;
        r.recipient = f.recipient;
        r.originalRecipient = f.originalRecipient;
        r.status = f.status;
        r.replyCode = f.replyCode;
        r.diagnostic = f.diagnostic;
        r.remoteMta = f.remoteMta.isEmpty() ? FreeTextRules::remoteHostInProse(notice.notification) : f.remoteMta;
        r.date = notice.content.top.date;
        r.reportingMta = reportingMta;
        if (klassOf(r) != 5)
            r.action = action; // a 4xx in a notice that gave up failed; words alone tell late from failed
        found.recipients.append({r, f.context});
    }
    if (findings.isEmpty()) {
        if (const auto unnamed = withoutAnAddress(notice.notification, action)) {
            found.recipients.append(*unnamed);
            found.notes.append(QStringLiteral("no recipient address was found"));
        }
    }
    return found;
}

} // namespace smtp
