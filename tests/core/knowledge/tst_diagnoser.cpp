// Diagnoser: the server's words read into reason, source, list, help and advice. Rows are
// real providers' and MTAs' published wordings, one per kind of sentence.

#include "knowledge/diagnoser.h"
#include "protocol/pastedreply.h"

#include <QTest>

using namespace smtp;

class TestDiagnoser : public QObject
{
    Q_OBJECT
private slots:
    void loadsWithoutErrors();
    void reads_data();
    void reads();
    void providerNumbersHaveTheirOwnWords();
    void successesHaveNoDiagnosis();
    void greylistingOnlyWhenTemporary();
    void aNamedListComesFromTheWords();
    void helpPrefersTheReplysOwnUrl();
};

void TestDiagnoser::loadsWithoutErrors()
{
    QCOMPARE(Diagnoser::instance().loadErrors(), QStringList());
}

void TestDiagnoser::reads_data()
{
    QTest::addColumn<QString>("reply");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("list");
    QTest::addColumn<QString>("kind");

    QTest::newRow("postgrey greylisting")
        << "450 4.2.0 <bob@example.org>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/example.org.html"
        << "greylisted" << "postgrey" << "" << "greylisting";
    QTest::newRow("greylisting with a wait")
        << "451 4.7.1 Greylisted, please try again in 5 seconds" << "greylisted" << "" << "" << "greylisting";
    QTest::newRow("Spamhaus ZEN through Postfix")
        << "554 5.7.1 Service unavailable; Client host [198.51.100.7] blocked using zen.spamhaus.org; "
           "https://www.spamhaus.org/query/ip/198.51.100.7"
        << "blocked" << "Postfix" << "Spamhaus ZEN" << "";
    QTest::newRow("Spamhaus PBL")
        << "550 5.7.1 Service unavailable; Client host [203.0.113.5] blocked using pbl.spamhaus.org"
        << "blocked" << "Postfix" << "Spamhaus PBL" << "";
    QTest::newRow("Barracuda list")
        << "554 Service unavailable; Client host [198.51.100.7] blocked using b.barracudacentral.org"
        << "blocked" << "Barracuda" << "Barracuda Reputation Block List" << "";
    QTest::newRow("Microsoft S3150")
        << "550 5.7.1 Unfortunately, messages from [198.51.100.7] weren't sent. Please contact your Internet service "
           "provider since part of their network is on our block list (S3150). You can also refer your provider to "
           "http://mail.live.com/mail/troubleshooting.aspx#errors."
        << "blocked" << "Microsoft 365 / Outlook.com / Exchange" << "Microsoft block list (S3150)" << "";
    QTest::newRow("Microsoft rate limit by reputation")
        << "451 4.7.650 The mail server [198.51.100.7] has been temporarily rate limited due to IP reputation. For "
           "e-mail delivery information, see https://postmaster.live.com (S775)"
        << "badreputation" << "Microsoft 365 / Outlook.com / Exchange" << "" << "ip-reputation rate limit";
    QTest::newRow("Microsoft edge blocking")
        << "550 5.4.1 Recipient address rejected: Access denied. For more information see https://aka.ms/EXOSmtpErrors "
           "[AM6PEPF00000000.eurprd04.prod.outlook.com]"
        << "userunknown" << "Microsoft 365 / Outlook.com / Exchange" << "" << "Microsoft edge blocking";
    QTest::newRow("Gmail no such user")
        << "550-5.1.1 The email account that you tried to reach does not exist. Please try 550-5.1.1 double-checking "
           "the recipient's email address for typos or 550 5.1.1 unnecessary spaces. For more information, go to "
           "https://support.google.com/mail/?p=NoSuchUser - gsmtp"
        << "userunknown" << "Gmail / Google Workspace" << "" << "";
    QTest::newRow("Gmail unauthenticated")
        << "550 5.7.26 This message does not have authentication information or fails to pass authentication checks "
           "(SPF or DKIM). To best protect our users from spam, the message has been blocked. Please visit "
           "https://support.google.com/mail/answer/81126#authentication for more information. - gsmtp"
        << "authfailure" << "Gmail / Google Workspace" << "" << "not authenticated";
    QTest::newRow("Gmail PTR")
        << "550 5.7.25 [198.51.100.7] The IP address sending this message does not have a PTR record setup, or the "
           "corresponding forward DNS entry does not point to the sending IP. - gsmtp"
        << "requireptr" << "Gmail / Google Workspace" << "" << "missing PTR";
    QTest::newRow("Yahoo TSS04")
        << "421 4.7.0 [TSS04] Messages from 198.51.100.7 temporarily deferred due to unexpected volume or user "
           "complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes"
        << "" << "Yahoo / AOL" << "" << "";
    QTest::newRow("Apple CS01")
        << "550 5.7.1 [CS01] Message rejected due to local policy. Please visit https://support.apple.com/en-us/HT204137"
        << "" << "Apple iCloud" << "" << "";
    QTest::newRow("Orange OFR")
        << "550 5.7.1 Service refuse. Veuillez essayer plus tard. mwinf5c10 ME OFR_506 [506]" << "" << "Orange" << ""
        << "";
    QTest::newRow("La Poste LPN")
        << "550 5.1.1 Adresse d au moins un destinataire invalide. Invalid recipient. LPN007_416" << "userunknown"
        << "La Poste" << "" << "";
    QTest::newRow("Postfix relay denied")
        << "554 5.7.1 <bob@example.org>: Relay access denied" << "norelaying" << "Postfix" << "" << "relay denied";
    QTest::newRow("TLS required") << "530 5.7.0 Must issue a STARTTLS command first" << "" << "" << ""
                                  << "TLS required";
    QTest::newRow("a named DNS blocklist")
        << "550 5.7.1 Rejected: 198.51.100.7 listed at bl.example.net" << "blocked" << "" << "the DNS blocklist bl.example.net" << "";
    QTest::newRow("queue lifetime, no code")
        << "Could not deliver for the last 432000 seconds" << "expired" << "" << "" << "delivery timed out";
}

