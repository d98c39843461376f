// The session engine and `smtpwb session` against a real Postfix on 127.0.0.1 (see
// postfix.sh): plain, STARTTLS with the test CA, AUTH PLAIN and LOGIN, a bad password, an
// unknown user, relay denied, and a delivery found in the Maildir.

#include "bounce/bounceparser.h"
#include "lab/labserver.h"
#include "session/smtpsession.h"

#include <QDir>
#include <QDirIterator>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryFile>
#include <QTest>
#include <QUuid>

using namespace smtp;

namespace {
const QString kDir = QStringLiteral(SMTPWB_POSTFIX_DIR);

SessionOptions postfix(Security security = Security::Plain)
{
    SessionOptions o;
    o.host = QStringLiteral("127.0.0.1");
    o.port = SMTPWB_POSTFIX_PORT;
    o.security = security;
    o.ehloName = QStringLiteral("client.test.local");
    o.caFile = kDir + QStringLiteral("/tls/ca.pem");
    o.timeouts.capAt(20);
    return o;
}

// Sends the commands one at a time, as a person would; returns the reply codes.
QList<int> run(SmtpSession &session, const QStringList &commands)
{
    QList<int> codes;
    QObject::connect(&session, &SmtpSession::replyReceived, &session,
                     [&codes](const Reply &r, const QString &) { codes.append(r.code); });
    for (const QString &c : commands) {
        const qsizetype before = codes.size();
        session.sendCommand(c);
        if (!QTest::qWaitFor([&] { return codes.size() > before || session.state() == SessionState::Closed; }, 20000))
            break;
    }
    return codes;
}

struct Result
{
    int exitCode;
    QString out;
};

Result smtpwb(const QStringList &args, const QByteArray &script, const QByteArray &password = {})
{
    QTemporaryFile file;
    file.open();
    file.write(script);
    file.close();
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (!password.isEmpty())
        env.insert(QStringLiteral("SMTPWB_PASSWORD"), QString::fromUtf8(password));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(SMTPWB_BINARY),
            QStringList{QStringLiteral("session"), QStringLiteral("127.0.0.1:%1").arg(SMTPWB_POSTFIX_PORT),
                        QStringLiteral("--script"), file.fileName(), QStringLiteral("--timeout"), QStringLiteral("20")} + args);
    p.waitForFinished(60000);
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError())};
}

QString findInMaildir(const QString &user, const QString &needle)
{
    for (int attempt = 0; attempt < 100; ++attempt) {
        QDirIterator it(kDir + QStringLiteral("/mail/") + user, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile f(it.next());
            if (f.open(QIODevice::ReadOnly)) {
                const QString text = QString::fromUtf8(f.readAll());
                if (text.contains(needle))
                    return text;
            }
        }
        QTest::qWait(100);
    }
    return QString();
}
} // namespace

class TestPostfix : public QObject
{
    Q_OBJECT
private slots:
    void plainSessionSeesPostfix();
    void starttlsWithTheTestCa();
    void authPlainAndLogin_data();
    void authPlainAndLogin();
    void unknownUserAndRelayDenied();
    void fullDeliveryLandsInTheMaildir();
    void typedSessionFromAPipe();
    void postfixBounceFromARemoteServerIsReadRight();
    void postfixBounceFromALocalProgramIsReadRight();
    void commandLineExitCodes_data();
    void commandLineExitCodes();
};

void TestPostfix::plainSessionSeesPostfix()
{
    SmtpSession session;
    session.setOptions(postfix());
    session.connectToServer();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionState::Greeted, 20000);
    QCOMPARE(run(session, {QStringLiteral("EHLO client.test.local")}), QList<int>{250});
    QVERIFY(session.capabilities().has(QStringLiteral("STARTTLS")));
    QVERIFY(session.capabilities().has(QStringLiteral("PIPELINING")));
    QVERIFY(!session.capabilities().has(QStringLiteral("AUTH"))); // only after TLS (smtpd_tls_auth_only)
    QCOMPARE(session.transcript().events().at(2).reply->code, 220);
}

