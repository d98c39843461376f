// MtaLog: failure and delay lines of Postfix and Exim logs become DSN fields; other
// lines are not items. Lines as the MTAs write them.

#include "bounce/bounceparser.h"
#include "bounce/mtalog.h"

#include <QTest>

using namespace smtp;

class TestMtaLog : public QObject
{
    Q_OBJECT
private slots:
    void failures_data();
    void failures();
    void otherLinesAreNoItems_data();
    void otherLinesAreNoItems();
    void originalRecipientAndReportingMta_data();
    void originalRecipientAndReportingMta();
    void logLinesAreTold_data();
    void logLinesAreTold();
};

void TestMtaLog::failures_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<QString>("recipient");
    QTest::addColumn<QString>("action");
    QTest::addColumn<QString>("status");
    QTest::addColumn<QString>("remote");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<bool>("inferred");

    QTest::newRow("Postfix bounced at RCPT")
        << "Dec  1 10:00:02 mx1 postfix/smtp[2345]: 4BfXyz1234: to=<bob@example.org>, relay=mx.example.org[192.0.2.10]:25, "
           "delay=1.2, delays=0.1/0/0.5/0.6, dsn=5.1.1, status=bounced (host mx.example.org[192.0.2.10] said: 550 5.1.1 "
           "<bob@example.org>: Recipient address rejected: User unknown in virtual mailbox table (in reply to RCPT TO command))"
        << "bob@example.org" << "failed" << "5.1.1" << "mx.example.org" << "userunknown" << false;
    QTest::newRow("Postfix deferred by greylisting")
        << "Dec  1 10:00:03 mx1 postfix/smtp[2345]: 4BfXyz1235: to=<carol@example.net>, relay=mx.example.net[192.0.2.11]:25, "
           "delay=3, dsn=4.7.1, status=deferred (host mx.example.net[192.0.2.11] said: 450 4.7.1 <carol@example.net>: "
           "Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/example.net.html (in reply to RCPT TO command))"
        << "carol@example.net" << "delayed" << "4.7.1" << "mx.example.net" << "greylisted" << false;
    QTest::newRow("Postfix, no relay: the domain does not exist")
        << "Dec  1 10:00:05 mx1 postfix/smtp[2346]: 4BfXyz1237: to=<erin@nowhere.invalid>, relay=none, delay=0.1, "
           "dsn=5.4.4, status=bounced (Host or domain name not found. Name service error for name=nowhere.invalid type=AAAA: Host not found)"
        << "erin@nowhere.invalid" << "failed" << "5.4.4" << "" << "hostunknown" << false;
    QTest::newRow("Postfix with an ISO timestamp and orig_to")
        << "2026-12-01T10:00:02.123456+01:00 mx1 postfix/smtp[2345]: 4BfX: to=<bob@example.org>, orig_to=<b@example.org>, "
           "relay=mx.example.org[192.0.2.10]:25, delay=1, dsn=5.2.2, status=bounced (host mx.example.org[192.0.2.10] said: "
           "552 5.2.2 Mailbox full (in reply to end of DATA command))"
        << "bob@example.org" << "failed" << "5.2.2" << "mx.example.org" << "mailboxfull" << false;
    QTest::newRow("Exim failure with TLS fields")
        << "2026-12-01 10:00:01 1tABCD-000123-XY ** bob@example.org R=dnslookup T=remote_smtp H=mx.example.org [192.0.2.10] "
           "X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes: SMTP error from remote mail server after RCPT TO:<bob@example.org>: "
           "550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown"
        << "bob@example.org" << "failed" << "5.1.1" << "mx.example.org" << "userunknown" << false;
    QTest::newRow("Exim delay")
        << "2026-12-01 10:00:02 1tABCE-000124-XY == carol@example.net R=dnslookup T=remote_smtp defer (-44) H=mx.example.net "
           "[192.0.2.11]: SMTP error from remote mail server after RCPT TO:<carol@example.net>: 451 4.7.1 Greylisted, please try again in 300 seconds"
        << "carol@example.net" << "delayed" << "4.7.1" << "mx.example.net" << "greylisted" << false;
    QTest::newRow("Exim local failure, no host")
        << "2026-12-01 10:00:03 1tABCF-000125-XY ** nobody@example.com: Unrouteable address"
        << "nobody@example.com" << "failed" << "5.1.2" << "" << "hostunknown" << true; // no code in the line: no route, as Exim and Sisimai mean it
}

