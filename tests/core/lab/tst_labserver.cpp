// The practice server driven over real sockets by scripted C:/S: exchanges (labscript.h).

#include "lab/labfaults.h"
#include "lab/labserver.h"
#include "labscript.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTcpSocket>
#include <QSignalSpy>
#include <QTest>

using namespace smtp;
using smtp::test::LabScript;

namespace {

QString plain(const char *user, const char *password)
{
    return QString::fromLatin1((QByteArray("\0", 1) + user + QByteArray("\0", 1) + password).toBase64());
}

QString b64(const char *text)
{
    return QString::fromLatin1(QByteArray(text).toBase64());
}

LabScenario builtIn(const QString &name)
{
    QString error;
    const auto scenario = LabScenario::load(name, &error);
    if (!scenario)
        qFatal("no built-in scenario %s: %s", qPrintable(name), qPrintable(error));
    return *scenario;
}

// Greeting and EHLO, the start of most scripts.
const QStringList hello = {QStringLiteral("S: 220"), QStringLiteral("C: EHLO client.test"), QStringLiteral("S: 250")};

QStringList message(const QString &from, const QString &to)
{
    return {QStringLiteral("C: MAIL FROM:<%1>").arg(from), QStringLiteral("S: 250 2.1.0"),
            QStringLiteral("C: RCPT TO:<%1>").arg(to), QStringLiteral("S: 250 2.1.5"),
            QStringLiteral("C: DATA"), QStringLiteral("S: 354"),
            QStringLiteral("C: Subject: test"), QStringLiteral("C: "), QStringLiteral("C: Hello."), QStringLiteral("C: ."),
            QStringLiteral("S: 250 2.0.0")};
}

} // namespace

class TestLabServer : public QObject
{
    Q_OBJECT
private slots:
    void scenarios_data();
    void scenarios();
    void greylistRetryAfterDelay();
    void dotUnstuffingAndStoredMessage();
    void longDataLineIsStoredWhole();
    void bdat_data();
    void bdat();
    void startTlsUpgrade();
    void auth_data();
    void auth();
    void errors_data();
    void errors();
    void abuse_data();
    void abuse();
    void fuzz();
    void idleTimeout();
    void tooManyClients();
    void signals_();
    void portZeroAndStop();
    void faultsOverRealSockets();
    void faultsChangeWhileRunning();
    void aTarpitTricklesTheReplies();
    void theCourseCanBePassed();
    void silentClientsLeaveSoonAndOneAddressCannotTakeAll();
    void aDropInsideDataLosesNothingElse();
};

