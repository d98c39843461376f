#include "bounce/bounceparser.h"
#include "bounce/freetextrules.h"
#include "knowledge/diagnoser.h"

#include <QFile>
#include <QTest>

using namespace smtp;

namespace {
QByteArray sample(const QString &name)
{
    QFile file(QStringLiteral(BOUNCE_DATA_DIR "/") + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing sample %s", qPrintable(name));
    return file.readAll();
}
} // namespace

class TestBounceParser : public QObject
{
    Q_OBJECT
private slots:
    void formatsLoad();
    void samples_data();
    void samples();
    void originalMessage_data();
    void originalMessage();
    void originalRecipientIsShownWhereItDiffers();
    void remoteServerFromTheProse();
    void codesAndTheirWords_data();
    void codesAndTheirWords();
    void heldBackIsNotABounce_data();
    void heldBackIsNotABounce();
    void aFailureInWordsGetsAnInferredStatus();
    void explanationComesFromTheExplainer();
    void vacationIsNotAFailure();
    void anAutomaticRefusalIsABounce();
    void aSenderWritingToThemselvesCanFail();
    void aListIsNotTheRecipient();
    void aFailureInWordsNamingNoOne();
    void aBouncedModerationNoticeIsABounce();
    void addressesAsProseWrapsThem_data();
    void addressesAsProseWrapsThem();
    void repeatedRecordsAreShownOnce();
    void mailboxesNamedWithoutADomain();
    void listsThenTheirReplies_data();
    void listsThenTheirReplies();
    void lookAlikesKeepTheirKind_data();
    void lookAlikesKeepTheirKind();
    void truncatedMultipartIsNoted();
    void lineEndsDoNotMatter();
    void pastedFragments_data();
    void pastedFragments();
    void failedRecipientsHeader();
    void failedRecipientsTakeTheirOwnItems();
    void lateIsNotFailed_data();
    void lateIsNotFailed();
    void wrappedRepliesAreWhole();
    void hiddenCharactersStayInTheAddress_data();
    void hiddenCharactersStayInTheAddress();
    void binaryInputIsNotABounce();
    void emptyInput();
    void ordinaryMailIsNotABounce();
    void reportIsAValue();
};

void TestBounceParser::formatsLoad()
{
    QVERIFY2(FreeTextRules::loadErrors().isEmpty(), qPrintable(FreeTextRules::loadErrors().join(QLatin1Char('\n'))));
    // The forms are read, not merely present: a Sendmail line names its recipient.
    const QList<FreeTextFinding> found =
        FreeTextRules::findRecipients(QStringLiteral("550 5.1.1 <bob@example.net>... User unknown"), {});
    QCOMPARE(found.size(), 1);
    QCOMPARE(found.first().recipient, QStringLiteral("bob@example.net"));
    QCOMPARE(found.first().replyCode, 550);
}

void TestBounceParser::samples_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("recipient");
    QTest::addColumn<QString>("action");
    QTest::addColumn<QString>("status");
    QTest::addColumn<int>("replyCode");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<bool>("hard");

    QTest::newRow("postfix DSN, user unknown") << "postfix-dsn.eml" << "dsn" << "bob@example.net" << "failed"
                                               << "5.1.1" << 550 << "userunknown" << true;
    QTest::newRow("CRLF line ends, mailbox full") << "postfix-crlf.eml" << "dsn" << "bob@example.net" << "failed"
                                                  << "5.2.2" << 552 << "mailboxfull" << false;
    QTest::newRow("CR-only line ends") << "postfix-cr.eml" << "dsn" << "bob@example.net" << "failed"
                                       << "5.1.1" << 550 << "userunknown" << true;
    QTest::newRow("base64 parts, delayed") << "base64-delayed.eml" << "dsn" << "carol@example.com" << "delayed"
                                           << "4.4.7" << 421 << "expired" << false;
    QTest::newRow("exim prose, blocklisted") << "rfc2047-exim.eml" << "freetext" << "max@example.com" << "failed"
                                             << "5.7.1" << 550 << "blocked" << false;
    QTest::newRow("one reply line pasted") << "fragment-reply.txt" << "fragment" << "bob@example.net" << "failed"
                                           << "5.1.1" << 550 << "userunknown" << true;
    QTest::newRow("truncated multipart") << "truncated-multipart.eml" << "dsn" << "bob@example.net" << "failed"
                                         << "5.1.1" << 550 << "userunknown" << true;
}

void TestBounceParser::samples()
{
    QFETCH(QString, file);
    QFETCH(QString, kind);
    const BounceReport report = BounceParser::parse(sample(file));
    QCOMPARE(kindName(report.kind), kind);
    QVERIFY(report.isBounce);
    QCOMPARE(report.recipients.size(), 1);
    const BounceRecipient &r = report.recipients.first();
    QTEST(r.recipient, "recipient");
    QTEST(r.action, "action");
    QTEST(r.status, "status");
    QTEST(r.replyCode, "replyCode");
    QTEST(r.reason, "reason");
    QTEST(r.hard, "hard");
    QVERIFY(!r.diagnostic.isEmpty());
}

void TestBounceParser::originalMessage_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("subject");
    QTest::addColumn<QString>("messageId");
    QTest::addColumn<QString>("sender");
    QTest::newRow("text/rfc822-headers part") << "postfix-dsn.eml" << "Minutes of the meeting" << "<minutes-1@example.org>"
                                              << "alice@example.org";
    QTest::newRow("RFC 2047 subject, base64 DSN") << "base64-delayed.eml" << QStringLiteral("Café à Zürich")
                                                  << "<cafe-42@example.org>" << "dave@example.org";
    QTest::newRow("copy after the prose, RFC 2047 Q") << "rfc2047-exim.eml" << QStringLiteral("Grüße")
                                                      << "<gruss-7@example.de>" << "erika@example.de";
}

void TestBounceParser::originalMessage()
{
    QFETCH(QString, file);
    const BounceReport report = BounceParser::parse(sample(file));
    QTEST(report.originalSubject, "subject");
    QTEST(report.originalMessageId, "messageId");
    QTEST(report.originalSender, "sender");
}

