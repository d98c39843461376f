#include "reasonclassifier.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

// The rules live in a static library: its resources must be registered by hand.
static void initBounceResources()
{
    Q_INIT_RESOURCE(bounce);
}

namespace smtp {

const ReasonClassifier &ReasonClassifier::instance()
{
    static const ReasonClassifier classifier; // thread-safe initialisation
    return classifier;
}

ReasonClassifier::ReasonClassifier()
{
    initBounceResources();
    QFile file(QStringLiteral(":/knowledge/bounce-reasons.json"));
    if (!file.open(QIODevice::ReadOnly)) {
        m_errors.append(QStringLiteral("cannot open the bounce reason rules"));
        return;
    }
    QJsonParseError error;
    const QJsonObject root = QJsonDocument::fromJson(file.readAll(), &error).object();
    if (error.error != QJsonParseError::NoError) {
        m_errors.append(QStringLiteral("bounce reason rules: %1").arg(error.errorString()));
        return;
    }
    const QJsonObject status = root.value(QLatin1String("status")).toObject();
    for (auto it = status.begin(); it != status.end(); ++it)
        m_status.insert(it.key(), it.value().toString());
    const QJsonObject weak = root.value(QLatin1String("weakStatus")).toObject();
    for (auto it = weak.begin(); it != weak.end(); ++it)
        m_weakStatus.insert(it.key(), it.value().toString());
    for (const QJsonValue &v : root.value(QLatin1String("hard")).toArray())
        m_hard.append(v.toString());
    const QJsonObject text = root.value(QLatin1String("text")).toObject();
    for (const QJsonValue &name : root.value(QLatin1String("order")).toArray()) {
        QStringList parts;
        for (const QJsonValue &p : text.value(name.toString()).toArray())
            parts.append(QStringLiteral("(?:%1)").arg(p.toString()));
        Rule rule{name.toString(), QRegularExpression(parts.join(QLatin1Char('|')),
                                                      QRegularExpression::CaseInsensitiveOption
                                                          | QRegularExpression::MultilineOption)};
        if (!rule.pattern.isValid()) {
            m_errors.append(QStringLiteral("bounce reason rule %1: %2").arg(rule.reason, rule.pattern.errorString()));
            continue;
        }
        rule.pattern.optimize();
        m_rules.append(rule);
    }
}

QString ReasonClassifier::reasonFromText(const QString &text) const
{
    if (text.isEmpty())
        return {};
    for (const Rule &rule : m_rules)
        if (rule.pattern.match(text).hasMatch())
            return rule.reason;
    return {};
}

QString ReasonClassifier::classify(const QString &text, const QString &status, int replyCode, const QString &action) const
{
    const QString act = action.toLower();
    if (act == QLatin1String("delivered") || act == QLatin1String("relayed") || act == QLatin1String("expanded"))
        return QStringLiteral("delivered");
    if (status.startsWith(QLatin1Char('2')) || (replyCode >= 200 && replyCode < 300))
        return QStringLiteral("delivered");

    // The server's words first: status codes are often generic or reused for other causes.
    const QString fromText = reasonFromText(text);
    if (!fromText.isEmpty()) {
        // ...but a precise code beats a vague "user unknown" sentence.
        const QString strong = m_status.value(status);
        if (fromText == QLatin1String("userunknown") && !strong.isEmpty())
            return strong;
        return fromText;
    }
    const QString strong = m_status.value(status);
    if (!strong.isEmpty())
        return strong;
    const QString weakReason = m_weakStatus.value(status);
    if (!weakReason.isEmpty())
        return weakReason;
    if (act == QLatin1String("delayed"))
        return QStringLiteral("expired");
    if (!status.isEmpty() || replyCode != 0)
        return QStringLiteral("onhold");
    return QStringLiteral("undefined");
}

bool ReasonClassifier::isHard(const QString &reason, int klass) const
{
    return klass == 5 && m_hard.contains(reason);
}

} // namespace smtp
