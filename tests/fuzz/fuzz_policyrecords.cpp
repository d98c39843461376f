// The server check's readers of untrusted records: SPF, DMARC, MTA-STS (TXT and policy),
// TLS-RPT, and the HTTP response the policy comes in. Properties: no crash; a record that
// does not start as its kind is never valid; pct stays 0-100; every mx pattern a policy
// keeps matches a host made from it; a response body never passes its limit.

#include "check/dmarcrecord.h"
#include "check/httpsget.h"
#include "check/mtastspolicy.h"
#include "check/spfrecord.h"
#include "check/tlsrptrecord.h"

#include <cstdlib>

using namespace smtp;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    const QString text = QString::fromUtf8(bytes);

    const SpfRecord spf = SpfRecord::parse(text);
    if (!SpfRecord::looksLikeSpf(text) && spf.errors.isEmpty())
        std::abort();
    if (spf.lookupTerms() > spf.terms.size())
        std::abort();

    const DmarcRecord dmarc = DmarcRecord::parse(text);
    if (dmarc.pct < 0 || dmarc.pct > 100 || (!DmarcRecord::looksLikeDmarc(text) && dmarc.errors.isEmpty()))
        std::abort();

    if (!MtaStsRecord::looksLikeMtaSts(text) && MtaStsRecord::parse(text).errors.isEmpty())
        std::abort();
    const MtaStsPolicy policy = MtaStsPolicy::parse(text);
    for (const QString &pattern : policy.mx) {
        const QString host = pattern.startsWith(QLatin1String("*.")) ? QStringLiteral("x") + pattern.mid(1) : pattern;
        if (!policy.matchesMx(host))
            std::abort();
    }

    if (!TlsRptRecord::looksLikeTlsRpt(text) && TlsRptRecord::parse(text).errors.isEmpty())
        std::abort();

    const HttpsResponse response = parseHttpResponse(bytes, 1024);
    if (response.body.size() > 1024)
        std::abort();
    return 0;
}
