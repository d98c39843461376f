#include "freetextrules.h"

#include "knowledge/checkedtext.h"
#include "protocol/enhancedstatus.h"
#include "protocol/replyparser.h"
#include "protocol/untrustedtext.h"

#include <QRegularExpression>

namespace smtp {

namespace {

const QString kAddress = QStringLiteral("[A-Za-z0-9._%+=/!#$&'*?^`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+");

QRegularExpression make(const QString &pattern)
{
    QRegularExpression r(pattern, QRegularExpression::CaseInsensitiveOption);
    r.optimize();
    return r;
}

bool isSystemAddress(const QString &address)
{
    static const QRegularExpression system = make(QStringLiteral(
        "^(mailer-daemon|postmaster|mail-daemon|maildaemon|mailerdaemon|no-?reply|bounces?|double-bounce|root)@"));
    return system.match(address).hasMatch();
}

// Header names that begin the returned original message.
bool isOriginalHeader(const QString &line)
{
    static const QRegularExpression header = make(QStringLiteral(
        "^(Return-Path|Received|DKIM-Signature|Message-ID|X-Received|Authentication-Results|MIME-Version|"
        "Delivered-To|X-Original-To|Subject|From|To|Date|Reply-To|Content-Type|X-Mailer|Sender|In-Reply-To|References|"
        "ARC-Seal|X-Google-DKIM-Signature|Received-SPF|Cc|User-Agent)\\s*:"));
    return header.match(line).hasMatch();
}

bool isAnyHeader(const QString &line)
{
    static const QRegularExpression header(QStringLiteral("^[A-Za-z][A-Za-z0-9-]*:"));
    return header.match(line).hasMatch() || line.startsWith(QLatin1Char(' ')) || line.startsWith(QLatin1Char('\t'));
}

bool isMarker(const QString &line)
{
    static const QRegularExpression marker = make(QStringLiteral(
        "^\\s*(?:[-=_*]{2,}.*\\b(?:original|copy|unsent|returned|undelivered|headers?|rejected message|message follows)\\b"
        "|below this line is a copy|original message follows|(?:the )?original message (?:headers? )?(?:is|are|was|were) (?:attached|included|below|as follows)"
        "|original message headers?:|content-type: message/rfc822|\\[message header\\]"
        "|-+ ?original message ?-+|------ this is a copy)"));
    return marker.match(line).hasMatch();
}

// The end of a line's indented continuation lines, from the end of the line itself.
qsizetype wrappedEnd(const QString &text, qsizetype end)
{
    while (end + 1 < text.size() && text.at(end) == QLatin1Char('\n')
           && (text.at(end + 1) == QLatin1Char(' ') || text.at(end + 1) == QLatin1Char('\t'))) {
        qsizetype next = text.indexOf(QLatin1Char('\n'), end + 1);
        if (next < 0)
            next = text.size();
        if (QStringView(text).mid(end + 1, next - end - 1).trimmed().isEmpty())
            break;
        end = next;
    }
    return end;
}

// "(expanded from <sales@x>)": the address an alias or forward was written as.
QString expandedFrom(const QString &line)
{
    static const QRegularExpression from = make(QStringLiteral(
        "\\((?:expanded|generated|redirected|forwarded) from:?\\s*<?(%1)>?\\)").arg(kAddress));
    return from.match(line).captured(1).toLower();
}

QString collapse(const QString &text, int max = 800)
{
    QString s = text.simplified();
    if (s.size() > max)
        s = s.left(max) + QStringLiteral("...");
    return s;
}

} // namespace

namespace {

QStringList plainAddressesIn(const QString &text)
{
    static const QRegularExpression address(kAddress);
    QStringList out;
    auto it = address.globalMatch(text);
    while (it.hasNext())
        out.append(it.next().captured(0).toLower());
    return out;
}

// A word holding '@' and a hidden character ("bo<ZWSP>b@x", "bob<RLO>moc@x") is taken
// whole: the address pattern would take a part of it, another address than the one
// written. Shown with its marks, it says what the notice really held.
QStringList addressesWithHiddenCharacters(const QString &text)
{
    static const QRegularExpression word(QStringLiteral("[^\\s<>(),\"]+"));
    QStringList out;
    for (auto it = word.globalMatch(text); it.hasNext();) {
        QString token = it.next().captured(0);
        while (!token.isEmpty() && QStringLiteral(".:;'").contains(token.back()))
            token.chop(1);
        const qsizetype at = token.indexOf(QLatin1Char('@'));
        if (at <= 0 || at == token.size() - 1)
            continue;
        if (hiddenCharacters(token).isEmpty())
            out += plainAddressesIn(token);
        else
            out.append(token.toLower());
    }
    return out;
}

} // namespace

QStringList FreeTextRules::addressesIn(const QString &text)
{
    if (text.contains(QLatin1Char('@')) && !hiddenCharacters(text).isEmpty())
        return addressesWithHiddenCharacters(text);
    return plainAddressesIn(text);
}

bool FreeTextRules::soundsLikeFailure(const QString &text)
{
    static const QRegularExpression failure = make(QStringLiteral(
        "could ?n[o']t be delivered|undeliver|not (be )?delivered|delivery (has )?failed|failed permanently|permanent(ly)? (error|fail)"
        "|unable to deliver|wasn't able to deliver|were unable to deliver|following addresses? (had|failed)|delivery (status|failure|problem|notification)"
        "|returned mail|failure notice|mail delivery (failed|system|subsystem)|non-?delivery|delivery to the following|user unknown|mailbox (is )?full"
        "|not delivered|temporary failure|could not deliver|fatal errors|has not yet been delivered|delivery to the following|message not delivered"
        "|se ha podido entregar|konnte nicht zugestellt|n'a pas pu [eê]tre|non [eè] stato possibile|送信できません|配信でき|届きませんでした"));
    return failure.match(text).hasMatch();
}

QString FreeTextRules::notificationPart(const QString &text, QString *originalHeaders)
{
    const QStringList lines = text.split(QLatin1Char('\n'));
    int cut = -1;
    int headerStart = -1;
    for (int i = 0; i < lines.size(); ++i) {
        const QString &line = lines.at(i);
        if (isMarker(line)) {
            cut = i;
            headerStart = i + 1;
            break;
        }
        // A block of at least three header lines that names the message: the original.
        if (isOriginalHeader(line) && i > 0) {
            int headers = 0;
            int j = i;
            for (; j < lines.size() && j < i + 12 && isAnyHeader(lines.at(j)); ++j)
                if (!lines.at(j).startsWith(QLatin1Char(' ')) && !lines.at(j).startsWith(QLatin1Char('\t')))
                    ++headers;
            if (headers >= 3 || (headers >= 2 && j == lines.size())) {
                cut = i;
                headerStart = i;
                break;
            }
        }
    }
    if (cut < 0)
        return text;
    if (originalHeaders) {
        QStringList block;
        int i = headerStart;
        while (i < lines.size() && lines.at(i).trimmed().isEmpty())
            ++i;
        for (; i < lines.size() && !lines.at(i).trimmed().isEmpty() && block.size() < 400; ++i)
            block.append(lines.at(i));
        *originalHeaders = block.join(QLatin1Char('\n'));
    }
    return lines.mid(0, cut).join(QLatin1Char('\n'));
}

FoundCodes FreeTextRules::findCodes(const QString &text)
{
    static const QRegularExpression replyStart(QStringLiteral(
        "(?:^|[\\s:;(\\[<>\"'])([245][0-7][0-9])(?=[ \\t:,-]|$)(?![-][^ \\t])(?!:\\d)"), QRegularExpression::MultilineOption);
    static const QRegularExpression replyStartDash(QStringLiteral(
        "(?:^|[\\s:;(\\[<>\"'])([245][0-7][0-9])-(?=['\"]?[245]\\.\\d)"), QRegularExpression::MultilineOption);
    static const QRegularExpression statusToken(QStringLiteral(
        "(?<![\\w.])([245]\\.\\d{1,3}\\.\\d{1,3})(?!\\.?\\d)(?![\\w-])"));
    FoundCodes found;
    const CheckedText checked(text); // three patterns read it
    QRegularExpressionMatch m = checked.match(replyStart);
    QRegularExpressionMatch dash = checked.match(replyStartDash);
    if (dash.hasMatch() && (!m.hasMatch() || dash.capturedStart(1) < m.capturedStart(1)))
        m = dash;
    if (m.hasMatch()) {
        const int start = m.capturedStart(1);
        int end = text.indexOf(QLatin1Char('\n'), start);
        if (end < 0)
            end = text.size();
        ReplyParser parser;
        parser.feed(text.mid(start, end - start).toUtf8() + "\r\n");
        QList<Reply> replies = parser.takeReplies();
        if (replies.isEmpty()) {
            // "550-5.7.1 first 550-5.7.1 second" unfolded on one line: the reply never ends.
            if (const auto open = parser.finish())
                replies.append(*open);
        }
        if (!replies.isEmpty() && replies.first().code != 0) {
            const Reply &reply = replies.first();
            found.replyCode = reply.code;
            if (reply.enhanced)
                found.status = reply.enhanced->toString();
            found.replyText = text.mid(start, wrappedEnd(text, end) - start).trimmed();
        }
    }
    if (found.status.isEmpty()) {
        auto it = checked.globalMatch(statusToken);
        while (it.hasNext()) {
            const QString token = it.next().captured(1);
            if (auto status = EnhancedStatus::parse(token)) {
                found.status = status->toString();
                break;
            }
        }
    }
    return found;
}

QList<FreeTextFinding> FreeTextRules::findRecipients(const QString &notification, const QStringList &exclude)
{
    // "<bob@x>: text", "bob@x: 550 ...", "<bob@x> (expanded from <y>): user unknown"
    static const QRegularExpression colonForm(QStringLiteral(
        "^\\s*[\"']?<?(%1)>?[\"']?(?:\\s*\\([^)]*\\))?\\s*:(?!\\d)\\s*(.*)$").arg(kAddress));
    // "  bob@x", "<bob@x>", "bob@x [User unknown]", "bob@x (generated from y)", "bob@x on date"
    static const QRegularExpression aloneForm(QStringLiteral(
        "^\\s*[\"']?<?(%1)>?[\"']?\\s*(?:$|[\\[(].*$|<.*$|,?\\s+(?:on|for|because|-|--)\\s.*$)").arg(kAddress));
    // Sendmail: "550 5.1.1 <bob@x>... User unknown", "<bob@x>... Deferred"
    static const QRegularExpression sendmailForm(QStringLiteral(
        "^\\s*(?:[245]\\d\\d[ -](?:[245]\\.\\d{1,3}\\.\\d{1,3}\\s+)?)?<?(%1)>?\\.\\.\\.\\s*(.*)$").arg(kAddress));
    // Transcripts: "RCPT TO:<bob@x>", "Failed recipient: bob@x", "Recipient address: bob@x"
    static const QRegularExpression labelForm = make(QStringLiteral(
        "(?:rcpt to:|recipient(?: address)?:|failed recipient:|original recipient:|final recipient:|your message to:?|"
        "the following (?:e-?mail )?address(?:es)?:?|delivery to:?|could not be delivered to:?|undeliverable to|"
        "mail to|message to|address:|to:)\\s*<?(%1)>?").arg(kAddress));

    QStringList excluded;
    for (const QString &e : exclude)
        excluded.append(e.toLower());

    struct Hit
    {
        int line;
        QString address;
        QString rest;
    };
    const QStringList lines = notification.split(QLatin1Char('\n'));
    QList<Hit> hits;
    bool allowSystem = false;
    auto usable = [&](const QString &address) {
        return !excluded.contains(address) && (allowSystem || !isSystemAddress(address));
    };
    for (int i = 0; i < lines.size(); ++i) {
        const QString &line = lines.at(i);
        if (!line.contains(QLatin1Char('@')))
            continue;
        QRegularExpressionMatch m = sendmailForm.match(line);
        if (!m.hasMatch())
            m = colonForm.match(line);
        if (!m.hasMatch())
            m = aloneForm.match(line);
        if (m.hasMatch()) {
            const QString address = m.captured(1).toLower();
            if (usable(address))
                hits.append(Hit{i, address, m.lastCapturedIndex() >= 2 ? m.captured(2) : QString()});
        }
    }
    if (hits.isEmpty()) {
        // A postmaster can be the recipient that failed, when no one else is named.
        allowSystem = true;
        for (int i = 0; i < lines.size(); ++i) {
            const QString &line = lines.at(i);
            if (!line.contains(QLatin1Char('@')))
                continue;
            QRegularExpressionMatch m = colonForm.match(line);
            if (!m.hasMatch())
                m = aloneForm.match(line);
            if (m.hasMatch() && usable(m.captured(1).toLower()) && !m.captured(1).startsWith(QLatin1String("mailer-daemon"), Qt::CaseInsensitive))
                hits.append(Hit{i, m.captured(1).toLower(), m.lastCapturedIndex() >= 2 ? m.captured(2) : QString()});
        }
        allowSystem = false;
    }
    if (hits.isEmpty()) {
        for (int i = 0; i < lines.size(); ++i) {
            const QRegularExpressionMatch m = labelForm.match(lines.at(i));
            if (m.hasMatch() && usable(m.captured(1).toLower()))
                hits.append(Hit{i, m.captured(1).toLower(), lines.at(i).mid(m.capturedEnd(0))});
        }
    }
    if (hits.isEmpty()) {
        for (int i = 0; i < lines.size(); ++i) {
            if (!lines.at(i).contains(QLatin1Char('@')))
                continue;
            for (const QString &address : addressesIn(lines.at(i))) {
                if (usable(address)) {
                    // The words around the address are what was said about it.
                    QString rest = lines.at(i);
                    rest.replace(address, QString(), Qt::CaseInsensitive);
                    hits.append(Hit{i, address, rest});
                    break;
                }
            }
            if (!hits.isEmpty())
                break;
        }
    }

    QList<FreeTextFinding> out;
    QStringList seen;
    for (int h = 0; h < hits.size(); ++h) {
        const Hit &hit = hits.at(h);
        if (seen.contains(hit.address))
            continue;
        seen.append(hit.address);
        int end = lines.size();
        for (int k = h + 1; k < hits.size(); ++k) {
            if (hits.at(k).address != hit.address && hits.at(k).line > hit.line) {
                end = hits.at(k).line;
                break;
            }
        }
        end = qMin(end, hit.line + 40);
        // The diagnostic: the rest of the recipient's line and the lines after it.
        QStringList segmentLines;
        segmentLines.append(hit.rest);
        for (int k = hit.line + 1; k < end; ++k)
            segmentLines.append(lines.at(k));
        const QString segment = segmentLines.join(QLatin1Char('\n'));

        FreeTextFinding f;
        f.recipient = hit.address;
        f.originalRecipient = expandedFrom(lines.at(hit.line));
        if (f.originalRecipient == f.recipient)
            f.originalRecipient.clear();
        FoundCodes codes = findCodes(segment);
        if (codes.replyCode == 0 && codes.status.isEmpty()) {
            // The codes may precede the address ("550 5.1.1 <bob@x>... User unknown").
            codes = findCodes(lines.at(hit.line));
        }
        f.replyCode = codes.replyCode;
        f.status = codes.status;
        f.diagnostic = collapse(segment);
        if (!codes.replyText.isEmpty())
            f.diagnostic = collapse(codes.replyText);
        if (f.diagnostic.isEmpty())
            f.diagnostic = collapse(segment);
        // Reason rules also look at the text just before (headings such as "permanent error").
        const int before = qMax(0, hit.line - 6);
        f.context = lines.mid(before, end - before).join(QLatin1Char('\n'));

        static const QRegularExpression host = make(QStringLiteral(
            "(?:host|server|mx)\\s+([A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+)"));
        const QRegularExpressionMatch hm = host.match(segment);
        if (hm.hasMatch())
            f.remoteMta = hm.captured(1).toLower();
        out.append(f);
    }
    return out;
}

QString FreeTextRules::remoteHostInProse(const QString &notification)
{
    static const QRegularExpression re = make(QStringLiteral(
        "rejected by the server for the recipient domain \\S+ by ([a-z0-9-]+(?:\\.[a-z0-9-]+)+)\\.?\\s*\\[|"
        "while talking to ([a-z0-9-]+(?:\\.[a-z0-9-]+)+)\\.?:|"
        "\\bhost ([a-z0-9-]+(?:\\.[a-z0-9-]+)+)\\[[0-9a-f.:]+\\] said:"));
    const QRegularExpressionMatch m = re.match(notification);
    for (int i = 1; i <= m.lastCapturedIndex(); ++i)
        if (!m.captured(i).isEmpty())
            return m.captured(i).toLower();
    return QString();
}

} // namespace smtp
