#pragma once
// The text formats of MTAs that write bounces in prose (Postfix, Exim, qmail, Sendmail,
// Gmail, Exchange, ...): where the original message starts, who failed, and the codes.
// The formats are data (resources/knowledge/bounce-formats.json); the grammar of
// addresses and SMTP replies is here.

#include <QList>
#include <QString>
#include <QStringList>

namespace smtp {

class CheckedText;

// One recipient found in the prose of a bounce, with what was said about it.
struct FreeTextFinding
{
    QString recipient;
    QString originalRecipient;   // "(expanded from <x>)": the address the sender wrote
    QString diagnostic;   // the text about this recipient, whitespace collapsed
    QString context;      // a wider window of text, for reason rules only
    QString status;       // "5.1.1" or empty
    int replyCode = 0;
    QString remoteMta;
};

// Codes found in a piece of text: the SMTP reply (read by ReplyParser) and enhanced code.
struct FoundCodes
{
    int replyCode = 0;
    QString status;
    QString replyText;    // the reply as written, from its code to the end of its line and
                          // the indented lines that carry it on (Postfix wraps at 80)
};

class FreeTextRules
{
public:
    // Splits a bounce's prose at the start of the returned original message.
    // Returns the notification; the original's header lines go to `originalHeaders`.
    static QString notificationPart(const QString &text, QString *originalHeaders);

    // Recipients and what was said about each, in order of appearance. Addresses in
    // `exclude` (the bounce's own From/To, the sender) are never taken as recipients.
    static QList<FreeTextFinding> findRecipients(const QString &notification, const QStringList &exclude);

    // Exim lists what failed as indented items ("  save to /var/mail/carol", "  pipe to
    // |...", their words indented deeper): the item that names `address` or its local part,
    // else the only item there is; empty when there is no such list, or no telling which.
    static QString listedItemAbout(const QString &address, const QString &notification);

    // Mailboxes a notice names without a domain, one per indented line after a line that
    // introduces them and says they failed ("...could not be delivered because ...:\n\tname");
    // empty if none. `lead` is set to that line.
    static QStringList bareLocalParts(const QString &notification, QString *lead);

    // The reply code and the enhanced status in a diagnostic, wherever they sit in it.
    static FoundCodes findCodes(const QString &text);

    // Every address in a text, lower-cased, in order.
    static QStringList addressesIn(const QString &text);

    // The remote server a notice names in its prose, where no field gives it: Gmail's
    // "rejected by the server for the recipient domain x by mx.x. [192.0.2.1]", Sendmail's
    // "while talking to mx.x.:", Postfix's "host mx.x[192.0.2.1] said:". Empty if none.
    static QString remoteHostInProse(const QString &notification);
    // The server that wrote the notice, where its prose names itself: Postfix's "This is the
    // mail system at host mail.x.", qmail's "This is the qmail-send program at mx.x.",
    // Exchange's "Generating server: ...". Empty if none.
    static QString reportingHostInProse(const QString &notification);

    // Words that say a message could not be delivered.
    static bool soundsLikeFailure(const QString &text);
    // A From or Subject of the mail system writing about a delivery.
    static bool soundsLikeBounceSender(const QString &from, const QString &subject);
    // An automatic reply's subject (out of office ...), and whether a From is the mailer
    // daemon's or the postmaster's (whose notices are never auto-replies).
    static bool soundsLikeAutoReply(const QString &subject);
    // The headers by which a mailing list's message names the list (List-Post ...).
    static QStringList listHeaders();
    // The address a Received header says the message was received for ("for <x>;"); empty if none.
    static QString envelopeRecipient(const QString &received);
    // Words that refuse the mail ("That's not a valid user here"): an automatic message
    // saying them is a bounce, unless its subject is an out-of-office one.
    static bool soundsLikeRefusal(const QString &text);
    static bool fromMailerDaemon(const QString &from);
    // A provider's complaint told by its subject, sent without an ARF part.
    static bool soundsLikeComplaint(const QString &subject);
    // The first valid enhanced status code in a text ("5.1.1"), empty if none.
    static QString statusIn(const QString &text);
    static QString statusIn(const CheckedText &text);

    // What could not be read in bounce-formats.json, where the formats are data.
    static QStringList loadErrors();
};

} // namespace smtp
