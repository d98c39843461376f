#pragma once
// A DMARC policy record (RFC 7489 6.3), the TXT record at _dmarc.<domain>: what the owner asks
// receivers to do with mail that fails, where reports go, and what in the record is broken or unwise.

#include "policytags.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QStringView>
#include <optional>

namespace smtp {

struct DmarcRecord
{
    enum class Policy { None, Quarantine, Reject, Missing, Invalid };

    Policy policy = Policy::Missing;
    std::optional<Policy> subdomainPolicy; // sp=; without it subdomains get p= (RFC 7489 6.3)
    int pct = 100;                         // share of failing mail the policy applies to
    QStringList rua;                       // aggregate report URIs as written, "!10m" size included;
    QStringList ruf;                       // only usable ones (mailto: or https:), the rest are errors
    QChar adkim = u'r';                    // 'r' relaxed or 's' strict alignment
    QChar aspf = u'r';
    QStringList errors;   // each a sentence a user can read; receivers may ignore a record with errors
    QStringList warnings; // legal, but weak or likely not what the owner meant

    // The first tag is v=DMARC1 (any case, so a miswritten record is still found and explained).
    static bool looksLikeDmarc(QStringView txt);
    static DmarcRecord parse(QStringView txt);

    bool isValid() const { return errors.isEmpty(); }
};



} // namespace smtp
