#include "bounceparser.h"

#include "notice.h"
#include "recipientfinisher.h"
#include "readers/readers.h"
#include "knowledge/reasonclassifier.h"
#include "protocol/untrustedtext.h"

namespace smtp {

namespace {

// What the notice's own fields hold that a screen would hide: said once, as a note.
void noteHiddenCharacters(BounceReport &report)
{
    QStringList found;
    for (const BounceRecipient &r : report.recipients)
        for (const QString *field : {&r.recipient, &r.diagnostic, &r.reportingMta, &r.remoteMta, &r.status})
            for (Violation v : hiddenCharacters(*field))
                if (!found.contains(violationName(v)))
                    found.append(violationName(v));
    if (!found.isEmpty())
        report.notes.append(QStringLiteral("the bounce holds hidden characters (%1); they are shown as marks")
                                .arg(found.join(QStringLiteral(", "))));
}

// A delivery held back, not failed: a challenge-response request, a moderation notice.
QString heldBackNote(const Notice &notice)
{
    const MimeContent &c = notice.content;
    if (notice.fragment)
        return QString();
    // A report's words may quote such a notice; but a challenge service (Boxbe) may dress its
    // request as a delay report ("4.7.0 Sender not pre-approved"): its sender still tells.
    if (!c.deliveryStatus.isEmpty() || !c.feedbackReports.isEmpty())
        return ReasonClassifier::instance().notBounceNote(c.top.from, QString(), QString(), false);
    const QString words = notice.notification.left(6000);
    return ReasonClassifier::instance().notBounceNote(c.top.from, c.top.subject, words, FreeTextRules::soundsLikeFailure(words));
}

// The first reader whose kind of report the notice is; the prose's reader comes later.
std::optional<Found> readReport(const Notice &notice)
{
    for (const auto reader : {readFeedbackReport, readDeliveryStatus, readAutoReply, readProviderJson}) {
        if (auto found = reader(notice))
            return found;
    }
    return std::nullopt;
}

// What a reader found, into the report: what it learned of the original message where the
// message itself said nothing, and its recipients finished.
void take(Found &found, BounceReport &report)
{
    report.kind = found.kind;
    report.notes += found.notes;
    for (auto [field, learned] : {std::pair{&report.originalSubject, &found.originalSubject},
                                  std::pair{&report.originalMessageId, &found.originalMessageId},
                                  std::pair{&report.originalSender, &found.originalSender}})
        if (field->isEmpty())
            *field = *learned;
    int repeated = 0;
    for (Found::Recipient &f : found.recipients) {
        if (!found.finished)
            finishRecipient(f.recipient, f.context);
        if (report.recipients.contains(f.recipient))
            ++repeated; // a report that tells the same recipient's failure again
        else
            report.recipients.append(f.recipient);
    }
    if (repeated)
        report.notes.append(QStringLiteral("%1 recipient record(s) that repeat another one (the same address, codes and words) were shown once").arg(repeated));
}

} // namespace

BounceReport BounceParser::parse(const QByteArray &input)
{
    BounceReport report = parse(input, 0);
    noteHiddenCharacters(report);
    return report;
}

BounceReport BounceParser::parse(const QByteArray &input, int depth)
{
    BounceReport report;
    const std::optional<Notice> notice = readNotice(input, depth, report);
    if (!notice)
        return report;
    const QString heldBack = heldBackNote(*notice);
    if (!heldBack.isEmpty()) {
        report.notes.append(heldBack);
        return report;
    }
    std::optional<Found> found = readReport(*notice);
    if (!found && depth == 0 && notice->findings.isEmpty() && notice->content.hasAttachedMessage
        && soundsLikeBounce(*notice)) {
        // A relay forwarded the real bounce as an attachment: read that one.
        BounceReport inner = parse(MimeReader::attachedMessage(notice->bytes), depth + 1);
        if (inner.isBounce) {
            inner.notes.prepend(QStringLiteral("the bounce was read from the message attached to this one"));
            return inner;
        }
    }
    if (!found)
        found = readFreeText(*notice);
    if (found)
        take(*found, report);
    if (report.recipients.isEmpty()) {
        report.kind = BounceReport::Kind::NotBounce;
        report.notes.append(QStringLiteral("no failed recipient was found: this does not read as a bounce"));
        return report;
    }
    for (const BounceRecipient &r : report.recipients) {
        if (r.reason != QLatin1String("delivered") && r.reason != QLatin1String("vacation")
            && r.reason != QLatin1String("feedback"))
            report.isBounce = true;
    }
    return report;
}

} // namespace smtp
