#include "checkresult.h"

namespace smtp {

namespace {
const char *const kNames[] = {"fail", "error", "warn", "info", "pass", "skip"};
}

QString checkStatusName(CheckStatus status)
{
    return QString::fromLatin1(kNames[int(status)]);
}

std::optional<CheckStatus> checkStatusFromName(const QString &name)
{
    for (int i = 0; i < int(std::size(kNames)); ++i) {
        if (name == QLatin1String(kNames[i]))
            return CheckStatus(i);
    }
    return std::nullopt;
}

} // namespace smtp