void TestBounceParser::originalRecipientIsShownWhereItDiffers()
{
    const QByteArray dsn = "Reporting-MTA: dns; mx.example.org\n\nFinal-Recipient: rfc822; bob.smith@example.org\n"
                           "Original-Recipient: rfc822; bob@example.org\nAction: failed\nStatus: 5.2.2\n"
                           "Diagnostic-Code: smtp; 552 5.2.2 Mailbox full\n\n"
                           "Final-Recipient: rfc822; carol@example.org\nOriginal-Recipient: rfc822; Carol@example.org\n"
                           "Action: failed\nStatus: 5.1.1\n";
    const BounceReport report = BounceParser::parse(dsn);
    QCOMPARE(report.recipients.size(), 2);
    QCOMPARE(report.recipients[0].recipient, QStringLiteral("bob.smith@example.org"));
    QCOMPARE(report.recipients[0].originalRecipient, QStringLiteral("bob@example.org"));
    QCOMPARE(report.recipients[1].originalRecipient, QString()); // the same address, only its case differs
}

void TestBounceParser::remoteServerFromTheProse()
{
    const QByteArray gmail =
        "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\nTo: alice@gmail.com\nSubject: Delivery Status Notification (Failure)\n\n"
        "** Address not found **\n\nYour message wasn't delivered to bob@example.org because the address couldn't be found, "
        "or is unable to receive mail.\n\nThe response from the remote server was:\n"
        "550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown\n\n"
        "Google tried to deliver your message, but it was rejected by the server for the recipient domain example.org "
        "by mx.example.org. [192.0.2.10].\n";
    const BounceReport report = BounceParser::parse(gmail);
    QCOMPARE(report.recipients.size(), 1);
    QCOMPARE(report.recipients.first().recipient, QStringLiteral("bob@example.org"));
    QCOMPARE(report.recipients.first().remoteMta, QStringLiteral("mx.example.org"));
    QCOMPARE(FreeTextRules::remoteHostInProse(QStringLiteral("... while talking to mx.example.net.:\n>>> RCPT")),
             QStringLiteral("mx.example.net"));
    QCOMPARE(FreeTextRules::remoteHostInProse(QStringLiteral("nothing here")), QString());
    QCOMPARE(FreeTextRules::remoteHostInProse(QStringLiteral("Error Details\nMessage rejected by:   mx1.fabrikam.example\n")),
             QStringLiteral("mx1.fabrikam.example"));
    // Near the recipient: Courier's host line, Postfix in German.
    const auto remoteOf = [](const char *prose) {
        return FreeTextRules::findRecipients(QString::fromUtf8(prose), {}).value(0).remoteMta;
    };
    QCOMPARE(remoteOf("<olga@example.com>:\n    mx2.example.com [192.0.2.33]:\n>>> RCPT TO:<olga@example.com>\n"
                      "<<< 553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)\n"),
             QStringLiteral("mx2.example.com"));
    QCOMPARE(remoteOf("<uwe@beispiel.de>: Rechner mx.beispiel.de[192.0.2.77] meldete:\n    550 5.1.1 Benutzer unbekannt\n"),
             QStringLiteral("mx.beispiel.de"));
}

void TestBounceParser::codesAndTheirWords_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("status");
    QTest::addColumn<QString>("words");
    QTest::newRow("a reply alone") << "550 5.1.1 <bob@x.example>: user unknown" << 550 << "5.1.1"
                                   << "550 5.1.1 <bob@x.example>: user unknown";
    QTest::newRow("sendmail's parenthesis is not the reply's")
        << "ghost@example.net\n    (reason: 550 Host unknown)\n" << 550 << "" << "550 Host unknown";
    QTest::newRow("a parenthesis of the reply stays")
        << "550 5.7.1 refused (see https://x.example/why)" << 550 << "5.7.1" << "550 5.7.1 refused (see https://x.example/why)";
    QTest::newRow("the codes alone first, with words later")
        << "Status code: 550 5.7.350\n\nError: 550 5.7.350 Remote server returned message detected as spam\n"
        << 550 << "5.7.350" << "550 5.7.350 Remote server returned message detected as spam";
    QTest::newRow("a reply Postfix wrapped")
        << "said: 550 5.1.1\n    <bob@x.example>: Recipient address rejected\n\nnext" << 550 << "5.1.1"
        << "550 5.1.1\n    <bob@x.example>: Recipient address rejected";
    QTest::newRow("a status without a reply") << "Status: 4.4.7 (delivery expired)" << 0 << "4.4.7" << "";
    QTest::newRow("codes alone, and the same digits in a number")
        << "Status code: 550\nYour message of 41550 bytes was queued as 27550\n" << 550 << "" << "550";
    QTest::newRow("the next block of an indented list is not the reply's")
        << "  pipe to |/usr/local/bin/filter\n    550 5.0.0 local delivery failed\n"
           "  save to /var/mail/carol\n    552 5.2.2 mailbox full\n    appendfile: write failed\n"
        << 550 << "5.0.0" << "550 5.0.0 local delivery failed";
}

void TestBounceParser::codesAndTheirWords()
{
    QFETCH(QString, text);
    QFETCH(int, code);
    QFETCH(QString, status);
    QFETCH(QString, words);
    const FoundCodes found = FreeTextRules::findCodes(text);
    QCOMPARE(found.replyCode, code);
    QCOMPARE(found.status, status);
    QCOMPARE(found.replyText, words);
}

void TestBounceParser::heldBackIsNotABounce_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<QString>("note");
    QTest::newRow("Boxbe-style challenge")
        << QByteArray("From: Boxbe <notify@boxbe.com>\nTo: alice@example.com\nSubject: Request to join the Guest List of bob@example.org\n\n"
                      "Hello, bob@example.org uses Boxbe to screen mail. Your message is waiting in the Waiting List.\n"
                      "Click the link below to verify you are a person and your message will be delivered.\n")
        << "challenge-response";
    QTest::newRow("Boxbe request dressed as a delay report")
        << QByteArray("From: noreply@boxbe.com\nTo: alice@example.com\nSubject: Re: hello (Action Required)\nMIME-Version: 1.0\n"
                      "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n"
                      "--b\nContent-Type: text/plain\n\nbob@example.org uses Boxbe. Your message has been waitlisted.\n"
                      "--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; boxbe.com\n\n"
                      "Final-Recipient: rfc822; bob@example.org\nAction: delayed\nStatus: 4.7.0\n"
                      "Diagnostic-Code: X-Boxbe; Sender not pre-approved. Follow instructions in above notification.\n--b--\n")
        << "challenge-response";
    QTest::newRow("verify you are human")
        << QByteArray("From: bob@example.org\nTo: alice@example.com\nSubject: Please verify that you are a real person\n\n"
                      "I use a spam filter. To get your mail through, follow this link to confirm your address.\n")
        << "challenge-response";
    QTest::newRow("list moderation")
        << QByteArray("From: team-owner@lists.example.org\nTo: alice@example.com\nSubject: Your message to Team awaits moderator approval\n\n"
                      "Your mail to 'Team' with the subject Minutes is being held until the list moderator can review it for approval.\n")
        << "moderation";
    QTest::newRow("posting held, in other words")
        << QByteArray("From: devs-bounces@lists.example.org\nTo: alice@example.com\nSubject: Your message to Devs was held for review\n\n"
                      "Your message to devs@lists.example.org could not be posted yet: it is too\nlarge and is held for the list moderator.\n")
        << "moderation";
    QTest::newRow("delivered once you prove to be a person")
        << QByteArray("From: Mail Shield <shield@filter.example.com>\nTo: alice@example.com\nSubject: [Verify] Re: invoice\n\n"
                      "Your message to ops@example.com could not be delivered until you verify\nthat you are human.\n\n"
                      "Click here to verify: https://filter.example.com/v/1\n")
        << "challenge-response";
}