void TestMtaLog::failures()
{
    QFETCH(QString, line);
    QVERIFY(MtaLog::isLogLine(line));
    const auto fields = MtaLog::dsnFields(line);
    QVERIFY(fields);
    const BounceReport report = BounceParser::parse(*fields);
    QCOMPARE(report.recipients.size(), 1);
    const BounceRecipient &r = report.recipients.first();
    QTEST(r.recipient, "recipient");
    QTEST(r.action, "action");
    QTEST(r.status, "status");
    QTEST(r.remoteMta, "remote");
    QTEST(r.reason, "reason");
    QTEST(r.statusInferred, "inferred");
}

void TestMtaLog::otherLinesAreNoItems_data()
{
    QTest::addColumn<QString>("line");
    QTest::newRow("Postfix delivered") << "Dec  1 10:00:04 mx1 postfix/smtp[2345]: 4BfX: to=<dave@example.com>, "
                                          "relay=mx.example.com[192.0.2.12]:25, delay=1, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as ABC)";
    QTest::newRow("Postfix connect") << "Dec  1 10:00:00 mx1 postfix/smtpd[1234]: connect from unknown[198.51.100.7]";
    QTest::newRow("Exim arrival") << "2026-12-01 10:00:00 1tABCD-000123-XY <= alice@example.com H=client [198.51.100.7] P=esmtpsa S=1234";
    QTest::newRow("Exim delivery") << "2026-12-01 10:00:03 1tABCE-000124-XY => dave@example.com R=dnslookup T=remote_smtp H=mx.example.com [192.0.2.12]";
    QTest::newRow("Exim failure of a pipe, no address")
        << "2026-12-01 10:00:03 1tABCE-000124-XY ** |/usr/local/bin/filter R=pipe_router T=address_pipe: Child process returned 1";
    QTest::newRow("empty") << "";
}

void TestMtaLog::otherLinesAreNoItems()
{
    QFETCH(QString, line);
    QVERIFY(!MtaLog::dsnFields(line));
}

void TestMtaLog::originalRecipientAndReportingMta_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<QString>("recipient");
    QTest::addColumn<QString>("original");
    QTest::addColumn<QString>("reportingMta");

    const QString postfixTail = QStringLiteral(
        "relay=mx.example.org[192.0.2.10]:25, delay=1, dsn=5.1.1, status=bounced (host mx.example.org[192.0.2.10] said: "
        "550 5.1.1 no such user (in reply to RCPT TO command))");
    QTest::newRow("Postfix orig_to, syslog host")
        << "Dec  1 10:00:02 mx1 postfix/smtp[2]: 4B: to=<bob@example.org>, orig_to=<info@example.com>, " + postfixTail
        << "bob@example.org" << "info@example.com" << "mx1";
    QTest::newRow("Postfix orig_to, ISO stamp")
        << "2026-12-01T10:00:02.123456+01:00 relay-2.example.com postfix/smtp[2]: 4B: to=<bob@example.org>, "
           "orig_to=<info@example.com>, " + postfixTail
        << "bob@example.org" << "info@example.com" << "relay-2.example.com";
    QTest::newRow("Postfix orig_to the same address")
        << "Dec  1 10:00:02 mx1 postfix/smtp[2]: 4B: to=<bob@example.org>, orig_to=<bob@example.org>, " + postfixTail
        << "bob@example.org" << "" << "mx1";
    QTest::newRow("Postfix without orig_to")
        << "Dec  1 10:00:02 mx1 postfix/smtp[2]: 4B: to=<bob@example.org>, " + postfixTail
        << "bob@example.org" << "" << "mx1";
    QTest::newRow("grep -H prefix")
        << "/var/log/mail.log:Dec  1 10:00:02 mx1 postfix/smtp[2]: 4B: to=<bob@example.org>, " + postfixTail
        << "bob@example.org" << "" << "mx1";
    QTest::newRow("grep -Hn prefix")
        << "mail.log.1:2041:Dec  1 10:00:02 mx1 postfix/smtp[2]: 4B: to=<bob@example.org>, " + postfixTail
        << "bob@example.org" << "" << "mx1";
    QTest::newRow("Exim original in angle brackets, own log: no host")
        << "2026-12-01 10:00:01 1tABCD-000123-XY ** bob@example.org <info@example.com> R=dnslookup T=remote_smtp "
           "H=mx.example.org [192.0.2.10]: SMTP error from remote mail server after RCPT TO:<bob@example.org>: 550 5.1.1 unknown"
        << "bob@example.org" << "info@example.com" << "";
    QTest::newRow("Exim parent and original")
        << "2026-12-01 10:00:01 1tABCD-000123-XY ** bob@example.org (sales@example.com, team@example.com) <info@example.com> "
           "R=dnslookup T=remote_smtp H=mx.example.org [192.0.2.10]: SMTP error from remote mail server after RCPT TO:<bob@example.org>: "
           "550 5.1.1 unknown"
        << "bob@example.org" << "info@example.com" << "";
    QTest::newRow("Exim local part, the original the only address")
        << "2026-12-01 10:00:01 1tABCD-000123-XY ** bob <bob@example.org> R=virtual_user T=dovecot_virtual_delivery: "
           "mailbox is full"
        << "bob@example.org" << "" << "";
    QTest::newRow("Exim through syslog")
        << "Dec  1 10:00:01 mail2 exim[1234]: 2026-12-01 10:00:01 1tABCD-000123-XY ** bob@example.org <info@example.com> "
           "R=dnslookup T=remote_smtp H=mx.example.org [192.0.2.10]: SMTP error from remote mail server after RCPT TO:<bob@example.org>: "
           "550 5.1.1 unknown"
        << "bob@example.org" << "info@example.com" << "mail2";
}

