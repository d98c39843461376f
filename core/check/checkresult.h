#pragma once
// One finding of a server check: which check, on which host, its verdict, what it saw and
// where to read why. A plain value, compared whole in tests.

#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace smtp {

// Verdicts, from the worst: Fail and Error first when a report is sorted.
enum class CheckStatus { Fail, Error, Warn, Info, Pass, Skip };

// "pass", "warn", "fail", "info", "skip", "error": the stable names of the JSON output.
QString checkStatusName(CheckStatus status);
std::optional<CheckStatus> checkStatusFromName(const QString &name);

struct CheckResult
{
    QString id;            // stable: "mx", "starttls", "smuggling", ...
    QString host;          // the MX host or HOST:PORT; the domain for domain-wide checks
    CheckStatus status = CheckStatus::Info;
    QString summary;       // one line
    QString detail;        // what was seen, what it means, what to change
    QStringList references; // "RFC 7505", "RFC 8461 4.1", ...
    qint64 ms = 0;         // how long the check took

    friend bool operator==(const CheckResult &a, const CheckResult &b)
    {
        return a.id == b.id && a.host == b.host && a.status == b.status
            && a.summary == b.summary && a.detail == b.detail && a.references == b.references;
    }
};

} // namespace smtp