void TestBounceParser::heldBackIsNotABounce()
{
    QFETCH(QByteArray, message);
    QFETCH(QString, note);
    const BounceReport report = BounceParser::parse(message);
    QCOMPARE(report.kind, BounceReport::Kind::NotBounce);
    QVERIFY(!report.isBounce);
    QVERIFY(report.recipients.isEmpty());
    QVERIFY2(report.notes.join(QLatin1Char(' ')).contains(note), qPrintable(report.notes.join(QLatin1Char(' '))));
}

void TestBounceParser::aFailureInWordsGetsAnInferredStatus()
{
    const QByteArray qmail =
        "From: MAILER-DAEMON@mx.example.org\nTo: alice@example.com\nSubject: failure notice\n\n"
        "Hi. This is the qmail-send program at mx.example.org.\n"
        "I'm afraid I wasn't able to deliver your message to the following addresses.\n"
        "This is a permanent error; I've given up. Sorry it didn't work out.\n\n"
        "<bob@example.org>:\nSorry, no mailbox here by that name.\n";
    const BounceReport report = BounceParser::parse(qmail);
    QCOMPARE(report.recipients.size(), 1);
    const BounceRecipient &r = report.recipients.first();
    QCOMPARE(r.reason, QStringLiteral("userunknown"));
    QCOMPARE(r.status, QStringLiteral("5.1.1"));
    QVERIFY(r.statusInferred);
    QCOMPARE(r.reportingMta, QStringLiteral("mx.example.org")); // "the qmail-send program at mx.example.org."
    // A code the bounce gives is never marked inferred.
    const BounceReport dsn = BounceParser::parse(sample(QStringLiteral("postfix-dsn.eml")));
    QVERIFY(!dsn.recipients.first().statusInferred);
}

void TestBounceParser::explanationComesFromTheExplainer()
{
    const BounceReport report = BounceParser::parse(sample(QStringLiteral("postfix-dsn.eml")));
    const BounceRecipient &r = report.recipients.first();
    // One engine: what explain says of these words is what the bounce says.
    const Diagnosis d = Diagnoser::instance().describe(r.diagnostic, r.replyCode, r.status, r.reason);
    QCOMPARE(r.reason, QStringLiteral("userunknown"));
    QCOMPARE(r.summary, d.summary);
    QCOMPARE(r.nextStep, d.action);
    QCOMPARE(r.source, QStringLiteral("Postfix"));
    QVERIFY(r.summary.contains(QLatin1String("does not exist")));
    QVERIFY(!r.nextStep.isEmpty());
    QCOMPARE(r.reportingMta, QStringLiteral("mx.example.org"));
    QCOMPARE(r.remoteMta, QStringLiteral("mx.example.net"));
}

void TestBounceParser::vacationIsNotAFailure()
{
    const BounceReport report = BounceParser::parse(sample(QStringLiteral("vacation.eml")));
    QCOMPARE(report.kind, BounceReport::Kind::AutoReply);
    QVERIFY(!report.isBounce);
    QCOMPARE(report.recipients.size(), 1);
    QCOMPARE(report.recipients.first().reason, QStringLiteral("vacation"));
    QCOMPARE(report.recipients.first().recipient, QStringLiteral("frank@example.com"));
    QVERIFY(!report.recipients.first().hard);
}

// Headers that say "automatic reply" do not make a refusal an out-of-office note: a Sieve
// reject (RFC 5429, "auto-replied (rejected)"), or an automatic message whose words name why
// the mail failed.
void TestBounceParser::anAutomaticRefusalIsABounce()
{
    const QByteArray sieve("From: Mail Delivery Subsystem <admin@example.org>\nTo: <bob@example.net>\n"
                           "Subject: Automatically rejected mail\nAuto-Submitted: auto-replied (rejected)\n\n"
                           "Your message to <ann@example.org> was automatically rejected:\nQuota exceeded\n");
    BounceReport report = BounceParser::parse(sieve);
    QVERIFY(report.isBounce);
    QCOMPARE(report.recipients.size(), 1);
    QCOMPARE(report.recipients.first().recipient, QStringLiteral("ann@example.org"));
    QCOMPARE(report.recipients.first().reason, QStringLiteral("mailboxfull"));

    const QByteArray terse("Return-Path: <>\nFrom: <>\nTo: bob@example.net\nAuto-Submitted: auto-replied\n\n"
                           "You sent mail to ann@example.org. That's not a valid user here.\n");
    report = BounceParser::parse(terse);
    QVERIFY(report.isBounce);
    QCOMPARE(report.recipients.size(), 1);
    QCOMPARE(report.recipients.first().recipient, QStringLiteral("ann@example.org"));
    QCOMPARE(report.recipients.first().reason, QStringLiteral("userunknown"));
}

namespace {

QByteArray postfixNotice(const QByteArray &item, const QByteArray &originalHeaders, const QByteArray &to = "bob@example.net")
{
    return "From: MAILER-DAEMON@mx.example.org (Mail Delivery System)\nTo: " + to + "\n"
           "Subject: Undelivered Mail Returned to Sender\nMIME-Version: 1.0\n"
           "Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\n"
           "I'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients.\n\n"
           + item + "\n\n--b\nContent-Type: message/rfc822\n\n" + originalHeaders + "\nhello\n--b--\n";
}

} // namespace

