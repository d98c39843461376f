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

QJsonObject toJson(const BounceRecipient &r)
{
    QJsonObject o;
    o.insert(QStringLiteral("recipient"), r.recipient);
    o.insert(QStringLiteral("action"), r.action);
    o.insert(QStringLiteral("status"), r.status);
    o.insert(QStringLiteral("statusInferred"), r.statusInferred);
    o.insert(QStringLiteral("replyCode"), r.replyCode);
    o.insert(QStringLiteral("diagnostic"), r.diagnostic);
    o.insert(QStringLiteral("reportingMta"), r.reportingMta);
    o.insert(QStringLiteral("remoteMta"), r.remoteMta);
    o.insert(QStringLiteral("date"), r.date);
    o.insert(QStringLiteral("hard"), r.hard);
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
