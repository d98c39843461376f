#include "policytags.h"

#include <QRegularExpression>
#include <QUrl>

#include <algorithm>

namespace smtp {

namespace {

// mailto: the address before any "?headers", loosely: the point is to catch a missing or mistyped one.
QString mailtoProblem(QStringView uri)
{
    static const QRegularExpression address(QStringLiteral("^[^@\\s,;]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+$"));
    const QStringView rest = uri.mid(7);
    const qsizetype query = rest.indexOf(u'?');
    const QString decoded = QUrl::fromPercentEncoding((query < 0 ? rest : rest.left(query)).toUtf8());
    if (!address.match(decoded).hasMatch())
        return QStringLiteral("%1 does not hold a mail address such as mailto:dmarc@example.com").arg(quotedValue(uri));
    return {};
}

QString httpsProblem(QStringView uri)
{
    const QUrl url(uri.toString(), QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty())
        return QStringLiteral("%1 is not a valid https URL").arg(quotedValue(uri));
    return {};
}

} // namespace

bool isPolicyWsp(QChar c)
{
    return c == u' ' || c == u'\t';
}

QStringView trimmedPolicyWsp(QStringView s)
{
    while (!s.isEmpty() && isPolicyWsp(s.front()))
        s = s.mid(1);
    while (!s.isEmpty() && isPolicyWsp(s.back()))
        s.chop(1);
    return s;
}

bool isPolicyExtensionName(QStringView s)
{
    static const QRegularExpression name(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$"));
    return name.match(s).hasMatch();
}

bool isPolicyExtensionValue(QStringView s)
{
    return !s.isEmpty() && std::all_of(s.begin(), s.end(), [](QChar c) {
        return c.unicode() >= 0x21 && c.unicode() <= 0x7e && c != u';' && c != u'=';
    });
}

QString quotedValue(QStringView text)
{
    return QLatin1Char('\'') + text.toString() + QLatin1Char('\'');
}

QList<PolicyTag> splitPolicyTags(QStringView txt)
{
    QList<PolicyTag> tags;
    for (QStringView part : txt.split(u';')) {
        part = trimmedPolicyWsp(part);
        if (part.isEmpty())
            continue;
        const qsizetype equals = part.indexOf(u'=');
        PolicyTag tag;
        tag.hasValue = equals >= 0;
        tag.name = trimmedPolicyWsp(tag.hasValue ? part.left(equals) : part).toString();
        if (tag.hasValue)
            tag.value = trimmedPolicyWsp(part.mid(equals + 1)).toString();
        tags.append(tag);
    }
    return tags;
}

QString reportUriProblem(QStringView uri)
{
    if (uri.startsWith(u"mailto:", Qt::CaseInsensitive))
        return mailtoProblem(uri);
    if (uri.startsWith(u"https:", Qt::CaseInsensitive))
        return httpsProblem(uri);
    if (!uri.contains(u':') && uri.contains(u'@'))
        return QStringLiteral("%1 needs 'mailto:' in front of the address").arg(quotedValue(uri));
    return QStringLiteral("%1 must be a mailto: or https: URI").arg(quotedValue(uri));
}

} // namespace smtp
