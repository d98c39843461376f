// `smtpwb session`, the real binary, against the practice server (and a scripted fake
// server for what no scenario does): exit codes, TLS, AUTH redaction, typed input.

#include "../../core/session/fakedns.h"
#include "../../core/session/fakeserver.h"
#include "lab/labcertificate.h"
#include "lab/labserver.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace smtp;

namespace {
struct Result
{
    int exitCode = -1;
    QString out;
};

// Runs smtpwb while this process's event loop keeps serving the practice server.
Result smtpwb(const QStringList &args, const QByteArray &input = {}, const QByteArray &password = {})
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("SMTPWB_PASSWORD"));
    if (!password.isEmpty())
        env.insert(QStringLiteral("SMTPWB_PASSWORD"), QString::fromUtf8(password));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(SMTPWB_BINARY), QStringList{QStringLiteral("session")} + args);
    p.waitForStarted();
    p.write(input);
    p.closeWriteChannel();
    (void)QTest::qWaitFor([&] { return p.state() == QProcess::NotRunning; }, 30000); // checked just below
    if (p.state() != QProcess::NotRunning) {
        p.kill();
        p.waitForFinished();
        return {-1, QStringLiteral("smtpwb did not finish")};
    }
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError())};
}

QString server(const LabServer &lab)
{
    return QStringLiteral("127.0.0.1:%1").arg(lab.port());
}
} // namespace

class TestSessionCommand : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void scripted_data();
    void scripted();
    void starttlsWithTheLabCertificateAsCa();
    void authSecretsStayOutOfOutputAndTranscript();
    void authInClearIsRefusedUnlessAllowed();
    void hostileRepliesReachTheTerminalAsMarks();
    void heloOnlyServerWithStarttlsRequired();
    void typedInputThatEndsInsideData();
    void mxHostsAreTriedInOrder();
    void usageErrors_data();
    void usageErrors();

private:
    QTemporaryDir m_dir;
    QString m_ca;
};

void TestSessionCommand::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_ca = m_dir.filePath(QStringLiteral("lab-ca.pem"));
    QFile ca(m_ca);
    QVERIFY(ca.open(QIODevice::WriteOnly));
    ca.write(LabCertificate::certificate().toPem()); // self-signed: its own CA
}

void TestSessionCommand::scripted_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QByteArray>("script");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("shows");
    const QByteArray mail = "MAIL FROM:<teacher@school.example>\nRCPT TO:<alice@lab.test>\nDATA\nSubject: hi\n\nHello.\n.\n";
    QTest::newRow("all goes well") << "all-good" << QStringList{} << mail << 0 << "<-  221";
    QTest::newRow("CR-only line ends") << "all-good" << QStringList{} << QByteArray(mail).replace('\n', '\r') << 0 << "<-  221";
    QTest::newRow("unknown user stops at RCPT")
        << "unknown-user" << QStringList{} << QByteArray("MAIL FROM:<t@school.example>\nRCPT TO:<nobody@lab.test>\n")
        << 9 << "5.1.1 Bad destination mailbox address";
    QTest::newRow("keep going past it")
        << "unknown-user" << QStringList{"--keep-going"}
        << QByteArray("MAIL FROM:<t@school.example>\nRCPT TO:<nobody@lab.test>\nRCPT TO:<alice@lab.test>\n") << 9
        << "2.1.5";
    QTest::newRow("sender policy stops at MAIL") << "sender-policy" << QStringList{}
                                                 << QByteArray("MAIL FROM:<ceo@fake-bank.example>\n") << 8 << "5.7.26";
    QTest::newRow("STARTTLS line in a plain script")
        << "all-good" << QStringList{"--insecure"} << (QByteArray("STARTTLS\nEHLO again.test\n") + mail) << 0 << "TLS established";
    QTest::newRow("script with its own EHLO")
        << "all-good" << QStringList{} << (QByteArray("EHLO mine.test\n") + mail) << 0 << "-> EHLO mine.test";
    QTest::newRow("HELO cannot open a STARTTLS session")
        << "all-good" << QStringList{"--starttls"} << QByteArray("HELO mine.test\nMAIL FROM:<a@b.test>\n") << 6
        << "does not offer STARTTLS";
    QTest::newRow("rate limit 421") << "rate-limit" << QStringList{}
                                    << (mail + mail + mail + mail) << 8 << "421 4.7.0";
}