// The sender is left out of the candidates (a notice quotes who sent the mail), unless they
// sent it to themselves.
void TestBounceParser::aSenderWritingToThemselvesCanFail()
{
    // The bounce goes back to the sender, so the notice's To names them too.
    const QByteArray item("<ann@example.org>: Name service error for domain example.org: Host not\n    found, try again");
    BounceReport report = BounceParser::parse(
        postfixNotice(item, "From: ann@example.org\nTo: ann@example.org\nSubject: test\n", "ann@example.org"));
    QCOMPARE(report.recipients.size(), 1);
    QCOMPARE(report.recipients.first().recipient, QStringLiteral("ann@example.org"));
    QCOMPARE(report.recipients.first().reason, QStringLiteral("networkerror"));
    QVERIFY(report.notes.filter(QStringLiteral("names no recipient")).isEmpty()); // named by the prose

    // Written to others: the sender named in the notice is its sender, not who failed.
    report = BounceParser::parse(postfixNotice("A message sent by\n\n  ann@example.org\n\ncould not be delivered:\n\n"
                                               "  <carol@example.com>: 550 5.1.1 User unknown",
                                               "From: ann@example.org\nTo: carol@example.com\nSubject: test\n", "ann@example.org"));
    QCOMPARE(report.recipients.size(), 1);
    QCOMPARE(report.recipients.first().recipient, QStringLiteral("carol@example.com"));

    // Written to themselves and another: among others, the sender is not taken.
    report = BounceParser::parse(postfixNotice("Your message\n\n   ann@example.org\n\ncould not be delivered to:\n\n"
                                               "   carol@example.com\n   550 5.1.1 User unknown",
                                               "From: ann@example.org\nTo: ann@example.org, carol@example.com\nSubject: notes\n",
                                               "ann@example.org"));
    QCOMPARE(report.recipients.size(), 1);
    QCOMPARE(report.recipients.first().recipient, QStringLiteral("carol@example.com"));
}

// A notice that names no one: the original's To, unless that is the mailing list the
// message came through; then the address its last hop received it for.
void TestBounceParser::aListIsNotTheRecipient()
{
    const QByteArray item("The following message could not be delivered: mailbox unavailable.");
    const QByteArray listMail("From: carol@example.com\nTo: list@lists.example.org\nList-Post: <mailto:list@lists.example.org>\n"
                              "Received: from lists.example.org by mx.example.net (relay for carol@example.com)\n"
                              "\tfor <ann@example.net>; Mon, 1 Jan 2024 00:00:00 +0000\n"
                              "Subject: hello list\n");
    BounceReport report = BounceParser::parse(postfixNotice(item, listMail));
    QCOMPARE(report.recipients.size(), 1);
    QCOMPARE(report.recipients.first().recipient, QStringLiteral("ann@example.net"));

    // No envelope recipient: no address at all rather than the list's.
    QByteArray noTrace = listMail;
    noTrace.replace("\tfor <ann@example.net>; ", "\t");
    report = BounceParser::parse(postfixNotice(item, noTrace));
    QCOMPARE(report.recipients.size(), 1);
    QVERIFY2(report.recipients.first().recipient.isEmpty(), qPrintable(report.recipients.first().recipient));

    // A list named by its List-Id only ("List-Post: NO" on an announce list).
    QByteArray listId = noTrace;
    listId.replace("List-Post: <mailto:list@lists.example.org>", "List-Post: NO\nList-Id: Announcements <list.lists.example.org>");
    report = BounceParser::parse(postfixNotice(item, listId));
    QCOMPARE(report.recipients.size(), 1);
    QVERIFY2(report.recipients.first().recipient.isEmpty(), qPrintable(report.recipients.first().recipient));

    report = BounceParser::parse(postfixNotice(item, "From: carol@example.com\nTo: dave@example.net\nSubject: hi\n"));
    QCOMPARE(report.recipients.size(), 1);
    QCOMPARE(report.recipients.first().recipient, QStringLiteral("dave@example.net"));
}

// A notice whose subject says it did not deliver a moderation notice, and whose words say
// so, quotes that notice's words: it is a bounce (of the notice), not one of them.
void TestBounceParser::aBouncedModerationNoticeIsABounce()
{
    for (const QByteArray &subject : {QByteArray("Non-Delivery: Your message to GPC-talk awaits moderator approval"),
                                     QByteArray("RE: Your message to GPC-talk awaits moderator approval : non remis\n\t(delivery failed)")}) {
        const QByteArray notice("From: postmaster@example.org\nTo: gpc-talk-bounces@example.net\nSubject: " + subject + "\n\n"
                                "Your message could not be delivered to\nann@example.org\n\n"
                                "Old message: Your mail to 'GPC-talk' Is being held until the list moderator can review it for approval.\n");
        const BounceReport report = BounceParser::parse(notice);
        QVERIFY2(report.isBounce, subject.constData());
        QCOMPARE(report.recipients.first().recipient, QStringLiteral("ann@example.org"));
    }
    // The moderation notice itself stays what it is.
    const QByteArray held("From: gpc-talk-owner@example.net\nTo: ann@example.org\n"
                          "Subject: Your message to GPC-talk awaits moderator approval\n\n"
                          "Your mail to 'GPC-talk' Is being held until the list moderator can review it for approval.\n");
    QCOMPARE(BounceParser::parse(held).kind, BounceReport::Kind::NotBounce);
}

// The address itself, whatever wraps it: a quote in prose, Exchange's X.400 form; and the
// sender Exim names on a line of its own after "A message sent by" is no recipient.
void TestBounceParser::addressesAsProseWrapsThem_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("recipient");
    QTest::newRow("in quotes") << QByteArray("The following message, addressed to 'ann@example.org',\n"
                                             "failed because it has not been collected after 30 days\n")
                               << "ann@example.org";
    QTest::newRow("X.400") << QByteArray("Your message did not reach the following recipient(s):\n\n"
                                         "c=US;a= ;p=Org;o=Site;dda:SMTP=ann@example.org; on Fri, 4 Oct 2002 17:12:28 -0400\n"
                                         "    The recipient name is not recognized\n")
                           << "ann@example.org";
    QTest::newRow("Exim's sender line") << QByteArray("A message sent by\n\n  <list-bounces+x1@example.net>\n\n"
                                                      "could not be delivered to one or more of its recipients. The following\n"
                                                      "address(es) failed:\n\n  ann@example.org\n    all hosts have been failing for a long time\n")
                                        << "ann@example.org";
}

