#pragma once
// What a bounce says: per failed (or reported) recipient, what happened, the codes, who
// said it and why; plus what is known of the original message. Plain values.

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace smtp {

// One recipient a bounce, a feedback report or an auto-reply is about.
struct BounceRecipient
{
    QString recipient;      // the address, lower-cased domain as written
    QString originalRecipient; // Original-Recipient, where it differs: the address the sender wrote
    QString action;         // failed, delayed, delivered, relayed, expanded; empty if unknown
    QString status;         // enhanced status code "5.1.1", empty when none was found
    bool statusInferred = false; // the message gave none: class from its words, the rest from the reason
    int replyCode = 0;      // SMTP basic reply code, 0 when none was found
    QString diagnostic;     // the remote server's words, whitespace collapsed
    QString reportingMta;
    QString remoteMta;
    QString date;           // as the report writes it
    bool hard = false;      // true where retrying the same message cannot help
    QString reason;         // Sisimai's vocabulary: userunknown, mailboxfull, ...
    QString feedbackType;   // ARF reports: abuse, fraud, opt-out, ...
    QString source;         // who wrote the diagnostic (Diagnoser): "Gmail / Google Workspace", "Postfix"
    QString list;           // a block list the diagnostic names: "Spamhaus PBL"
    QString help;           // the URL the diagnostic gives, else the provider's or list's page
    QString summary;        // what the words say (Diagnoser), else the codes' one-line explanation
    QString nextStep;       // what to do, from the same place

    friend bool operator==(const BounceRecipient &a, const BounceRecipient &b)
    {
        return a.recipient == b.recipient && a.originalRecipient == b.originalRecipient && a.action == b.action && a.status == b.status
            && a.statusInferred == b.statusInferred
            && a.replyCode == b.replyCode && a.diagnostic == b.diagnostic
            && a.reportingMta == b.reportingMta && a.remoteMta == b.remoteMta && a.date == b.date
            && a.hard == b.hard && a.reason == b.reason && a.feedbackType == b.feedbackType
            && a.source == b.source && a.list == b.list && a.help == b.help
            && a.summary == b.summary && a.nextStep == b.nextStep;
    }
    friend bool operator!=(const BounceRecipient &a, const BounceRecipient &b) { return !(a == b); }
};

// The whole reading of one message: what kind it is, its recipients, the original
// message's identity, and notes on whatever could not be read.
struct BounceReport
{
    enum class Kind { NotBounce, Dsn, Arf, AutoReply, FreeText, Fragment, LogLine };

    bool isBounce = false;  // true for failures and delays; false for auto-replies, feedback, junk
    Kind kind = Kind::NotBounce;
    QList<BounceRecipient> recipients;
    QString originalSubject;
    QString originalMessageId;
    QString originalSender;
    QStringList notes;      // what could not be read, in a user's words

    friend bool operator==(const BounceReport &a, const BounceReport &b)
    {
        return a.isBounce == b.isBounce && a.kind == b.kind && a.recipients == b.recipients
            && a.originalSubject == b.originalSubject && a.originalMessageId == b.originalMessageId
            && a.originalSender == b.originalSender && a.notes == b.notes;
    }
    friend bool operator!=(const BounceReport &a, const BounceReport &b) { return !(a == b); }
};

// Whether to send again, one verdict that agrees with the class, the reason and `hard`:
// "not needed: it was delivered", "no: ...", "not as it is: ...", "perhaps later: ...",
// "yes, later: ...", or "unknown".
QString retryVerdict(const BounceRecipient &recipient);

// "dsn", "arf", "autoreply", "freetext", "fragment", "log", "notbounce".
QString kindName(BounceReport::Kind kind);

QJsonObject toJson(const BounceRecipient &recipient);
QJsonObject toJson(const BounceReport &report);

} // namespace smtp