void TestMtaLog::originalRecipientAndReportingMta()
{
    QFETCH(QString, line);
    const auto fields = MtaLog::dsnFields(line);
    QVERIFY(fields);
    const BounceReport report = BounceParser::parse(*fields);
    QCOMPARE(report.recipients.size(), 1);
    QTEST(report.recipients.first().recipient, "recipient");
    QTEST(report.recipients.first().originalRecipient, "original");
    QTEST(report.recipients.first().reportingMta, "reportingMta");
}

void TestMtaLog::logLinesAreTold_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<bool>("isLog");
    QTest::newRow("syslog") << "Dec  1 10:00:00 mx1 postfix/smtpd[1234]: connect from x" << true;
    QTest::newRow("journalctl short") << "Dec 01 10:00:00 mx1 postfix/qmgr[3]: 4B: removed" << true;
    QTest::newRow("ISO syslog") << "2026-12-01T10:00:00+01:00 mx1 postfix/qmgr[3]: 4B: removed" << true;
    QTest::newRow("Exim's own log") << "2026-12-01 10:00:00 1tABCD-000123-XY <= a@b" << true;
    QTest::newRow("grep -H") << "/var/log/mail.log:Dec  1 10:00:00 mx1 postfix/smtpd[1234]: connect from x" << true;
    QTest::newRow("grep -n") << "17:Dec  1 10:00:00 mx1 postfix/smtpd[1234]: connect from x" << true;
    QTest::newRow("grep -Hn of an Exim log") << "mainlog:17:2026-12-01 10:00:00 1tABCD-000123-XY <= a@b" << true;
    QTest::newRow("a Postfix record alone")
        << "4B: to=<bob@example.org>, relay=none, delay=0.1, dsn=5.4.4, status=bounced (Host not found)" << true;
    QTest::newRow("header field") << "From: Mail Delivery System <MAILER-DAEMON@example.org>" << false;
    QTest::newRow("Received field") << "Received: from mx.example.org by mx2 with ESMTP; Mon, 1 Dec 2026 10:00:00 +0000" << false;
    QTest::newRow("a header holding a log line") << "X-Log: Dec  1 10:00:00 mx1 postfix/smtpd[1234]: connect" << false;
    QTest::newRow("journal header") << "-- Logs begin at Mon 2026-11-30 00:00:01 CET, end at Tue 2026-12-01 11:00:00 CET. --" << false;
    QTest::newRow("journal boot") << "-- Boot 8d1c2f0a9b2e4c5d --" << false;
    QTest::newRow("a reply") << "550 5.1.1 <bob@example.org>: Recipient address rejected" << false;
    QTest::newRow("a stamp alone, no host or program") << "Dec  1 10:00:00 something happened" << false;
    QTest::newRow("empty") << "" << false;
}

void TestMtaLog::logLinesAreTold()
{
    QFETCH(QString, line);
    QTEST(MtaLog::isLogLine(line), "isLog");
}

QTEST_APPLESS_MAIN(TestMtaLog)
#include "tst_mtalog.moc"