void TestLabServer::scenarios_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<QStringList>("script");

    QTest::newRow("all-good: a message from anyone to anyone")
        << "all-good"
        << QStringList{"S: 220", "C: EHLO client.test", "S: 250 STARTTLS"}
               + message("teacher@school.example", "anyone@elsewhere.example")
               + QStringList{"C: QUIT", "S: 221 2.0.0", "S: closed"};
    QTest::newRow("unknown-user: 550 5.1.1, the others still get it")
        << "unknown-user"
        << hello + QStringList{"C: MAIL FROM:<t@school.example>", "S: 250 2.1.0",
                               "C: RCPT TO:<nobody@lab.test>", "S: 550 5.1.1 nobody@lab.test",
                               "C: RCPT TO:<alice@lab.test>", "S: 250 2.1.5",
                               "C: DATA", "S: 354", "C: Hi", "C: .", "S: 250 2.0.0"};
    QTest::newRow("mailbox-full: 452 4.2.2 at RCPT, 552 5.2.2 after DATA")
        << "mailbox-full"
        << hello + QStringList{"C: MAIL FROM:<t@school.example>", "S: 250 2.1.0",
                               "C: RCPT TO:<full@lab.test>", "S: 452 4.2.2",
                               "C: RCPT TO:<big@lab.test>", "S: 250 2.1.5",
                               "C: DATA", "S: 354", "C: Hi", "C: .", "S: 552 5.2.2",
                               "C: MAIL FROM:<t@school.example>", "S: 250 2.1.0"};
    QTest::newRow("greylisting: 451 4.7.1 with the retry delay, again too early")
        << "greylisting"
        << hello + QStringList{"C: MAIL FROM:<t@school.example>", "S: 250 2.1.0",
                               "C: RCPT TO:<alice@lab.test>", "S: 451 4.7.1 try again in 5 seconds",
                               "C: RCPT TO:<alice@lab.test>", "S: 451 4.7.1",
                               "C: RCPT TO:<bob@lab.test>", "S: 451 4.7.1"};
    QTest::newRow("relay-denied: 554 5.7.1 outside lab.test")
        << "relay-denied"
        << hello + QStringList{"C: MAIL FROM:<t@school.example>", "S: 250 2.1.0",
                               "C: RCPT TO:<friend@elsewhere.example>", "S: 554 5.7.1 Relay access denied",
                               "C: RCPT TO:<alice@lab.test>", "S: 250 2.1.5"};
    QTest::newRow("starttls-required: 530 5.7.0, then fine over TLS")
        << "starttls-required"
        << hello + QStringList{"C: MAIL FROM:<t@school.example>", "S: 530 5.7.0 STARTTLS",
                               "C: STARTTLS", "S: 220 2.0.0", "T: starttls",
                               "C: MAIL FROM:<t@school.example>", "S: 503 5.5.1 EHLO",
                               "C: EHLO client.test", "S: 250",
                               "C: MAIL FROM:<t@school.example>", "S: 250 2.1.0"};
    QTest::newRow("auth-required: 530 5.7.0, 538 before TLS, 535 5.7.8, then 235")
        << "auth-required"
        << hello + QStringList{"C: MAIL FROM:<alice@lab.test>", "S: 530 5.7.0 Authentication required",
                               "C: AUTH PLAIN " + plain("alice", "wonderland"), "S: 538 5.7.11",
                               "C: STARTTLS", "S: 220 2.0.0", "T: starttls",
                               "C: EHLO client.test", "S: 250 AUTH PLAIN LOGIN",
                               "C: AUTH PLAIN " + plain("alice", "mirror"), "S: 535 5.7.8",
                               "C: AUTH PLAIN " + plain("alice", "wonderland"), "S: 235 2.7.0",
                               "C: MAIL FROM:<alice@lab.test>", "S: 250 2.1.0"};
    const QString big = QString(QString(99, QLatin1Char('x')) + QStringLiteral("\r\n")).repeated(11000);
    QTest::newRow("message-too-big: SIZE 1000000, 552 5.3.4 at MAIL and after DATA")
        << "message-too-big"
        << QStringList{"S: 220", "C: EHLO client.test", "S: 250 SIZE 1000000",
                       "C: MAIL FROM:<t@school.example> SIZE=2000000", "S: 552 5.3.4",
                       "C: MAIL FROM:<t@school.example> SIZE=1000", "S: 250 2.1.0",
                       "C: RCPT TO:<alice@lab.test>", "S: 250 2.1.5", "C: DATA", "S: 354",
                       "R: " + big, "C: .", "S: 552 5.3.4",
                       "C: NOOP", "S: 250 2.0.0"};
    QTest::newRow("rate-limit: 421 4.7.0 and hang up after 3 messages")
        << "rate-limit"
        << hello + message("a@school.example", "alice@lab.test") + message("a@school.example", "alice@lab.test")
               + message("a@school.example", "alice@lab.test")
               + QStringList{"C: MAIL FROM:<a@school.example>", "S: 421 4.7.0", "S: closed"};
    QStringList tooManyCommands = hello;
    for (int i = 1; i < 30; ++i)
        tooManyCommands << "C: NOOP";
    for (int i = 1; i < 30; ++i)
        tooManyCommands << "S: 250";
    tooManyCommands << "C: NOOP" << "S: 421 4.7.0" << "S: closed";
    QTest::newRow("rate-limit: 421 4.7.0 after 30 commands") << "rate-limit" << tooManyCommands;
    QTest::newRow("sender-policy: 550 5.7.26 for a failing sender domain")
        << "sender-policy"
        << hello + QStringList{"C: MAIL FROM:<ceo@fake-bank.example>", "S: 550 5.7.26 DMARC",
                               "C: MAIL FROM:<t@school.example>", "S: 250 2.1.0"};
    QTest::newRow("null-mx: 556 5.1.10")
        << "null-mx"
        << hello + QStringList{"C: MAIL FROM:<t@school.example>", "S: 250 2.1.0",
                               "C: RCPT TO:<someone@nomail.test>", "S: 556 5.1.10 null MX"};
    QTest::newRow("slow-server: everything arrives, late")
        << "slow-server"
        << hello + message("t@school.example", "alice@lab.test") + QStringList{"C: QUIT", "S: 221", "S: closed"};
    QTest::newRow("slow-server: a big pipelined message waits, then goes through")
        << "slow-server"
        << QStringList{"C: EHLO client.test", "C: MAIL FROM:<a@school.example>", "C: RCPT TO:<alice@lab.test>", "C: DATA",
                       "R: " + QString(QString(998, QLatin1Char('s')) + QStringLiteral("\r\n")).repeated(3000) + ".\r\n",
                       "S: 220", "S: 250", "S: 250", "S: 250", "S: 354", "S: 250 2.0.0"};
    QTest::newRow("broken-server: each violation shows")
        << "broken-server"
        << QStringList{"S: 220 !bare-lf", "C: EHLO client.test", "S: 250 !code-changed",
                       "C: MAIL FROM:<t@school.example>", "S: 250 !enhanced-class-mismatch",
                       "C: RCPT TO:<alice@lab.test>", "S: 250 !enhanced-code-changed",
                       "C: NOOP", "S: 699 !code-out-of-range",
                       "C: HELO client.test", "S: 250 !missing-separator",
                       "C: QUIT", "S: 221", "S: closed"};
    QTest::newRow("pipelining: several commands in one write, answered in order")
        << "all-good"
        << QStringList{"S: 220", "C: EHLO client.test", "S: 250 PIPELINING",
                       "C: MAIL FROM:<a@school.example>", "C: RCPT TO:<alice@lab.test>",
                       "C: RCPT TO:<bad address>", "C: RCPT TO:<bob@lab.test>", "C: DATA",
                       "S: 250 2.1.0", "S: 250 2.1.5 alice", "S: 501 5.1.3", "S: 250 2.1.5 bob", "S: 354",
                       "C: Subject: pipelined", "C: ", "C: body", "C: .", "C: NOOP", "C: QUIT",
                       "S: 250 2.0.0", "S: 250 2.0.0", "S: 221", "S: closed"};
    QTest::newRow("pipelining: replies stay in order even when slow")
        << "slow-server"
        << QStringList{"S: 220", "C: EHLO client.test", "C: NOOP", "C: VRFY alice", "C: HELP",
                       "S: 250", "S: 250 2.0.0", "S: 252 2.1.5", "S: 214 2.0.0"};
    // The flaws to study, each against what a correct server does.
    // NOOP pipelined behind STARTTLS, in clear: a correct server forgets it...
    QTest::newRow("all-good discards what came in clear with STARTTLS")
        << "all-good"
        << hello + QStringList{"C: STARTTLS", "C: NOOP", "S: 220 2.0.0", "T: starttls", "C: EHLO client.test",
                               "S: 250 AUTH PLAIN"}; // the first reply over TLS answers EHLO, not the NOOP
    // ...the flawed one answers it over TLS, before anything the client sent encrypted.
    QTest::newRow("starttls-buffering obeys it after the handshake")
        << "starttls-buffering"
        << hello + QStringList{"C: STARTTLS", "C: NOOP", "S: 220 2.0.0", "T: starttls", "S: 250 2.0.0 OK, nothing done"};
    QTest::newRow("starttls-injection: a 250 rides with the 220")
        << "starttls-injection" << hello + QStringList{"C: STARTTLS", "S: 220 2.0.0", "S: 250 2.0.0 Injected"};
    QTest::newRow("starttls-stripped: no STARTTLS, a masked keyword")
        << "starttls-stripped" << QStringList{"S: 220", "C: EHLO client.test", "S: 250 XXXXXXXA", "C: STARTTLS", "S: 502"};
    QTest::newRow("open-relay: any domain, no AUTH")
        << "open-relay"
        << hello + QStringList{"C: MAIL FROM:<a@school.example>", "S: 250", "C: RCPT TO:<bob@elsewhere.example>", "S: 250 2.1.5"};
    QTest::newRow("user-enumeration: VRFY tells")
        << "user-enumeration" << hello + QStringList{"C: VRFY alice", "S: 250 2.1.5", "C: VRFY mallory", "S: 550 5.1.1"};
    QTest::newRow("auth-plaintext: AUTH in clear works")
        << "auth-plaintext"
        << QStringList{"S: 220", "C: EHLO client.test", "S: 250 AUTH PLAIN LOGIN", "C: AUTH PLAIN " + plain("alice", "wonderland"), "S: 235"};
}

