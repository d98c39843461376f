#include "mtastspolicy.h"

#include "policytags.h"

#include <QRegularExpression>

#include <algorithm>

namespace smtp {

namespace {

using Mode = MtaStsPolicy::Mode;

// RFC 8461 3.2: the longest a sender may cache a policy, one year.
constexpr int kMaxMaxAge = 31557600;
// Under a day, a policy lapses between fetches often enough to leave a downgrade window.
constexpr int kShortMaxAge = 86400;

// sts-id = 1*32( ALPHA / DIGIT )
bool isStsId(QStringView s)
{
    static const QRegularExpression id(QStringLiteral("^[A-Za-z0-9]{1,32}$"));
    return id.match(s).hasMatch();
}

// Domain of RFC 5321 4.1.2: dot-separated letter-digit-hyphen labels, none starting or ending with '-'.
bool isDomain(QStringView s)
{
    static const QRegularExpression domain(QStringLiteral(
        "^(?=.{1,253}\\.?$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
        "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?$"));
    return domain.match(s).hasMatch();
}

// sts-policy-mx-value = [ "*." ] Domain
bool isMxPattern(QStringView s)
{
    return isDomain(s.startsWith(u"*.") ? s.mid(2) : s);
}

QStringView withoutTrailingDot(QStringView s)
{
    return s.endsWith(u'.') ? s.chopped(1) : s;
}

std::optional<Mode> modeFrom(QStringView value)
{
    if (value == u"enforce")
        return Mode::Enforce;
    if (value == u"testing")
        return Mode::Testing;
    if (value == u"none")
        return Mode::None;
    return std::nullopt;
}

void readRecordExtension(const PolicyTag &tag, MtaStsRecord &r)
{
    if (!isPolicyExtensionName(tag.name) || !isPolicyExtensionValue(tag.value))
        r.errors.append(QStringLiteral("%1 is not a well-formed field (RFC 8461 3.1).").arg(quotedValue(tag.name + u'=' + tag.value)));
    else
        r.warnings.append(QStringLiteral("Unknown field '%1=' is ignored by senders (RFC 8461 3.1).").arg(tag.name));
}

void readRecordTag(const PolicyTag &tag, QStringList &seen, MtaStsRecord &r)
{
    if (!tag.hasValue) {
        r.errors.append(QStringLiteral("%1 is not a name=value field (RFC 8461 3.1).").arg(quotedValue(tag.name)));
        return;
    }
    if (seen.contains(tag.name)) {
        r.errors.append(QStringLiteral("The field '%1=' appears more than once (RFC 8461 3.1).").arg(tag.name));
        return;
    }
    seen.append(tag.name);
    if (tag.name == u"id" && isStsId(tag.value))
        r.id = tag.value;
    else if (tag.name == u"id")
        r.errors.append(QStringLiteral("id=%1 must be 1 to 32 letters and digits (RFC 8461 3.1).").arg(tag.value));
    else if (tag.name == u"v")
        r.errors.append(QStringLiteral("'v=' must be the first field (RFC 8461 3.1)."));
    else
        readRecordExtension(tag, r);
}

// Reads the lines of a policy file; one handler per field of RFC 8461 3.2.
class PolicyReader
{
public:
    explicit PolicyReader(MtaStsPolicy &p) : m_p(p) {}

    void read(QStringView text)
    {
        const QList<QStringView> lines = text.split(u'\n');
        for (qsizetype i = 0; i < lines.size(); ++i)
            readLine(lines[i].endsWith(u'\r') ? lines[i].chopped(1) : lines[i], i + 1);
        checkWhole();
    }

private:
    void error(const QString &text) { m_p.errors.append(text); }
    void warn(const QString &text) { m_p.warnings.append(text); }

    // sts-policy-field = name ":" *WSP value, trailing WSP allowed. Blank lines are forgiven: they
    // are common at the end of a file and harm no one.
    void readLine(QStringView line, qsizetype number)
    {
        if (std::all_of(line.begin(), line.end(), isPolicyWsp))
            return;
        const qsizetype colon = line.indexOf(u':');
        if (colon < 0) {
            error(QStringLiteral("Line %1 (%2) is not 'key: value' (RFC 8461 3.2).").arg(number).arg(quotedValue(line)));
            return;
        }
        const QStringView key = line.left(colon);
        QStringView value = line.mid(colon + 1);
        while (!value.isEmpty() && isPolicyWsp(value.front()))
            value = value.mid(1);
        while (!value.isEmpty() && isPolicyWsp(value.back()))
            value.chop(1);
        readField(key.trimmed(), value, key.size() != key.trimmed().size(), number);
    }

    void readField(QStringView key, QStringView value, bool spaced, qsizetype number)
    {
        if (spaced)
            error(QStringLiteral("Line %1: no space may surround the name before ':' (RFC 8461 3.2).").arg(number));
        if (key != u"mx" && m_seen.contains(key.toString())) {
            error(QStringLiteral("The field '%1' appears more than once; only mx may repeat (RFC 8461 3.2).").arg(key));
            return;
        }
        m_seen.append(key.toString());
        if (key == u"version")
            readVersion(value);
        else if (key == u"mode")
            readMode(value);
        else if (key == u"mx")
            readMx(value);
        else if (key == u"max_age")
            readMaxAge(value);
        else
            readUnknown(key, value, number);
    }

    void readVersion(QStringView value)
    {
        if (value == u"STSv1")
            m_p.version = value.toString();
        else
            error(QStringLiteral("version: %1 is not STSv1 (RFC 8461 3.2).").arg(quotedValue(value)));
    }

