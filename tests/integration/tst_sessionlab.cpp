// The session engine against the practice server, one row per scenario: what a student
// would type, and the replies the session must decode.

#include "lab/labcertificate.h"
#include "lab/labserver.h"
#include "session/smtpsession.h"

#include <QSignalSpy>
#include <QTest>

using namespace smtp;

namespace {
struct Run
{
    QList<int> codes;
    QList<Reply> replies;
};
} // namespace

class TestSessionLab : public QObject
{
    Q_OBJECT
private slots:
    void scenario_data();
    void scenario();
    void slowServerDelaysAreSeen();
    void brokenServerViolationsAreShown();
    void clientSideFlawsAreWarnedOf_data();
    void clientSideFlawsAreWarnedOf();
};

void TestSessionLab::scenario_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QStringList>("steps");
    QTest::addColumn<QList<int>>("codes");
    QTest::addColumn<QString>("lastEnhanced");

    const QStringList start = {"EHLO student.test", "MAIL FROM:<teacher@school.example>"};
    QTest::newRow("all-good") << "all-good" << (start + QStringList{"RCPT TO:<alice@lab.test>", "MESSAGE", "QUIT"})
                              << QList<int>{220, 250, 250, 250, 354, 250, 221} << "2.0.0";
    QTest::newRow("unknown-user") << "unknown-user"
                                  << (start + QStringList{"RCPT TO:<alice@lab.test>", "RCPT TO:<nobody@lab.test>"})
                                  << QList<int>{220, 250, 250, 250, 550} << "5.1.1";
    QTest::newRow("mailbox-full") << "mailbox-full"
                                  << (start + QStringList{"RCPT TO:<full@lab.test>", "RCPT TO:<big@lab.test>", "MESSAGE"})
                                  << QList<int>{220, 250, 250, 452, 250, 354, 552} << "5.2.2";
    QTest::newRow("greylisting, then accepted on retry")
        << "greylisting"
        << (start + QStringList{"RCPT TO:<alice@lab.test>", "RSET", "WAIT 1300", "MAIL FROM:<teacher@school.example>",
                                "RCPT TO:<alice@lab.test>"})
        << QList<int>{220, 250, 250, 451, 250, 250, 250} << "2.1.5";
    QTest::newRow("relay-denied") << "relay-denied" << (start + QStringList{"RCPT TO:<someone@elsewhere.example>"})
                                  << QList<int>{220, 250, 250, 554} << "5.7.1";
    QTest::newRow("starttls-required")
        << "starttls-required"
        << QStringList{"EHLO student.test", "MAIL FROM:<teacher@school.example>", "TLS", "EHLO student.test",
                       "MAIL FROM:<teacher@school.example>"}
        << QList<int>{220, 250, 530, 220, 250, 250} << "2.1.0";
    QTest::newRow("auth-required, bad then good password")
        << "auth-required"
        << QStringList{"EHLO student.test", "MAIL FROM:<teacher@school.example>", "TLS", "EHLO student.test",
                       "AUTH PLAIN alice wrong", "AUTH LOGIN alice wonderland", "MAIL FROM:<alice@lab.test>"}
        << QList<int>{220, 250, 530, 220, 250, 535, 334, 334, 235, 250} << "2.1.0";
    QTest::newRow("message-too-big") << "message-too-big"
                                     << QStringList{"EHLO student.test", "MAIL FROM:<teacher@school.example> SIZE=2000000"}
                                     << QList<int>{220, 250, 552} << "5.3.4";
    QTest::newRow("sender-policy") << "sender-policy"
                                   << QStringList{"EHLO student.test", "MAIL FROM:<ceo@fake-bank.example>"}
                                   << QList<int>{220, 250, 550} << "5.7.26";
    QTest::newRow("null-mx") << "null-mx" << (start + QStringList{"RCPT TO:<someone@nomail.test>"})
                             << QList<int>{220, 250, 250, 556} << "5.1.10";
    QTest::newRow("rate-limit ends in 421")
        << "rate-limit"
        << (start + QStringList{"RCPT TO:<a@lab.test>", "MESSAGE", "MAIL FROM:<t@school.example>", "RCPT TO:<a@lab.test>",
                                "MESSAGE", "MAIL FROM:<t@school.example>", "RCPT TO:<a@lab.test>", "MESSAGE",
                                "MAIL FROM:<t@school.example>"})
        << QList<int>{220, 250, 250, 250, 354, 250, 250, 250, 354, 250, 250, 250, 354, 250, 421} << "4.7.0";
}