void TestDiagnoser::reads()
{
    QFETCH(QString, reply);
    QFETCH(QString, reason);
    QFETCH(QString, source);
    QFETCH(QString, list);
    QFETCH(QString, kind);
    const Reply r = PastedReply::read(reply).reply;
    const Diagnosis d = Diagnoser::instance().diagnose(r.lines.join(QLatin1Char(' ')), r.code,
                                                       r.enhanced ? r.enhanced->toString() : QString());
    if (!reason.isEmpty())
        QCOMPARE(d.reason, reason);
    QCOMPARE(d.source, source);
    QCOMPARE(d.list, list);
    QCOMPARE(d.kind, kind);
    QVERIFY2(!d.summary.isEmpty(), "every row here has something specific to say");
    QVERIFY(!d.action.isEmpty());
}

void TestDiagnoser::providerNumbersHaveTheirOwnWords()
{
    const Diagnosis d = Diagnoser::instance().diagnose(QStringLiteral("5.1.1 Invalid recipient. LPN007_416"), 550,
                                                       QStringLiteral("5.1.1"));
    QCOMPARE(d.summary, QStringLiteral("The recipient address does not exist at the provider."));
    const Diagnosis orange = Diagnoser::instance().diagnose(QStringLiteral("Service refuse. mwinf5c10 ME OFR_104"), 421, QString());
    QVERIFY(orange.summary.startsWith(QLatin1String("Too many connections")));
}

void TestDiagnoser::successesHaveNoDiagnosis()
{
    QCOMPARE(Diagnoser::instance().diagnose(QStringLiteral("2.1.0 Ok"), 250, QStringLiteral("2.1.0")), Diagnosis());
    QCOMPARE(Diagnoser::instance().diagnose(QStringLiteral("End data with <CR><LF>.<CR><LF>"), 354, QString()),
             Diagnosis());
}

void TestDiagnoser::greylistingOnlyWhenTemporary()
{
    const Diagnosis temporary = Diagnoser::instance().diagnose(QStringLiteral("4.7.1 Greylisted"), 451, QStringLiteral("4.7.1"));
    QCOMPARE(temporary.reason, QStringLiteral("greylisted"));
    // A permanent refusal that mentions greylisting is not a first try to repeat.
    const Diagnosis permanent = Diagnoser::instance().diagnose(QStringLiteral("5.7.1 greylisting failed too often"),
                                                               550, QStringLiteral("5.7.1"));
    QVERIFY(permanent.reason != QLatin1String("greylisted"));
    const Diagnosis other = Diagnoser::instance().diagnose(QStringLiteral("4.3.0 Temporary lookup failure"), 451,
                                                           QStringLiteral("4.3.0"));
    QVERIFY(other.reason != QLatin1String("greylisted"));
}

void TestDiagnoser::aNamedListComesFromTheWords()
{
    const Diagnosis d = Diagnoser::instance().diagnose(
        QStringLiteral("5.7.1 Client host [192.0.2.1] blocked using dnsbl.Other-List.example"), 554, QStringLiteral("5.7.1"));
    QCOMPARE(d.list, QStringLiteral("the DNS blocklist dnsbl.other-list.example"));
}

void TestDiagnoser::helpPrefersTheReplysOwnUrl()
{
    const Diagnosis own = Diagnoser::instance().diagnose(
        QStringLiteral("5.7.1 blocked using zen.spamhaus.org; see https://www.spamhaus.org/query/ip/192.0.2.1."), 554,
        QStringLiteral("5.7.1"));
    QCOMPARE(own.help, QStringLiteral("https://www.spamhaus.org/query/ip/192.0.2.1"));
    const Diagnosis documented = Diagnoser::instance().diagnose(
        QStringLiteral("5.7.1 blocked using zen.spamhaus.org"), 554, QStringLiteral("5.7.1"));
    QCOMPARE(documented.help, QStringLiteral("https://check.spamhaus.org/"));
}

QTEST_APPLESS_MAIN(TestDiagnoser)
#include "tst_diagnoser.moc"
