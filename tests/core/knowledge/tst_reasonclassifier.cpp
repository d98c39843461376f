#include "knowledge/reasonclassifier.h"

#include <QTest>

using namespace smtp;

class TestReasonClassifier : public QObject
{
    Q_OBJECT
private slots:
    void rulesLoad();
    void classify_data();
    void classify();
    void wordingKinds_data();
    void wordingKinds();
    void stageFromContext();
    void delayWordsGiveWayToACause();
    void addressIsNotAHost();
    void hard_data();
    void hard();
};

void TestReasonClassifier::rulesLoad()
{
    QVERIFY2(ReasonClassifier::instance().loadErrors().isEmpty(),
             qPrintable(ReasonClassifier::instance().loadErrors().join(QLatin1Char('\n'))));
}

void TestReasonClassifier::classify_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("status");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("action");
    QTest::addColumn<QString>("reason");
    QTest::newRow("exim: no route to the address") << "Unrouteable address" << "" << 0 << "failed" << "hostunknown";
    QTest::newRow("a mailbox receiving too fast") << "450 4.2.1 The user you are trying to contact is receiving mail at a rate that prevents additional messages from being delivered." << "4.2.1" << 450 << "delayed" << "toomanyconn";
    QTest::newRow("a recipient's hourly receiving limit") << "550 5.2.121 Recipient's per hour message receive limit from specific sender exceeded" << "" << 550 << "failed" << "toomanyconn";
    QTest::newRow("a provider's size limit") << "552 5.3.4 Your message exceeded Google's message size limits." << "" << 552 << "failed" << "exceedlimit";
    QTest::newRow("amavis: infected") << "554 5.7.0 Reject, id=12345-06 - INFECTED: Eicar-Signature" << "" << 554 << "failed" << "virusdetected";
    QTest::newRow("amavis: spam") << "554 5.7.0 Reject, id=12345-07 - SPAM" << "" << 554 << "failed" << "spamdetected";
    QTest::newRow("a mailbox that cannot be opened") << "550 5.2.1 Mailbox cannot be accessed" << "" << 550 << "failed" << "suspend";
    QTest::newRow("an X.400 address") << "550 5.1.1 Invalid X.400 address" << "" << 550 << "failed" << "userunknown";
    QTest::newRow("inbound mail switched off") << "550 Account inbounds disabled" << "" << 550 << "failed" << "notaccept";
    QTest::newRow("given up after a time") << "Your message could not be delivered for more than 4 days" << "" << 0 << "failed" << "expired";
    QTest::newRow("not an allowed sender") << "550 5.7.1 Sender not in allowed-senders list" << "" << 550 << "failed" << "rejected";
    QTest::newRow("maildrop failed") << "command died with status 75: \"/usr/bin/maildrop -d bob\"" << "" << 0 << "failed" << "mailererror";
    QTest::newRow("unsigned and unauthenticated") << "550 5.7.23 Message must pass either SPF or DKIM validation, this message is not signed" << "" << 550 << "failed" << "authfailure";
    QTest::newRow("an IP not on a recipient's allow list") << "550 5.7.1 IP not in whitelist for RCPT domain, closing connection." << "" << 550 << "failed" << "blocked";
    QTest::newRow("status names the reason") << "whatever" << "5.1.1" << 550 << "failed" << "userunknown";
    QTest::newRow("text when the status is generic") << "Mailbox full" << "5.0.0" << 550 << "failed" << "mailboxfull";
    QTest::newRow("blocklist") << "blocked using zen.spamhaus.org" << "5.7.1" << 550 << "failed" << "blocked";
    QTest::newRow("relay denied") << "Relay access denied" << "5.7.1" << 554 << "failed" << "norelaying";
    QTest::newRow("host not found") << "Host or domain name not found" << "" << 0 << "failed" << "hostunknown";
    QTest::newRow("delayed with nothing else") << "" << "" << 0 << "delayed" << "expired";
    QTest::newRow("policy code over address words") << "550 5.7.1 Unknown user: bob@example.net" << "5.7.1" << 550 << "failed" << "filtered";
    QTest::newRow("policy code over address words at RCPT") << "in reply to RCPT TO: 550 5.7.1 Unknown user" << "5.7.1" << 550 << "failed" << "userunknown";
    QTest::newRow("refused at the greeting") << "SMTP error from remote mail server after initial connection: 554 denied" << "" << 554 << "failed" << "blocked";
    QTest::newRow("refused after EHLO") << "SMTP error from remote mail server after EHLO relay.example: 550 Rejected" << "" << 550 << "failed" << "blocked";
    QTest::newRow("address words at MAIL FROM") << "SMTP error from remote mail server after MAIL FROM:<a@example.org>: 553 a@example.org does not exist" << "" << 553 << "failed" << "rejected";
    QTest::newRow("recipient's own preferences") << "550 Refused due to recipient preferences" << "5.1.1" << 550 << "failed" << "filtered";
    QTest::newRow("complaints and volume") << "421 4.7.0 Messages from 198.51.100.7 temporarily deferred due to unexpected volume or user complaints" << "4.7.0" << 421 << "delayed" << "badreputation";
    QTest::newRow("connect timed out, wrapped") << "unable to connect to remote server [198.51.100.9:25]: Operation timed\nout" << "" << 0 << "failed" << "expired";
    QTest::newRow("queue gave up") << "Resources temporarily unavailable, try again later. I'm not going to try again; this message has been in the queue too long." << "" << 0 << "failed" << "expired";
    QTest::newRow("directory server down") << "Unable to contact LDAP server. (#4.4.3)" << "4.4.3" << 0 << "delayed" << "systemerror";
    QTest::newRow("sending IP's messages refused") << "550 Messages from 198.51.100.7 weren't sent, ask your provider" << "" << 550 << "failed" << "blocked";
    QTest::newRow("5.2.3 over size words") << "552 5.2.3 Message size exceeds the limit set by the administrator" << "5.2.3" << 552 << "failed" << "exceedlimit";
    QTest::newRow("5.2.3 naming the recipient's size limit") << "550 5.2.3 RESOLVER.RST.RecipSizeLimit; message too large for this recipient" << "5.2.3" << 550 << "failed" << "mesgtoobig";
    QTest::newRow("not delivered within a time") << "Your message was not delivered within 2 days and 4 hours." << "" << 0 << "failed" << "expired";
    QTest::newRow("account temporarily limited") << "The recipient's account is temporarily limited." << "" << 0 << "failed" << "suspend";
    QTest::newRow("'Send mail as' misconfigured") << "The settings for your 'Send mail as' account are misconfigured. https://support.google.com/mail/?p=CustomFromDenied" << "" << 0 << "failed" << "rejected";
    QTest::newRow("several addresses in From") << "550 5.7.1 Messages with multiple 550 5.7.1 addresses in From: header are not accepted" << "5.7.1" << 550 << "failed" << "notcompliantrfc";
    QTest::newRow("sender's From domain invalid") << "550 From: domain is invalid, provide a valid From: address" << "" << 550 << "failed" << "rejected";
    QTest::newRow("a host that does not exist") << "553 relay.example.org does not exist" << "" << 553 << "failed" << "hostunknown";
    QTest::newRow("provider number: spam") << "550 5.2.0 Mail rejete. Mail rejected. OFR_506 [506]" << "5.2.0" << 550 << "failed" << "spamdetected";
    QTest::newRow("provider number: archived recipient") << "550 5.5.0 Boite du destinataire archivee. Archived recipient. LPN007_420" << "5.5.0" << 550 << "failed" << "suspend";
    QTest::newRow("provider number: try later says nothing") << "421 Service refuse. Veuillez essayer plus tard. LPN003_109" << "" << 421 << "delayed" << "undefined";
    QTest::newRow("Facebook code: the preference, not the 5.1.1") << "550 5.1.1 RCP-P2 http://postmaster.facebook.com/response_codes#rcp" << "5.1.1" << 550 << "failed" << "filtered";
    QTest::newRow("Facebook code: too many connections") << "421 4.7.0 CON-T3 Your mail server has opened too many new connections" << "4.7.0" << 421 << "delayed" << "toomanyconn";
    QTest::newRow("Facebook code: a virus") << "550 5.7.1 POL-P5 The message contains a virus" << "5.7.1" << 550 << "failed" << "virusdetected";
    QTest::newRow("unknown provider number falls to the words") << "552 Recipient overquota. OFR_777" << "" << 552 << "failed" << "mailboxfull";
    QTest::newRow("a named user that does not exist") << "550 user ann.lee does not exist" << "" << 550 << "failed" << "userunknown";
    QTest::newRow("catch-all: something does not exist") << "550 'ann.lee' does not exist here" << "" << 550 << "failed" << "userunknown";
    QTest::newRow("catch-all: an address not found") << "550 <ann@example.org>: not found" << "" << 550 << "failed" << "userunknown";
    QTest::newRow("catch-all: qmail's refusal at RCPT") << "mx.example.org does not like recipient. Remote host said: 550 go away"
                                                        << "" << 550 << "failed" << "blocked";
    QTest::newRow("catch-all: qmail's refusal at RCPT alone") << "mx.example.org does not like recipient." << "" << 0 << "failed" << "userunknown";
    QTest::newRow("catch-all: blocked alone") << "554 blocked" << "" << 554 << "failed" << "blocked";
    QTest::newRow("catch-all: rejected before blocked") << "550 message rejected (blocked)" << "" << 550 << "failed" << "rejected";
    QTest::newRow("delivered") << "" << "2.0.0" << 250 << "delivered" << "delivered";
    QTest::newRow("unknown user after DATA is a filter") << "550 Unknown user (in reply to end of DATA command)" << ""
                                                         << 550 << "failed" << "filtered";
    QTest::newRow("nothing known") << "" << "" << 0 << "" << "undefined";
}

