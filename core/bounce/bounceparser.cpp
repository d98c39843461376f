#include "bounceparser.h"

#include "dsnfields.h"
#include "freetextrules.h"
#include "mimereader.h"
#include "knowledge/diagnoser.h"
#include "knowledge/reasonclassifier.h"

#include "knowledge/explainer.h"
#include "protocol/replyparser.h"
#include "protocol/untrustedtext.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QHash>
#include <QRegularExpression>

namespace smtp {

namespace {

// A recipient the prose names, with the codes and words of the whole notification.
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

QString decodeText(const QByteArray &data)
{
    QString text = QString::fromUtf8(data);
    if (text.contains(QChar::ReplacementCharacter))
        return QString::fromLatin1(data);
    return text;
}

QString firstAddress(const QString &text)
{
    const QStringList all = FreeTextRules::addressesIn(text);
    return all.isEmpty() ? QString() : all.first();
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

const QRegularExpression &systemSender()
{
    static const QRegularExpression re(QStringLiteral("mailer-daemon|postmaster"), QRegularExpression::CaseInsensitiveOption);
    return re;
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

void explain(BounceRecipient &r, Explainer &explainer)
{
    Explanation e;
    const auto status = EnhancedStatus::parse(r.status);
    if (r.replyCode) {
        // The codes only: the words get their diagnosis once, from describe() with the
        // reason found here (a reply with its lines would be diagnosed again, and unused).
        Reply reply;
        reply.code = r.replyCode;
        reply.enhanced = status;
        e = explainer.explain(reply, QStringLiteral("RCPT"));
    } else if (status) {
        e = explainer.explainEnhanced(*status);
    } else {
        return;
    }
    r.summary = e.summary;
    r.nextStep = e.action;
}

// What the words say, from the same engine as `smtpwb explain`, for the reason found here.
void applyDiagnosis(BounceRecipient &r, const Diagnosis &d)
{
    r.source = d.source;
    r.list = d.list;
    r.help = d.help;
    if (!d.summary.isEmpty()) {
        r.summary = d.summary;
        r.nextStep = d.action;
    }
}

// "550-5.7.1 first 550-5.7.1 second" (a multi-line reply unfolded): the prefixes of the
// continuation lines go, the words stay.
QString withoutContinuationCodes(const QString &text, int code)
{
    if (code == 0 || !text.startsWith(QString::number(code)))
        return text;
    // One pattern per reply code, compiled once per thread (parsing runs on every core).
    thread_local QHash<int, QRegularExpression> prefixes;
    auto it = prefixes.find(code);
    if (it == prefixes.end())
        it = prefixes.insert(code, QRegularExpression(
            QStringLiteral("(?<=\\S)\\s+%1[ -](?:[245]\\.\\d{1,3}\\.\\d{1,3}\\s)?").arg(code)));
    const QRegularExpression &prefix = *it;
    QString rest = text.mid(4);
    rest.replace(prefix, QStringLiteral(" "));
    return text.left(4) + rest;
}

// The reply code and status inside a Diagnostic-Code value ("smtp; 550 5.1.1 ...").
FoundCodes codesOfDiagnostic(const QString &diagnostic)
{
    return FreeTextRules::findCodes(diagnostic);
}

void finishRecipient(BounceRecipient &r, const QString &context, Explainer &explainer)
{
    const ReasonClassifier &classifier = ReasonClassifier::instance();
    if (r.reason.isEmpty()) {
        // The enhanced code of a generic DSN status ("5.0.0") says less than the server's own.
        QString status = r.status;
        const FoundCodes own = codesOfDiagnostic(r.diagnostic);
        if ((status.endsWith(QLatin1String(".0.0")) || status.isEmpty()) && !own.status.isEmpty())
            status = own.status;
        r.reason = classifier.classify(r.diagnostic, context, status, r.replyCode, r.action);
        if (r.reason == QLatin1String("undefined") || r.reason == QLatin1String("onhold")) {
            const QString known = classifier.reasonForDomain(r.recipient);
            if (!known.isEmpty())
                r.reason = known;
        }
    }
    if (r.action.isEmpty()) {
        const int k = klassOf(r);
        r.action = k == 4 ? QStringLiteral("delayed") : k == 2 ? QStringLiteral("delivered") : QStringLiteral("failed");
    }
    const Diagnosis words = Diagnoser::instance().refineAndDescribe(r.reason, r.diagnostic, r.replyCode, r.status);
    r.hard = classifier.isHard(r.reason, klassOf(r) ? klassOf(r) : 5);
    explain(r, explainer);
    if (!r.diagnostic.isEmpty() && r.reason != QLatin1String("delivered"))
        applyDiagnosis(r, words); // over the codes' summary, where the words say more
    if (r.action == QLatin1String("delayed") && (r.reason == QLatin1String("expired") || r.summary.isEmpty())) {
        // Late, not given up: the words of "expired" would contradict the action.
        const auto advice = Diagnoser::instance().adviceFor(QStringLiteral("delayed"));
        r.summary = advice.first;
        r.nextStep = advice.second;
    }
    // A failure stated in words only: its class and the reason's code, marked inferred.
    if (r.status.isEmpty() && r.reason != QLatin1String("delivered") && r.reason != QLatin1String("vacation")) {
        r.status = classifier.inferredStatus(r.reason, klassOf(r));
        r.statusInferred = !r.status.isEmpty();
    }
}

// What a whole notice in words says of its recipients: "delayed" when it only warns of a
// late delivery, "failed" when it says it could not deliver; empty when it says neither.
QString freeTextAction(const QString &subject, const QString &notification)
{
    const QString head = notification.left(6000).simplified(); // "could not\nbe delivered"
    if (ReasonClassifier::instance().soundsDelayed(subject, head))
        return QStringLiteral("delayed");
    return FreeTextRules::soundsLikeFailure(subject + QLatin1Char('\n') + head) ? QStringLiteral("failed") : QString();
}

bool isAutoReply(const MimeContent &c)
{
    static const QRegularExpression subject(QStringLiteral(
        "^(auto(matic)?[ -]?(reply|response|antwort)|out of (the )?office|away from|on vacation|vacation|abwesenheit|absence|r[ée]ponse automatique|autoreply)|(out of (the )?office|away until|auto(matic)? ?reply|on vacation|autoresponder)"),
        QRegularExpression::CaseInsensitiveOption);
    const QString auto_ = c.top.autoSubmitted.toLower();
    bool autoHeader = auto_.startsWith(QLatin1String("auto-replied"));
    for (const QString &h : c.top.other) {
        const QString l = h.toLower();
        if (l.startsWith(QLatin1String("x-autoreply:")) || l.startsWith(QLatin1String("x-autorespond:"))
            || l.startsWith(QLatin1String("x-auto-response-suppress:")) || l == QLatin1String("precedence: auto_reply"))
            autoHeader = true;
    }
    return autoHeader || subject.match(c.top.subject).hasMatch();
}

bool looksLikeBounceMessage(const MimeContent &c, const QString &notification)
{
    static const QRegularExpression from(QStringLiteral(
        "mailer-daemon|postmaster|mail delivery|mail-daemon|maildaemon|mailerdaemon|delivery|daemon|bounce|mail administrator|system administrator|devnull|nobody"),
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression subject(QStringLiteral(
        "undeliver|delivery|returned|failure|failed|bounce|non-?deliver|not delivered|rejected|could not|warning|delayed|notification|error|mail system|dsn|unzustellbar|nicht|erreur|non recapitabile|no entregado|unable|エラー|不達|未達"),
        QRegularExpression::CaseInsensitiveOption);
    if (from.match(c.top.from).hasMatch() || subject.match(c.top.subject).hasMatch())
        return true;
    for (const QString &h : c.top.other)
        if (h.startsWith(QLatin1String("Return-Path: <>"), Qt::CaseInsensitive))
            return true;
    return FreeTextRules::soundsLikeFailure(notification.left(6000));
}

// Amazon SES / SNS bounce notifications carry their findings as JSON.
bool readSesJson(const QString &text, BounceReport &report)
{
    const int brace = text.indexOf(QLatin1Char('{'));
    if (brace < 0 || !text.contains(QLatin1String("bounce"), Qt::CaseInsensitive))
        return false;
    QJsonObject root = QJsonDocument::fromJson(text.mid(brace).trimmed().toUtf8()).object();
    if (root.contains(QLatin1String("Message")) && root.value(QLatin1String("Message")).isString())
        root = QJsonDocument::fromJson(root.value(QLatin1String("Message")).toString().toUtf8()).object();
    const QJsonObject bounce = root.value(QLatin1String("bounce")).toObject();
    const QJsonArray recipients = bounce.value(QLatin1String("bouncedRecipients")).toArray();
    if (recipients.isEmpty())
        return false;
    const QJsonObject mail = root.value(QLatin1String("mail")).toObject();
    const QJsonObject common = mail.value(QLatin1String("commonHeaders")).toObject();
    report.originalSubject = common.value(QLatin1String("subject")).toString();
    report.originalMessageId = common.value(QLatin1String("messageId")).toString();
    report.originalSender = mail.value(QLatin1String("source")).toString();
    for (const QJsonValue &v : recipients) {
        const QJsonObject o = v.toObject();
        BounceRecipient r;
        r.recipient = o.value(QLatin1String("emailAddress")).toString().toLower();
        r.action = o.value(QLatin1String("action")).toString().toLower();
        r.status = o.value(QLatin1String("status")).toString();
        r.diagnostic = o.value(QLatin1String("diagnosticCode")).toString().simplified();
        r.reportingMta = DsnFields::stripType(bounce.value(QLatin1String("reportingMTA")).toString());
        r.date = bounce.value(QLatin1String("timestamp")).toString();
        const FoundCodes codes = FreeTextRules::findCodes(r.diagnostic);
        r.replyCode = codes.replyCode;
        if (r.status.isEmpty())
            r.status = codes.status;
        report.recipients.append(r);
    }
    return true;
}

} // namespace

namespace {
// What the notice's own fields hold that a screen would hide: said once, as a note.
void noteHiddenCharacters(BounceReport &report)
{
    QStringList found;
    for (const BounceRecipient &r : report.recipients)
        for (const QString *field : {&r.recipient, &r.diagnostic, &r.reportingMta, &r.remoteMta, &r.status})
            for (Violation v : hiddenCharacters(*field))
                if (!found.contains(violationName(v)))
                    found.append(violationName(v));
    if (!found.isEmpty())
        report.notes.append(QStringLiteral("the bounce holds hidden characters (%1); they are shown as marks")
                                .arg(found.join(QStringLiteral(", "))));
}
} // namespace

BounceReport BounceParser::parse(const QByteArray &input)
{
    BounceReport report = parse(input, 0);
    noteHiddenCharacters(report);
    return report;
}

BounceReport BounceParser::parse(const QByteArray &input, int depth)
{
    BounceReport report;
    // One per thread, not per message: its caches are what make explaining cheap.
    thread_local Explainer explainer;
    QByteArray data = input;
    if (data.size() > kMaxInput) {
        data.truncate(kMaxInput);
        report.notes.append(QStringLiteral("the input is over %1 MB; only its start was read").arg(kMaxInput / (1024 * 1024)));
    }
    data = normaliseLineEnds(data);
    if (data.trimmed().isEmpty()) {
        report.notes.append(QStringLiteral("the input is empty"));
        return report;
    }
    if (looksBinary(data)) {
        report.kind = BounceReport::Kind::NotBounce;
        report.notes.append(QStringLiteral("the input is binary data, not text: it was not read as a bounce"));
        return report;
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
    const bool fragment = !startsWithHeaders(data);
    MimeContent content;
    if (fragment) {
        content.texts.append(decodeText(data));
    } else {
        content = MimeReader::read(data);
    }
    report.notes += content.notes;
    if (!fragment && content.texts.isEmpty() && content.deliveryStatus.isEmpty() && content.feedbackReports.isEmpty()
        && !content.topType.startsWith(QLatin1String("multipart/mixed"))) {
        // A multipart whose boundaries are missing: read the body as plain text.
        const qsizetype bodyStart = data.indexOf("\n\n");
        if (bodyStart >= 0) {
            content.texts.append(decodeText(data.mid(bodyStart + 2)));
            report.notes.append(QStringLiteral("the MIME structure could not be followed; the body was read as plain text"));
        }
    }

    // The prose of the bounce, without the returned original message.
    QString prose;
    for (const QString &t : content.texts)
        prose += t + QLatin1Char('\n');
    QString originalHeaders;
    const QString notification = FreeTextRules::notificationPart(prose, &originalHeaders);
    if (content.originalHeaderText.isEmpty())
        content.originalHeaderText = originalHeaders;
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

    // A delivery held back, not failed: a challenge-response request, a moderation notice.
    if (!fragment && content.deliveryStatus.isEmpty() && content.feedbackReports.isEmpty()) {
        const QString note = ReasonClassifier::instance().notBounceNote(content.top.from, content.top.subject,
                                                                        notification.left(6000));
        if (!note.isEmpty()) {
            report.kind = BounceReport::Kind::NotBounce;
            report.notes.append(note);
            return report;
        }
    }

    // ARF feedback reports (RFC 5965).
    static const QRegularExpression complaint(QStringLiteral("complaint about message|abuse report|spam report|feedback loop"),
                                              QRegularExpression::CaseInsensitiveOption);
    const bool hotmailStyleComplaint = content.deliveryStatus.isEmpty() && content.original.present
        && complaint.match(content.top.subject).hasMatch();
    if (!content.feedbackReports.isEmpty() || content.reportType == QLatin1String("feedback-report") || hotmailStyleComplaint) {
        report.kind = BounceReport::Kind::Arf;
        const QString body = content.feedbackReports.value(0);
        const DsnFields fields = DsnFields::parse(body);
        QList<DsnField> all = fields.perMessage;
        for (const auto &g : fields.perRecipient)
            all += g;
        QString type = DsnFields::value(all, u"Feedback-Type").toLower();
        if (type.isEmpty() && hotmailStyleComplaint)
            type = QStringLiteral("abuse");
        QStringList rcpts;
        for (const QString &v : DsnFields::values(all, u"Original-Rcpt-To") + DsnFields::values(all, u"Removal-Recipient"))
            for (const QString &a : FreeTextRules::addressesIn(v))
                if (!rcpts.contains(a))
                    rcpts.append(a);
        for (const QString &h : content.original.other) {
            if (rcpts.isEmpty() && h.startsWith(QLatin1String("X-HmXmrOriginalRecipient:"), Qt::CaseInsensitive))
                rcpts += FreeTextRules::addressesIn(h);
        }
        if (rcpts.isEmpty()) {
            const QString to = content.original.present ? content.original.to
                                                        : headerLineValue(content.originalHeaderText, QStringLiteral("To"));
            for (const QString &a : FreeTextRules::addressesIn(to))
                if (!rcpts.contains(a))
                    rcpts.append(a);
        }
        if (rcpts.isEmpty())
            rcpts.append(QString());
        if (report.originalSender.isEmpty())
            report.originalSender = firstAddress(DsnFields::value(all, u"Original-Mail-From"));
        for (const QString &a : rcpts) {
            BounceRecipient r;
            r.recipient = a;
            r.reason = QStringLiteral("feedback");
            r.feedbackType = type.isEmpty() ? QStringLiteral("other") : type;
            r.date = DsnFields::value(all, u"Arrival-Date");
            r.reportingMta = DsnFields::stripType(DsnFields::value(all, u"Reporting-MTA"));
            r.diagnostic = content.texts.value(0).simplified().left(300);
            r.summary = QStringLiteral("A feedback report (%1): someone or something reported the message, it was delivered.").arg(r.feedbackType);
            r.nextStep = QStringLiteral("Stop mailing a recipient who complained; check the message and the sending list.");
            report.recipients.append(r);
        }
        return report;
    }

    // Per-recipient findings from the prose; they complete the DSN fields or stand alone.
    QStringList exclude;
    if (!fragment) {
        exclude += FreeTextRules::addressesIn(content.top.from);
        exclude += FreeTextRules::addressesIn(content.top.to);
        if (!report.originalSender.isEmpty())
            exclude.append(report.originalSender);
    }

    // RFC 3464 fields: in their own part, or pasted in the text.
    QString dsnText = content.deliveryStatus.join(QStringLiteral("\n\n"));
    if (dsnText.isEmpty() && DsnFields::looksLikeDsn(notification))
        dsnText = notification;
    const DsnFields dsn = DsnFields::parse(dsnText);
    const bool dsnMessage = !content.deliveryStatus.isEmpty() && !dsn.perRecipient.isEmpty();
    const QList<FreeTextFinding> findings = FreeTextRules::findRecipients(notification, exclude);

    if (!dsn.perRecipient.isEmpty()) {
        report.kind = dsnMessage ? BounceReport::Kind::Dsn : (fragment ? BounceReport::Kind::Fragment : BounceReport::Kind::FreeText);
        const QString reportingMta = DsnFields::stripType(DsnFields::value(dsn.perMessage, u"Reporting-MTA"));
        const QString arrival = DsnFields::value(dsn.perMessage, u"Arrival-Date");
        if (report.originalSender.isEmpty())
            report.originalSender = firstAddress(DsnFields::value(dsn.perMessage, u"X-Postfix-Sender"));
        for (const QList<DsnField> &g : dsn.perRecipient) {
            BounceRecipient r;
            QString final_ = DsnFields::stripType(DsnFields::value(g, u"Final-Recipient"));
            QString original = DsnFields::stripType(DsnFields::value(g, u"Original-Recipient"));
            QString address = firstAddress(final_);
            if (address.isEmpty())
                address = firstAddress(original);
            if (address.isEmpty())
                address = firstAddress(DsnFields::stripType(DsnFields::value(g, u"X-Actual-Recipient")));
            if (address.isEmpty() && report.recipients.size() < findings.size())
                address = findings.at(report.recipients.size()).recipient; // a DSN without a usable address
            r.recipient = address;
            const QString typed = firstAddress(original);
            if (!typed.isEmpty() && typed.compare(address, Qt::CaseInsensitive) != 0)
                r.originalRecipient = typed; // the address the sender wrote, before forwarding or aliases
            r.action = DsnFields::value(g, u"Action").section(QLatin1Char(' '), 0, 0).toLower();
            const QString statusField = DsnFields::value(g, u"Status");
            static const QRegularExpression statusToken(QStringLiteral("[245]\\.\\d{1,3}\\.\\d{1,3}"));
            const QRegularExpressionMatch sm = statusToken.match(statusField);
            if (sm.hasMatch() && EnhancedStatus::parse(sm.captured(0)))
                r.status = sm.captured(0);
            const QString diagnosticField = DsnFields::value(g, u"Diagnostic-Code");
            // A local program failed, not the address: unless it says the mailbox is over quota.
            if (DsnFields::typeOf(diagnosticField) == QLatin1String("x-unix")
                && ReasonClassifier::instance().reasonFromText(diagnosticField) != QLatin1String("mailboxfull"))
                r.reason = QStringLiteral("mailererror");
            r.diagnostic = DsnFields::stripType(diagnosticField).simplified();
            const FoundCodes codes = codesOfDiagnostic(r.diagnostic);
            r.diagnostic = withoutContinuationCodes(r.diagnostic, codes.replyCode);
            r.replyCode = codes.replyCode;
            if (r.status.isEmpty())
                r.status = codes.status;
            r.reportingMta = DsnFields::stripType(DsnFields::value(g, u"Reporting-MTA"));
            if (r.reportingMta.isEmpty())
                r.reportingMta = reportingMta;
            r.remoteMta = DsnFields::stripType(DsnFields::value(g, u"Remote-MTA"));
            r.date = DsnFields::value(g, u"Last-Attempt-Date");
            if (r.date.isEmpty())
                r.date = arrival;
            QString context;
            for (const FreeTextFinding &f : findings) {
                if (f.recipient == r.recipient || (!original.isEmpty() && original.toLower().contains(f.recipient))) {
                    if (r.replyCode == 0)
                        r.replyCode = f.replyCode;
                    if (r.status.isEmpty())
                        r.status = f.status;
                    if (r.diagnostic.isEmpty())
                        r.diagnostic = f.diagnostic;
                    if (r.remoteMta.isEmpty())
                        r.remoteMta = f.remoteMta.isEmpty() ? FreeTextRules::remoteHostInProse(notification) : f.remoteMta;
                    context = f.context;
                    break;
                }
            }
            if (context.isEmpty() && dsn.perRecipient.size() == 1)
                context = notification.left(4000);
            if (r.replyCode == 0 && dsn.perRecipient.size() == 1 && findings.size() <= 1) {
                const FoundCodes fromProse = FreeTextRules::findCodes(context);
                if (fromProse.replyCode / 100 == klassOf(r) || klassOf(r) == 0)
                    r.replyCode = fromProse.replyCode;
            }
            finishRecipient(r, context, explainer);
            report.recipients.append(r);
        }
    } else if (!fragment && isAutoReply(content) && !FreeTextRules::soundsLikeFailure(notification.left(6000))
               && !systemSender().match(content.top.from).hasMatch()) {
        report.kind = BounceReport::Kind::AutoReply;
        BounceRecipient r;
        r.recipient = firstAddress(content.top.from);
        r.reason = QStringLiteral("vacation");
        r.action = QStringLiteral("delivered");
        r.date = content.top.date;
        r.diagnostic = notification.simplified().left(300);
        r.summary = QStringLiteral("An automatic reply (RFC 3834), such as an out-of-office note: the message was delivered, nothing failed.");
        r.nextStep = QStringLiteral("Nothing to do; the recipient will read the message later.");
        report.recipients.append(r);
        return report;
    } else if (readSesJson(notification, report)) {
        report.kind = BounceReport::Kind::FreeText;
        for (BounceRecipient &r : report.recipients)
            finishRecipient(r, QString(), explainer);
    } else if (fragment || looksLikeBounceMessage(content, notification)) {
        report.kind = fragment ? BounceReport::Kind::Fragment : BounceReport::Kind::FreeText;
        QList<FreeTextFinding> found = findings;
        if (found.isEmpty() && depth == 0 && !content.originalRaw.isEmpty()) {
            // A relay forwarded the real bounce as an attachment: read that one.
            BounceReport inner = parse(content.originalRaw, depth + 1);
            if (inner.isBounce) {
                inner.notes.prepend(QStringLiteral("the bounce was read from the message attached to this one"));
                return inner;
            }
        }
        if (found.isEmpty() && !fragment) {
            // Exim names the failed addresses in X-Failed-Recipients even where its prose
            // shows only a file or pipe ("save to ...").
            for (const QString &h : content.top.other) {
                if (!h.startsWith(QLatin1String("X-Failed-Recipients:"), Qt::CaseInsensitive))
                    continue;
                for (const QString &address : FreeTextRules::addressesIn(h))
                    found.append(findingFromNotification(address, notification));
            }
        }
        if (found.isEmpty() && !fragment) {
            // Some bounces name no one in their prose: the original's To is who failed.
            const QString to = content.original.present ? content.original.to
                                                        : headerLineValue(content.originalHeaderText, QStringLiteral("To"));
            const QString address = firstAddress(to);
            if (!address.isEmpty()) {
                found.append(findingFromNotification(address, notification));
                report.notes.append(QStringLiteral("the bounce names no recipient; the original message's To was taken"));
            }
        }
        const QString action = fragment ? QString() : freeTextAction(content.top.subject, notification);
        for (const FreeTextFinding &f : found) {
            BounceRecipient r;
            r.recipient = f.recipient;
            r.originalRecipient = f.originalRecipient;
            r.status = f.status;
            r.replyCode = f.replyCode;
            r.diagnostic = f.diagnostic;
            r.remoteMta = f.remoteMta.isEmpty() ? FreeTextRules::remoteHostInProse(notification) : f.remoteMta;
            r.date = content.top.date;
            if (klassOf(r) != 5)
                r.action = action; // a 4xx in a notice that gave up failed; words alone tell late from failed
            finishRecipient(r, f.context, explainer);
            report.recipients.append(r);
        }
        if (found.isEmpty()) {
            // No address, but perhaps a reply: "550 5.1.1 user unknown".
            const FoundCodes codes = FreeTextRules::findCodes(notification);
            if (codes.replyCode || !codes.status.isEmpty()) {
                BounceRecipient r;
                r.replyCode = codes.replyCode;
                r.status = codes.status;
                r.diagnostic = codes.replyText.isEmpty() ? notification.simplified().left(300)
                                                         : codes.replyText.simplified();
                finishRecipient(r, notification.left(4000), explainer);
                report.recipients.append(r);
                report.notes.append(QStringLiteral("no recipient address was found"));
            }
        }
    }

    if (report.recipients.isEmpty()) {
        report.kind = BounceReport::Kind::NotBounce;
        report.notes.append(QStringLiteral("no failed recipient was found: this does not read as a bounce"));
        return report;
    }
    for (const BounceRecipient &r : report.recipients) {
        if (r.reason != QLatin1String("delivered") && r.reason != QLatin1String("vacation")
            && r.reason != QLatin1String("feedback"))
            report.isBounce = true;
    }
    return report;
}

} // namespace smtp
