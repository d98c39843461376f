// PastedReply: replies as people paste them, framed by MTAs or not, one row per kind.

#include "protocol/pastedreply.h"

#include <QTest>

using namespace smtp;

class TestPastedReply : public QObject
{
    Q_OBJECT
private slots:
    void reads_data();
    void reads();
    void keepsEveryLineOfAJoinedReply();
    void numbersInProseAreNotCodes();
    void commandNames_data();
    void commandNames();
};

void TestPastedReply::reads_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("enhanced");
    QTest::addColumn<QString>("framing");
    QTest::addColumn<QString>("command");
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("firstLine");

    QTest::newRow("a bare reply") << "550 5.1.1 <bob@example.com>: Recipient address rejected" << 550 << "5.1.1"
                                  << "" << "" << "" << "5.1.1 <bob@example.com>: Recipient address rejected";
    QTest::newRow("one continuation line alone")
        << "550-5.1.1 The email account that you tried to reach does not exist. Please try" << 550 << "5.1.1" << ""
        << "" << "" << "5.1.1 The email account that you tried to reach does not exist. Please try";
    QTest::newRow("Postfix framing")
        << "host mx.example.org[192.0.2.10] said: 550 5.7.1 Service unavailable; client [198.51.100.7] blocked "
           "using zen.spamhaus.org (in reply to RCPT TO command)"
        << 550 << "5.7.1" << "postfix" << "RCPT" << "mx.example.org[192.0.2.10]"
        << "5.7.1 Service unavailable; client [198.51.100.7] blocked using zen.spamhaus.org";
    QTest::newRow("Postfix framing, after the message")
        << "host mx.example.org[192.0.2.10] said: 554 5.7.1 Message rejected as spam (in reply to end of DATA command)"
        << 554 << "5.7.1" << "postfix" << "DATA_END" << "mx.example.org[192.0.2.10]" << "5.7.1 Message rejected as spam";
    QTest::newRow("Postfix framing folded over lines")
        << "host mx.example.org[192.0.2.10] said: 452 4.2.2 Mailbox full\n    (in reply to RCPT TO command)"
        << 452 << "4.2.2" << "postfix" << "RCPT" << "mx.example.org[192.0.2.10]" << "4.2.2 Mailbox full";
    QTest::newRow("Exim framing, one line")
        << "SMTP error from remote mail server after RCPT TO:<bob@example.org>: 550 5.1.1 No such user" << 550
        << "5.1.1" << "exim" << "RCPT" << "" << "5.1.1 No such user";
    QTest::newRow("Exim framing with host")
        << "SMTP error from remote mail server after RCPT TO:<bob@example.org>:\n    host mx.example.org "
           "[192.0.2.10]: 550 5.1.1 No such user"
        << 550 << "5.1.1" << "exim" << "RCPT" << "mx.example.org [192.0.2.10]" << "5.1.1 No such user";
    QTest::newRow("Exim framing after the data")
        << "SMTP error from remote mail server after end of data: 554 5.7.1 Spam message rejected" << 554 << "5.7.1"
        << "exim" << "DATA_END" << "" << "5.7.1 Spam message rejected";
    QTest::newRow("Exim framing after MAIL with SIZE")
        << "SMTP error from remote mail server after MAIL FROM:<alice@example.com> SIZE=1234: 553 5.7.1 Sender rejected"
        << 553 << "5.7.1" << "exim" << "MAIL" << "" << "5.7.1 Sender rejected";
    QTest::newRow("Exchange framing")
        << "Remote Server returned '550 5.4.1 Recipient address rejected: Access denied. AS(201806281)'" << 550
        << "5.4.1" << "exchange" << "" << "" << "5.4.1 Recipient address rejected: Access denied. AS(201806281)";
    QTest::newRow("Diagnostic-Code field")
        << "Diagnostic-Code: smtp; 552 5.2.2 Mailbox quota exceeded" << 552 << "5.2.2" << "dsn" << "" << ""
        << "5.2.2 Mailbox quota exceeded";
    QTest::newRow("Sendmail transcript")
        << "... while talking to mx.example.org.:\n>>> RCPT To:<bob@example.org>\n<<< 550 5.1.1 <bob@example.org>... User unknown"
        << 550 << "5.1.1" << "sendmail" << "RCPT" << "mx.example.org." << "5.1.1 <bob@example.org>... User unknown";
    QTest::newRow("a code inside prose")
        << "The response from the remote server was: 421 4.7.0 [TSS04] Messages from 198.51.100.7 temporarily deferred"
        << 421 << "4.7.0" << "" << "" << "" << "4.7.0 [TSS04] Messages from 198.51.100.7 temporarily deferred";
    QTest::newRow("words only")
        << "Could not deliver for the last 432000 seconds" << 0 << "" << "" << "" << ""
        << "Could not deliver for the last 432000 seconds";
    QTest::newRow("words with an enhanced code")
        << "Delivery failed: status 5.1.1, mailbox unknown" << 0 << "5.1.1" << "" << "" << ""
        << "Delivery failed: status 5.1.1, mailbox unknown";
    QTest::newRow("CRLF as copied from a terminal") << "451 4.7.1 Greylisted\r\n" << 451 << "4.7.1" << "" << ""
                                                     << "" << "4.7.1 Greylisted";
}

