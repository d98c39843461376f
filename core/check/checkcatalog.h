#pragma once
// What each server check is for: title, why it matters, what to change, references.
// Data from resources/knowledge/checks.json, in the order the checks run.

#include <QList>
#include <QString>
#include <QStringList>

namespace smtp {

struct CheckInfo
{
    QString id;
    QString title;
    bool perHost = true;   // false: checked once for the domain
    QString why;
    QString fix;
    QStringList references;
};

class CheckCatalog
{
public:
    static const CheckCatalog &instance();   // loaded once; safe from any thread

    const CheckInfo *info(const QString &id) const;
    QStringList ids() const;
    const QList<CheckInfo> &all() const { return m_checks; }

private:
    CheckCatalog();
    QList<CheckInfo> m_checks;
};

} // namespace smtp
