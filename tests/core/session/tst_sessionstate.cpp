#include "session/capabilities.h"
#include "session/sessionstate.h"

#include <QTest>

using namespace smtp;

Q_DECLARE_METATYPE(smtp::SessionState)

class TestSessionState : public QObject
{
    Q_OBJECT
private slots:
    void next_data();
    void next();
    void warnings_data();
    void warnings();
    void expectedVerbsFollowCapabilities();
    void capabilitiesFromEhlo();
};

void TestSessionState::next_data()
{
    using S = SessionState;
    QTest::addColumn<SessionState>("from");
    QTest::addColumn<QString>("context");
    QTest::addColumn<int>("code");
    QTest::addColumn<SessionState>("to");
    QTest::newRow("greeting accepted") << S::AwaitingGreeting << "CONNECT" << 220 << S::Greeted;
    QTest::newRow("greeting refused") << S::AwaitingGreeting << "CONNECT" << 554 << S::Closing;
    QTest::newRow("EHLO accepted") << S::Greeted << "EHLO" << 250 << S::Ready;
    QTest::newRow("EHLO refused stays") << S::Greeted << "EHLO" << 502 << S::Greeted;
    QTest::newRow("STARTTLS go") << S::Ready << "STARTTLS" << 220 << S::TlsHandshake;
    QTest::newRow("STARTTLS refused") << S::Ready << "STARTTLS" << 454 << S::Ready;
    QTest::newRow("AUTH challenge") << S::Ready << "AUTH" << 334 << S::Authenticating;
    QTest::newRow("AUTH done") << S::Authenticating << "AUTH" << 235 << S::Ready;
    QTest::newRow("AUTH failed") << S::Authenticating << "AUTH" << 535 << S::Ready;
    QTest::newRow("MAIL accepted") << S::Ready << "MAIL" << 250 << S::InTransaction;
    QTest::newRow("MAIL refused") << S::Ready << "MAIL" << 550 << S::Ready;
    QTest::newRow("RCPT accepted") << S::InTransaction << "RCPT" << 250 << S::HasRecipients;
    QTest::newRow("RCPT 251 forwarded") << S::InTransaction << "RCPT" << 251 << S::HasRecipients;
    QTest::newRow("RCPT refused keeps the transaction") << S::InTransaction << "RCPT" << 550 << S::InTransaction;
    QTest::newRow("second RCPT refused keeps recipients") << S::HasRecipients << "RCPT" << 452 << S::HasRecipients;
    QTest::newRow("DATA go") << S::HasRecipients << "DATA" << 354 << S::InData;
    QTest::newRow("DATA refused") << S::HasRecipients << "DATA" << 554 << S::HasRecipients;
    QTest::newRow("message accepted") << S::InData << "DATA_END" << 250 << S::Ready;
    QTest::newRow("message refused ends the transaction") << S::InData << "DATA_END" << 552 << S::Ready;
    QTest::newRow("BDAT chunk") << S::HasRecipients << "BDAT" << 250 << S::HasRecipients;
    QTest::newRow("RSET") << S::HasRecipients << "RSET" << 250 << S::Ready;
    QTest::newRow("RSET before EHLO") << S::Greeted << "RSET" << 250 << S::Greeted;
    QTest::newRow("QUIT") << S::Ready << "QUIT" << 221 << S::Closing;
    QTest::newRow("421 anywhere") << S::InTransaction << "RCPT" << 421 << S::Closing;
    QTest::newRow("NOOP changes nothing") << S::InTransaction << "NOOP" << 250 << S::InTransaction;
}

void TestSessionState::next()
{
    QFETCH(SessionState, from);
    QFETCH(QString, context);
    QFETCH(int, code);
    QFETCH(SessionState, to);
    QCOMPARE(nextState(from, context, code), to);
}

