// ARF feedback reports (RFC 5965), and the complaints some providers send without one.

#include "readers.h"


namespace smtp {

namespace {

bool isComplaintWithoutArf(const MimeContent &c)
{
    return c.deliveryStatus.isEmpty() && c.original.present && FreeTextRules::soundsLikeComplaint(c.top.subject);
}

// Who the report is about: its own fields, Hotmail's header in the original, its To.
QStringList reportedRecipients(const Notice &notice, const QList<DsnField> &fields)
{
    QStringList rcpts;
    for (const QString &v : DsnFields::values(fields, u"Original-Rcpt-To") + DsnFields::values(fields, u"Removal-Recipient"))
        for (const QString &a : FreeTextRules::addressesIn(v))
            if (!rcpts.contains(a))
                rcpts.append(a);
    for (const QString &h : notice.content.original.other) {
        if (rcpts.isEmpty() && h.startsWith(QLatin1String("X-HmXmrOriginalRecipient:"), Qt::CaseInsensitive))
            rcpts += FreeTextRules::addressesIn(h);
    }
    if (rcpts.isEmpty()) {
        for (const QString &a : FreeTextRules::addressesIn(originalTo(notice)))
            if (!rcpts.contains(a))
                rcpts.append(a);
    }
    if (rcpts.isEmpty())
        rcpts.append(QString());
    return rcpts;
}

} // namespace

std::optional<Found> readFeedbackReport(const Notice &notice)
{
    const MimeContent &c = notice.content;
    const bool withoutArf = isComplaintWithoutArf(c);
    if (c.feedbackReports.isEmpty() && c.reportType != QLatin1String("feedback-report") && !withoutArf)
        return std::nullopt;
    const DsnFields fields = DsnFields::parse(c.feedbackReports.value(0));
    QList<DsnField> all = fields.perMessage;
    for (const auto &g : fields.perRecipient)
        all += g;
    QString type = DsnFields::value(all, u"Feedback-Type").toLower();
    if (type.isEmpty() && withoutArf)
        type = QStringLiteral("abuse");
    if (type.isEmpty())
        type = QStringLiteral("other");

    Found found;
    found.kind = BounceReport::Kind::Arf;
    found.finished = true;
    found.originalSender = firstAddress(DsnFields::value(all, u"Original-Mail-From"));
    for (const QString &a : reportedRecipients(notice, all)) {
        BounceRecipient r;
        r.recipient = a;
        r.reason = QStringLiteral("feedback");
        r.feedbackType = type;
        r.date = DsnFields::value(all, u"Arrival-Date");
        r.reportingMta = DsnFields::stripType(DsnFields::value(all, u"Reporting-MTA"));
        r.diagnostic = c.texts.value(0).simplified().left(300);
        r.summary = QStringLiteral("A feedback report (%1): someone or something reported the message, it was delivered.").arg(type);
        r.nextStep = QStringLiteral("Stop mailing a recipient who complained; check the message and the sending list.");
        found.recipients.append({r, QString()});
    }
    return found;
}

} // namespace smtp