void TestPostfix::starttlsWithTheTestCa()
{
    SmtpSession session;
    session.setOptions(postfix(Security::StartTlsRequired));
    QSignalSpy tls(&session, &SmtpSession::tlsEstablished);
    session.connectToServer();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionState::Greeted, 20000);
    session.sendCommand(QStringLiteral("EHLO client.test.local"));
    QVERIFY(tls.wait(20000));
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionState::Ready, 20000);
    QVERIFY(session.isEncrypted());
    QVERIFY(session.tlsInfo().errors.isEmpty());
    QCOMPARE(session.tlsInfo().chain.first().subjectInfo(QSslCertificate::CommonName).value(0), QStringLiteral("mx.test.local"));
    QCOMPARE(session.capabilities().authMechanisms(), (QStringList{"PLAIN", "LOGIN"}));
}

void TestPostfix::authPlainAndLogin_data()
{
    QTest::addColumn<QString>("mechanism");
    QTest::addColumn<QString>("password");
    QTest::addColumn<int>("code");
    QTest::newRow("PLAIN good") << "PLAIN" << "secret" << 235;
    QTest::newRow("LOGIN good") << "LOGIN" << "secret" << 235;
    QTest::newRow("PLAIN bad password") << "PLAIN" << "wrong" << 535;
    QTest::newRow("LOGIN bad password") << "LOGIN" << "wrong" << 535;
}

void TestPostfix::authPlainAndLogin()
{
    QFETCH(QString, mechanism);
    QFETCH(QString, password);
    QFETCH(int, code);
    SmtpSession session;
    session.setOptions(postfix(Security::StartTlsRequired));
    session.connectToServer();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionState::Greeted, 20000);
    session.sendCommand(QStringLiteral("EHLO client.test.local"));
    QTRY_COMPARE_WITH_TIMEOUT(session.isEncrypted() && session.state() == SessionState::Ready && session.pendingReplies() == 0, true, 20000);
    int last = 0;
    connect(&session, &SmtpSession::replyReceived, this, [&last](const Reply &r, const QString &) { last = r.code; });
    session.authenticate(mechanism, QStringLiteral("alice@test.local"), password);
    QTRY_COMPARE_WITH_TIMEOUT(last == 235 || last >= 500, true, 20000);
    QCOMPARE(last, code);
    QCOMPARE(session.isAuthenticated(), code == 235);
    const Reply &reply = *session.transcript().events().constLast().reply;
    if (code == 535)
        QCOMPARE(reply.enhanced->toString(), QStringLiteral("5.7.8"));
    // Neither the password nor the base64 that carries it is in any export.
    const QString exported = session.transcript().toText() + session.transcript().toHtml()
                           + QString::fromUtf8(session.transcript().toJson());
    const QByteArray user = "alice@test.local";
    for (const QByteArray &secret : {password.toUtf8().toBase64(), ('\0' + user + '\0' + password.toUtf8()).toBase64()})
        QVERIFY2(!exported.contains(QString::fromLatin1(secret)), secret.constData());
    QVERIFY(!exported.contains(QLatin1Char(' ') + password + QLatin1Char('\n')));
    QVERIFY(exported.contains(QLatin1String("redacted")));
}

void TestPostfix::unknownUserAndRelayDenied()
{
    SmtpSession session;
    session.setOptions(postfix());
    session.connectToServer();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SessionState::Greeted, 20000);
    const QList<int> codes = run(session, {QStringLiteral("EHLO client.test.local"), QStringLiteral("MAIL FROM:<x@example.com>"),
                                           QStringLiteral("RCPT TO:<nobody@test.local>"),
                                           QStringLiteral("RCPT TO:<someone@elsewhere.example>")});
    QCOMPARE(codes, (QList<int>{250, 250, 550, 554}));
    const QList<TranscriptEvent> &events = session.transcript().events();
    QStringList annotations;
    for (const TranscriptEvent &e : events)
        if (e.reply)
            annotations.append(e.annotation);
    QVERIFY(annotations.contains(QStringLiteral("Permanent failure - Mail system - 5.1.1 Bad destination mailbox address")));
    QVERIFY(annotations.last().contains(QLatin1String("5.7.1")));
}