void TestReasonClassifier::classify()
{
    QFETCH(QString, text);
    QFETCH(QString, status);
    QFETCH(int, code);
    QFETCH(QString, action);
    QTEST(ReasonClassifier::instance().classify(text, QString(), status, code, action), "reason");
}

// Kinds of wording MTAs use, each named from the words alone (no code to lean on), as a
// bounce from an old or unusual MTA gives them.
void TestReasonClassifier::wordingKinds_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("reason");
    const char *const rows[][2] = {
        {"550 Non-existent user ann@example.org", "userunknown"},
        {"Unknown e-mail address, please check it", "userunknown"},
        {"The email address could not be found at this domain", "userunknown"},
        {"No mailbox found for that name", "userunknown"},
        {"There is no one at this address", "userunknown"},
        {"RCPT <ann@example.org> does not exist here", "userunknown"},
        {"sorry, this address is in my badrcptto list (#5.1.1)", "userunknown"},
        {"Destinataire inconnu / utilisateur inconnu", "userunknown"},
        {"Empfaenger unbekannt", "userunknown"},
        {"This address no longer accepts mail.", "userunknown"},
        {"Requested action not taken: account unavailable", "userunknown"},
        {"Your envelope recipient was rejected", "userunknown"},
        {"The recipient address could not be located", "userunknown"},
        {"ann.lee is not listed in the company directory", "userunknown"},
        {"No entry for ann.lee in the name directory", "userunknown"},
        {"ann.lee est non répertorié dans l'annuaire de la société", "userunknown"},
        {"ann.lee は社内ディレクトリには見つかりません", "userunknown"},
        {"Lookup said RecipNotFound for ann@example.org", "userunknown"},
        {"Invalid delivery userid ann.lee", "userunknown"},
        {"Lookup failed: ExRecipNotFound", "userunknown"},
        {"User (ann@example.org) unknown, mail returned", "userunknown"},
        {"ann@example.org is not a local recipient", "userunknown"},
        {"The account has exceeded its mailbox quota", "mailboxfull"},
        {"Boite du destinataire pleine", "mailboxfull"},
        {"Mailbox quota usage exceeded for this user", "mailboxfull"},
        {"The inbox exceeds its permitted size", "mailboxfull"},
        {"Message exceeded maximum inbound message size", "mesgtoobig"},
        {"error: storage quota exceed for ann", "mailboxfull"},
        {"Mail file size exceeds the limit for this user", "mailboxfull"},
        {"Daily sending quota exceeded for this account", "toomanyconn"},
        {"You have exceeded the hourly message limit, try again later", "toomanyconn"},
        {"Peak relay quota exceeded for this account", "toomanyconn"},
        {"This recipient's per-hour receive limit has been reached", "toomanyconn"},
        {"Your tenant has exceeded the sending threshold", "toomanyconn"},
        {"You are exceeding the outbound connection limit of this gateway", "toomanyconn"},
        {"You reached the daily limit for recipients, try tomorrow", "toomanyconn"},
        {"This address is administratively disabled", "suspend"},
        {"The recipient does not accept mail containing images", "policyviolation"},
        {"Attachment extension .scr is forbidden", "policyviolation"},
        {"Refused by the content inspection policy of example.org", "policyviolation"},
        {"The recipient's domain has a policy that prohibits this mail", "policyviolation"},
        {"Unable to deliver the message after multiple retries", "expired"},
        {"Retry time not reached for any host after a long failure period", "expired"},
        {"Delivery failed after 12 attempts", "expired"},
        {"The message holds invalid characters in its subject", "contenterror"},
        {"Too many 'Received' headers: looping?", "contenterror"},
        {"Mail forwarding loop for ann@example.org", "networkerror"},
        {"We don't handle mail for example.org", "norelaying"},
        {"sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)", "norelaying"},
        {"535 SMTP authentication failed, check the password", "securityerror"},
        {"You are not authorized to send, authentication is required first", "securityerror"},
        {"Sorry, you did not authenticate, and example.org is not in my list of allowed rcpthosts", "securityerror"},
        {"An app-specific password is needed for this account", "securityerror"},
        {"Log in via a web browser first, then retry", "securityerror"},
        {"This relay requires stronger encryption than offered", "securityerror"},
        {"Please enable SMTP authentication in your mail program", "securityerror"},
        {"Unable to read the credentials for this relay", "securityerror"},
        {"The client has not been authenticated, relaying refused", "securityerror"},
        {"This domain is not in my list of allowed rcpthost", "norelaying"},
        {"Refusing to act as an open mail relay", "norelaying"},
        {"Temporary failure: LDAP server unreachable", "systemerror"},
        {"Unable to bind to the LDAP server with the configured credentials", "systemerror"},
        {"Several matches found in the directory for ann", "systemerror"},
        {"The gateway is incorrectly configured", "systemerror"},
        {"Alias expansion failed for staff@example.org", "systemerror"},
        {"The address ann@example.org is ambiguous", "systemerror"},
        {"LMTP error while handing over the message", "systemerror"},
        {"Service is not active on this node", "systemerror"},
        {"The message failed to be replicated to a second server", "systemerror"},
        {"Our filters believe that this message is unsolicited", "spamdetected"},
        {"Reject: bulk advertising is not accepted here", "spamdetected"},
        {"We detected that this message is suspicious because of the sending domain's low reputation", "badreputation"},
        {"Spamming is not tolerated on this network", "spamdetected"},
        {"Your host looks like a spammer", "blocked"},
        {"Rejected: the message contains a known virus", "virusdetected"},
        {"Your message could not be delivered for more than 5 days", "expired"},
        {"The remote server did not respond in time", "expired"},
        {"No valid route to the destination host", "networkerror"},
        {"Temporary failure in DNS lookup for example.org", "networkerror"},
        {"Unable to establish an SMTP connection to mx.example.org", "networkerror"},
        {"The message exceeded the maximum hop count", "networkerror"},
        {"mx.example.org rejects all mail", "notaccept"},
        {"503 Improper sequence of commands", "syntaxerror"},
        {"503 Say HELO first", "syntaxerror"},
        {"503 RCPT TO first, then DATA", "syntaxerror"},
        {"504 Parameter not implemented", "syntaxerror"},
        {"502 Unimplemented command", "syntaxerror"},
        {"504 Unrecognised auth mechanism", "syntaxerror"},
        {"STARTTLS may not be repeated in one session", "syntaxerror"},
        {"SMTP protocol violation: pipelining not allowed", "syntaxerror"},
        {"Header size exceeds the limit of this server", "contenterror"},
        {"SPF check: fail for example.org", "authfailure"},
        {"Sender address has been blacklisted by the recipient's server", "rejected"},
        {"Bogus mail from ann@example.org", "rejected"},
        {"Rejected by SpamAssassin: score 12.3", "spamdetected"},
        {"Your mail is bulk email and was not accepted", "spamdetected"},
        {"Messages with an illegal attachment are not accepted", "policyviolation"},
        {"Posting by non-member to a members-only list", "policyviolation"},
        {"This mailbox has been suspended", "suspend"},
        {"Too many SMTP sessions for this host", "toomanyconn"},
        {"Access from IP address 198.51.100.7 blocked", "blocked"},
        {"Rejecting open proxy 198.51.100.7", "blocked"},
        {"We do not accept mail from hosts on dynamic IP ranges", "blocked"},
        {"Dial-up clients are not accepted here", "blocked"},
        {"Your IPs are blocked for sending spam", "blocked"},
        {"Cannot resolve your hostname, closing", "requireptr"},
        {"Mail refused: the sending server's reputation is too low", "badreputation"},
        {"Rejected because of the sender's poor IP reputation", "badreputation"},
        {"Sender e-mail address rejected by the recipient's policy", "rejected"},
        {"Your sender is not on the recipient's allowed senders list", "rejected"},
        {"Message refused by the SenderFilter agent", "rejected"},
        {"Backscatter: bounces to this address are not accepted", "rejected"},
        {"I am out of the office until Monday", "vacation"},
        {"<ann@example.invalid>: Recipient address rejected: unknown domain", "hostunknown"},
        {"The mail domain named in the address is unknown", "hostunknown"},
        {"Sorry, I could not find any host named example.invalid", "hostunknown"},
        {"MX lookups failed permanently for example.invalid", "hostunknown"},
        {"Sender domain does not exist", "rejected"},
        {"<ann@example.invalid>: Sender address rejected: Domain not found", "rejected"},
        {"Unknown sender domain example.invalid", "rejected"},
        {"Illegal host name in recipient address", "hostunknown"},
        // kinds first met in other projects' bounces (never in the corpus)
        {"dylan (0), ErrMsg=mail box space not enough", "mailboxfull"},
        {"L'adresse de messagerie r\u00e9f\u00e9renc\u00e9e ci-dessus n'existe pas", "userunknown"},
        {"Die E-Mail-Adresse des Empf\u00e4ngers existiert nicht", "userunknown"},
        {"La direcci\u00f3n de correo no existe", "userunknown"},
        {"Il dominio example.it non esiste", "hostunknown"},
        {"Mail appears to be unsolicited - Score (59) over MessageScoringUpperLimit", "spamdetected"},
        {"CONTENT REJECT:192.0.2.1.2011101001.XXYI:dspam", "spamdetected"},
        {"Reason:  Exceeded Maximum Delivery Attempts.", "expired"},
        {"This condition occurred after 30 attempt(s) to deliver over a period of 92 hour(s)", "expired"},
        {"Command output: avpcheck: unable to connect to avp daemon: Connection refused", "mailererror"},
        {"connect to mx.example.org: Connection refused", "networkerror"},
        {"DNS lookup failed.", "networkerror"},
        {"550 5.7.1 sender was not authenticated for group", "rejected"},
        {"We do not accept mail from hosts with dynamic IP or generic DNS PTR-records", "requireptr"},
        {"This mail message has exceeded the maximum incoming message size", "mesgtoobig"},
        {"Gmail requires all bulk email senders to authenticate their email with SPF", "authfailure"},
        {"Messages missing a valid address in the From: header are not accepted", "notcompliantrfc"},
        {"The message contains a Unicode character in a disallowed header", "notcompliantrfc"},
        {"Recipient no longer on server", "hasmoved"},
        {"The recipient name is not recognized", "userunknown"},
        {"542 <ann@example.org> Rejected", "userunknown"},
        {"421 Max message per connection reached, closing transmission channel", "toomanyconn"},
        {"451 The mail server has temporarily rejected this message", "systemerror"},
        // the same sentences without their apostrophe, or with a typographic one
        {"This user doesnt have an account here", "userunknown"},
        {"Recipient domain doesnt exist", "hostunknown"},
        {"We don\u2019t handle mail for example.org", "norelaying"},
        {"sorry, that domain isnt in my list of allowed rcpthosts", "norelaying"},
    };
    for (const auto &row : rows)
        QTest::newRow(row[0]) << QString::fromUtf8(row[0]) << QString::fromLatin1(row[1]);
}