void TestLabServer::scenarios()
{
    QFETCH(QString, scenario);
    QFETCH(QStringList, script);
    LabServer server;
    QVERIFY2(server.start(builtIn(scenario)), qPrintable(server.errorString()));
    LabScript client(server.port());
    const QString problem = client.run(script);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

void TestLabServer::greylistRetryAfterDelay()
{
    LabScenario scenario = builtIn(QStringLiteral("greylisting"));
    scenario.greylistSeconds = 1;
    LabServer server;
    QVERIFY(server.start(scenario));
    LabScript first(server.port());
    QString problem = first.run(hello + QStringList{"C: MAIL FROM:<t@school.example>", "S: 250",
                                                    "C: RCPT TO:<alice@lab.test>", "S: 451 4.7.1 in 1 seconds",
                                                    "C: QUIT", "S: 221", "S: closed"});
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QTest::qWait(1100);   // the retry must come after the delay; a test cannot make time pass faster
    LabScript retry(server.port());
    problem = retry.run(hello + message("t@school.example", "alice@lab.test"));
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(server.messages().size(), 1);
}

void TestLabServer::dotUnstuffingAndStoredMessage()
{
    LabServer server;
    QVERIFY(server.start(builtIn(QStringLiteral("all-good"))));
    QSignalSpy accepted(&server, &LabServer::messageAccepted);
    LabScript client(server.port());
    const QString problem = client.run(hello + QStringList{
        "C: MAIL FROM:<>", "S: 250 2.1.0", "C: RCPT TO:<alice@lab.test>", "C: RCPT TO:<bob@lab.test>", "S: 250", "S: 250",
        "C: DATA", "S: 354", "C: Subject: dots", "C: ", "C: ..leading dot", "C: ...", "C: .x", "R: bare LF line\n",
        "C: after it", "C: .", "S: 250 2.0.0"}); // the dot needs CR LF on both sides (see flaws)
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(accepted.size(), 1);
    const QList<LabMessage> messages = server.messages();
    QCOMPARE(messages.size(), 1);
    const LabMessage &m = messages.first();
    QCOMPARE(m.sender, QString());
    QCOMPARE(m.recipients, QStringList({"alice@lab.test", "bob@lab.test"}));
    QCOMPARE(m.data, QByteArray("Subject: dots\r\n\r\n.leading dot\r\n..\r\nx\r\nbare LF line\r\nafter it\r\n"));
    QCOMPARE(m.helo, QStringLiteral("client.test"));
    QCOMPARE(m.bareLineFeeds, 1); // kept for the inspector, which shows it on its line
    QCOMPARE(m.bareLineFeedLines, QList<int>{6});
    QVERIFY(!m.tls);
    QVERIFY(m.user.isEmpty());
    QVERIFY(m.received.isValid());
    QCOMPARE(accepted.first().first().value<LabMessage>(), m);
}

void TestLabServer::longDataLineIsStoredWhole()
{
    LabServer server;
    QVERIFY(server.start(builtIn(QStringLiteral("all-good"))));
    LabScript client(server.port());
    // Over the server's 64 KiB reading piece, and starting with a dot to unstuff once.
    const QString line = QStringLiteral("..") + QString(200 * 1024, QLatin1Char('L'));
    const QString problem = client.run(hello + QStringList{"C: MAIL FROM:<a@school.example>", "S: 250", "C: RCPT TO:<alice@lab.test>",
                                                           "S: 250", "C: DATA", "S: 354", "C: " + line, "C: .", "S: 250 2.0.0"});
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(server.messages().size(), 1);
    QCOMPARE(server.messages().first().data, line.mid(1).toLatin1() + "\r\n");
    QCOMPARE(server.messages().first().longestLine, line.size() - 1); // the inspector says it is over 998
    // A line over 1 MiB is refused, and the session goes on.
    const QString huge(10 * 1024 * 1024, QLatin1Char('H')); // a 10 MB line, as a broken client sends
    const QString refused = client.run({"C: MAIL FROM:<a@school.example>", "S: 250", "C: RCPT TO:<alice@lab.test>", "S: 250",
                                        "C: DATA", "S: 354", "C: " + huge, "C: .", "S: 554 5.6.0", "C: NOOP", "S: 250"});
    QVERIFY2(refused.isEmpty(), qPrintable(refused));
    QCOMPARE(server.messages().size(), 1);
}

void TestLabServer::bdat_data()
{
    QTest::addColumn<QStringList>("script");
    QTest::addColumn<QByteArray>("stored");   // empty: nothing stored

    const QStringList start = hello + QStringList{"C: MAIL FROM:<a@school.example>", "S: 250", "C: RCPT TO:<alice@lab.test>", "S: 250"};
    QTest::newRow("two chunks, dots kept as they are")
        << start + QStringList{"C: BDAT 9", "R: .line one", "S: 250 2.0.0", "C: BDAT 8 LAST", "R: \r\n.two\r\n", "S: 250 2.0.0 queued"}
        << QByteArray(".line one\r\n.two\r\n");
    QTest::newRow("chunk and command pipelined in one write")
        << start + QStringList{"R: BDAT 3 LAST\r\nabcNOOP\r\n", "S: 250 2.0.0 queued", "S: 250 2.0.0"}
        << QByteArray("abc");
    QTest::newRow("BDAT 0 LAST ends the message")
        << start + QStringList{"C: BDAT 4", "R: abcd", "S: 250", "C: BDAT 0 LAST", "S: 250 2.0.0 queued"}
        << QByteArray("abcd");
    QTest::newRow("BDAT before RCPT: 503 after reading the chunk")
        << hello + QStringList{"C: BDAT 6 LAST", "R: NOOP\r\n", "S: 503 5.5.1", "C: NOOP", "S: 250"}
        << QByteArray();
    QTest::newRow("DATA after BDAT: 503")
        << start + QStringList{"C: BDAT 2", "R: ab", "S: 250", "C: DATA", "S: 503 5.5.1"}
        << QByteArray();
    QTest::newRow("bad BDAT syntax: 501")
        << start + QStringList{"C: BDAT lots", "S: 501 5.5.4"}
        << QByteArray();
}

void TestLabServer::bdat()
{
    QFETCH(QStringList, script);
    QFETCH(QByteArray, stored);
    LabServer server;
    QVERIFY(server.start(builtIn(QStringLiteral("all-good"))));
    LabScript client(server.port());
    const QString problem = client.run(script);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    if (stored.isEmpty()) {
        QVERIFY(server.messages().isEmpty());
    } else {
        QCOMPARE(server.messages().size(), 1);
        QCOMPARE(server.messages().first().data, stored);
    }
}

void TestLabServer::startTlsUpgrade()
{
    if (!QSslSocket::supportsSsl())
        QSKIP("no TLS backend");
    LabServer server;
    QVERIFY(server.start(builtIn(QStringLiteral("all-good"))));
    QVERIFY(server.isTlsAvailable());
    LabScript client(server.port());
    QString problem = client.run(QStringList{"S: 220", "C: EHLO client.test", "S: 250 STARTTLS"});
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    // Before TLS: no AUTH offered (RFC 4954 14) and AUTH is refused.
    problem = client.run({"C: AUTH LOGIN", "S: 538 5.7.11", "C: STARTTLS", "S: 220 2.0.0 Ready", "T: starttls"});
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(client.socket().peerCertificate(), LabCertificate::certificate());
    // After TLS the state is as before EHLO; EHLO again shows AUTH and no STARTTLS.
    problem = client.run({"C: MAIL FROM:<a@school.example>", "S: 503 5.5.1", "C: EHLO client.test", "S: 250 AUTH PLAIN LOGIN",
                          "C: STARTTLS", "S: 503 5.5.1 already"});
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    problem = client.run(QStringList{"C: AUTH PLAIN " + plain("bob", "builder"), "S: 235 2.7.0"}
                         + message("bob@lab.test", "alice@lab.test"));
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(server.messages().size(), 1);
    QVERIFY(server.messages().first().tls);
    QCOMPARE(server.messages().first().user, QStringLiteral("bob"));
    // A big message, pipelined over TLS, goes through the server's bounded buffers whole.
    const QString line = QString(998, QLatin1Char('z')) + QStringLiteral("\r\n");
    problem = client.run({"C: MAIL FROM:<bob@lab.test>", "C: RCPT TO:<alice@lab.test>", "C: DATA",
                          "R: " + line.repeated(8000) + ".\r\n", "C: QUIT",
                          "S: 250", "S: 250", "S: 354", "S: 250 2.0.0", "S: 221", "S: closed"});
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(server.messages().size(), 2);
    QCOMPARE(server.messages().last().data.size(), 8000 * 1000);
}

void TestLabServer::auth_data()
{
    QTest::addColumn<QStringList>("script");
    QTest::addColumn<QString>("user");   // authenticated afterwards, or empty

    const QStringList tls = {"S: 220", "C: EHLO client.test", "S: 250", "C: STARTTLS", "S: 220", "T: starttls",
                             "C: EHLO client.test", "S: 250 AUTH"};
    QTest::newRow("PLAIN good, initial response") << tls + QStringList{"C: AUTH PLAIN " + plain("alice", "wonderland"), "S: 235 2.7.0"} << "alice";
    QTest::newRow("PLAIN good, after 334") << tls + QStringList{"C: AUTH PLAIN", "S: 334", "C: " + plain("alice", "wonderland"), "S: 235 2.7.0"} << "alice";
    QTest::newRow("PLAIN bad password") << tls + QStringList{"C: AUTH PLAIN " + plain("alice", "looking-glass"), "S: 535 5.7.8"} << "";
    QTest::newRow("PLAIN unknown user") << tls + QStringList{"C: AUTH PLAIN " + plain("mallory", "wonderland"), "S: 535 5.7.8"} << "";
    QTest::newRow("PLAIN not base64") << tls + QStringList{"C: AUTH PLAIN", "S: 334", "C: ***not base64***", "S: 501 5.5.2"} << "";
    QTest::newRow("LOGIN good")
        << tls + QStringList{"C: AUTH LOGIN", "S: 334 VXNlcm5hbWU6", "C: " + b64("bob"), "S: 334 UGFzc3dvcmQ6",
                             "C: " + b64("builder"), "S: 235 2.7.0"} << "bob";
    QTest::newRow("LOGIN bad password")
        << tls + QStringList{"C: AUTH LOGIN", "S: 334", "C: " + b64("bob"), "S: 334", "C: " + b64("digger"), "S: 535 5.7.8"} << "";
    QTest::newRow("LOGIN cancelled with *") << tls + QStringList{"C: AUTH LOGIN", "S: 334", "C: *", "S: 501 5.0.0"} << "";
    QTest::newRow("unknown mechanism: 504") << tls + QStringList{"C: AUTH CRAM-MD5", "S: 504 5.5.4"} << "";
    QTest::newRow("twice: 503")
        << tls + QStringList{"C: AUTH PLAIN " + plain("alice", "wonderland"), "S: 235", "C: AUTH PLAIN " + plain("alice", "wonderland"), "S: 503 5.5.1"}
        << "alice";
    QTest::newRow("before TLS: 538, not even offered") << QStringList{"S: 220", "C: EHLO client.test", "S: 250", "C: AUTH PLAIN " + plain("alice", "wonderland"), "S: 538 5.7.11"} << "";
}

void TestLabServer::auth()
{
    if (!QSslSocket::supportsSsl())
        QSKIP("no TLS backend");
    QFETCH(QStringList, script);
    QFETCH(QString, user);
    LabServer server;
    QVERIFY(server.start(builtIn(QStringLiteral("all-good"))));
    LabScript client(server.port());
    QString problem = client.run(script);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    problem = client.run(message("x@school.example", "alice@lab.test"));
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(server.messages().size(), 1);
    QCOMPARE(server.messages().first().user, user);
}

void TestLabServer::errors_data()
{
    QTest::addColumn<QStringList>("script");
    QTest::newRow("garbage: 500 5.5.2") << QStringList{"S: 220", "C: HELLO?", "S: 500 5.5.2", "C: \x01\x02\x7f", "S: 500 5.5.2"};
    QTest::newRow("empty line: 500 5.5.2") << QStringList{"S: 220", "C: ", "S: 500 5.5.2"};
    QTest::newRow("MAIL before EHLO: 503 5.5.1") << QStringList{"S: 220", "C: MAIL FROM:<a@school.example>", "S: 503 5.5.1"};
    QTest::newRow("RCPT before MAIL: 503 5.5.1") << hello + QStringList{"C: RCPT TO:<alice@lab.test>", "S: 503 5.5.1"};
    QTest::newRow("DATA before RCPT: 503 5.5.1") << hello + QStringList{"C: MAIL FROM:<a@school.example>", "S: 250", "C: DATA", "S: 503 5.5.1"};
    QTest::newRow("nested MAIL: 503 5.5.1") << hello + QStringList{"C: MAIL FROM:<a@school.example>", "S: 250", "C: MAIL FROM:<a@school.example>", "S: 503 5.5.1"};
    QTest::newRow("EHLO without a name: 501") << QStringList{"S: 220", "C: EHLO", "S: 501 5.5.4"};
    QTest::newRow("MAIL without brackets: 501 5.1.7") << hello + QStringList{"C: MAIL FROM:a@school.example", "S: 501 5.1.7"};
    QTest::newRow("RCPT not an address: 501 5.1.3") << hello + QStringList{"C: MAIL FROM:<a@school.example>", "S: 250", "C: RCPT TO:<nobody>", "S: 501 5.1.3"};
    QTest::newRow("unknown MAIL parameter: 555 5.5.4") << hello + QStringList{"C: MAIL FROM:<a@school.example> FOO=1", "S: 555 5.5.4"};
    QTest::newRow("MAIL parameters that are fine")
        << hello + QStringList{"C: MAIL FROM:<a@school.example> SIZE=10 BODY=8BITMIME SMTPUTF8 RET=HDRS ENVID=x1", "S: 250 2.1.0",
                               "C: RCPT TO:<alice@lab.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;alice@lab.test", "S: 250 2.1.5"};
    QTest::newRow("bad BODY value: 501 5.5.4") << hello + QStringList{"C: MAIL FROM:<a@school.example> BODY=9BIT", "S: 501 5.5.4"};
    QTest::newRow("BINARYMIME not offered: 555") << hello + QStringList{"C: MAIL FROM:<a@school.example> BODY=BINARYMIME", "S: 555 5.5.4"};
    QTest::newRow("bad NOTIFY: 501 5.5.4")
        << hello + QStringList{"C: MAIL FROM:<a@school.example>", "S: 250", "C: RCPT TO:<alice@lab.test> NOTIFY=NEVER,SUCCESS", "S: 501 5.5.4"};
    QTest::newRow("parameters after HELO: 555") << QStringList{"S: 220", "C: HELO client.test", "S: 250", "C: MAIL FROM:<a@school.example> SIZE=10", "S: 555 5.5.4"};
    QTest::newRow("known but not implemented: 502 5.5.1") << hello + QStringList{"C: EXPN staff", "S: 502 5.5.1", "C: ETRN lab.test", "S: 502 5.5.1"};
    QTest::newRow("VRFY: 252, HELP: 214, NOOP, RSET")
        << hello + QStringList{"C: VRFY alice", "S: 252 2.1.5", "C: HELP", "S: 214 2.0.0", "C: NOOP", "S: 250 2.0.0", "C: RSET", "S: 250 2.0.0"};
    QTest::newRow("RSET forgets the transaction")
        << hello + QStringList{"C: MAIL FROM:<a@school.example>", "S: 250", "C: RSET", "S: 250", "C: RCPT TO:<alice@lab.test>", "S: 503 5.5.1"};
    QTest::newRow("QUIT with an argument: 501") << hello + QStringList{"C: QUIT now", "S: 501 5.5.4", "C: QUIT", "S: 221", "S: closed"};
}

void TestLabServer::errors()
{
    QFETCH(QStringList, script);
    LabServer server;
    QVERIFY(server.start(builtIn(QStringLiteral("all-good"))));
    LabScript client(server.port());
    const QString problem = client.run(script);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

void TestLabServer::abuse_data()
{
    QTest::addColumn<QStringList>("script");

    QTest::newRow("never-ending line: 500 5.5.6 and closed")
        << QStringList{"S: 220", "R: " + QString(5000, QLatin1Char('x')), "S: 500 5.5.6", "S: closed"};
    QTest::newRow("never-ending line in pieces: 500 5.5.6 and closed")
        << QStringList{"S: 220", "R: " + QString(3000, QLatin1Char('y')), "W: 50", "R: " + QString(3000, QLatin1Char('y')),
                       "S: 500 5.5.6", "S: closed"};
    QStringList flood{"S: 220"};
    for (int i = 0; i < 25; ++i)
        flood << "C: GARBAGE " + QString::number(i);
    for (int i = 1; i < 20; ++i)
        flood << "S: 500 5.5.2";
    flood << "S: 421 4.7.0" << "S: closed";
    QTest::newRow("flood of errors: 421 4.7.0 and closed") << flood;
    QStringList badAuth{"S: 220", "C: EHLO client.test", "S: 250", "C: STARTTLS", "S: 220", "T: starttls", "C: EHLO client.test", "S: 250"};
    for (int i = 1; i < 20; ++i)
        badAuth << "C: AUTH PLAIN " + plain("alice", "guess") << "S: 535 5.7.8";
    badAuth << "C: AUTH PLAIN " + plain("alice", "guess") << "S: 421 4.7.0" << "S: closed";
    QTest::newRow("password guessing: 421 4.7.0 and closed") << badAuth;
    QByteArray junk(200 * 1024, Qt::Uninitialized);
    QRandomGenerator random(42);
    for (char &c : junk)
        c = char(random.bounded(256));
    junk.replace('\0', '\n');
    QTest::newRow("random bytes: answered, then closed") << QStringList{"S: 220", "R: " + QString::fromLatin1(junk), "W: 200"};
    QTest::newRow("NUL in a command: 500 5.5.2") << QStringList{"S: 220", "R: " + QString::fromLatin1("NOOP\0x\r\n", 8), "S: 500 5.5.2"};
    QTest::newRow("hang up in the middle of DATA")
        << hello + QStringList{"C: MAIL FROM:<a@school.example>", "S: 250", "C: RCPT TO:<alice@lab.test>", "S: 250", "C: DATA",
                               "S: 354", "R: half a line"};
    QTest::newRow("TLS garbage after STARTTLS")
        << QStringList{"S: 220", "C: EHLO client.test", "S: 250", "C: STARTTLS", "S: 220", "R: HELLO IN CLEAR, NOT A TLS RECORD\r\n", "S: closed"};
}

void TestLabServer::abuse()
{
    QFETCH(QStringList, script);
    LabServer server;
    QVERIFY(server.start(builtIn(QStringLiteral("all-good"))));
    {
        LabScript client(server.port());
        const QString problem = client.run(script);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }
    // Whatever happened, the server still serves the next client.
    LabScript next(server.port());
    const QString problem = next.run(hello + message("a@school.example", "alice@lab.test"));
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QTRY_COMPARE_WITH_TIMEOUT(server.clientCount(), 1, 10000);
}

// Random pieces of real commands, random bytes and random cuts, on many connections:
// whatever arrives, the server answers or hangs up, and serves the next client.
void TestLabServer::fuzz()
{
    static const QList<QByteArray> vocabulary = {
        "EHLO x.test\r\n", "HELO x.test\r\n", "MAIL FROM:<a@b.test>\r\n", "MAIL FROM:<> SIZE=99999999999\r\n",
        "RCPT TO:<alice@lab.test>\r\n", "RCPT TO:<x@elsewhere.example> NOTIFY=DELAY\r\n", "DATA\r\n", ".\r\n",
        "..\r\n", "BDAT 5\r\n", "BDAT 0 LAST\r\n", "BDAT 3 LAST\r\n", "AUTH PLAIN\r\n", "AUTH LOGIN YWxpY2U=\r\n",
        "*\r\n", "STARTTLS\r\n", "RSET\r\n", "NOOP\r\n", "VRFY a\r\n", "HELP\r\n", "\r\n", "\n", "\r", "\0",
        "QUIT\r\n", "\xff\xfe\x16\x03", "MAIL FROM:<\r\n", "RCPT TO:<@a,@b:c@lab.test>\r\n",
    };
    LabScenario scenario = builtIn(QStringLiteral("auth-required"));
    scenario.allowPlainAuth = true;   // reach deeper states without TLS
    LabServer server;
    QVERIFY(server.start(scenario));
    QRandomGenerator random(20261123);
    for (int round = 0; round < 40; ++round) {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, server.port());
        QVERIFY(socket.waitForConnected(10000));
        QByteArray input;
        const int pieces = random.bounded(1, 200);
        for (int i = 0; i < pieces; ++i) {
            if (random.bounded(10) == 0) {
                QByteArray junk(random.bounded(1, 300), Qt::Uninitialized);
                for (char &c : junk)
                    c = char(random.bounded(256));
                input += junk;
            } else {
                input += vocabulary.at(random.bounded(vocabulary.size()));
            }
        }
        socket.write(input.left(random.bounded(input.size() + 1)));
        QTest::qWait(20);   // let the server chew on it; answering or hanging up are both fine
    }
    LabScript next(server.port());
    const QString problem = next.run({"S: 220", "C: EHLO client.test", "S: 250", "C: QUIT", "S: 221", "S: closed"});
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

void TestLabServer::idleTimeout()
{
    LabScenario scenario = builtIn(QStringLiteral("all-good"));
    scenario.idleTimeoutSeconds = 1;
    LabServer server;
    QVERIFY(server.start(scenario));
    LabScript client(server.port());
    const QString problem = client.run({"S: 220", "C: EHLO client.test", "S: 250", "S: 421 4.4.2", "S: closed"});
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

void TestLabServer::tooManyClients()
{
    LabScenario scenario = builtIn(QStringLiteral("all-good"));
    scenario.maxClients = 2;
    LabServer server;
    QVERIFY(server.start(scenario));
    LabScript a(server.port()), b(server.port());
    QVERIFY(a.run({"S: 220"}).isEmpty());
    QVERIFY(b.run({"S: 220"}).isEmpty());
    LabScript c(server.port());
    QString problem = c.run({"S: 421 4.7.0", "S: closed"});
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    problem = a.run({"C: QUIT", "S: 221", "S: closed"});
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QTRY_COMPARE_WITH_TIMEOUT(server.clientCount(), 1, 10000);
    LabScript d(server.port());
    problem = d.run({"S: 220"});
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

void TestLabServer::signals_()
{
    LabServer server;
    QVERIFY(server.start(builtIn(QStringLiteral("all-good"))));
    QSignalSpy connected(&server, &LabServer::clientConnected);
    QSignalSpy disconnected(&server, &LabServer::clientDisconnected);
    QSignalSpy log(&server, &LabServer::logLine);
    {
        LabScript client(server.port());
        const QString problem = client.run(hello + QStringList{"C: QUIT", "S: 221", "S: closed"});
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }
    QTRY_COMPARE_WITH_TIMEOUT(disconnected.size(), 1, 10000);
    QCOMPARE(connected.size(), 1);
    const QString peer = connected.first().first().toString();
    QVERIFY(peer.startsWith(QLatin1String("127.0.0.1:")));
    QCOMPARE(disconnected.first().first().toString(), peer);
    QStringList lines;
    for (const QList<QVariant> &args : std::as_const(log))
        lines.append(args.first().toString());
    QVERIFY2(lines.contains(peer + QStringLiteral(" C: EHLO client.test")), qPrintable(lines.join('\n')));
    QVERIFY2(lines.contains(peer + QStringLiteral(" S: 221 2.0.0 Bye")), qPrintable(lines.join('\n')));
}

void TestLabServer::portZeroAndStop()
{
    LabServer server;
    QVERIFY(server.start(builtIn(QStringLiteral("all-good")), 0));
    QVERIFY(server.port() != 0);
    LabScript client(server.port());
    QVERIFY(client.run({"S: 220"}).isEmpty());
    LabServer second;
    QVERIFY(!second.start(builtIn(QStringLiteral("all-good")), server.port()));
    QVERIFY(!second.errorString().isEmpty());
    server.stop();
    QVERIFY(!server.isListening());
    QTRY_VERIFY_WITH_TIMEOUT(client.socket().state() == QAbstractSocket::UnconnectedState, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(server.clientCount(), 0, 10000);
}

void TestLabServer::faultsOverRealSockets()
{
    LabScenario s = builtIn(QStringLiteral("all-good"));
    s.faults = *parseFaults(QStringLiteral("MAIL:delay=300,RCPT:450:100,DATA:drop"), nullptr);
    LabServer server;
    QVERIFY(server.start(s));
    QSignalSpy log(&server, &LabServer::logLine);
    LabScript client(server.port());
    QElapsedTimer clock;
    clock.start();
    const QString problem = client.run(hello + QStringList{"C: MAIL FROM:<t@school.example>", "S: 250 2.1.0"});
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QVERIFY(clock.elapsed() >= 300); // the delay was there (how much more is the machine's business)
    QCOMPARE(client.run({"C: RCPT TO:<alice@lab.test>", "S: 450 4.2.1", "C: DATA", "S: closed"}), QString());
    bool logged = false;
    for (const QList<QVariant> &line : std::as_const(log))
        logged = logged || line.at(0).toString().contains(QLatin1String("fault injected: RCPT:450"));
    QVERIFY(logged); // the teacher's log says what was injected
}

void TestLabServer::faultsChangeWhileRunning()
{
    LabServer server;
    QVERIFY(server.start(builtIn(QStringLiteral("all-good"))));
    LabScript client(server.port());
    QCOMPARE(client.run(hello + QStringList{"C: MAIL FROM:<t@school.example>", "S: 250 2.1.0"}), QString());
    server.setFaults(*parseFaults(QStringLiteral("RCPT:452"), nullptr), 0, 0); // the connection open now, too
    QCOMPARE(client.run({"C: RCPT TO:<alice@lab.test>", "S: 452 4.3.1"}), QString());
    server.setFaults({}, 0, 0);
    QCOMPARE(client.run({"C: RCPT TO:<alice@lab.test>", "S: 250 2.1.5"}), QString());
}

void TestLabServer::aTarpitTricklesTheReplies()
{
    LabScenario s = builtIn(QStringLiteral("all-good"));
    s.bytesPerSecond = 200;
    LabServer server;
    QVERIFY(server.start(s));
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, server.port());
    QElapsedTimer clock;
    clock.start();
    QByteArray greeting;
    int reads = 0;
    while (!greeting.endsWith("\r\n") && clock.elapsed() < 10000) {
        QTest::qWait(20); // the server runs in this thread: its timers need the event loop
        if (socket.bytesAvailable() > 0) {
            greeting += socket.readAll();
            ++reads;
        }
    }
    QVERIFY(greeting.startsWith("220 "));
    QVERIFY2(reads >= 3, qPrintable(QString::number(reads))); // in pieces of 20 bytes, not at once
    // At 200 bytes a second the greeting's bytes need this long at least.
    QVERIFY2(clock.elapsed() >= 1000 * (greeting.size() - 20) / 200, qPrintable(QString::number(clock.elapsed())));
}

void TestLabServer::theCourseCanBePassed()
{
    LabServer server;
    QVERIFY(server.start(builtIn(QStringLiteral("course"))));
    QCOMPARE(server.progress().goals().size(), 10);
    QSignalSpy reached(&server, &LabServer::goalReached);
    LabScript client(server.port());
    const QStringList body = {"C: DATA", "S: 354", "C: Subject: homework", "C: ", "C: Done.", "C: .", "S: 250 2.0.0"};
    QString problem = client.run(hello
                                 + QStringList{"C: MAIL FROM:<s@school.example>", "S: 250", "C: RCPT TO:<alice@lab.test>",
                                               "S: 250", "C: RCPT TO:<nobody@lab.test>", "S: 550 5.1.1"}
                                 + body);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(server.progress().reached(QStringLiteral("127.0.0.1")), (QStringList{"say-hello", "unknown-user", "first-message"}));
    // Pipelined, two recipients, 8BITMIME with SIZE, and a DSN request: four goals at once.
    problem = client.run({"C: MAIL FROM:<s@school.example> BODY=8BITMIME SIZE=300 RET=HDRS",
                          "C: RCPT TO:<alice@lab.test> NOTIFY=SUCCESS,FAILURE", "C: RCPT TO:<bob@lab.test>", "C: DATA",
                          "S: 250", "S: 250", "S: 250", "S: 354", "C: Subject: again", "C: ", "C: x", "C: .", "S: 250 2.0.0"});
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    problem = client.run(QStringList{"C: STARTTLS", "S: 220", "T: starttls", "C: EHLO client.test", "S: 250",
                          "C: AUTH PLAIN " + plain("alice", "wonderland"), "S: 235",
                          "C: MAIL FROM:<s@school.example>", "S: 250", "C: RCPT TO:<bob@lab.test>", "S: 250"}
                         + body);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(server.progress().reached(QStringLiteral("127.0.0.1")).size(), 10);
    QCOMPARE(reached.size(), 10);
    QCOMPARE(server.progress().summary(QStringLiteral("127.0.0.1")).left(21), QStringLiteral("127.0.0.1: 10 of 10 ("));
}

void TestLabServer::silentClientsLeaveSoonAndOneAddressCannotTakeAll()
{
    LabScenario scenario = builtIn(QStringLiteral("all-good"));
    scenario.firstCommandTimeoutSeconds = 1;
    LabServer server;
    QVERIFY(server.start(scenario));
    // 200 clients from one address that connect and say nothing.
    QList<QTcpSocket *> silent;
    for (int i = 0; i < 200; ++i) {
        auto *socket = new QTcpSocket(this);
        socket->connectToHost(QHostAddress::LocalHost, server.port());
        silent.append(socket);
    }
    QTRY_VERIFY_WITH_TIMEOUT(std::all_of(silent.begin(), silent.end(), [](QTcpSocket *s) {
        return s->bytesAvailable() > 0 || s->state() == QAbstractSocket::UnconnectedState;
    }), 20000);
    QCOMPARE(server.clientCount(), scenario.maxClientsPerAddress); // the others were told 421 at once
    int refusedAtOnce = 0;
    for (QTcpSocket *s : std::as_const(silent))
        refusedAtOnce += s->peek(64).contains("Too many connections from your address") ? 1 : 0;
    QCOMPARE(refusedAtOnce, 200 - scenario.maxClientsPerAddress);
    // The silent ones go after the short first-command wait, not the 300 s idle one.
    QTRY_COMPARE_WITH_TIMEOUT(server.clientCount(), 0, 10000);
    LabScript student(server.port());
    const QString problem = student.run(hello + QStringList{"C: QUIT", "S: 221"});
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    qDeleteAll(silent);
}

void TestLabServer::aDropInsideDataLosesNothingElse()
{
    LabServer server;
    QVERIFY(server.start(builtIn(QStringLiteral("all-good"))));
    {
        LabScript dropped(server.port());
        QCOMPARE(dropped.run(hello + QStringList{"C: MAIL FROM:<a@school.example>", "S: 250", "C: RCPT TO:<alice@lab.test>",
                                                 "S: 250", "C: DATA", "S: 354", "C: Subject: half", "C: the first half"}),
                 QString());
        dropped.socket().abort(); // gone in the middle of the message
    }
    QTRY_COMPARE_WITH_TIMEOUT(server.clientCount(), 0, 10000);
    QCOMPARE(server.messages().size(), 0); // half a message is no message
    LabScript next(server.port());
    QCOMPARE(next.run(hello + message("a@school.example", "alice@lab.test")), QString());
    QCOMPARE(server.messages().size(), 1);
}

QTEST_GUILESS_MAIN(TestLabServer)
#include "tst_labserver.moc"
