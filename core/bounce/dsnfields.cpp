#include "dsnfields.h"

#include <QRegularExpression>

namespace smtp {

namespace {

bool isRecipientField(QStringView name)
{
    return name.compare(QLatin1String("Final-Recipient"), Qt::CaseInsensitive) == 0
        || name.compare(QLatin1String("Original-Recipient"), Qt::CaseInsensitive) == 0
        || name.compare(QLatin1String("X-Actual-Recipient"), Qt::CaseInsensitive) == 0;
}

bool hasRecipient(const QList<DsnField> &fields)
{
    for (const DsnField &f : fields)
        if (isRecipientField(f.name))
            return true;
    return false;
}

bool hasField(const QList<DsnField> &fields, QStringView name)
{
    for (const DsnField &f : fields)
        if (f.name.compare(name, Qt::CaseInsensitive) == 0)
            return true;
    return false;
}

} // namespace

QString DsnFields::value(const QList<DsnField> &fields, QStringView name)
{
    for (const DsnField &f : fields)
        if (f.name.compare(name, Qt::CaseInsensitive) == 0)
            return f.value;
    return {};
}

QStringList DsnFields::values(const QList<DsnField> &fields, QStringView name)
{
    QStringList out;
    for (const DsnField &f : fields)
        if (f.name.compare(name, Qt::CaseInsensitive) == 0)
            out.append(f.value);
    return out;
}

QString DsnFields::stripType(const QString &value)
{
    const int semi = value.indexOf(QLatin1Char(';'));
    if (semi < 0 || semi > 20)
        return value.trimmed();
    return value.mid(semi + 1).trimmed();
}

QString DsnFields::typeOf(const QString &value)
{
    const int semi = value.indexOf(QLatin1Char(';'));
    if (semi < 0 || semi > 20)
        return {};
    return value.left(semi).trimmed().toLower();
}

bool DsnFields::looksLikeDsn(const QString &text)
{
    static const QRegularExpression field(QStringLiteral("^(Final-Recipient|Original-Recipient)\\s*:\\s*\\S"),
                                          QRegularExpression::CaseInsensitiveOption
                                              | QRegularExpression::MultilineOption);
    return field.match(text).hasMatch();
}

DsnFields DsnFields::parse(const QString &text)
{
    static const QRegularExpression fieldLine(QStringLiteral("^([A-Za-z][A-Za-z0-9-]{1,60})\\s*:\\s?(.*)$"));
    DsnFields out;
    QList<DsnField> group;
    auto flush = [&] {
        if (group.isEmpty())
            return;
        if (hasRecipient(group))
            out.perRecipient.append(group);
        else if (out.perRecipient.isEmpty())
            out.perMessage += group;
        group.clear();
    };
    const QStringList lines = text.split(QLatin1Char('\n'));
    bool lastWasField = false;
    for (const QString &rawLine : lines) {
        QString line = rawLine;
        if (line.endsWith(QLatin1Char('\r')))
            line.chop(1);
        if (line.trimmed().isEmpty()) {
            flush();
            lastWasField = false;
            continue;
        }
        if ((line.startsWith(QLatin1Char(' ')) || line.startsWith(QLatin1Char('\t'))) && lastWasField && !group.isEmpty()) {
            group.last().value += QLatin1Char(' ') + line.trimmed();
            continue;
        }
        const QRegularExpressionMatch m = fieldLine.match(line);
        if (!m.hasMatch()) {
            lastWasField = false;
            continue;
        }
        const QString name = m.captured(1);
        // A second recipient without a blank line between the groups.
        if (isRecipientField(name) && hasField(group, name))
            flush();
        group.append(DsnField{name, m.captured(2).trimmed()});
        lastWasField = true;
    }
    flush();
    return out;
}

} // namespace smtp