void TestSessionLab::scenario()
{
    QFETCH(QString, name);
    QFETCH(QStringList, steps);
    QFETCH(QList<int>, codes);
    QFETCH(QString, lastEnhanced);

    auto scenario = LabScenario::load(name);
    QVERIFY(scenario);
    if (scenario->greylistSeconds > 0)
        scenario->greylistSeconds = 1; // the lesson is the same, the wait shorter
    LabServer server;
    QVERIFY2(server.start(*scenario), qPrintable(server.errorString()));

    SmtpSession session;
    SessionOptions options;
    options.host = QStringLiteral("127.0.0.1");
    options.port = server.port();
    options.timeouts.capAt(15);
    options.trustedCertificateDigest = LabCertificate::certificate().digest(QCryptographicHash::Sha256);
    session.setOptions(options);
    Run run;
    connect(&session, &SmtpSession::replyReceived, this, [&run](const Reply &r, const QString &) {
        run.codes.append(r.code);
        run.replies.append(r);
    });
    session.connectToServer();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionState::Greeted, 15000);

    auto settled = [&] {
        return QTest::qWaitFor([&] {
            return session.pendingReplies() == 0 && session.state() != SessionState::TlsHandshake
                && session.state() != SessionState::Authenticating;
        }, 15000);
    };
    for (const QString &step : steps) {
        if (step == QLatin1String("MESSAGE")) {
            session.sendMessage("Subject: practice\r\n\r\nHello from the test.\r\n");
            QVERIFY(QTest::qWaitFor([&] { return session.state() != SessionState::HasRecipients; }, 15000));
        } else if (step == QLatin1String("TLS")) {
            session.startTls();
            QVERIFY(QTest::qWaitFor([&] { return session.isEncrypted() || session.state() == SessionState::Closed; }, 15000));
            QVERIFY2(session.isEncrypted(), qPrintable(session.lastError()));
        } else if (step.startsWith(QLatin1String("AUTH "))) {
            const QStringList parts = step.split(QLatin1Char(' '));
            session.authenticate(parts[1], parts[2], parts[3]);
        } else if (step.startsWith(QLatin1String("WAIT "))) {
            QTest::qWait(step.mid(5).toInt());
        } else {
            session.sendCommand(step);
        }
        QVERIFY2(settled(), qPrintable(step));
        if (session.state() == SessionState::Closed || session.state() == SessionState::Closing)
            break;
    }
    QCOMPARE(run.codes, codes);
    QVERIFY(run.replies.last().enhanced);
    QCOMPARE(run.replies.last().enhanced->toString(), lastEnhanced);
    // Every reply of a well-behaved scenario is free of violations.
    for (const Reply &r : std::as_const(run.replies))
        QVERIFY2(r.violations.isEmpty(), qPrintable(r.toDisplayString()));
    if (codes.last() == 421)
        QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionState::Closed, 15000);
    if (name == QLatin1String("all-good")) {
        QCOMPARE(server.messages().size(), 1);
        QVERIFY(server.messages().first().data.contains("Hello from the test."));
    }
}