void TestPastedReply::reads()
{
    QFETCH(QString, text);
    QFETCH(int, code);
    QFETCH(QString, enhanced);
    QFETCH(QString, framing);
    QFETCH(QString, command);
    QFETCH(QString, host);
    QFETCH(QString, firstLine);
    const PastedReply p = PastedReply::read(text);
    QCOMPARE(p.reply.code, code);
    QCOMPARE(p.reply.enhanced ? p.reply.enhanced->toString() : QString(), enhanced);
    QCOMPARE(p.framing, framing);
    QCOMPARE(p.command, command);
    QCOMPARE(p.remoteHost, host);
    QCOMPARE(p.reply.lines.value(0), firstLine);
    QVERIFY(!p.reply.violations.contains(Violation::Truncated));
}

void TestPastedReply::keepsEveryLineOfAJoinedReply()
{
    const PastedReply p = PastedReply::read(QStringLiteral(
        "550-5.1.1 The email account that you tried to reach does not exist. Please try 550-5.1.1 double-checking "
        "the recipient's email address for typos or 550 5.1.1 unnecessary spaces. https://support.google.com/mail/?p=NoSuchUser"));
    QCOMPARE(p.reply.code, 550);
    QCOMPARE(p.reply.lines.size(), 3);
    QVERIFY(p.reply.lines[2].endsWith(QLatin1String("?p=NoSuchUser")));
    QVERIFY(p.reply.violations.isEmpty());
    QVERIFY(p.reply.text().startsWith(QLatin1String("The email account")));
}

void TestPastedReply::numbersInProseAreNotCodes()
{
    QCOMPARE(PastedReply::read(QStringLiteral("retry in 300 seconds please")).reply.code, 0);
    QCOMPARE(PastedReply::read(QStringLiteral("connect to port 587 failed")).reply.code, 0);
    QCOMPARE(PastedReply::read(QStringLiteral("queued as 4Bf0 for 250 recipients")).reply.code, 0);
}

void TestPastedReply::commandNames_data()
{
    QTest::addColumn<QString>("words");
    QTest::addColumn<QString>("command");
    QTest::newRow("RCPT with address") << "RCPT TO:<bob@example.org>" << "RCPT";
    QTest::newRow("MAIL") << "MAIL FROM" << "MAIL";
    QTest::newRow("end of DATA") << "end of DATA" << "DATA_END";
    QTest::newRow("pipelined DATA") << "pipelined DATA" << "DATA";
    QTest::newRow("greeting") << "initial connection" << "CONNECT";
    QTest::newRow("EHLO") << "EHLO mail.example.com" << "EHLO";
    QTest::newRow("nothing") << "" << "";
    QTest::newRow("unknown words") << "the moon" << "";
}

void TestPastedReply::commandNames()
{
    QFETCH(QString, words);
    QFETCH(QString, command);
    QCOMPARE(commandNamed(words), command);
}

QTEST_APPLESS_MAIN(TestPastedReply)
#include "tst_pastedreply.moc"
