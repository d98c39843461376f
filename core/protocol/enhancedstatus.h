#pragma once
// An RFC 3463 enhanced status code (class.subject.detail), e.g. 5.1.1.

#include <QString>
#include <optional>

namespace smtp {

struct EnhancedStatus
{
    int klass = 0;   // 2, 4 or 5
    int subject = 0; // 0-999
    int detail = 0;  // 0-999

    QString toString() const;
    // "X.1.1": the class-independent form the IANA registry uses.
    QString registryKey() const;

    // Strict RFC 3463 syntax: class 2/4/5, subject and detail 1-3 digits, no leading zero.
    static std::optional<EnhancedStatus> parse(QStringView text);

    friend bool operator==(const EnhancedStatus &a, const EnhancedStatus &b)
    {
        return a.klass == b.klass && a.subject == b.subject && a.detail == b.detail;
    }
    friend bool operator!=(const EnhancedStatus &a, const EnhancedStatus &b) { return !(a == b); }
};

} // namespace smtp