void TestSessionLab::slowServerDelaysAreSeen()
{
    LabServer server;
    QVERIFY(server.start(*LabScenario::load(QStringLiteral("slow-server"))));
    SmtpSession session;
    SessionOptions options;
    options.host = QStringLiteral("127.0.0.1");
    options.port = server.port();
    session.setOptions(options);
    session.connectToServer();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionState::Greeted, 15000);
    session.sendCommand(QStringLiteral("EHLO student.test"));
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionState::Ready, 15000);
    QList<qint64> latencies;
    for (const TranscriptEvent &e : session.transcript().events())
        if (e.reply)
            latencies.append(e.latencyMs);
    QCOMPARE(latencies.size(), 2);
    // The scenario holds the greeting 2 s and each reply 0.7 s: the transcript shows it.
    QVERIFY2(latencies[0] >= 1900, qPrintable(QString::number(latencies[0])));
    QVERIFY2(latencies[1] >= 650, qPrintable(QString::number(latencies[1])));
}

void TestSessionLab::brokenServerViolationsAreShown()
{
    LabServer server;
    QVERIFY(server.start(*LabScenario::load(QStringLiteral("broken-server"))));
    SmtpSession session;
    SessionOptions options;
    options.host = QStringLiteral("127.0.0.1");
    options.port = server.port();
    options.timeouts.capAt(15);
    session.setOptions(options);
    QList<Reply> replies;
    connect(&session, &SmtpSession::replyReceived, this, [&replies](const Reply &r, const QString &) { replies.append(r); });
    session.connectToServer();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionState::Greeted, 15000);
    session.sendCommand(QStringLiteral("EHLO student.test"));
    QTRY_COMPARE_WITH_TIMEOUT(replies.size(), 2, 15000);
    session.sendCommand(QStringLiteral("MAIL FROM:<teacher@school.example>"));
    QTRY_COMPARE_WITH_TIMEOUT(replies.size(), 3, 15000);
    QVERIFY(replies[0].violations.contains(Violation::BareLineFeed));
    QVERIFY(replies[1].violations.contains(Violation::CodeChanged));
    QVERIFY(replies[2].violations.contains(Violation::EnhancedClassMismatch));
    bool warned = false;
    for (const TranscriptEvent &e : session.transcript().events())
        warned = warned || (e.kind == TranscriptEvent::Kind::Warning && e.text.startsWith(QLatin1String("Protocol violation")));
    QVERIFY(warned);
}

void TestSessionLab::clientSideFlawsAreWarnedOf_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("security");
    QTest::addColumn<QString>("warning");
    QTest::newRow("starttls-injection: the extra reply is discarded and said")
        << "starttls-injection" << int(Security::StartTlsRequired) << "sent more after its 220 to STARTTLS";
    QTest::newRow("starttls-stripped: the masked keyword is said")
        << "starttls-stripped" << int(Security::StartTlsOpportunistic) << "hiding STARTTLS";
}

void TestSessionLab::clientSideFlawsAreWarnedOf()
{
    QFETCH(QString, name);
    QFETCH(int, security);
    QFETCH(QString, warning);
    LabServer server;
    QVERIFY(server.start(*LabScenario::load(name)));
    SmtpSession session;
    SessionOptions options;
    options.host = QStringLiteral("127.0.0.1");
    options.port = server.port();
    options.security = Security(security);
    options.timeouts.capAt(15);
    options.trustedCertificateDigest = LabCertificate::certificate().digest(QCryptographicHash::Sha256);
    session.setOptions(options);
    session.connectToServer();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionState::Greeted, 15000);
    session.sendCommand(QStringLiteral("EHLO student.test"));
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionState::Ready, 15000);
    QTRY_VERIFY_WITH_TIMEOUT(session.pendingReplies() == 0 && session.state() == SessionState::Ready, 15000);
    bool warned = false;
    for (const TranscriptEvent &e : session.transcript().events())
        warned = warned || (e.kind == TranscriptEvent::Kind::Warning && e.text.contains(warning));
    QVERIFY2(warned, qPrintable(session.transcript().toText()));
    if (name == QLatin1String("starttls-injection")) {
        // The injected 250 was never taken for the answer to the EHLO over TLS.
        QTRY_VERIFY_WITH_TIMEOUT(session.isEncrypted(), 15000);
        QCOMPARE(session.capabilities().has(QStringLiteral("AUTH")), true);
    }
}

QTEST_GUILESS_MAIN(TestSessionLab)
#include "tst_sessionlab.moc"
