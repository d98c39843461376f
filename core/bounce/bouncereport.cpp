#include "bouncereport.h"

#include <QJsonArray>

namespace smtp {

QString kindName(BounceReport::Kind kind)
{
    switch (kind) {
    case BounceReport::Kind::Dsn: return QStringLiteral("dsn");
    case BounceReport::Kind::Arf: return QStringLiteral("arf");
    case BounceReport::Kind::AutoReply: return QStringLiteral("autoreply");
    case BounceReport::Kind::FreeText: return QStringLiteral("freetext");
    case BounceReport::Kind::Fragment: return QStringLiteral("fragment");
    case BounceReport::Kind::LogLine: return QStringLiteral("log");
    case BounceReport::Kind::NotBounce: break;
    }
    return QStringLiteral("notbounce");
}

QString retryVerdict(const BounceRecipient &r)
{
    const int klass = r.status.isEmpty() ? r.replyCode / 100 : r.status.at(0).digitValue();
    if (klass == 2 || r.action == QLatin1String("delivered") || r.action == QLatin1String("relayed")
        || r.action == QLatin1String("expanded") || r.reason == QLatin1String("vacation"))
        return QStringLiteral("not needed: it was delivered");
    if (klass == 4 || r.action == QLatin1String("delayed"))
        return QStringLiteral("yes, later: the failure is temporary and is retried by itself");
    if (r.hard)
        return QStringLiteral("no: the address or its domain is wrong; the same message fails again");
    // Causes that can pass by themselves, even when refused for good this time.
    static const QStringList passing = {QStringLiteral("mailboxfull"), QStringLiteral("systemfull"),
                                        QStringLiteral("toomanyconn"), QStringLiteral("networkerror"),
                                        QStringLiteral("systemerror"), QStringLiteral("expired"),
                                        QStringLiteral("greylisted")};
    if (klass == 5 && passing.contains(r.reason))
        return QStringLiteral("perhaps later: a refusal whose cause can pass (%1)").arg(r.reason);
    if (klass == 5 || r.action == QLatin1String("failed"))
        return QStringLiteral("not as it is: the cause must be fixed first");
    return QStringLiteral("unknown");
}

QJsonObject toJson(const BounceRecipient &r)
{
    QJsonObject o;
    o.insert(QStringLiteral("recipient"), r.recipient);
    o.insert(QStringLiteral("originalRecipient"), r.originalRecipient.isEmpty() ? QJsonValue() : QJsonValue(r.originalRecipient));
    o.insert(QStringLiteral("action"), r.action);
    o.insert(QStringLiteral("status"), r.status);
    o.insert(QStringLiteral("statusInferred"), r.statusInferred);
    o.insert(QStringLiteral("replyCode"), r.replyCode);
    o.insert(QStringLiteral("diagnostic"), r.diagnostic);
    o.insert(QStringLiteral("reportingMta"), r.reportingMta);
    o.insert(QStringLiteral("remoteMta"), r.remoteMta);
    o.insert(QStringLiteral("date"), r.date);
    o.insert(QStringLiteral("hard"), r.hard);
    o.insert(QStringLiteral("retry"), retryVerdict(r));
    o.insert(QStringLiteral("reason"), r.reason);
    if (!r.feedbackType.isEmpty())
        o.insert(QStringLiteral("feedbackType"), r.feedbackType);
    const auto orNull = [](const QString &t) { return t.isEmpty() ? QJsonValue() : QJsonValue(t); };
    o.insert(QStringLiteral("source"), orNull(r.source));
    o.insert(QStringLiteral("list"), orNull(r.list));
    o.insert(QStringLiteral("help"), orNull(r.help));
    o.insert(QStringLiteral("summary"), r.summary);
    o.insert(QStringLiteral("nextStep"), r.nextStep);
    return o;
}

QJsonObject toJson(const BounceReport &report)
{
    QJsonObject o;
    o.insert(QStringLiteral("isBounce"), report.isBounce);
    o.insert(QStringLiteral("kind"), kindName(report.kind));
    QJsonArray recipients;
    for (const BounceRecipient &r : report.recipients)
        recipients.append(toJson(r));
    o.insert(QStringLiteral("recipients"), recipients);
    o.insert(QStringLiteral("originalSubject"), report.originalSubject);
    o.insert(QStringLiteral("originalMessageId"), report.originalMessageId);
    o.insert(QStringLiteral("originalSender"), report.originalSender);
    o.insert(QStringLiteral("notes"), QJsonArray::fromStringList(report.notes));
    return o;
}

} // namespace smtp