void TestBounceParser::addressesAsProseWrapsThem()
{
    QFETCH(QByteArray, body);
    const BounceReport report =
        BounceParser::parse("From: MAILER-DAEMON@mx.example.org\nTo: bob@example.net\nSubject: Undeliverable mail\n\n" + body);
    QCOMPARE(report.recipients.size(), 1);
    QTEST(report.recipients.first().recipient, "recipient");
}

// Addresses listed bare, then their replies: each takes the reply that names it (Sendmail's
// transcript), or the reply after the whole list when none names an address (Activehunter);
// never a reply told of another address.
void TestBounceParser::listsThenTheirReplies_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("replies"); // recipient=code, in order
    QTest::newRow("Sendmail list, then its transcript")
        << QByteArray("   ----- The following addresses had permanent fatal errors -----\n<ann@example.org>\n<carol@example.org>\n\n"
                      "   ----- Transcript of session follows -----\n... while talking to mx.example.org.:\n>>> DATA\n"
                      "<<< 550 5.1.1 <ann@example.org>... User unknown\n550 5.1.1 <ann@example.org>... User unknown\n"
                      "<<< 552 5.2.2 <carol@example.org>... Mailbox full\n552 5.2.2 <carol@example.org>... Mailbox full\n"
                      "<<< 503 5.0.0 Need RCPT (recipient)\n")
        << "ann@example.org=550 carol@example.org=552";
    QTest::newRow("Activehunter list, then one reply")
        << QByteArray("  ----- The following addresses had permanent fatal errors -----\n\n"
                      ">>> ann@example.org <ann@example.org>\n>>> carol@example.org <carol@example.org>\n\n"
                      "  ----- Transcript of session follows -----\n550 sorry, no mailbox here by that name (#5.1.1 - chkusr)\n")
        << "ann@example.org=550 carol@example.org=550";
    QTest::newRow("Sendmail list with each reason")
        << QByteArray("   ----- The following addresses had permanent fatal errors -----\n<ann@example.org>\n"
                      "    (reason: 553 Sender Policy Framework (SPF) fail)\n<carol@example.org>\n"
                      "    (reason: 552 5.2.2 Mailbox full)\n\n   ----- Transcript of session follows -----\n"
                      "550 5.1.1 ann@example.org... User unknown\n")
        << "ann@example.org=553 carol@example.org=552";
    QTest::newRow("Sendmail list, the last item's reason, a transcript naming each")
        << QByteArray("   ----- The following addresses had permanent fatal errors -----\n<ann@example.org>\n<bob@example.org>\n"
                      "<carol@example.org>\n    (reason: 554 5.7.1 Relay access denied)\n\n   ----- Transcript of session follows -----\n"
                      ">>> RCPT To:<ann@example.org>\n<<< 550 5.1.1 <ann@example.org>... User unknown\n"
                      "550 5.1.1 <ann@example.org>... User unknown\n>>> RCPT To:<bob@example.org>\n"
                      "<<< 552 5.2.2 <bob@example.org>... Mailbox full\n552 5.2.2 <bob@example.org>... Mailbox full\n"
                      ">>> RCPT To:<carol@example.org>\n<<< 554 5.7.1 <carol@example.org>... Relay access denied\n"
                      "554 5.7.1 <carol@example.org>... Relay access denied\n")
        << "ann@example.org=550 bob@example.org=552 carol@example.org=554";
    QTest::newRow("Exim, one address inside another")
        << QByteArray("The following address(es) failed:\n\n  a@example.org\n    host mx.example.org [203.0.113.5]\n"
                      "    SMTP error from remote mail server after RCPT TO:<a@example.org>:\n"
                      "    550 5.1.1 <a@example.org>: Recipient address rejected: User unknown\n  aa@example.org\n"
                      "    host mx.example.org [203.0.113.5]\n    SMTP error from remote mail server after RCPT TO:<aa@example.org>:\n"
                      "    552 5.2.2 <aa@example.org>: Recipient address rejected: Mailbox full\n")
        << "a@example.org=550 aa@example.org=552";
    QTest::newRow("Postfix, a wrapped reply that names the other recipient")
        << QByteArray("<ann@example.org>: host mx1.example.org[203.0.113.5] said:\n"
                      "    550 5.1.1 <ann@example.org>: Recipient address rejected: User unknown\n    (in reply to RCPT TO command)\n\n"
                      "<bob@example.org>: host mx1.example.org[203.0.113.5] said:\n"
                      "    550 5.7.1 <bob@example.org>: alias expands to ann@example.org, which\n"
                      "    does not exist (in reply to RCPT TO command)\n")
        << "ann@example.org=550 bob@example.org=550";
}

void TestBounceParser::listsThenTheirReplies()
{
    QFETCH(QByteArray, body);
    const BounceReport report = BounceParser::parse(
        "From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>\nTo: bob@example.net\n"
        "Subject: Returned mail: see transcript for details\n\n" + body);
    QStringList replies;
    for (const BounceRecipient &r : report.recipients)
        replies.append(r.recipient + QLatin1Char('=') + QString::number(r.replyCode));
    QTEST(replies.join(QLatin1Char(' ')), "replies");
}

// AOL lists screen names without a domain: the domain the notice comes from completes them,
// and the sender the lead line names is no recipient.
void TestBounceParser::mailboxesNamedWithoutADomain()
{
    const BounceReport report = BounceParser::parse(
        "From: Mail Delivery Subsystem <MAILER-DAEMON@aol.example>\nTo: bob@example.net\nSubject: Mail Delivery Problem\n\n"
        "Your mail to the following recipients could not be delivered because they are not accepting mail from bob@example.net:\n"
        "\tscreenname\n\tother.name\n\nPlease do not reply.\n");
    QCOMPARE(report.recipients.size(), 2);
    QCOMPARE(report.recipients.at(0).recipient, QStringLiteral("screenname@aol.example"));
    QCOMPARE(report.recipients.at(1).recipient, QStringLiteral("other.name@aol.example"));
}