void TestSessionState::warnings_data()
{
    using S = SessionState;
    QTest::addColumn<SessionState>("state");
    QTest::addColumn<QString>("verb");
    QTest::addColumn<QString>("warning"); // empty: in sequence
    QTest::newRow("EHLO after greeting") << S::Greeted << "EHLO" << "";
    QTest::newRow("MAIL before EHLO") << S::Greeted << "MAIL" << "EHLO";
    QTest::newRow("MAIL when ready") << S::Ready << "MAIL" << "";
    QTest::newRow("MAIL twice") << S::InTransaction << "MAIL" << "503";
    QTest::newRow("RCPT before MAIL") << S::Ready << "RCPT" << "after an accepted MAIL";
    QTest::newRow("RCPT after MAIL") << S::InTransaction << "RCPT" << "";
    QTest::newRow("DATA without recipient") << S::InTransaction << "DATA" << "recipient";
    QTest::newRow("DATA with recipients") << S::HasRecipients << "DATA" << "";
    QTest::newRow("STARTTLS in a transaction") << S::InTransaction << "STARTTLS" << "not allowed";
    QTest::newRow("AUTH before EHLO") << S::Greeted << "AUTH" << "EHLO first";
    QTest::newRow("anything before the greeting") << S::AwaitingGreeting << "EHLO" << "220";
    QTest::newRow("QUIT any time") << S::HasRecipients << "QUIT" << "";
    QTest::newRow("RSET any time") << S::HasRecipients << "RSET" << "";
}

void TestSessionState::warnings()
{
    QFETCH(SessionState, state);
    QFETCH(QString, verb);
    QFETCH(QString, warning);
    const QString actual = sequenceWarning(state, verb);
    if (warning.isEmpty())
        QCOMPARE(actual, QString());
    else
        QVERIFY2(actual.contains(warning), qPrintable(actual));
}

void TestSessionState::expectedVerbsFollowCapabilities()
{
    Reply ehlo;
    ehlo.code = 250;
    ehlo.lines = QStringList{"mx.test", "STARTTLS", "AUTH PLAIN", "CHUNKING"};
    const Capabilities caps = Capabilities::fromEhloReply(ehlo);
    QStringList verbs = expectedVerbs(SessionState::Ready, caps, false, false);
    QCOMPARE(verbs.first(), QStringLiteral("STARTTLS"));
    QVERIFY(verbs.contains(QStringLiteral("AUTH")));
    verbs = expectedVerbs(SessionState::Ready, caps, true, true);
    QVERIFY(!verbs.contains(QStringLiteral("STARTTLS")));
    QVERIFY(!verbs.contains(QStringLiteral("AUTH")));
    QVERIFY(expectedVerbs(SessionState::HasRecipients, caps, true, true).contains(QStringLiteral("BDAT")));
    QVERIFY(!expectedVerbs(SessionState::HasRecipients, Capabilities(), true, true).contains(QStringLiteral("BDAT")));
    QCOMPARE(expectedVerbs(SessionState::Greeted, caps, false, false).first(), QStringLiteral("EHLO"));
}

void TestSessionState::capabilitiesFromEhlo()
{
    Reply ehlo;
    ehlo.code = 250;
    ehlo.lines = QStringList{"mx.example.com Hello there", "PIPELINING", "SIZE 10240000", "auth LOGIN PLAIN",
                             "AUTH=LOGIN CRAM-MD5", "LIMITS RCPTMAX=100 MAILMAX=5"};
    const Capabilities caps = Capabilities::fromEhloReply(ehlo);
    QCOMPARE(caps.serverName(), QStringLiteral("mx.example.com"));
    QVERIFY(caps.has(QStringLiteral("PIPELINING")));
    QCOMPARE(caps.sizeLimit(), 10240000);
    QCOMPARE(caps.authMechanisms(), (QStringList{"LOGIN", "PLAIN", "CRAM-MD5"}));
    QCOMPARE(caps.params(QStringLiteral("LIMITS")), (QStringList{"RCPTMAX=100", "MAILMAX=5"}));
    QCOMPARE(caps.list().size(), 5);
    Reply refused;
    refused.code = 502;
    QVERIFY(Capabilities::fromEhloReply(refused).isEmpty());
}

QTEST_APPLESS_MAIN(TestSessionState)
#include "tst_sessionstate.moc"
