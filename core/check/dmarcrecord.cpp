#include "dmarcrecord.h"

#include <QRegularExpression>
#include <QUrl>

#include <algorithm>

namespace smtp {

namespace {

using Policy = DmarcRecord::Policy;

Policy policyFrom(QStringView value)
{
    if (value.compare(u"none", Qt::CaseInsensitive) == 0)
        return Policy::None;
    if (value.compare(u"quarantine", Qt::CaseInsensitive) == 0)
        return Policy::Quarantine;
    if (value.compare(u"reject", Qt::CaseInsensitive) == 0)
        return Policy::Reject;
    return Policy::Invalid;
}

// dmarc-uri = URI [ "!" 1*DIGIT [ "k" / "m" / "g" / "t" ] ]: the size limit is not part of the URI.
QStringView withoutSizeLimit(QStringView uri)
{
    static const QRegularExpression size(QStringLiteral("![0-9]+[kmgt]?$"), QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch m = size.match(uri);
    return m.hasMatch() ? uri.left(m.capturedStart()) : uri;
}

// dmarc-version = "v" *WSP "=" *WSP "DMARC1"; any case, so a miswritten one is found and explained.
bool isVersionTag(const PolicyTag &tag)
{
    return tag.name.compare(u"v", Qt::CaseInsensitive) == 0 && tag.value.compare(u"DMARC1", Qt::CaseInsensitive) == 0;
}

// Reads the record tag by tag; one handler per tag of RFC 7489 6.3.
class DmarcReader
{
public:
    explicit DmarcReader(DmarcRecord &r) : m_r(r) {}

    void read(const QList<PolicyTag> &tags)
    {
        if (!checkVersion(tags))
            return;
        for (qsizetype i = 1; i < tags.size(); ++i)
            readTag(tags[i], i);
        checkWhole();
    }

private:
    void error(const QString &text) { m_r.errors.append(text); }
    void warn(const QString &text) { m_r.warnings.append(text); }

    // Receivers discard a record that does not start with the version (RFC 7489 6.6.3), so the
    // rest is not read: judging it would suggest it counts.
    bool checkVersion(const QList<PolicyTag> &tags)
    {
        if (tags.isEmpty() || !isVersionTag(tags.first())) {
            error(QStringLiteral("Not a DMARC record: the first tag must be v=DMARC1 (RFC 7489 6.4)."));
            return false;
        }
        m_seen.append(QStringLiteral("v"));
        if (tags.first().value != u"DMARC1")
            warn(QStringLiteral("Write the version as 'DMARC1' in capitals: the grammar is case-sensitive and "
                                "some receivers compare it exactly (RFC 7489 6.4)."));
        return true;
    }

    void readTag(const PolicyTag &tag, qsizetype position)
    {
        const QString name = tag.name.toLower();
        if (!tag.hasValue) {
            error(QStringLiteral("%1 is not a tag=value pair (RFC 7489 6.4).").arg(quotedValue(tag.name)));
            return;
        }
        if (m_seen.contains(name)) {
            error(QStringLiteral("The tag '%1=' appears more than once; receivers may read either (RFC 7489 6.4).").arg(name));
            return;
        }
        m_seen.append(name);
        if (name == u"p")
            readPolicy(tag.value, position);
        else if (name == u"sp")
            readSubdomainPolicy(tag.value);
        else if (name == u"rua" || name == u"ruf")
            readUris(name, tag.value, name == u"rua" ? m_r.rua : m_r.ruf);
        else if (name == u"adkim" || name == u"aspf")
            readAlignment(name, tag.value, name == u"adkim" ? m_r.adkim : m_r.aspf);
        else if (name == u"pct")
            readPct(tag.value);
        else if (name == u"fo")
            readFailureOptions(tag.value);
        else if (name == u"rf")
            readReportFormat(tag.value);
        else if (name == u"ri")
            readInterval(tag.value);
        else if (name != u"v")
            warn(QStringLiteral("Unknown tag '%1=' is ignored by receivers (RFC 7489 6.3); check its spelling.").arg(name));
        else
            error(QStringLiteral("'v=' must be the first tag (RFC 7489 6.4)."));
    }

    void readPolicy(const QString &value, qsizetype position)
    {
        m_r.policy = policyFrom(value);
        if (m_r.policy == Policy::Invalid)
            error(QStringLiteral("p=%1 is not a policy: use none, quarantine or reject (RFC 7489 6.3).").arg(value));
        if (position != 1)
            warn(QStringLiteral("'p=' should come right after v=DMARC1 (RFC 7489 6.4); strict receivers may ignore "
                                "the record otherwise."));
    }

    void readSubdomainPolicy(const QString &value)
    {
        m_r.subdomainPolicy = policyFrom(value);
        if (*m_r.subdomainPolicy == Policy::Invalid)
            error(QStringLiteral("sp=%1 is not a policy: use none, quarantine or reject (RFC 7489 6.3).").arg(value));
    }

    // dmarc-uri *(*WSP "," *WSP dmarc-uri): commas inside a URI must be written %2C.
    void readUris(const QString &name, const QString &value, QStringList &into)
    {
        if (trimmedPolicyWsp(value).isEmpty()) {
            error(QStringLiteral("'%1=' is empty; give a mailto: address or remove the tag (RFC 7489 6.3).").arg(name));
            return;
        }
        for (QStringView part : QStringView(value).split(u',')) {
            const QStringView uri = trimmedPolicyWsp(part);
            const QString problem = reportUriProblem(withoutSizeLimit(uri));
            if (problem.isEmpty())
                into.append(uri.toString());
            else
                error(QStringLiteral("%1=: %2 (RFC 7489 6.3).").arg(name, problem));
        }
    }

    void readAlignment(const QString &name, const QString &value, QChar &into)
    {
        if (value.compare(u"r", Qt::CaseInsensitive) == 0 || value.compare(u"s", Qt::CaseInsensitive) == 0)
            into = value.front().toLower();
        else
            error(QStringLiteral("%1=%2: alignment is 'r' (relaxed) or 's' (strict) (RFC 7489 6.3).").arg(name, value));
    }

    void readPct(const QString &value)
    {
        static const QRegularExpression digits(QStringLiteral("^[0-9]{1,3}$"));
        const int pct = value.toInt();
        if (digits.match(value).hasMatch() && pct <= 100)
            m_r.pct = pct;
        else
            error(QStringLiteral("pct=%1 must be a whole number from 0 to 100 (RFC 7489 6.3); receivers use 100.").arg(value));
    }

    // fo = "0" / "1" / "d" / "s", several joined by ':'
    void readFailureOptions(const QString &value)
    {
        static const QRegularExpression options(QStringLiteral("^[01ds](?:[ \\t]*:[ \\t]*[01ds])*$"),
                                                QRegularExpression::CaseInsensitiveOption);
        if (!options.match(value).hasMatch())
            error(QStringLiteral("fo=%1: failure options are 0, 1, d or s, joined by ':' (RFC 7489 6.3).").arg(value));
    }

    void readReportFormat(const QString &value)
    {
        if (value.compare(u"afrf", Qt::CaseInsensitive) != 0)
            warn(QStringLiteral("rf=%1: the only report format defined is afrf (RFC 7489 6.3).").arg(value));
    }

    void readInterval(const QString &value)
    {
        static const QRegularExpression digits(QStringLiteral("^[0-9]{1,10}$"));
        if (!digits.match(value).hasMatch())
            error(QStringLiteral("ri=%1 must be a number of seconds (RFC 7489 6.3).").arg(value));
    }

    void checkWhole()
    {
        if (m_r.policy == Policy::Missing)
            error(QStringLiteral("No 'p=' tag: receivers ignore the record, or treat it as p=none when rua= is "
                                 "valid (RFC 7489 6.6.3)."));
        if (m_r.policy == Policy::None)
            warn(QStringLiteral("p=none is monitoring only: receivers report on failing mail but deliver it as usual."));
        if (m_r.pct < 100)
            warn(QStringLiteral("pct=%1 applies the policy to only %1% of failing mail (RFC 7489 6.3).").arg(m_r.pct));
        if (!m_seen.contains(u"rua"))
            warn(QStringLiteral("No 'rua=': nobody receives aggregate reports, so failures go unseen (RFC 7489 7.2)."));
    }

    DmarcRecord &m_r;
    QStringList m_seen; // tag names read so far, lower case
};

} // namespace

bool DmarcRecord::looksLikeDmarc(QStringView txt)
{
    const QList<PolicyTag> tags = splitPolicyTags(txt);
    return !tags.isEmpty() && isVersionTag(tags.first());
}

DmarcRecord DmarcRecord::parse(QStringView txt)
{
    DmarcRecord r;
    DmarcReader(r).read(splitPolicyTags(txt));
    return r;
}

} // namespace smtp