void TestSessionCommand::scripted()
{
    QFETCH(QString, scenario);
    QFETCH(QStringList, args);
    QFETCH(QByteArray, script);
    QFETCH(int, exitCode);
    QFETCH(QString, shows);
    LabServer lab;
    QVERIFY(lab.start(*LabScenario::load(scenario)));
    const Result r = smtpwb(QStringList{server(lab), QStringLiteral("--script"), QStringLiteral("-"),
                                        QStringLiteral("--timeout"), QStringLiteral("15")} + args, script);
    QVERIFY2(r.exitCode == exitCode, qPrintable(QStringLiteral("exit %1\n").arg(r.exitCode) + r.out));
    QVERIFY2(r.out.contains(shows), qPrintable(r.out));
    if (QTest::currentDataTag() == QByteArrayLiteral("script with its own EHLO"))
        QCOMPARE(r.out.count(QLatin1String("-> EHLO")), 1);
    if (QTest::currentDataTag() == QByteArrayLiteral("HELO cannot open a STARTTLS session"))
        QVERIFY(!r.out.contains(QLatin1String("MAIL FROM"))); // nothing went in clear
}

void TestSessionCommand::starttlsWithTheLabCertificateAsCa()
{
    LabServer lab;
    QVERIFY(lab.start(*LabScenario::load(QStringLiteral("starttls-required"))));
    const QByteArray script = "MAIL FROM:<t@school.example>\nRCPT TO:<alice@lab.test>\nQUIT\n";
    Result r = smtpwb({server(lab), QStringLiteral("--starttls"), QStringLiteral("--ca"), m_ca,
                       QStringLiteral("--tls-name"), QStringLiteral("localhost"), QStringLiteral("--script"),
                       QStringLiteral("-")}, script);
    QVERIFY2(r.exitCode == 0, qPrintable(r.out));
    QVERIFY(r.out.contains(QLatin1String("TLS established: TLS 1.")));
    QVERIFY(r.out.contains(QLatin1String("~> MAIL FROM")));
    // Without the CA the certificate does not verify, and the session stops at TLS.
    r = smtpwb({server(lab), QStringLiteral("--starttls"), QStringLiteral("--script"), QStringLiteral("-")}, script);
    QCOMPARE(r.exitCode, 6);
    QVERIFY(r.out.contains(QLatin1String("self-signed")));
    QVERIFY(!r.out.contains(QLatin1String("MAIL FROM")));
}

void TestSessionCommand::authSecretsStayOutOfOutputAndTranscript()
{
    LabServer lab;
    QVERIFY(lab.start(*LabScenario::load(QStringLiteral("auth-required"))));
    for (const QString &mechanism : {QStringLiteral("PLAIN"), QStringLiteral("LOGIN")}) {
        const QString transcript = m_dir.filePath(mechanism + QStringLiteral(".json"));
        const Result r = smtpwb({server(lab), QStringLiteral("--starttls"), QStringLiteral("--ca"), m_ca,
                                 QStringLiteral("--tls-name"), QStringLiteral("localhost"), QStringLiteral("--auth"),
                                 mechanism, QStringLiteral("--user"), QStringLiteral("alice"),
                                 QStringLiteral("--transcript"), transcript, QStringLiteral("--script"), QStringLiteral("-")},
                                "MAIL FROM:<alice@lab.test>\n", "wonderland");
        QVERIFY2(r.exitCode == 0, qPrintable(r.out));
        QVERIFY(r.out.contains(QLatin1String("235")));
        QFile file(transcript);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray everything = r.out.toUtf8() + file.readAll();
        for (const QByteArray &secret : {QByteArray("wonderland"), QByteArray("wonderland").toBase64(),
                                         QByteArray("\0alice\0wonderland", 17).toBase64()})
            QVERIFY2(!everything.contains(secret), secret.constData());
        QVERIFY(everything.contains("redacted"));
    }
}

