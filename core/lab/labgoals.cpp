#include "labgoals.h"

#include <QJsonArray>

namespace smtp {

namespace {

bool fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return false;
}

QStringList strings(const QJsonValue &v)
{
    QStringList out;
    for (const QJsonValue &item : v.toArray())
        out.append(item.toString());
    return out;
}

// "BODY=8BITMIME" asks for that value; "SIZE" for the keyword with any value.
bool hasParameters(const QStringList &given, const QStringList &wanted)
{
    for (const QString &want : wanted) {
        const bool found = std::any_of(given.begin(), given.end(), [&](const QString &p) {
            return want.contains(QLatin1Char('=')) ? p.compare(want, Qt::CaseInsensitive) == 0
                                                   : p.section(QLatin1Char('='), 0, 0).compare(want, Qt::CaseInsensitive) == 0;
        });
        if (!found)
            return false;
    }
    return true;
}

bool deliveryHolds(const LabGoal &g, const LabMessage &m)
{
    for (const QString &address : g.to)
        if (!m.recipients.contains(address, Qt::CaseInsensitive))
            return false;
    return m.recipients.size() >= g.minRecipients && (!g.tls || m.tls) && (!g.authenticated || !m.user.isEmpty())
        && (!g.pipelined || m.pipelined) && hasParameters(m.mailParameters, g.mailParameters)
        && hasParameters(m.rcptParameters, g.rcptParameters);
}

} // namespace

bool LabGoal::reachedBy(const LabFacts &facts, const LabMessage *delivery) const
{
    if (!command.isEmpty() && !facts.verbs.contains(command))
        return false;
    if (replyCode && !facts.codesSent.contains(replyCode))
        return false;
    if (delivered)
        return delivery && deliveryHolds(*this, *delivery);
    return (!tls || facts.tls) && (!authenticated || facts.authenticated);
}

std::optional<LabGoal> LabGoal::fromJson(const QJsonObject &o, int index, QString *error)
{
    static const QStringList keys = {QStringLiteral("id"), QStringLiteral("title"), QStringLiteral("hint"),
                                     QStringLiteral("command"), QStringLiteral("tls"), QStringLiteral("authenticated"),
                                     QStringLiteral("replyCode"), QStringLiteral("delivered"), QStringLiteral("to"),
                                     QStringLiteral("minRecipients"), QStringLiteral("mailParameters"),
                                     QStringLiteral("rcptParameters"), QStringLiteral("pipelined"), QStringLiteral("comment")};
    const QString where = QStringLiteral("goal %1").arg(index + 1);
    for (auto it = o.begin(); it != o.end(); ++it)
        if (!keys.contains(it.key())) {
            fail(error, QStringLiteral("%1: unknown key \"%2\" (known: %3)").arg(where, it.key(), keys.join(QStringLiteral(", "))));
            return std::nullopt;
        }
    LabGoal g;
    g.id = o.value(QLatin1String("id")).toString();
    g.title = o.value(QLatin1String("title")).toString();
    g.hint = o.value(QLatin1String("hint")).toString();
    g.command = o.value(QLatin1String("command")).toString().toUpper();
    g.tls = o.value(QLatin1String("tls")).toBool();
    g.authenticated = o.value(QLatin1String("authenticated")).toBool();
    g.replyCode = o.value(QLatin1String("replyCode")).toInt();
    g.delivered = o.value(QLatin1String("delivered")).toBool();
    g.to = strings(o.value(QLatin1String("to")));
    g.minRecipients = o.value(QLatin1String("minRecipients")).toInt();
    g.mailParameters = strings(o.value(QLatin1String("mailParameters")));
    g.rcptParameters = strings(o.value(QLatin1String("rcptParameters")));
    g.pipelined = o.value(QLatin1String("pipelined")).toBool();
    if (g.id.isEmpty() || g.title.isEmpty()) {
        fail(error, where + QStringLiteral(": \"id\" and \"title\" are needed"));
        return std::nullopt;
    }
    const bool deliveryOnly = !g.to.isEmpty() || g.minRecipients || !g.mailParameters.isEmpty()
        || !g.rcptParameters.isEmpty() || g.pipelined;
    if (deliveryOnly && !g.delivered) {
        fail(error, where + QStringLiteral(": \"to\", \"minRecipients\", the parameters and \"pipelined\" are about a "
                                           "delivery: add \"delivered\": true"));
        return std::nullopt;
    }
    if (g.command.isEmpty() && !g.tls && !g.authenticated && !g.replyCode && !g.delivered) {
        fail(error, where + QStringLiteral(": give at least one condition"));
        return std::nullopt;
    }
    return g;
}

bool operator==(const LabGoal &a, const LabGoal &b)
{
    return a.id == b.id && a.title == b.title && a.hint == b.hint && a.command == b.command && a.tls == b.tls
        && a.authenticated == b.authenticated && a.replyCode == b.replyCode && a.delivered == b.delivered
        && a.to == b.to && a.minRecipients == b.minRecipients && a.mailParameters == b.mailParameters
        && a.rcptParameters == b.rcptParameters && a.pipelined == b.pipelined;
}

void LabProgress::setGoals(const QList<LabGoal> &goals)
{
    m_goals = goals;
    clear();
}

void LabProgress::clear()
{
    m_codes.clear();
    m_reached.clear();
}

void LabProgress::check(const QString &ip, const LabFacts &facts, const LabMessage *delivery)
{
    LabFacts withCodes = facts;
    withCodes.codesSent = m_codes.value(ip);
    for (const LabGoal &goal : std::as_const(m_goals)) {
        if (m_reached.value(ip).contains(goal.id) || !goal.reachedBy(withCodes, delivery))
            continue;
        m_reached[ip].append(goal.id);
        emit goalReached(ip, goal.id, goal.title);
    }
}

QString LabProgress::summary(const QString &ip) const
{
    const QStringList done = m_reached.value(ip);
    return QStringLiteral("%1: %2 of %3%4")
        .arg(ip)
        .arg(done.size())
        .arg(m_goals.size())
        .arg(done.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(done.join(QStringLiteral(", "))));
}

} // namespace smtp