void TestPostfix::fullDeliveryLandsInTheMaildir()
{
    const QString tag = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QByteArray script = "MAIL FROM:<carol@example.com>\nRCPT TO:<alice@test.local>\nDATA\n"
                              "Subject: delivery " + tag.toUtf8() + "\n\nHello Alice.\n..a line that starts with a dot\n.\nQUIT\n";
    const Result r = smtpwb({QStringLiteral("--starttls"), QStringLiteral("--ca"), kDir + QStringLiteral("/tls/ca.pem")}, script);
    QVERIFY2(r.exitCode == 0, qPrintable(r.out));
    QVERIFY(r.out.contains(QLatin1String("TLS established")));
    const QString delivered = findInMaildir(QStringLiteral("alice"), tag);
    QVERIFY2(!delivered.isEmpty(), "the message is not in alice's Maildir");
    QVERIFY(delivered.contains(QLatin1String("\n.a line that starts with a dot")));
    QVERIFY(delivered.contains(QLatin1String("ESMTPS")));
}

void TestPostfix::typedSessionFromAPipe()
{
    // Without --script the person types; here a pipe does, DATA block and all.
    QProcess p;
    p.start(QStringLiteral(SMTPWB_BINARY), {QStringLiteral("session"),
                                            QStringLiteral("127.0.0.1:%1").arg(SMTPWB_POSTFIX_PORT),
                                            QStringLiteral("--timeout"), QStringLiteral("20")});
    QVERIFY(p.waitForStarted());
    const QString tag = QUuid::createUuid().toString(QUuid::WithoutBraces);
    p.write("EHLO typist.test\nMAIL FROM:<t@example.com>\nRCPT TO:<bob@test.local>\nDATA\nSubject: typed "
            + tag.toUtf8() + "\n\n.starts with a dot\n.\nQUIT\n");
    p.closeWriteChannel();
    QVERIFY(p.waitForFinished(60000));
    const QString out = QString::fromUtf8(p.readAllStandardOutput());
    QCOMPARE(p.exitCode(), 0);
    QVERIFY2(out.contains(QLatin1String("<-  221")), qPrintable(out));
    QVERIFY(out.contains(QLatin1String("# Success - Mail system - 2.1.5 Destination address valid")));
    QVERIFY(!findInMaildir(QStringLiteral("bob"), tag).isEmpty());
}

// Sends a message Postfix accepts and cannot deliver; returns the DSN Postfix writes back
// to alice, or an empty string.
static QString bounceFor(const QString &recipient, const QString &tag)
{
    const QByteArray script = "MAIL FROM:<alice@test.local>\nRCPT TO:<" + recipient.toUtf8() + ">\nDATA\nSubject: doomed "
                              + tag.toUtf8() + "\n\nThis will bounce.\n.\nQUIT\n";
    const Result r = smtpwb({}, script);
    if (r.exitCode != 0) {
        qWarning().noquote() << r.out;
        return QString();
    }
    for (int attempt = 0; attempt < 100; ++attempt) {
        const QString found = findInMaildir(QStringLiteral("alice"), tag);
        if (found.contains(QLatin1String("multipart/report")))
            return found;
        QTest::qWait(100);
    }
    return QString();
}

void TestPostfix::postfixBounceFromARemoteServerIsReadRight()
{
    // The practice server plays the remote side: Postfix relays lab.test to it.
    LabServer lab;
    QVERIFY(lab.start(*LabScenario::load(QStringLiteral("unknown-user")), SMTPWB_LAB_PORT));
    const QString tag = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QString dsn = bounceFor(QStringLiteral("nobody@lab.test"), tag);
    QVERIFY2(!dsn.isEmpty(), "Postfix wrote no bounce to alice");
    const BounceReport report = BounceParser::parse(dsn.toUtf8());
    QVERIFY(report.isBounce);
    QCOMPARE(report.kind, BounceReport::Kind::Dsn);
    QCOMPARE(report.recipients.size(), 1);
    const BounceRecipient &failed = report.recipients.first();
    QCOMPARE(failed.recipient, QStringLiteral("nobody@lab.test"));
    QCOMPARE(failed.action, QStringLiteral("failed"));
    QCOMPARE(failed.status, QStringLiteral("5.1.1"));
    QCOMPARE(failed.replyCode, 550);
    QCOMPARE(failed.reason, QStringLiteral("userunknown"));
    QVERIFY(failed.hard);
    QCOMPARE(failed.reportingMta, QStringLiteral("mx.test.local"));
    QVERIFY2(failed.remoteMta.contains(QLatin1String("127.0.0.1")), qPrintable(failed.remoteMta));
    QVERIFY2(failed.diagnostic.contains(QLatin1String("nobody@lab.test")), qPrintable(failed.diagnostic));
    QVERIFY(report.originalSubject.contains(tag));
    QCOMPARE(report.originalSender, QStringLiteral("alice@test.local"));
}