void TestSessionCommand::authInClearIsRefusedUnlessAllowed()
{
    const QStringList ehlo{"S: 220 clear.test", "C: EHLO *", "S: 250-clear.test", "S: 250 AUTH PLAIN LOGIN"};
    FakeServer refused(ehlo + QStringList{"C: QUIT", "S: 221 Bye", "CLOSE"});
    Result r = smtpwb({QStringLiteral("127.0.0.1:%1").arg(refused.serverPort()), QStringLiteral("--auth"),
                       QStringLiteral("PLAIN"), QStringLiteral("--user"), QStringLiteral("alice"),
                       QStringLiteral("--script"), QStringLiteral("-"), QStringLiteral("--timeout"), QStringLiteral("10")},
                      "MAIL FROM:<a@b.test>\n", "wonderland");
    QCOMPARE(r.exitCode, 7);
    QVERIFY2(r.out.contains(QLatin1String("--allow-plaintext-auth")), qPrintable(r.out));
    QVERIFY2(refused.mismatch.isEmpty(), qPrintable(refused.mismatch + refused.clientLines.join(QLatin1Char('|'))));
    for (const QString &line : refused.clientLines)
        QVERIFY2(!line.startsWith(QLatin1String("AUTH")), qPrintable(line));

    FakeServer allowed(ehlo + QStringList{"C: AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=", "S: 235 2.7.0 Ok",
                                          "C: MAIL FROM:<a@b.test>", "S: 250 Ok", "C: QUIT", "S: 221 Bye", "CLOSE"});
    r = smtpwb({QStringLiteral("127.0.0.1:%1").arg(allowed.serverPort()), QStringLiteral("--auth"),
                QStringLiteral("PLAIN"), QStringLiteral("--user"), QStringLiteral("alice"), QStringLiteral("--allow-plaintext-auth"),
                QStringLiteral("--script"), QStringLiteral("-"), QStringLiteral("--timeout"), QStringLiteral("10")},
               "MAIL FROM:<a@b.test>\n", "wonderland");
    QVERIFY2(r.exitCode == 0, qPrintable(r.out + allowed.mismatch));
    QVERIFY(r.out.contains(QLatin1String("Credentials sent in clear text")));
}

void TestSessionCommand::hostileRepliesReachTheTerminalAsMarks()
{
    FakeServer hostile({"S: 220 evil.test \x1b[2J\x1b]0;owned\x07 ready", "C: EHLO *",
                        "S: 250-evil.test \xe2\x80\xae" "gnp.exe", "S: 250 OK\x1b[1A\x1b[K",
                        "C: QUIT", "S: 221 Bye", "CLOSE"});
    const Result r = smtpwb({QStringLiteral("127.0.0.1:%1").arg(hostile.serverPort()), QStringLiteral("--script"),
                             QStringLiteral("-"), QStringLiteral("--timeout"), QStringLiteral("10")},
                            "");
    QVERIFY2(r.exitCode == 0, qPrintable(r.out));
    QVERIFY(!r.out.contains(QChar(0x1b)));
    QVERIFY(!r.out.contains(QChar(0x07)));
    QVERIFY(!r.out.contains(QChar(0x202e)));
    QVERIFY2(r.out.contains(QStringLiteral("⟨ESC⟩[2J⟨ESC⟩]0;owned⟨BEL⟩")), qPrintable(r.out));
    QVERIFY(r.out.contains(QStringLiteral("⟨RLO⟩gnp.exe")));
    QVERIFY(r.out.contains(QStringLiteral("OK⟨ESC⟩[1A⟨ESC⟩[K")));
}

