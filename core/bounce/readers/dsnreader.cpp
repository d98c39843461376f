// RFC 3464 delivery-status fields, in their own part or pasted in the prose; what the
// prose says of a recipient fills what its fields leave out.

#include "readers.h"

#include "knowledge/reasonclassifier.h"
#include "protocol/enhancedstatus.h"

#include <QHash>
#include <QRegularExpression>

namespace smtp {

namespace {

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
    QString rest = text.mid(4);
    rest.replace(*it, QStringLiteral(" "));
    return text.left(4) + rest;
}

// The recipient's address: Final-Recipient, else Original-Recipient, else Exchange's
// X-Actual-Recipient, else the prose's recipient in the same place.
QString addressOf(const QList<DsnField> &g, const QList<FreeTextFinding> &findings, qsizetype index)
{
    QString address = firstAddress(DsnFields::stripType(DsnFields::value(g, u"Final-Recipient")));
    if (address.isEmpty())
        address = firstAddress(DsnFields::stripType(DsnFields::value(g, u"Original-Recipient")));
    if (address.isEmpty())
        address = firstAddress(DsnFields::stripType(DsnFields::value(g, u"X-Actual-Recipient")));
    if (address.isEmpty() && index < findings.size())
        address = findings.at(index).recipient; // a DSN without a usable address
    return address;
}

void readCodes(BounceRecipient &r, const QList<DsnField> &g)
{
    r.status = FreeTextRules::statusIn(DsnFields::value(g, u"Status"));
    const QString diagnosticField = DsnFields::value(g, u"Diagnostic-Code");
    // A local program failed, not the address: unless it says the mailbox is over quota.
    if (DsnFields::typeOf(diagnosticField) == QLatin1String("x-unix")
        && ReasonClassifier::instance().reasonFromText(diagnosticField) != QLatin1String("mailboxfull"))
        r.reason = QStringLiteral("mailererror");
    r.diagnostic = DsnFields::stripType(diagnosticField).simplified();
    const FoundCodes codes = FreeTextRules::findCodes(r.diagnostic);
    r.diagnostic = withoutContinuationCodes(r.diagnostic, codes.replyCode);
    r.replyCode = codes.replyCode;
    if (r.status.isEmpty())
        r.status = codes.status;
}

// What the prose says of the same recipient fills what the fields leave out; returns the
// text around it, for the reason rules.
QString completeFromProse(BounceRecipient &r, const QString &original, const Notice &notice)
{
    for (const FreeTextFinding &f : notice.findings) {
        if (f.recipient != r.recipient && (original.isEmpty() || !original.toLower().contains(f.recipient)))
            continue;
        if (r.replyCode == 0)
            r.replyCode = f.replyCode;
        if (r.status.isEmpty())
            r.status = f.status;
        if (r.diagnostic.isEmpty())
            r.diagnostic = f.diagnostic;
        if (r.remoteMta.isEmpty())
            r.remoteMta = f.remoteMta.isEmpty() ? FreeTextRules::remoteHostInProse(notice.notification) : f.remoteMta;
        return f.context;
    }
    return QString();
}

} // namespace

std::optional<Found> readDeliveryStatus(const Notice &notice)
{
    const DsnFields &dsn = notice.dsn;
    if (dsn.perRecipient.isEmpty())
        return std::nullopt;
    Found found;
    const bool ownPart = !notice.content.deliveryStatus.isEmpty();
    found.kind = ownPart ? BounceReport::Kind::Dsn : (notice.fragment ? BounceReport::Kind::Fragment : BounceReport::Kind::FreeText);
    const QString reportingMta = DsnFields::stripType(DsnFields::value(dsn.perMessage, u"Reporting-MTA"));
    const QString arrival = DsnFields::value(dsn.perMessage, u"Arrival-Date");
    found.originalSender = firstAddress(DsnFields::value(dsn.perMessage, u"X-Postfix-Sender"));
    const bool one = dsn.perRecipient.size() == 1;
    for (const QList<DsnField> &g : dsn.perRecipient) {
        BounceRecipient r;
        r.recipient = addressOf(g, notice.findings, found.recipients.size());
        const QString original = DsnFields::stripType(DsnFields::value(g, u"Original-Recipient"));
        const QString typed = firstAddress(original);
        if (!typed.isEmpty() && typed.compare(r.recipient, Qt::CaseInsensitive) != 0)
            r.originalRecipient = typed; // the address the sender wrote, before forwarding or aliases
        r.action = DsnFields::value(g, u"Action").section(QLatin1Char(' '), 0, 0).toLower();
        readCodes(r, g);
        r.reportingMta = DsnFields::stripType(DsnFields::value(g, u"Reporting-MTA"));
        if (r.reportingMta.isEmpty())
            r.reportingMta = reportingMta;
        r.remoteMta = DsnFields::stripType(DsnFields::value(g, u"Remote-MTA"));
        r.date = DsnFields::value(g, u"Last-Attempt-Date");
        if (r.date.isEmpty())
            r.date = arrival;
        QString context = completeFromProse(r, original, notice);
        if (context.isEmpty() && one)
            context = notice.notification.left(4000);
        if (r.replyCode == 0 && one && notice.findings.size() <= 1) {
            const FoundCodes fromProse = FreeTextRules::findCodes(context);
            if (fromProse.replyCode / 100 == klassOf(r) || klassOf(r) == 0)
                r.replyCode = fromProse.replyCode;
        }
        found.recipients.append({r, context});
    }
    return found;
}

} // namespace smtp
