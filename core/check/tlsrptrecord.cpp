#include "tlsrptrecord.h"

#include "policytags.h"

#include <QRegularExpression>

#include <algorithm>

namespace smtp {

namespace {

// tlsrpt-rua = "rua=" tlsrpt-uri *( *WSP "," *WSP tlsrpt-uri )
void readRua(const QString &value, TlsRptRecord &r)
{
    for (QStringView part : QStringView(value).split(u',')) {
        const QStringView uri = part.trimmed();
        const QString problem = reportUriProblem(uri);
        if (problem.isEmpty())
            r.rua.append(uri.toString());
        else
            r.errors.append(QStringLiteral("rua=: %1 (RFC 8460 3).").arg(problem));
    }
}

void readExtension(const PolicyTag &tag, TlsRptRecord &r)
{
    if (!isPolicyExtensionName(tag.name) || !isPolicyExtensionValue(tag.value))
        r.errors.append(QStringLiteral("'%1=%2' is not a well-formed field (RFC 8460 3).").arg(tag.name, tag.value));
    else
        r.warnings.append(QStringLiteral("Unknown field '%1=' is ignored by senders (RFC 8460 3).").arg(tag.name));
}

void readTag(const PolicyTag &tag, QStringList &seen, TlsRptRecord &r)
{
    if (!tag.hasValue) {
        r.errors.append(QStringLiteral("'%1' is not a name=value field (RFC 8460 3).").arg(tag.name));
        return;
    }
    if (seen.contains(tag.name)) {
        r.errors.append(QStringLiteral("The field '%1=' appears more than once (RFC 8460 3).").arg(tag.name));
        return;
    }
    seen.append(tag.name);
    if (tag.name == u"rua")
        readRua(tag.value, r);
    else if (tag.name == u"v")
        r.errors.append(QStringLiteral("'v=' must be the first field (RFC 8460 3)."));
    else
        readExtension(tag, r);
}

} // namespace

bool TlsRptRecord::looksLikeTlsRpt(QStringView txt)
{
    if (!txt.startsWith(u"v=TLSRPTv1"))
        return false;
    const QStringView rest = txt.mid(10);
    return rest.isEmpty() || rest.front() == u';' || isPolicyWsp(rest.front());
}

TlsRptRecord TlsRptRecord::parse(QStringView txt)
{
    TlsRptRecord r;
    if (!looksLikeTlsRpt(txt)) {
        r.errors.append(QStringLiteral("Not a TLS reporting record: it must start with v=TLSRPTv1 (RFC 8460 3)."));
        return r;
    }
    const QList<PolicyTag> tags = splitPolicyTags(txt);
    if (tags.first().value != u"TLSRPTv1")
        r.errors.append(QStringLiteral("The version must be exactly v=TLSRPTv1, and fields are separated by ';' "
                                       "(RFC 8460 3)."));
    QStringList seen = {QStringLiteral("v")};
    for (qsizetype i = 1; i < tags.size(); ++i)
        readTag(tags[i], seen, r);
    if (!seen.contains(u"rua"))
        r.errors.append(QStringLiteral("The record has no rua= field, so reports have nowhere to go (RFC 8460 3)."));
    return r;
}

} // namespace smtp
