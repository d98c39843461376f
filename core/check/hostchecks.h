#pragma once
// The checks made on each mail server: reverse DNS, the SMTP dialogue (greeting, EHLO,
// AUTH, VRFY, postmaster, relay), STARTTLS with its certificate and DANE, then the probes
// that need their own connections: TLS versions, STARTTLS injection, SMTP smuggling.
// At most one connection to a host at a time.

#include "checkcontext.h"

namespace smtp {

void checkHost(CheckContext &ctx, const HostTarget &target);

// The byte sequences that end DATA on some servers but are not <CRLF>.<CRLF>, each with its
// name as a person reads it ("\n.\r\n"): the smuggling probe's variants (SEC Consult 2023).
struct SmugglingVariant
{
    QByteArray bytes;
    QString name;
};
QList<SmugglingVariant> smugglingVariants();

} // namespace smtp