void TestPostfix::postfixBounceFromALocalProgramIsReadRight()
{
    const QString tag = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QString dsn = bounceFor(QStringLiteral("ghost@bounce.test"), tag);
    QVERIFY2(!dsn.isEmpty(), "Postfix wrote no bounce to alice");
    const BounceReport report = BounceParser::parse(dsn.toUtf8());
    QCOMPARE(report.recipients.size(), 1);
    const BounceRecipient &failed = report.recipients.first();
    QCOMPARE(failed.recipient, QStringLiteral("ghost@bounce.test"));
    QCOMPARE(failed.action, QStringLiteral("failed"));
    QCOMPARE(failed.status, QStringLiteral("5.1.1"));
    // A failing local delivery program (Diagnostic-Code x-unix) is a mailer error in the
    // reason vocabulary, whatever it printed.
    QCOMPARE(failed.reason, QStringLiteral("mailererror"));
    QCOMPARE(failed.diagnostic, QStringLiteral("user unknown"));
}

void TestPostfix::commandLineExitCodes_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QByteArray>("script");
    QTest::addColumn<QByteArray>("password");
    QTest::addColumn<int>("exitCode");
    const QStringList tls{QStringLiteral("--starttls"), QStringLiteral("--ca"), kDir + QStringLiteral("/tls/ca.pem")};
    QTest::newRow("unknown user stops at RCPT") << QStringList{} << QByteArray("MAIL FROM:<x@example.com>\nRCPT TO:<nobody@test.local>\n")
                                                << QByteArray() << 9;
    QTest::newRow("relay denied stops at RCPT") << QStringList{} << QByteArray("MAIL FROM:<x@example.com>\nRCPT TO:<a@elsewhere.example>\n")
                                                << QByteArray() << 9;
    QTest::newRow("bad password stops at AUTH") << (tls + QStringList{"--auth", "PLAIN", "--user", "alice@test.local"})
                                                << QByteArray("NOOP\n") << QByteArray("wrong") << 7;
    QTest::newRow("good password goes on") << (tls + QStringList{"--auth", "LOGIN", "--user", "alice@test.local"})
                                           << QByteArray("NOOP\n") << QByteArray("secret") << 0;
    QTest::newRow("untrusted certificate stops at TLS") << QStringList{"--starttls"} << QByteArray("NOOP\n") << QByteArray() << 6;
    QTest::newRow("insecure goes on past it") << QStringList{"--starttls", "--insecure"} << QByteArray("NOOP\n") << QByteArray() << 0;
}

void TestPostfix::commandLineExitCodes()
{
    QFETCH(QStringList, args);
    QFETCH(QByteArray, script);
    QFETCH(QByteArray, password);
    QFETCH(int, exitCode);
    const Result r = smtpwb(args, script, password);
    QVERIFY2(r.exitCode == exitCode, qPrintable(QStringLiteral("exit %1\n").arg(r.exitCode) + r.out));
    if (!password.isEmpty()) {
        QVERIFY(!r.out.contains(QString::fromUtf8(password.toBase64())));
        QVERIFY(!r.out.contains(QString::fromUtf8((QByteArray("\0alice@test.local\0", 18) + password).toBase64())));
    }
}

QTEST_GUILESS_MAIN(TestPostfix)
#include "tst_postfix.moc"
