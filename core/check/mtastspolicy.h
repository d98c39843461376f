#pragma once
// MTA-STS (RFC 8461): the TXT record that announces a policy, and the policy file itself, read
// for their syntax; fetching them (DNS, HTTPS) is the check's job, not this one's.

#include <QList>
#include <QString>
#include <QStringList>
#include <QStringView>
#include <optional>

namespace smtp {

// The TXT record at _mta-sts.<domain> (RFC 8461 3.1): a changed id tells senders to refetch.
struct MtaStsRecord
{
    QString id;            // 1-32 letters and digits; empty when missing or malformed
    QStringList errors;    // each a sentence a user can read; senders ignore a record with errors
    QStringList warnings;

    // Begins with "v=STSv1", case as written (RFC 8461 3.1): how senders pick the record.
    static bool looksLikeMtaSts(QStringView txt);
    static MtaStsRecord parse(QStringView txt);

    bool isValid() const { return errors.isEmpty(); }
};

// The policy file at https://mta-sts.<domain>/.well-known/mta-sts.txt (RFC 8461 3.2).
struct MtaStsPolicy
{
    enum class Mode { Enforce, Testing, None };

    QString version;            // "STSv1" when valid
    std::optional<Mode> mode;   // nothing when missing or not one of the three
    QStringList mx;             // the well-formed patterns, as written ("*.example.com" included)
    std::optional<int> maxAge;  // seconds; nothing when missing or out of range
    QStringList errors;         // each a sentence a user can read; senders reject a policy with errors
    QStringList warnings;       // legal, but weak or likely not what the owner meant

    // "key: value" lines separated by CRLF or LF.
    static MtaStsPolicy parse(QStringView text);

    bool isValid() const { return errors.isEmpty(); }
    // Whether an MX host is allowed by one of the patterns (RFC 8461 4.1).
    bool matchesMx(const QString &host) const;
    // RFC 8461 4.1 for one pattern: case-insensitive, a trailing dot ignored, and "*." standing
    // for exactly one leftmost label ("*.example.com" takes "mx.example.com", not "example.com").
    static bool mxPatternMatches(QStringView pattern, QStringView host);
};

} // namespace smtp