    void readMode(QStringView value)
    {
        m_p.mode = modeFrom(value);
        if (!m_p.mode)
            error(QStringLiteral("mode: %1 is not enforce, testing or none (RFC 8461 3.2).").arg(quotedValue(value)));
    }

    void readMx(QStringView value)
    {
        if (isMxPattern(value))
            m_p.mx.append(value.toString());
        else if (value.contains(u'*'))
            error(QStringLiteral("mx: %1: '*' may only stand alone as the leftmost label, as in *.example.com "
                                 "(RFC 8461 3.2).").arg(quotedValue(value)));
        else
            error(QStringLiteral("mx: %1 is not a host name (RFC 8461 3.2).").arg(quotedValue(value)));
    }

    // sts-policy-max-age-value = 1*10( DIGIT ), at most 31557600
    void readMaxAge(QStringView value)
    {
        static const QRegularExpression digits(QStringLiteral("^[0-9]{1,10}$"));
        const qlonglong seconds = value.toLongLong();
        if (digits.match(value).hasMatch() && seconds <= kMaxMaxAge)
            m_p.maxAge = int(seconds);
        else
            error(QStringLiteral("max_age: %1 must be a number of seconds from 0 to %2 (RFC 8461 3.2).")
                      .arg(quotedValue(value)).arg(kMaxMaxAge));
    }

    void readUnknown(QStringView key, QStringView value, qsizetype number)
    {
        static const QStringList known = {QStringLiteral("version"), QStringLiteral("mode"), QStringLiteral("mx"),
                                          QStringLiteral("max_age")};
        if (known.contains(key.toString().toLower()))
            error(QStringLiteral("'%1' must be written in lower case: field names are case-sensitive "
                                 "(RFC 8461 3.2).").arg(key));
        else if (!isPolicyExtensionName(key) || value.isEmpty())
            error(QStringLiteral("Line %1 (%2) is not a well-formed field (RFC 8461 3.2).").arg(number).arg(quotedValue(key)));
        else
            warn(QStringLiteral("Unknown field '%1' is ignored by senders (RFC 8461 3.2).").arg(key));
    }

    void checkWhole()
    {
        if (!m_seen.contains(u"version"))
            error(QStringLiteral("The policy has no 'version: STSv1' line (RFC 8461 3.2)."));
        if (!m_seen.contains(u"mode"))
            error(QStringLiteral("The policy has no 'mode' line (RFC 8461 3.2)."));
        if (!m_seen.contains(u"max_age"))
            error(QStringLiteral("The policy has no 'max_age' line (RFC 8461 3.2)."));
        checkMode();
        if (m_p.maxAge && *m_p.maxAge < kShortMaxAge)
            warn(QStringLiteral("max_age %1 is under a day; RFC 8461 3.2 expects weeks or more, so that an attacker "
                                "cannot wait for the policy to lapse.").arg(*m_p.maxAge));
    }

    void checkMode()
    {
        const bool enforcing = m_p.mode == Mode::Enforce || m_p.mode == Mode::Testing;
        if (enforcing && m_p.mx.isEmpty() && !m_seen.contains(u"mx"))
            error(QStringLiteral("The policy has no 'mx' line, so no MX host can match it (RFC 8461 3.2)."));
        if (m_p.mode == Mode::Testing)
            warn(QStringLiteral("mode testing: senders report TLS failures but still deliver over a bad connection."));
        if (m_p.mode == Mode::None)
            warn(QStringLiteral("mode none: the policy is withdrawn and senders no longer require TLS."));
    }

    MtaStsPolicy &m_p;
    QStringList m_seen; // field names read so far
};

} // namespace

bool MtaStsRecord::looksLikeMtaSts(QStringView txt)
{
    if (!txt.startsWith(u"v=STSv1"))
        return false;
    const QStringView rest = txt.mid(7);
    return rest.isEmpty() || rest.front() == u';' || isPolicyWsp(rest.front());
}

MtaStsRecord MtaStsRecord::parse(QStringView txt)
{
    MtaStsRecord r;
    const QList<PolicyTag> tags = splitPolicyTags(txt);
    if (!looksLikeMtaSts(txt)) {
        r.errors.append(QStringLiteral("Not an MTA-STS record: it must start with v=STSv1 (RFC 8461 3.1)."));
        return r;
    }
    if (tags.first().value != u"STSv1")
        r.errors.append(QStringLiteral("The version must be exactly v=STSv1, and fields are separated by ';' "
                                       "(RFC 8461 3.1)."));
    QStringList seen = {QStringLiteral("v")};
    for (qsizetype i = 1; i < tags.size(); ++i)
        readRecordTag(tags[i], seen, r);
    if (!seen.contains(u"id"))
        r.errors.append(QStringLiteral("The record has no id= field (RFC 8461 3.1)."));
    return r;
}

MtaStsPolicy MtaStsPolicy::parse(QStringView text)
{
    MtaStsPolicy p;
    PolicyReader(p).read(text);
    return p;
}

bool MtaStsPolicy::matchesMx(const QString &host) const
{
    return std::any_of(mx.begin(), mx.end(), [&host](const QString &pattern) { return mxPatternMatches(pattern, host); });
}

bool MtaStsPolicy::mxPatternMatches(QStringView pattern, QStringView host)
{
    pattern = withoutTrailingDot(pattern);
    host = withoutTrailingDot(host);
    if (!pattern.startsWith(u"*."))
        return !host.isEmpty() && host.compare(pattern, Qt::CaseInsensitive) == 0;
    const QStringView suffix = pattern.mid(1); // ".example.com"
    if (!host.endsWith(suffix, Qt::CaseInsensitive))
        return false;
    const QStringView label = host.chopped(suffix.size());
    return !label.isEmpty() && !label.contains(u'.');
}

} // namespace smtp
