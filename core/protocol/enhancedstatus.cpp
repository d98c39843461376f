#include "enhancedstatus.h"

namespace smtp {

QString EnhancedStatus::toString() const
{
    return QStringLiteral("%1.%2.%3").arg(klass).arg(subject).arg(detail);
}

QString EnhancedStatus::registryKey() const
{
    return QStringLiteral("X.%1.%2").arg(subject).arg(detail);
}

// Reads 1-3 digits without a leading zero (a lone "0" is fine), as RFC 3463's grammar says.
static bool readNumber(QStringView text, qsizetype &pos, int &out)
{
    const qsizetype start = pos;
    int value = 0;
    while (pos < text.size() && text[pos].isDigit() && text[pos].unicode() < 128) {
        if (pos - start < 3) // past three digits it is refused anyway; a long run must not overflow
            value = value * 10 + (text[pos].unicode() - '0');
        ++pos;
    }
    const qsizetype length = pos - start;
    if (length == 0 || length > 3)
        return false;
    if (length > 1 && text[start] == QLatin1Char('0'))
        return false;
    out = value;
    return true;
}

std::optional<EnhancedStatus> EnhancedStatus::parse(QStringView text)
{
    if (text.size() < 5)
        return std::nullopt;
    const QChar c = text[0];
    if (c != QLatin1Char('2') && c != QLatin1Char('4') && c != QLatin1Char('5'))
        return std::nullopt;
    if (text[1] != QLatin1Char('.'))
        return std::nullopt;
    EnhancedStatus status;
    status.klass = c.unicode() - '0';
    qsizetype pos = 2;
    if (!readNumber(text, pos, status.subject))
        return std::nullopt;
    if (pos >= text.size() || text[pos] != QLatin1Char('.'))
        return std::nullopt;
    ++pos;
    if (!readNumber(text, pos, status.detail))
        return std::nullopt;
    if (pos != text.size())
        return std::nullopt;
    return status;
}

} // namespace smtp
