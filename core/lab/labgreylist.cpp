#include "labgreylist.h"

namespace smtp {

// Enough for any class; past it we forget everything rather than grow without bound.
constexpr qsizetype kMaxTriplets = 100'000;

int LabGreylist::check(const QString &clientIp, const QString &sender, const QString &recipient,
                       const QDateTime &now)
{
    const QString key = clientIp + QLatin1Char('\n') + sender.toLower() + QLatin1Char('\n') + recipient.toLower();
    const auto it = m_firstSeen.constFind(key);
    if (it == m_firstSeen.cend()) {
        if (m_firstSeen.size() >= kMaxTriplets)
            m_firstSeen.clear();
        m_firstSeen.insert(key, now);
        return m_delaySeconds;
    }
    const qint64 waited = it->msecsTo(now);
    const qint64 left = qint64(m_delaySeconds) * 1000 - waited;
    return left <= 0 ? 0 : int((left + 999) / 1000);
}

} // namespace smtp
