#include "explanation.h"

#include <QHash>
#include <QJsonArray>

namespace smtp {

QString registryText(const Explanation &e)
{
    if (e.enhancedRegistered)
        return QStringLiteral("IANA registry");
    if (e.enhancedKnown)
        return QStringLiteral("not registered; used by %1").arg(e.vendor);
    return QStringLiteral("not registered");
}

QString actorText(const QString &actor)
{
    static const QHash<QString, QString> words = {
        {QStringLiteral("sender"), QStringLiteral("the sender")},
        {QStringLiteral("sender-admin"), QStringLiteral("the sender's mail administrator")},
        {QStringLiteral("recipient"), QStringLiteral("the recipient")},
        {QStringLiteral("recipient-admin"), QStringLiteral("the recipient's mail administrator")},
        {QStringLiteral("none"), QStringLiteral("nobody: nothing needs doing")},
    };
    return words.value(actor, actor);
}

QJsonObject toJson(const Explanation &e, const Reply *reply)
{
    QJsonObject o;
    o.insert(QLatin1String("code"), e.code ? QJsonValue(e.code) : QJsonValue());
    if (reply)
        o.insert(QLatin1String("text"), QJsonArray::fromStringList(reply->lines));
    o.insert(QLatin1String("after"), e.after.isEmpty() ? QJsonValue() : QJsonValue(e.after));
    o.insert(QLatin1String("class"), e.klass.name.isEmpty() ? QJsonValue() : QJsonValue(e.klass.name));
    o.insert(QLatin1String("category"), e.category.name.isEmpty() ? QJsonValue() : QJsonValue(e.category.name));
    o.insert(QLatin1String("codeTitle"), e.title.isEmpty() ? QJsonValue() : QJsonValue(e.title));
    o.insert(QLatin1String("meaning"), e.meaning);
    if (e.enhanced) {
        o.insert(QLatin1String("enhanced"), e.enhanced->toString());
        o.insert(QLatin1String("subject"), e.enhancedSubject.name);
        o.insert(QLatin1String("title"), e.enhancedTitle);
        o.insert(QLatin1String("enhancedText"), e.enhancedText);
        o.insert(QLatin1String("registered"), e.enhancedRegistered);
        o.insert(QLatin1String("vendor"), e.vendor.isEmpty() ? QJsonValue() : QJsonValue(e.vendor));
        o.insert(QLatin1String("actor"), e.actor.isEmpty() ? QJsonValue() : QJsonValue(e.actor));
    } else {
        o.insert(QLatin1String("enhanced"), QJsonValue());
        o.insert(QLatin1String("subject"), QJsonValue());
        o.insert(QLatin1String("title"), e.title);
        o.insert(QLatin1String("registered"), QJsonValue());
    }
    o.insert(QLatin1String("summary"), e.summary);
    o.insert(QLatin1String("retry"), retryName(e.retry));
    o.insert(QLatin1String("action"), e.action);
    o.insert(QLatin1String("references"), QJsonArray::fromStringList(e.references));
    QJsonArray violations;
    for (Violation v : e.violations)
        violations.append(QJsonObject{{QLatin1String("kind"), violationName(v)},
                                      {QLatin1String("text"), describe(v)}});
    o.insert(QLatin1String("violations"), violations);
    addDiagnosisJson(o, e.diagnosis);
    return o;
}

} // namespace smtp