// Messages that share words with the kinds above but are not them: each keeps its kind and
// its recipients.
void TestBounceParser::lookAlikesKeepTheirKind_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("recipients"); // space-separated, in order
    const QByteArray ooo("Return-Path: <>\nFrom: Ann <ann@example.org>\nTo: bob@example.net\nSubject: Out of Office: invoices\n"
                         "Auto-Submitted: auto-replied\n\nI'm on leave until Monday and my access to email is blocked.\n"
                         "Mail to me is delayed; for invoices contact jane@example.org.\n");
    QTest::newRow("out-of-office with 'blocked', 'delayed' and a colleague")
        << ooo << int(BounceReport::Kind::AutoReply) << "ann@example.org";
    QByteArray refusalWords = ooo;
    refusalWords.replace("my access to email is blocked", "the old address does not exist any more");
    QTest::newRow("out-of-office saying an old address does not exist")
        << refusalWords << int(BounceReport::Kind::AutoReply) << "ann@example.org";
    QTest::newRow("prose after 'the following user:'")
        << QByteArray("From: MAILER-DAEMON@mx1.relay.example.net\nTo: bob@example.net\nSubject: Undelivered Mail Returned to Sender\n\n"
                      "<ann@example.org>: host mx.example.org said: 550 5.1.1 User unknown\n\n"
                      "For help, please write to the following user:\n\tpostmaster\n\tRegards\n")
        << int(BounceReport::Kind::FreeText) << "ann@example.org";
    QTest::newRow("Boxbe request whose quoted subject says 'Delivery failed'")
        << QByteArray("From: Boxbe <notify@boxbe.com>\nTo: alice@example.com\nSubject: Delivery failed: parcel 4411 (Action Required)\n\n"
                      "bob@example.org uses Boxbe. Your message could not be delivered until you verify.\n")
        << int(BounceReport::Kind::NotBounce) << "";
    QTest::newRow("moderation notice of a list named ops-undeliverable")
        << QByteArray("From: ops-undeliverable-owner@lists.example.org\nTo: alice@example.com\n"
                      "Subject: Your message to ops-undeliverable awaits moderator approval\n\n"
                      "Your mail to 'ops-undeliverable' Is being held until the list moderator can review it for approval.\n")
        << int(BounceReport::Kind::NotBounce) << "";
    QTest::newRow("a relay's delivery-status report (MailChannels)")
        << QByteArray("From: MAILER-DAEMON@relay.mailchannels.net\nTo: bob@example.net\nSubject: Undelivered Mail Returned to Sender\n"
                      "MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n"
                      "--b\nContent-Type: text/plain\n\nThe message could not be delivered.\n"
                      "--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; relay.mailchannels.net\n\n"
                      "Final-Recipient: rfc822; ann@example.org\nAction: failed\nStatus: 5.1.1\n"
                      "Diagnostic-Code: smtp; 550 5.1.1 User unknown\n--b--\n")
        << int(BounceReport::Kind::Dsn) << "ann@example.org";
}

void TestBounceParser::lookAlikesKeepTheirKind()
{
    QFETCH(QByteArray, message);
    const BounceReport report = BounceParser::parse(message);
    QTEST(int(report.kind), "kind");
    QStringList recipients;
    for (const BounceRecipient &r : report.recipients)
        recipients.append(r.recipient);
    QTEST(recipients.join(QLatin1Char(' ')), "recipients");
}

void TestBounceParser::repeatedRecordsAreShownOnce()
{
    QByteArray dsn("From: MAILER-DAEMON@mx.example.org\nTo: bob@example.net\nSubject: Returned mail\nMIME-Version: 1.0\n"
                   "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n"
                   "--b\nContent-Type: text/plain\n\nThe message could not be delivered.\n"
                   "--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.org\n");
    for (int i = 0; i < 3; ++i)
        dsn += "\nFinal-Recipient: RFC822; ann@example.org\nAction: failed\nStatus: 5.4.6\n"
               "Diagnostic-Code: SMTP; 554 aliasing/forwarding loop broken\n";
    dsn += "\n--b--\n";
    const BounceReport report = BounceParser::parse(dsn);
    QCOMPARE(report.recipients.size(), 1);
    QVERIFY(report.notes.join(QLatin1Char(' ')).contains(QLatin1String("repeat another one")));
}

// Words that say the mail failed, with no address and no code: still a bounce, with one
// recipient whose address is unknown and whose reason the words give.
void TestBounceParser::aFailureInWordsNamingNoOne()
{
    const QByteArray notice("From: gateway@example.org\nTo: bob@example.net\nSubject: Mail could not be delivered\n\n"
                            "****** Message from a mail gateway ******\n\nThe following mail could not be delivered.\n"
                            "Reason:  Exceeded Maximum Delivery Attempts.  Verify that the recipient address is correct.\n");
    const BounceReport report = BounceParser::parse(notice);
    QVERIFY(report.isBounce);
    QCOMPARE(report.recipients.size(), 1);
    QVERIFY(report.recipients.first().recipient.isEmpty());
    QCOMPARE(report.recipients.first().reason, QStringLiteral("expired"));
    QCOMPARE(report.recipients.first().action, QStringLiteral("failed"));
}

void TestBounceParser::truncatedMultipartIsNoted()
{
    const BounceReport report = BounceParser::parse(sample(QStringLiteral("truncated-multipart.eml")));
    QVERIFY(!report.notes.isEmpty());
}

void TestBounceParser::lineEndsDoNotMatter()
{
    const QByteArray lf = sample(QStringLiteral("postfix-dsn.eml"));
    QByteArray crlf = lf;
    crlf.replace("\n", "\r\n");
    QByteArray cr = lf;
    cr.replace('\n', '\r');
    const BounceReport a = BounceParser::parse(lf);
    QCOMPARE(BounceParser::parse(crlf), a);
    QCOMPARE(BounceParser::parse(cr), a);
}

