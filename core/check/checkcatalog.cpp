#include "checkcatalog.h"

#include "knowledge/knowledge.h"

#include <QJsonArray>
#include <QJsonObject>

namespace smtp {

const CheckCatalog &CheckCatalog::instance()
{
    static const CheckCatalog catalog;
    return catalog;
}

CheckCatalog::CheckCatalog()
{
    QStringList errors;
    const QJsonObject root = readKnowledgeFile(QStringLiteral("checks.json"), errors);
    for (const QJsonValue &value : root.value(QLatin1String("checks")).toArray()) {
        const QJsonObject o = value.toObject();
        CheckInfo info;
        info.id = o.value(QLatin1String("id")).toString();
        info.title = o.value(QLatin1String("title")).toString();
        info.perHost = o.value(QLatin1String("scope")).toString() != QLatin1String("domain");
        info.why = o.value(QLatin1String("why")).toString();
        info.fix = o.value(QLatin1String("fix")).toString();
        for (const QJsonValue &r : o.value(QLatin1String("references")).toArray())
            info.references.append(r.toString());
        m_checks.append(info);
    }
    for (const QString &e : errors)
        qWarning("checks.json: %s", qPrintable(e));
}

const CheckInfo *CheckCatalog::info(const QString &id) const
{
    for (const CheckInfo &c : m_checks) {
        if (c.id == id)
            return &c;
    }
    return nullptr;
}

QStringList CheckCatalog::ids() const
{
    QStringList out;
    for (const CheckInfo &c : m_checks)
        out.append(c.id);
    return out;
}

} // namespace smtp
