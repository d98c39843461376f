#pragma once
// The "name=value; ..." tag lists of the policy records in TXT (DMARC, RFC 7489 6.4; TLS
// reporting, RFC 8460 3; MTA-STS, RFC 8461 3.1) and what their grammars share: one reader.

#include <QList>
#include <QString>
#include <QStringView>

namespace smtp {

// One "name=value" of a TXT tag list: DMARC's shape (RFC 7489 6.4), reused by the TXT records of
// TLS reporting (RFC 8460 3) and MTA-STS (RFC 8461 3.1), so their parsers share this one.
struct PolicyTag
{
    QString name;          // as written, without the spaces around it
    QString value;         // after the first '=', without the spaces around it
    bool hasValue = false; // false when the part had no '=' at all

    friend bool operator==(const PolicyTag &a, const PolicyTag &b)
    {
        return a.name == b.name && a.value == b.value && a.hasValue == b.hasValue;
    }
    friend bool operator!=(const PolicyTag &a, const PolicyTag &b) { return !(a == b); }
};

// Splits at ';', trims spaces and tabs around names and values, and drops empty parts.
QList<PolicyTag> splitPolicyTags(QStringView txt);

// Why a report destination cannot be used, or empty when it can: a mailto: URI with an address,
// or an https: URL with a host (RFC 7489 6.2, RFC 8460 3).
QString reportUriProblem(QStringView uri);

// WSP of RFC 5234: a space or a tab.
bool isPolicyWsp(QChar c);
QStringView trimmedPolicyWsp(QStringView s);
// ext-name = ( ALPHA / DIGIT ) *31( ALPHA / DIGIT / "_" / "-" / "." ) (RFC 8460, RFC 8461)
bool isPolicyExtensionName(QStringView s);
// ext-value = 1*( %x21-3A / %x3C / %x3E-7E ): visible ASCII but ';' and '='
bool isPolicyExtensionValue(QStringView s);
// 'text', for error messages.
QString quotedValue(QStringView text);

} // namespace smtp