void TestBounceParser::pastedFragments_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("recipient");
    QTest::addColumn<QString>("status");
    QTest::addColumn<int>("replyCode");
    QTest::addColumn<QString>("reason");
    QTest::newRow("DSN fields alone")
        << QByteArray("Final-Recipient: rfc822; ann@example.com\nAction: failed\nStatus: 5.2.2\n"
                      "Diagnostic-Code: smtp; 552 5.2.2 Mailbox full\n")
        << "ann@example.com" << "5.2.2" << 552 << "mailboxfull";
    QTest::newRow("postfix diagnostic line")
        << QByteArray("<ann@example.com>: host mx.example.com[192.0.2.1] said: 550 5.7.1 Relay access denied "
                      "(in reply to RCPT TO command)\n")
        << "ann@example.com" << "5.7.1" << 550 << "norelaying";
    QTest::newRow("exim lines")
        << QByteArray("  ann@example.com\n    host mx.example.com [192.0.2.1]\n    SMTP error from remote mail server after RCPT TO:<ann@example.com>:\n"
                      "    550 5.1.2 Host or domain name not found\n")
        << "ann@example.com" << "5.1.2" << 550 << "hostunknown";
    QTest::newRow("local program failed")
        << QByteArray("Final-Recipient: rfc822; ann@example.com\nAction: failed\nStatus: 5.3.0\n"
                      "Diagnostic-Code: X-Unix; |/usr/local/bin/filter exited with status 75\n")
        << "ann@example.com" << "5.3.0" << 0 << "mailererror";
    QTest::newRow("local program over quota")
        << QByteArray("Final-Recipient: rfc822; ann@example.com\nAction: delayed\nStatus: 4.3.0\n"
                      "Diagnostic-Code: x-unix; Quota exceeded, cannot write /var/mail/ann\n")
        << "ann@example.com" << "4.3.0" << 0 << "mailboxfull";
    QTest::newRow("reply without an address")
        << QByteArray("554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org\n")
        << "" << "5.7.1" << 554 << "blocked";
}

void TestBounceParser::pastedFragments()
{
    QFETCH(QByteArray, text);
    const BounceReport report = BounceParser::parse(text);
    QVERIFY(report.isBounce);
    QCOMPARE(report.recipients.size(), 1);
    const BounceRecipient &r = report.recipients.first();
    QTEST(r.recipient, "recipient");
    QTEST(r.status, "status");
    QTEST(r.replyCode, "replyCode");
    QTEST(r.reason, "reason");
}

void TestBounceParser::failedRecipientsHeader()
{
    // Exim's prose names a file, not an address; its X-Failed-Recipients header names who failed.
    const QByteArray text("Return-Path: <>\nX-Failed-Recipients: ann@example.com\nAuto-Submitted: auto-replied\n"
                          "From: Mail Delivery System <MAILER-DAEMON@mx.example.org>\nTo: bob@example.net\n"
                          "Subject: Mail delivery failed: returning message to sender\n\n"
                          "This message was created automatically by mail delivery software.\n\n"
                          "A message that you sent could not be delivered to one or more of its\n"
                          "recipients. This is a permanent error. The following address(es) failed:\n\n"
                          "  save to /var/mail/ann\n    generated by ann@example.com\n"
                          "    mailbox is full: retry timeout exceeded\n");
    const BounceReport report = BounceParser::parse(text);
    QVERIFY(report.isBounce);
    QCOMPARE(report.recipients.size(), 1);
    QCOMPARE(report.recipients.first().recipient, QStringLiteral("ann@example.com"));
    QCOMPARE(report.recipients.first().reason, QStringLiteral("mailboxfull"));
}

// Exim's pipe and file deliveries name no address in the list; each address of the header
// gets the words of the item that names its mailbox, not those of the first item.
void TestBounceParser::failedRecipientsTakeTheirOwnItems()
{
    const QByteArray exim =
        "From: Mail Delivery System <Mailer-Daemon@mx.example.org>\nTo: alice@example.org\n"
        "Subject: Mail delivery failed: returning message to sender\n"
        "X-Failed-Recipients: bob@example.com, carol@example.net\n\n"
        "This message was created automatically by mail delivery software.\n\n"
        "A message that you sent could not be delivered to one or more of its\n"
        "recipients. This is a permanent error. The following address(es) failed:\n\n"
        "  save to /var/mail/carol\n    552 5.2.2 mailbox full\n"
        "  pipe to |/home/bob/bin/filter\n    550 5.0.0 local delivery failed\n";
    const BounceReport report = BounceParser::parse(exim);
    QCOMPARE(report.recipients.size(), 2);
    QCOMPARE(report.recipients[0].recipient, QStringLiteral("bob@example.com"));
    QCOMPARE(report.recipients[0].diagnostic, QStringLiteral("550 5.0.0 local delivery failed"));
    QCOMPARE(report.recipients[1].recipient, QStringLiteral("carol@example.net"));
    QCOMPARE(report.recipients[1].status, QStringLiteral("5.2.2"));
    QCOMPARE(report.recipients[1].reason, QStringLiteral("mailboxfull"));
    QCOMPARE(FreeTextRules::listedItemAbout(QStringLiteral("dave@example.org"), QString::fromUtf8(exim)), QString()); // two items, neither his
}

void TestBounceParser::lateIsNotFailed_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<QString>("action");
    QTest::addColumn<QString>("klass");
    const QByteArray head = "From: Mail Delivery Subsystem <MAILER-DAEMON@relay.example.net>\nTo: alice@example.org\n";
    QTest::newRow("sendmail warning")
        << head + "Subject: Warning: could not send message for past 4 hours\n\n"
                  "    **      THIS IS A WARNING MESSAGE ONLY      **\n\n"
                  "   ----- Transcript of session follows -----\n"
                  "<ruth@example.net>... Deferred: Connection timed out with mx.example.net.\n"
                  "Will keep trying until message is 5 days old\n"
        << "delayed" << "4";
    QTest::newRow("not delivered yet, in words")
        << head + "Subject: Delivery Status Notification\n\n"
                  "Your message to <ruth@example.net> has not been delivered yet because the destination\n"
                  "server is not answering. Delivery will be attempted again for up to five days.\n"
        << "delayed" << "4";
    QTest::newRow("a warning's line pasted alone")
        << QByteArray("<ruth@example.net>... Deferred: Connection timed out with mx.example.net. "
                      "Will keep trying until message is 5 days old\n")
        << "delayed" << "4";
    QTest::newRow("gave up: failed, even after a 4xx")
        << head + "Subject: Undelivered Mail Returned to Sender\n\n"
                  "I'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients.\n\n"
                  "<tom@example.edu>: host mx.example.edu[192.0.2.3] said: 452 4.2.2 Over quota\n"
                  "    (in reply to end of DATA command)\n"
        << "failed" << "4";
    QTest::newRow("warning words, but it gave up")
        << head + "Subject: failure notice\n\n"
                  "We will keep trying... no: this is a permanent error; I've given up.\n\n"
                  "<ruth@example.net>:\nConnection timed out\n"
        << "failed" << "5";
}

