#include "explaincommand.h"
#include "knowledge/knowledge.h"

#include <QBuffer>
#include <QJsonDocument>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryFile>
#include <QTest>

using namespace smtp;

namespace {
struct Result
{
    int exitCode = -1;
    QString out;
    QString err;
};

Result run(const QStringList &args, const QByteArray &input = {})
{
    QByteArray inputCopy = input;
    QBuffer in(&inputCopy);
    in.open(QIODevice::ReadOnly);
    QString outText, errText;
    QTextStream out(&outText), err(&errText);
    Result r;
    r.exitCode = cli::runExplain(QStringList{QStringLiteral("smtpwb"), QStringLiteral("explain")} + args, in, out, err);
    out.flush();
    err.flush();
    r.out = outText;
    r.err = errText;
    return r;
}

QList<QJsonObject> jsonLines(const QString &text)
{
    QList<QJsonObject> out;
    for (const QString &line : text.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        out.append(QJsonDocument::fromJson(line.toUtf8()).object());
    return out;
}
} // namespace

class TestExplainCommand : public QObject
{
    Q_OBJECT
private slots:
    void replyOnTheCommandLine();
    void codeAlone();
    void enhancedAlone();
    void afterCommand();
    void streamAsJson();
    void streamFromFile();
    void badInput_data();
    void badInput();
    void junkIsReportedBriefly();
    void hostileBytesReachNoTerminal();
    void diagnosisLeadsTheText();
    void pastedFramingGivesTheCommand();
    void jsonCarriesTheDiagnosisKeys();
    void jsonStreamMatchesTheWholeExplanation();
    void wordsWithoutACodeAreExplained();
    void aCodeWithALeadingZeroKeepsItsDigits();
    void binaryExitCodes_data();
    void binaryExitCodes();
};

void TestExplainCommand::replyOnTheCommandLine()
{
    const Result r = run({QStringLiteral("550 5.1.1 <bob@example.com>: Recipient address rejected")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.err.isEmpty());
    QVERIFY(r.out.contains(QLatin1String("Bad destination mailbox address")));
    QVERIFY(r.out.contains(QLatin1String("5xx Permanent negative completion")));
    QVERIFY(r.out.contains(QLatin1String("x5x Mail system")));
    QVERIFY(r.out.contains(QLatin1String("See: RFC")));
    // Words given unquoted are one reply.
    const Result split = run({QStringLiteral("550"), QStringLiteral("5.1.1"), QStringLiteral("unknown")});
    QCOMPARE(split.exitCode, 0);
    QVERIFY(split.out.contains(QLatin1String("Bad destination mailbox address")));
}

void TestExplainCommand::codeAlone()
{
    const Result r = run({QStringLiteral("421")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains(QLatin1String("Code 421")));
    QVERIFY(r.out.contains(QLatin1String("After each command:")));
    QVERIFY(r.out.contains(Knowledge::instance().replyCode(421)->title));
}

void TestExplainCommand::enhancedAlone()
{
    const Result r = run({QStringLiteral("5.7.26")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains(QLatin1String("Multiple authentication checks failed")));
    QVERIFY(r.out.contains(QLatin1String("IANA registry")));
}

void TestExplainCommand::afterCommand()
{
    const Result r = run({QStringLiteral("--after"), QStringLiteral("rcpt"), QStringLiteral("250")});
    QCOMPARE(r.exitCode, 0);
    const QString meaning = Knowledge::instance().replyCode(250)->after.value(QStringLiteral("RCPT"));
    QVERIFY(r.out.contains(meaning.left(30)));
    QVERIFY(!r.out.contains(QLatin1String("After each command:")));
}

void TestExplainCommand::streamAsJson()
{
    const QByteArray transcript = "220 mx.example.com ESMTP\r\n"
                                  "250-mx.example.com\r\n250-SIZE 10240000\r\n250 PIPELINING\r\n"
                                  "550 5.1.1 no such user\r\n"
                                  "452 4.2.2 full\n";
    const Result r = run({QStringLiteral("--json")}, transcript);
    QCOMPARE(r.exitCode, 0);
    const QList<QJsonObject> objects = jsonLines(r.out);
    QCOMPARE(objects.size(), 4);
    const QStringList keys = {"code", "class", "category", "enhanced", "subject", "title", "registered",
                              "summary", "retry", "references", "violations"};
    for (const QJsonObject &o : objects)
        for (const QString &key : keys)
            QVERIFY2(o.contains(key), qPrintable(key));
    QCOMPARE(objects[0].value(QLatin1String("code")).toInt(), 220);
    QCOMPARE(objects[1].value(QLatin1String("text")).toArray().size(), 3);
    QCOMPARE(objects[2].value(QLatin1String("enhanced")).toString(), QStringLiteral("5.1.1"));
    QCOMPARE(objects[2].value(QLatin1String("registered")).toBool(), true);
    QCOMPARE(objects[2].value(QLatin1String("retry")).toString(), QStringLiteral("after-change"));
    QCOMPARE(objects[3].value(QLatin1String("retry")).toString(), QStringLiteral("later"));
    QCOMPARE(objects[3].value(QLatin1String("violations")).toArray().first().toObject().value(QLatin1String("kind")).toString(),
             QStringLiteral("bare-lf"));
}

void TestExplainCommand::streamFromFile()
{
    QTemporaryFile file;
    QVERIFY(file.open());
    file.write("250 OK\r\n354 go ahead\r\n");
    file.close();
    const Result r = run({QStringLiteral("--brief"), QStringLiteral("--file"), file.fileName()});
    QCOMPARE(r.exitCode, 0);
    const QStringList lines = r.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 2);
    QVERIFY(lines[0].startsWith(QLatin1String("250 OK")));
    QVERIFY(lines[1].startsWith(QLatin1String("354 go ahead")));

    const Result missing = run({QStringLiteral("--file"), QStringLiteral("/nonexistent/replies.txt")});
    QCOMPARE(missing.exitCode, 1);
    QVERIFY(missing.err.contains(QLatin1String("cannot read")));
}

void TestExplainCommand::badInput_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    QTest::newRow("not a reply") << QStringList{"hello there"} << QByteArray() << 1 << "not an SMTP reply";
    QTest::newRow("bad enhanced code") << QStringList{"5.01.1"} << QByteArray() << 1 << "not a valid enhanced status code";
    QTest::newRow("truncated stream") << QStringList{} << QByteArray("250-first\r\n250-second\r\n") << 1 << "ends in the middle";
    QTest::newRow("empty stream") << QStringList{} << QByteArray() << 1 << "no reply";
    QTest::newRow("endless line") << QStringList{} << QByteArray(100000, 'x') << 1 << "protect memory";
    QTest::newRow("unknown command for --after") << QStringList{"--after", "FOO", "250"} << QByteArray() << 2 << "not a command";
    QTest::newRow("unknown option") << QStringList{"--frob"} << QByteArray() << 2 << "Unknown option";
}

void TestExplainCommand::badInput()
{
    QFETCH(QStringList, args);
    QFETCH(QByteArray, input);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    const Result r = run(args, input);
    QCOMPARE(r.exitCode, exitCode);
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
}

void TestExplainCommand::hostileBytesReachNoTerminal()
{
    const QByteArray replies = "550 5.7.1 \x1b[2J\x1b]0;owned\x07 denied \xe2\x80\xae" "gnp.exe\r\n";
    for (const QStringList &args : {QStringList{}, QStringList{QStringLiteral("--brief")}, QStringList{QStringLiteral("--json")}}) {
        const Result r = run(args, replies);
        QCOMPARE(r.exitCode, 0);
        for (const QChar c : {QChar(0x1b), QChar(0x07), QChar(0x202e)})
            QVERIFY2(!r.out.contains(c), qPrintable(args.join(QLatin1Char(' '))));
        if (args.isEmpty())
            QVERIFY2(r.out.contains(QStringLiteral("⟨ESC⟩[2J⟨ESC⟩]0;owned⟨BEL⟩ denied ⟨RLO⟩gnp.exe")), qPrintable(r.out));
        QVERIFY(r.out.contains(QLatin1String("control")) || r.out.contains(QLatin1String("violation")));
    }
}

void TestExplainCommand::diagnosisLeadsTheText()
{
    const Result r = run({QStringLiteral("451 4.7.1 Greylisted, please try again in 5 seconds")});
    QCOMPARE(r.exitCode, 0);
    const QStringList lines = r.out.split(QLatin1Char('\n'));
    QVERIFY2(lines.value(1).startsWith(QLatin1String("Diagnosis: Greylisting")), qPrintable(r.out));
    QVERIFY(r.out.contains(QLatin1String("reason greylisted")));
    // The code's own advice (fix your IP's reputation) gives way to the words' advice.
    QVERIFY(!r.out.contains(QLatin1String("Who acts")));
    QVERIFY(r.out.contains(QLatin1String("What to do: Wait and retry")));
}

void TestExplainCommand::pastedFramingGivesTheCommand()
{
    const Result r = run({QStringLiteral("host mx.example.org[192.0.2.10] said: 550 5.7.1 Service unavailable; client "
                                         "[198.51.100.7] blocked using zen.spamhaus.org (in reply to RCPT TO command)")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.startsWith(QLatin1String("Read from a Postfix bounce, remote host mx.example.org[192.0.2.10], answering RCPT")));
    QVERIFY(r.out.contains(QLatin1String("list Spamhaus ZEN")));
    QVERIFY(r.out.contains(QLatin1String("Permanent failure after RCPT")));
}

void TestExplainCommand::jsonCarriesTheDiagnosisKeys()
{
    const Result r = run({QStringLiteral("--json"), QStringLiteral("550 5.7.1 Client host [192.0.2.1] blocked using "
                                                                    "pbl.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.1")});
    QCOMPARE(r.exitCode, 0);
    const QJsonObject o = jsonLines(r.out).value(0);
    QCOMPARE(o.value(QLatin1String("reason")).toString(), QStringLiteral("blocked"));
    QCOMPARE(o.value(QLatin1String("list")).toString(), QStringLiteral("Spamhaus PBL"));
    QCOMPARE(o.value(QLatin1String("help")).toString(), QStringLiteral("https://www.spamhaus.org/query/ip/192.0.2.1"));
    QVERIFY(o.value(QLatin1String("diagnosis")).toString().contains(QLatin1String("Policy Block List")));
    QVERIFY(o.contains(QLatin1String("source")));
    // Every key there was before stays.
    for (const char *key : {"code", "text", "after", "class", "category", "meaning", "enhanced", "title", "summary",
                            "retry", "action", "references", "violations"})
        QVERIFY2(o.contains(QLatin1String(key)), key);
}

void TestExplainCommand::jsonStreamMatchesTheWholeExplanation()
{
    // The stream writes cached pieces; they must add up to what toJson says of each reply.
    const QByteArray input = "250 2.1.0 Ok\r\n451 4.7.1 Greylisted\r\n451 4.7.1 Greylisted\r\n550 5.1.1 <a@b>: no\r\n"
                             "250-x\n250 y\r\n";
    const Result r = run({QStringLiteral("--json")}, input);
    const QList<QJsonObject> objects = jsonLines(r.out);
    QCOMPARE(objects.size(), 5);
    QCOMPARE(objects[1], objects[2]);
    QCOMPARE(objects[1].value(QLatin1String("reason")).toString(), QStringLiteral("greylisted"));
    QCOMPARE(objects[3].value(QLatin1String("text")).toArray().at(0).toString(), QStringLiteral("5.1.1 <a@b>: no"));
    QCOMPARE(objects[4].value(QLatin1String("violations")).toArray().size(), 1); // the bare LF
    QCOMPARE(objects[0].value(QLatin1String("violations")).toArray().size(), 0);
    QVERIFY(objects[0].value(QLatin1String("reason")).isNull());
}

void TestExplainCommand::wordsWithoutACodeAreExplained()
{
    const Result r = run({QStringLiteral("Could not deliver for the last 432000 seconds")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains(QLatin1String("reason expired")));
    const Result junk = run({QStringLiteral("hello there")});
    QCOMPARE(junk.exitCode, 1);
    QVERIFY(junk.err.contains(QLatin1String("not an SMTP reply")));
}

void TestExplainCommand::aCodeWithALeadingZeroKeepsItsDigits()
{
    // Found by fuzz_explain: "052" is the number 52, whose digits must not be read past.
    for (const QStringList &args : {QStringList{}, QStringList{QStringLiteral("--json")}, QStringList{QStringLiteral("--brief")}}) {
        const Result r = run(args, "052 5.7.1 blocked using zen.spamhaus.org\r\n");
        QVERIFY2(r.out.contains(QLatin1String("052")), qPrintable(r.out));
    }
    const Result text = run({}, "052 broken\r\n");
    QVERIFY(text.out.contains(QLatin1String("Code 052:")));
    QVERIFY(text.out.contains(QLatin1String("0xx Invalid class 0")));
}

void TestExplainCommand::junkIsReportedBriefly()
{
    QByteArray junk;
    for (int i = 0; i < 5000; ++i)
        junk.append(char((i * 7919) % 256));
    const Result r = run({}, junk);
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.err.count(QLatin1Char('\n')) <= 12); // capped, with a total
}

void TestExplainCommand::binaryExitCodes_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("stdoutHas");
    QTest::newRow("reply") << QStringList{"explain", "550 5.1.1 unknown"} << QByteArray() << 0 << "5.1.1";
    QTest::newRow("stream from stdin") << QStringList{"explain", "--json"} << QByteArray("221 bye\r\n") << 0 << "\"code\":221";
    QTest::newRow("junk on stdin") << QStringList{"explain"} << QByteArray("\x01\x02\x03\n") << 1 << "";
    QTest::newRow("unknown subcommand") << QStringList{"frobnicate"} << QByteArray() << 2 << "";
    QTest::newRow("help") << QStringList{"explain", "--help"} << QByteArray() << 0 << "--after";
}

void TestExplainCommand::binaryExitCodes()
{
    QFETCH(QStringList, args);
    QFETCH(QByteArray, input);
    QFETCH(int, exitCode);
    QFETCH(QString, stdoutHas);
    QProcess process;
    process.start(QStringLiteral(SMTPWB_BINARY), args);
    QVERIFY(process.waitForStarted());
    process.write(input);
    process.closeWriteChannel();
    QVERIFY(process.waitForFinished(20000));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), exitCode);
    QVERIFY(QString::fromUtf8(process.readAllStandardOutput()).contains(stdoutHas));
}

QTEST_GUILESS_MAIN(TestExplainCommand)
#include "tst_explaincommand.moc"
