#pragma once
// The SMTP TLS Reporting record (RFC 8460 3), the TXT record at _smtp._tls.<domain>: where senders
// send daily reports of TLS failures, without which an MTA-STS or DANE problem goes unseen.

#include <QString>
#include <QStringList>
#include <QStringView>

namespace smtp {

struct TlsRptRecord
{
    QStringList rua;       // the usable report URIs (mailto: or https:), as written, in order
    QStringList errors;    // each a sentence a user can read; senders ignore a record with errors
    QStringList warnings;  // legal, but likely not what the owner meant

    // Begins with "v=TLSRPTv1", case as written (RFC 8460 3): how senders pick the record.
    static bool looksLikeTlsRpt(QStringView txt);
    static TlsRptRecord parse(QStringView txt);

    bool isValid() const { return errors.isEmpty(); }
};

} // namespace smtp