void TestBounceParser::lateIsNotFailed()
{
    QFETCH(QByteArray, message);
    QFETCH(QString, action);
    QFETCH(QString, klass);
    const BounceReport report = BounceParser::parse(message);
    QCOMPARE(report.recipients.size(), 1);
    const BounceRecipient &r = report.recipients.first();
    QCOMPARE(r.action, action);
    QCOMPARE(r.status.left(1), klass);
    if (action == QLatin1String("delayed")) {
        QVERIFY(!r.hard);
        QVERIFY2(!r.summary.contains(QLatin1String("given up")), qPrintable(r.summary)); // one verdict
    }
}

void TestBounceParser::wrappedRepliesAreWhole()
{
    const QByteArray postfix =
        "From: MAILER-DAEMON@mail.example.org (Mail Delivery System)\nTo: alice@example.org\n"
        "Subject: Undelivered Mail Returned to Sender\n\n"
        "This is the mail system at host mail.example.org.\n\n"
        "<bob@example.com>: host mx.example.com[192.0.2.10] said: 550 5.1.1\n"
        "    <bob@example.com>: Recipient address rejected: User unknown in virtual\n"
        "    mailbox table (in reply to RCPT TO command)\n\n"
        "<carl@example.com> (expanded from <sales@example.org>): host\n"
        "    mx.example.com[192.0.2.10] said: 552 5.2.2 Mailbox full, quota\n"
        "    exceeded for this account (in reply to RCPT TO command)\n";
    const BounceReport report = BounceParser::parse(postfix);
    QCOMPARE(report.recipients.size(), 2);
    QCOMPARE(report.recipients[0].diagnostic,
             QStringLiteral("550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown in virtual "
                            "mailbox table (in reply to RCPT TO command)"));
    QCOMPARE(report.recipients[0].originalRecipient, QString());
    QCOMPARE(report.recipients[0].reportingMta, QStringLiteral("mail.example.org")); // "the mail system at host ..."
    QCOMPARE(report.recipients[0].remoteMta, QStringLiteral("mx.example.com"));
    QCOMPARE(report.recipients[1].recipient, QStringLiteral("carl@example.com"));
    QCOMPARE(report.recipients[1].originalRecipient, QStringLiteral("sales@example.org"));
    QCOMPARE(report.recipients[1].diagnostic,
             QStringLiteral("552 5.2.2 Mailbox full, quota exceeded for this account (in reply to RCPT TO command)"));
}

void TestBounceParser::hiddenCharactersStayInTheAddress_data()
{
    QTest::addColumn<QString>("written");
    QTest::newRow("zero-width space") << QStringLiteral("bo\u200bb@example.com");
    QTest::newRow("bidi override") << QStringLiteral("bob\u202emoc.live@example.com");
    QTest::newRow("bidi override in the domain") << QStringLiteral("bob@exa\u202emple.com");
    QTest::newRow("terminal escape") << QStringLiteral("bob\u001b[2j@example.com");
}

// The address pattern would take a part of such a word: another address than the one the
// notice holds. It is taken whole, its marks shown, and the bounce says it holds them.
void TestBounceParser::hiddenCharactersStayInTheAddress()
{
    QFETCH(QString, written);
    const QByteArray dsn = "From: MAILER-DAEMON@mx.example.org\nTo: alice@example.org\nSubject: Undelivered\n"
                           "MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n\n"
                           "--B\nContent-Type: text/plain\n\nFailed.\n\n"
                           "--B\nContent-Type: message/delivery-status; charset=utf-8\n\n"
                           "Reporting-MTA: dns; mx.example.org\n\nFinal-Recipient: rfc822; "
        + written.toUtf8() + "\nAction: failed\nStatus: 5.1.1\n\n--B--\n";
    const BounceReport report = BounceParser::parse(dsn);
    QCOMPARE(report.recipients.size(), 1);
    QCOMPARE(report.recipients.first().recipient, written);
    QVERIFY(report.notes.join(QLatin1Char(' ')).contains(QLatin1String("hidden characters")));
    const QString prose = QStringLiteral("Subject: failure notice\nFrom: MAILER-DAEMON@mx.example.org\n\n"
                                         "Delivery to the following recipient failed permanently:\n\n    %1\n\n550 5.1.1 no such user\n")
                              .arg(written);
    QCOMPARE(BounceParser::parse(prose.toUtf8()).recipients.value(0).recipient, written);
    QCOMPARE(FreeTextRules::addressesIn(QStringLiteral("to <bob@example.com>, then ") + written + QStringLiteral(":")),
             (QStringList{QStringLiteral("bob@example.com"), written}));
}

void TestBounceParser::binaryInputIsNotABounce()
{
    QByteArray elf("\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0", 16);
    for (int i = 0; i < 200; ++i)
        elf += QByteArray("\x03\0\x3e\0\x01\0\0\0 Report bugs to <bug-tools@example.org>\n", 47);
    const BounceReport report = BounceParser::parse(elf);
    QCOMPARE(report.kind, BounceReport::Kind::NotBounce);
    QVERIFY(report.recipients.isEmpty());
    QVERIFY2(report.notes.join(QLatin1Char(' ')).contains(QLatin1String("binary")), qPrintable(report.notes.join(QLatin1Char(' '))));
    // A text with a few stray control bytes is still read.
    QByteArray text = sample(QStringLiteral("postfix-dsn.eml"));
    text.insert(text.indexOf("\n\n") + 2, "\x01\x02 stray\n");
    QCOMPARE(BounceParser::parse(text).recipients.size(), 1);
}

void TestBounceParser::emptyInput()
{
    const BounceReport report = BounceParser::parse(QByteArray());
    QVERIFY(!report.isBounce);
    QCOMPARE(report.kind, BounceReport::Kind::NotBounce);
    QVERIFY(!report.notes.isEmpty());
}

void TestBounceParser::ordinaryMailIsNotABounce()
{
    const BounceReport report = BounceParser::parse(
        "From: Ann <ann@example.com>\nTo: ben@example.org\nSubject: Lunch\n\nShall we meet at noon?\n");
    QVERIFY(!report.isBounce);
    QCOMPARE(report.kind, BounceReport::Kind::NotBounce);
    QVERIFY(report.recipients.isEmpty());
}

void TestBounceParser::reportIsAValue()
{
    BounceReport a = BounceParser::parse(sample(QStringLiteral("postfix-dsn.eml")));
    BounceReport b = a;
    QCOMPARE(a, b);
    b.recipients.first().reason = QStringLiteral("mailboxfull");
    QVERIFY(a != b);
}

QTEST_GUILESS_MAIN(TestBounceParser)
#include "tst_bounceparser.moc"
