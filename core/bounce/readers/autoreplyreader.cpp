// Automatic replies (RFC 3834): out-of-office notes and the like, delivered, not failed.

#include "readers.h"


namespace smtp {

namespace {

// "auto-replied (rejected)" is a Sieve reject (RFC 5429): a refusal, not an out-of-office.
bool isAutoReply(const MimeContent &c)
{
    const QString submitted = c.top.autoSubmitted.toLower();
    bool autoHeader = submitted.startsWith(QLatin1String("auto-replied")) && !submitted.contains(QLatin1String("rejected"));
    for (const QString &h : c.top.other) {
        const QString l = h.toLower();
        if (l.startsWith(QLatin1String("x-autoreply:")) || l.startsWith(QLatin1String("x-autorespond:"))
            || l.startsWith(QLatin1String("x-auto-response-suppress:")) || l == QLatin1String("precedence: auto_reply"))
            autoHeader = true;
    }
    return autoHeader || FreeTextRules::soundsLikeAutoReply(c.top.subject);
}

} // namespace

std::optional<Found> readAutoReply(const Notice &notice)
{
    const MimeContent &c = notice.content;
    if (notice.fragment || !isAutoReply(c) || FreeTextRules::soundsLikeFailure(notice.notification.left(6000))
        || FreeTextRules::fromMailerDaemon(c.top.from)
        || (!FreeTextRules::soundsLikeAutoReply(c.top.subject) && FreeTextRules::soundsLikeRefusal(notice.notification.left(2000))))
        return std::nullopt;
    BounceRecipient r;
    r.recipient = firstAddress(c.top.from);
    r.reason = QStringLiteral("vacation");
    r.action = QStringLiteral("delivered");
    r.date = c.top.date;
    r.diagnostic = notice.notification.simplified().left(300);
    r.summary = QStringLiteral("An automatic reply (RFC 3834), such as an out-of-office note: the message was delivered, nothing failed.");
    r.nextStep = QStringLiteral("Nothing to do; the recipient will read the message later.");
    Found found;
    found.kind = BounceReport::Kind::AutoReply;
    found.finished = true;
    found.recipients.append({r, QString()});
    return found;
}

} // namespace smtp
