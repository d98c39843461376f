#pragma once
// An SPF record (RFC 7208) as published in a domain's TXT record, read for its syntax only:
// includes and redirects are not followed, so the lookup count covers this record alone.

#include <QList>
#include <QString>
#include <QStringList>
#include <QStringView>
#include <optional>

namespace smtp {

// One mechanism or modifier of an SPF record, kept as written so a report can quote it.
struct SpfTerm
{
    enum class Kind { All, Include, A, Mx, Ptr, Ip4, Ip6, Exists, Redirect, Exp, Modifier };

    Kind kind = Kind::Modifier;
    QChar qualifier = u'+'; // '+', '-', '~' or '?' (mechanisms only; modifiers keep '+')
    QString name;           // lower case: "include", "redirect", or an unknown modifier's name
    QString value;          // after ':' or '=' with any CIDR length ("192.0.2.0/24"); "/24" for "a/24"

    friend bool operator==(const SpfTerm &a, const SpfTerm &b)
    {
        return a.kind == b.kind && a.qualifier == b.qualifier && a.name == b.name && a.value == b.value;
    }
    friend bool operator!=(const SpfTerm &a, const SpfTerm &b) { return !(a == b); }
};

// The terms of one SPF record, what makes receivers answer permerror, and what is legal but unwise.
// The caller joins the TXT record's strings before parsing (RFC 7208 3.3).
struct SpfRecord
{
    QList<SpfTerm> terms;  // known mechanisms and all modifiers; an unknown mechanism is only an error
    QStringList errors;    // each a sentence a user can read; non-empty means permerror (RFC 7208 4.6)
    QStringList warnings;  // legal, but likely not what the owner meant

    // "v=spf1" then a space or the end, in any case (RFC 7208 4.5): how a TXT record is picked.
    static bool looksLikeSpf(QStringView txt);
    static SpfRecord parse(QStringView txt);

    bool isValid() const { return errors.isEmpty(); }
    // Terms that cost a DNS lookup (RFC 7208 4.6.4): include, a, mx, ptr, exists, redirect.
    int lookupTerms() const;
    // The qualifier of the first 'all', or nothing when the record has none.
    std::optional<QChar> allQualifier() const;
    QStringList includes() const;  // the include: domains, in order
    QString redirect() const;      // the first redirect= domain, or empty
};

} // namespace smtp
