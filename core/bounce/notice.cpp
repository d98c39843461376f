#include "notice.h"

#include <QRegularExpression>

namespace smtp {

namespace {

constexpr qsizetype kMaxInput = 32 * 1024 * 1024;

// CRLF and lone CR become LF. Most files have no CR at all and are returned as they are
// (shared, not copied); the others are copied a line at a time, not a byte at a time.
QByteArray normaliseLineEnds(const QByteArray &in)
{
    qsizetype cr = in.indexOf('\r');
    if (cr < 0)
        return in;
    QByteArray out;
    out.reserve(in.size());
    qsizetype from = 0;
    for (; cr >= 0; cr = in.indexOf('\r', from)) {
        out.append(in.constData() + from, cr - from);
        out.append('\n');
        from = cr + 1;
        if (from < in.size() && in.at(from) == '\n')
            ++from;
    }
    out.append(in.constData() + from, in.size() - from);
    return out;
}

// Control bytes text never holds (tab, line ends, form feed and the escape of ISO-2022-JP
// aside) in the first 4 KB: a program or an image, not a message that lost a byte.
bool looksBinary(const QByteArray &data)
{
    const QByteArrayView head(data.constData(), qMin<qsizetype>(data.size(), 4096));
    qsizetype controls = 0;
    for (const char c : head)
        if (uchar(c) < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\x1b')
            ++controls;
    return controls > 32 && controls * 50 > head.size();
}

// Does the input start as a message (a header block), rather than a pasted fragment?
bool startsWithHeaders(const QByteArray &data)
{
    static const QRegularExpression header(QStringLiteral("^(?:From [^\\n]*\\n)?[!-9;-~]{1,76}:[ \\t]?[^\\n]*\\n"));
    // Latin-1 text is always valid UTF-16: PCRE2 need not check it before each pattern.
    const QString head = QString::fromLatin1(data.left(2048));
    const auto matches = [&head](const QRegularExpression &re) {
        return re.match(head, 0, QRegularExpression::NormalMatch, QRegularExpression::DontCheckSubjectStringMatchOption)
            .hasMatch();
    };
    if (!matches(header))
        return false;
    // Delivery-status fields pasted alone look like headers, but they are the report itself.
    static const QRegularExpression dsnField(QStringLiteral("^(Final-Recipient|Original-Recipient|Reporting-MTA|Action|Status|Diagnostic-Code)\\s*:"),
                                             QRegularExpression::CaseInsensitiveOption);
    if (matches(dsnField))
        return false;
    // At least two header lines: "550 5.1.1 <x>: unknown" is a reply, not a header.
    static const QRegularExpression two(QStringLiteral("^(?:From [^\\n]*\\n)?[!-9;-~]{1,76}:[^\\n]*\\n(?:[ \\t][^\\n]*\\n)*[!-9;-~]{1,76}:"));
    return matches(two);
}

QString decodeText(const QByteArray &data)
{
    QString text = QString::fromUtf8(data);
    if (text.contains(QChar::ReplacementCharacter))
        return QString::fromLatin1(data);
    return text;
}

// A header field's value in a block of header lines, folded lines joined. By lines, not a
// pattern per name: this runs several times per message.
QString headerLineValue(const QString &block, const QString &name)
{
    const QStringList lines = block.split(QLatin1Char('\n'));
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString &line = lines[i];
        if (line.size() <= name.size() || line.at(name.size()) != QLatin1Char(':')
            || !line.startsWith(name, Qt::CaseInsensitive))
            continue;
        QString value = line.mid(name.size() + 1);
        while (i + 1 < lines.size() && !lines[i + 1].isEmpty()
               && (lines[i + 1].at(0) == QLatin1Char(' ') || lines[i + 1].at(0) == QLatin1Char('\t')))
            value += QLatin1Char('\n') + lines[++i];
        return value.simplified();
    }
    return QString();
}

// The input as bytes to read: cut to a size, line ends made LF, NULs made spaces, an mbox
// separator line dropped. Empty when there is nothing to read (the report says why).
QByteArray readableBytes(const QByteArray &input, BounceReport &report)
{
    QByteArray data = input;
    if (data.size() > kMaxInput) {
        data.truncate(kMaxInput);
        report.notes.append(QStringLiteral("the input is over %1 MB; only its start was read").arg(kMaxInput / (1024 * 1024)));
    }
    data = normaliseLineEnds(data);
    if (data.trimmed().isEmpty()) {
        report.notes.append(QStringLiteral("the input is empty"));
        return QByteArray();
    }
    if (looksBinary(data)) {
        report.notes.append(QStringLiteral("the input is binary data, not text: it was not read as a bounce"));
        return QByteArray();
    }
    if (data.contains('\0')) {
        data.replace('\0', ' ');
        report.notes.append(QStringLiteral("the input contains NUL bytes; they were read as spaces"));
    }
    if (data.startsWith("From ")) {
        // An mbox separator line: not a header, and it would end GMime's header block.
        const qsizetype eol = data.indexOf('\n');
        data = eol < 0 ? QByteArray() : data.mid(eol + 1);
    }
    return data;
}

MimeContent readContent(const QByteArray &data, bool fragment, BounceReport &report)
{
    MimeContent content;
    if (fragment) {
        content.texts.append(decodeText(data));
        return content;
    }
    content = MimeReader::read(data);
    report.notes += content.notes;
    if (content.texts.isEmpty() && content.deliveryStatus.isEmpty() && content.feedbackReports.isEmpty()
        && !content.topType.startsWith(QLatin1String("multipart/mixed"))) {
        // A multipart whose boundaries are missing: read the body as plain text.
        const qsizetype bodyStart = data.indexOf("\n\n");
        if (bodyStart >= 0) {
            content.texts.append(decodeText(data.mid(bodyStart + 2)));
            report.notes.append(QStringLiteral("the MIME structure could not be followed; the body was read as plain text"));
        }
    }
    return content;
}

void readOriginal(const MimeContent &content, BounceReport &report)
{
    if (!content.original.present && !content.originalHeaderText.isEmpty()) {
        report.originalSubject = headerLineValue(content.originalHeaderText, QStringLiteral("Subject"));
        report.originalMessageId = headerLineValue(content.originalHeaderText, QStringLiteral("Message-ID"));
        report.originalSender = firstAddress(headerLineValue(content.originalHeaderText, QStringLiteral("From")));
    } else {
        report.originalSubject = content.original.subject;
        report.originalMessageId = content.original.messageId;
        report.originalSender = firstAddress(content.original.from);
    }
    if (report.originalSubject.contains(QLatin1String("=?")))
        report.originalSubject = MimeReader::decodeHeader(report.originalSubject);
    if (!report.originalMessageId.isEmpty() && !report.originalMessageId.startsWith(QLatin1Char('<')))
        report.originalMessageId = QLatin1Char('<') + report.originalMessageId + QLatin1Char('>');
}

// The notice's own From and To, and the sender: never a failed recipient, unless the
// original was addressed to them alone (a sender writing to themselves is also the notice's To).
QStringList notRecipients(const Notice &notice, const QString &sender)
{
    QStringList exclude;
    if (notice.fragment)
        return exclude;
    exclude += FreeTextRules::addressesIn(notice.content.top.from);
    exclude += FreeTextRules::addressesIn(notice.content.top.to);
    if (!sender.isEmpty())
        exclude.append(sender);
    const QStringList addressees = FreeTextRules::addressesIn(originalTo(notice));
    if (addressees.size() == 1) // to themselves alone: among others, they are more likely quoted as its sender
        exclude.removeIf([&](const QString &a) { return a.compare(addressees.first(), Qt::CaseInsensitive) == 0; });
    return exclude;
}

} // namespace

std::optional<Notice> readNotice(const QByteArray &input, int depth, BounceReport &report)
{
    const QByteArray data = readableBytes(input, report);
    if (data.isEmpty())
        return std::nullopt;
    Notice notice;
    notice.depth = depth;
    notice.bytes = data;
    notice.fragment = !startsWithHeaders(data);
    notice.content = readContent(data, notice.fragment, report);

    QString prose;
    for (const QString &t : notice.content.texts)
        prose += t + QLatin1Char('\n');
    QString originalHeaders;
    notice.notification = FreeTextRules::notificationPart(prose, &originalHeaders);
    if (notice.content.originalHeaderText.isEmpty())
        notice.content.originalHeaderText = originalHeaders;
    readOriginal(notice.content, report);

    QString dsnText = notice.content.deliveryStatus.join(QStringLiteral("\n\n"));
    if (dsnText.isEmpty() && DsnFields::looksLikeDsn(notice.notification))
        dsnText = notice.notification;
    notice.dsn = DsnFields::parse(dsnText);
    notice.findings = FreeTextRules::findRecipients(notice.notification, notRecipients(notice, report.originalSender));
    return notice;
}

QString firstAddress(const QString &text)
{
    const QStringList all = FreeTextRules::addressesIn(text);
    return all.isEmpty() ? QString() : all.first();
}

int klassOf(const BounceRecipient &r)
{
    if (!r.status.isEmpty())
        return r.status.at(0).digitValue();
    if (r.replyCode)
        return r.replyCode / 100;
    if (r.action == QLatin1String("delayed"))
        return 4;
    if (r.action == QLatin1String("failed"))
        return 5;
    return 0;
}

QString originalTo(const Notice &notice)
{
    const MimeContent &c = notice.content;
    return c.original.present ? c.original.to : headerLineValue(c.originalHeaderText, QStringLiteral("To"));
}

QString originalHeader(const Notice &notice, const QString &name)
{
    return headerLineValue(notice.content.originalHeaderText, name);
}

FreeTextFinding findingFromNotification(const QString &address, const QString &notification)
{
    const FoundCodes codes = FreeTextRules::findCodes(notification);
    FreeTextFinding f;
    f.recipient = address;
    f.replyCode = codes.replyCode;
    f.status = codes.status;
    f.diagnostic = codes.replyText.isEmpty() ? notification.simplified().left(400) : codes.replyText.simplified();
    f.context = notification.left(4000);
    return f;
}

} // namespace smtp