void TestSessionCommand::heloOnlyServerWithStarttlsRequired()
{
    FakeServer old({"S: 220 old.test", "C: EHLO *", "S: 502 5.5.1 What?", "SILENT"});
    const Result r = smtpwb({QStringLiteral("127.0.0.1:%1").arg(old.serverPort()), QStringLiteral("--starttls"),
                             QStringLiteral("--script"), QStringLiteral("-"), QStringLiteral("--timeout"), QStringLiteral("10")},
                            "MAIL FROM:<a@b.test>\n");
    QCOMPARE(r.exitCode, 6);
    QVERIFY(r.out.contains(QLatin1String("cannot offer STARTTLS")));
    QCOMPARE(old.clientLines.size(), 1);
}

void TestSessionCommand::typedInputThatEndsInsideData()
{
    LabServer lab;
    QVERIFY(lab.start(*LabScenario::load(QStringLiteral("all-good"))));
    // The input ends in the middle of the message, as Ctrl+D would: the message is ended,
    // then QUIT; nothing waits for ever.
    const Result r = smtpwb({server(lab), QStringLiteral("--timeout"), QStringLiteral("10")},
                            "EHLO typist.test\nMAIL FROM:<t@school.example>\nRCPT TO:<alice@lab.test>\nDATA\nSubject: cut\n\nhalf\n");
    QVERIFY2(r.exitCode == 0, qPrintable(r.out));
    QVERIFY(r.out.contains(QLatin1String("<-  221")));
    QCOMPARE(lab.messages().size(), 1);
    QVERIFY(lab.messages().first().data.contains("half"));
}

void TestSessionCommand::mxHostsAreTriedInOrder()
{
    // The best MX refuses connections (nothing listens on 127.0.0.2); the next one is the
    // practice server on 127.0.0.1.
    FakeDns dns;
    dns.mx.insert(QStringLiteral("school.test"), {{10, QStringLiteral("127.0.0.2")}, {20, QStringLiteral("127.0.0.1")}});
    if (!dns.start()) {
        if (qEnvironmentVariable("CI") == QLatin1String("true"))
            QFAIL("cannot listen on 127.0.0.1:53 for the fake DNS server");
        QSKIP("Skipped: listening on 127.0.0.1:53 needs root");
    }
    LabServer lab;
    QVERIFY(lab.start(*LabScenario::load(QStringLiteral("all-good"))));
    const Result r = smtpwb({QStringLiteral("school.test"), QStringLiteral("--mx"), QStringLiteral("--nameserver"),
                             QStringLiteral("127.0.0.1"), QStringLiteral("--port"), QString::number(lab.port()),
                             QStringLiteral("--script"), QStringLiteral("-"), QStringLiteral("--timeout"), QStringLiteral("10")},
                            "NOOP\n");
    QVERIFY2(r.exitCode == 0, qPrintable(r.out));
    QVERIFY(r.out.contains(QLatin1String("MX of school.test: 127.0.0.2 (preference 10)")));
    QVERIFY(r.out.contains(QLatin1String("Trying the next MX host, 127.0.0.1.")));
    QVERIFY(r.out.contains(QLatin1String("<-  221")));
}

void TestSessionCommand::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("no server") << QStringList{} << "give one server";
    QTest::newRow("bad port") << QStringList{"host:99999"} << "HOST:PORT";
    QTest::newRow("two TLS modes") << QStringList{"host", "--tls", "--starttls"} << "choose one";
    QTest::newRow("auth without user") << QStringList{"host", "--auth", "PLAIN"} << "needs --user";
    QTest::newRow("unknown mechanism") << QStringList{"host", "--auth", "NTLM", "--user", "u"} << "--auth takes one of";
    QTest::newRow("bad timeout") << QStringList{"host", "--timeout", "soon"} << "whole number";
    QTest::newRow("DATA without its dot") << QStringList{"host", "--script", "-"} << "no closing line";
}

void TestSessionCommand::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const Result r = smtpwb(args, "DATA\nSubject: never ended\n");
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.out.contains(message), qPrintable(r.out));
}

QTEST_GUILESS_MAIN(TestSessionCommand)
#include "tst_sessioncommand.moc"