void TestReasonClassifier::wordingKinds()
{
    QFETCH(QString, text);
    QTEST(ReasonClassifier::instance().reasonFromText(text), "reason");
}

// "Will be retried" says only that the mail is late: alone it is `expired`, but a cause
// told beside it (a failed connection, a missing MX) names the reason.
void TestReasonClassifier::delayWordsGiveWayToACause()
{
    const ReasonClassifier &c = ReasonClassifier::instance();
    QCOMPARE(c.classify(QStringLiteral("The message will be retried for 3 more days"), QString(), QString(), 0,
                        QStringLiteral("delayed")),
             QStringLiteral("expired"));
    QCOMPARE(c.classify(QStringLiteral("connection to mail exchanger failed. Delivery attempts will continue for some time"),
                        QString(), QString(), 0, QStringLiteral("delayed")),
             QStringLiteral("networkerror"));
    QCOMPARE(c.classify(QStringLiteral("454 4.4.4 no MX or A for domain; still trying"), QString(), QStringLiteral("4.4.4"),
                        454, QStringLiteral("delayed")),
             QStringLiteral("networkerror"));
}

void TestReasonClassifier::stageFromContext()
{
    const ReasonClassifier &c = ReasonClassifier::instance();
    // One exchange around the words: its stage counts.
    QCOMPARE(c.classify(QStringLiteral("550 Rejected"), QStringLiteral("SMTP error from remote mail server after HELO a.example:"),
                        QString(), 550, QStringLiteral("failed")),
             QStringLiteral("blocked"));
    // A transcript of several exchanges does not tell which one refused this recipient.
    QCOMPARE(c.classify(QStringLiteral("550 Rejected"),
                        QStringLiteral(">>> MAIL From:<a@example.org>\n<<< 501 no\n>>> RCPT To:<b@example.net>\n<<< 550 no"),
                        QString(), 550, QStringLiteral("failed")),
             QStringLiteral("rejected"));
    // Address words answering DATA: a filter refusing the message, told by the one exchange
    // (even told twice, in two languages) or by a label naming the command.
    QCOMPARE(c.classify(QStringLiteral("550 : User unknown"),
                        QStringLiteral("Die Nachricht konnte nicht zugestellt werden:\n  SMTP error from remote mail server after end of data:\n"
                                       "  550 : User unknown\nThe message could not be delivered:\n"
                                       "  SMTP error from remote mail server after end of data:\n  550 : User unknown\n"),
                        QString(), 550, QStringLiteral("failed")),
             QStringLiteral("filtered"));
    QCOMPARE(c.classify(QStringLiteral("550 unknown user <ann@example.org>"),
                        QStringLiteral("--- server reply\n550 unknown user <ann@example.org>\n--- SMTP command\nDATA\n"), QString(),
                        550, QStringLiteral("failed")),
             QStringLiteral("filtered"));
    // A transcript of several exchanges: this recipient's refusal was at RCPT.
    QCOMPARE(c.classify(QStringLiteral("550 No such user"),
                        QStringLiteral(">>> RCPT To:<ann@example.org>\n<<< 550 No such user\n>>> DATA\n<<< 554 No valid recipients"),
                        QString(), 550, QStringLiteral("failed")),
             QStringLiteral("userunknown"));
}

void TestReasonClassifier::addressIsNotAHost()
{
    // "<host> does not exist" names a host; the domain of an address does not.
    QVERIFY(ReasonClassifier::instance().reasonFromText(QStringLiteral("550 ann@example.org does not exist"))
            != QLatin1String("hostunknown"));
}

void TestReasonClassifier::hard_data()
{
    QTest::addColumn<QString>("reason");
    QTest::addColumn<int>("klass");
    QTest::addColumn<bool>("hard");
    QTest::newRow("user unknown, permanent") << "userunknown" << 5 << true;
    QTest::newRow("user unknown, temporary") << "userunknown" << 4 << false;
    QTest::newRow("mailbox full") << "mailboxfull" << 5 << false;
    QTest::newRow("host unknown") << "hostunknown" << 5 << true;
}

void TestReasonClassifier::hard()
{
    QFETCH(QString, reason);
    QFETCH(int, klass);
    QTEST(ReasonClassifier::instance().isHard(reason, klass), "hard");
}

QTEST_GUILESS_MAIN(TestReasonClassifier)
#include "tst_reasonclassifier.moc"
