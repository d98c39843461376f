// Amazon SES / SNS bounce notifications: their findings as JSON, not as a report.

#include "readers.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace smtp {

namespace {

// The notification's JSON: the text's, or the SNS envelope's Message inside it.
QJsonObject sesNotification(const QString &text)
{
    const int brace = text.indexOf(QLatin1Char('{'));
    if (brace < 0 || !text.contains(QLatin1String("bounce"), Qt::CaseInsensitive))
        return QJsonObject();
    QJsonObject root = QJsonDocument::fromJson(text.mid(brace).trimmed().toUtf8()).object();
    if (root.contains(QLatin1String("Message")) && root.value(QLatin1String("Message")).isString())
        root = QJsonDocument::fromJson(root.value(QLatin1String("Message")).toString().toUtf8()).object();
    return root;
}

BounceRecipient recipientOf(const QJsonObject &o, const QJsonObject &bounce)
{
    BounceRecipient r;
    r.recipient = o.value(QLatin1String("emailAddress")).toString().toLower();
    r.action = o.value(QLatin1String("action")).toString().toLower();
    r.status = o.value(QLatin1String("status")).toString();
    r.diagnostic = o.value(QLatin1String("diagnosticCode")).toString().simplified();
    r.reportingMta = DsnFields::stripType(bounce.value(QLatin1String("reportingMTA")).toString());
    r.date = bounce.value(QLatin1String("timestamp")).toString();
    const FoundCodes codes = FreeTextRules::findCodes(r.diagnostic);
    r.replyCode = codes.replyCode;
    if (r.status.isEmpty())
        r.status = codes.status;
    return r;
}

} // namespace

std::optional<Found> readProviderJson(const Notice &notice)
{
    const QJsonObject root = sesNotification(notice.notification);
    const QJsonObject bounce = root.value(QLatin1String("bounce")).toObject();
    const QJsonArray recipients = bounce.value(QLatin1String("bouncedRecipients")).toArray();
    if (recipients.isEmpty())
        return std::nullopt;
    Found found;
    found.kind = BounceReport::Kind::FreeText;
    const QJsonObject mail = root.value(QLatin1String("mail")).toObject();
    const QJsonObject common = mail.value(QLatin1String("commonHeaders")).toObject();
    found.originalSubject = common.value(QLatin1String("subject")).toString();
    found.originalMessageId = common.value(QLatin1String("messageId")).toString();
    found.originalSender = mail.value(QLatin1String("source")).toString();
    for (const QJsonValue &v : recipients)
        found.recipients.append({recipientOf(v.toObject(), bounce), QString()});
    return found;
}

} // namespace smtp
