// `smtpwb lab`: listing, usage errors, and the real binary serving a client until SIGTERM.

#include "labcommand.h"
#include "explaincommand.h"
#include "protocol/replyparser.h"

#include <QProcess>
#include <QRegularExpression>
#include <QTcpSocket>
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

Result run(const QStringList &args)
{
    QString outText, errText;
    QTextStream out(&outText), err(&errText);
    Result r;
    r.exitCode = cli::runLab(QStringList{QStringLiteral("smtpwb"), QStringLiteral("lab")} + args, out, err);
    out.flush();
    err.flush();
    r.out = outText;
    r.err = errText;
    return r;
}
} // namespace

class TestLabCommand : public QObject
{
    Q_OBJECT
private slots:
    void list();
    void usageErrors_data();
    void usageErrors();
    void servesUntilTerminated_data();
    void servesUntilTerminated();
    void chaosFromTheCommandLine();
};


namespace {
// Starts the real binary with `args` and returns the port it listens on (0 on failure).
quint16 startLab(QProcess &process, const QStringList &args, QString &output)
{
    process.start(QStringLiteral(SMTPWB_BINARY), QStringList{"lab", "--port", "0"} + args);
    if (!process.waitForStarted(10000))
        return 0;
    const QRegularExpression listening(QStringLiteral("listening on 127\\.0\\.0\\.1 port (\\d+)"));
    QRegularExpressionMatch match;
    if (!QTest::qWaitFor([&] {
            output += QString::fromUtf8(process.readAllStandardOutput());
            return (match = listening.match(output)).hasMatch();
        }, 20000))
        return 0;
    return quint16(match.captured(1).toUInt());
}

// A client of the lab that collects every reply it reads.
struct LabClient
{
    explicit LabClient(quint16 port)
    {
        QObject::connect(&socket, &QTcpSocket::readyRead, &socket, [this] {
            parser.feed(socket.readAll());
            replies.append(parser.takeReplies());
        });
        socket.connectToHost(QHostAddress::LocalHost, port);
    }
    QTcpSocket socket;
    ReplyParser parser;
    QList<Reply> replies;
};
} // namespace

void TestLabCommand::list()
{
    const Result r = run({QStringLiteral("--list")});
    QCOMPARE(r.exitCode, int(cli::ExitOk));
    QVERIFY(r.out.contains(QRegularExpression(QStringLiteral("^greylisting +Greylisting"), QRegularExpression::MultilineOption)));
    QCOMPARE(r.out.count(QLatin1Char('\n')), 22);
}

void TestLabCommand::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown scenario") << QStringList{"--scenario", "no-such-thing"} << int(cli::ExitBadInput) << "neither a built-in";
    QTest::newRow("bad port") << QStringList{"--port", "70000"} << int(cli::ExitUsage) << "--port";
    QTest::newRow("bad address") << QStringList{"--listen", "somewhere"} << int(cli::ExitUsage) << "--listen";
    QTest::newRow("unknown option") << QStringList{"--frobnicate"} << int(cli::ExitUsage) << "frobnicate";
    QTest::newRow("a fault that does not read") << QStringList{"--chaos", "RCPT:hello"} << int(cli::ExitUsage) << "RCPT:hello";
    QTest::newRow("seed zero") << QStringList{"--seed", "0"} << int(cli::ExitUsage) << "--seed";
    QTest::newRow("no bandwidth") << QStringList{"--bandwidth", "0"} << int(cli::ExitUsage) << "--bandwidth";
}

void TestLabCommand::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    const Result r = run(args);
    QCOMPARE(r.exitCode, exitCode);
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
}

void TestLabCommand::servesUntilTerminated_data()
{
    QTest::addColumn<QString>("scenario");   // a name, or "file" for a teacher's file
    QTest::addColumn<QString>("expected");   // in the greeting
    QTest::newRow("built-in greylisting") << "greylisting" << "scenario greylisting";
    QTest::newRow("a teacher's file") << "file" << "Welcome to Friday's class";
}

void TestLabCommand::servesUntilTerminated()
{
    QFETCH(QString, scenario);
    QFETCH(QString, expected);
    QTemporaryFile file;
    if (scenario == QLatin1String("file")) {
        QVERIFY(file.open());
        file.write(R"({"name": "friday", "greeting": "Welcome to Friday's class"})");
        file.close();
        scenario = file.fileName();
    }
    QProcess process;
    QString output;
    const quint16 port = startLab(process, {"--scenario", scenario}, output);
    QVERIFY(port != 0);

    LabClient client(port);
    QTcpSocket &socket = client.socket;
    QList<Reply> &replies = client.replies;
    QTRY_COMPARE_WITH_TIMEOUT(replies.size(), 1, 20000);
    QCOMPARE(replies.first().code, 220);
    QVERIFY2(replies.first().text().contains(expected), qPrintable(replies.first().text()));
    socket.write("QUIT\r\n");
    QTRY_COMPARE_WITH_TIMEOUT(replies.size(), 2, 20000);
    QCOMPARE(replies.at(1).code, 221);
    QTRY_VERIFY_WITH_TIMEOUT((output += QString::fromUtf8(process.readAllStandardOutput()),
                              output.contains(QLatin1String("disconnected: 127.0.0.1:"))), 20000);
    QVERIFY(output.contains(QLatin1String("connected: 127.0.0.1:")));

    process.terminate();   // SIGTERM: the command must stop cleanly, exit status 0
    QVERIFY(process.waitForFinished(20000));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 0);
    output += QString::fromUtf8(process.readAllStandardOutput());
    QVERIFY2(output.contains(QLatin1String("stopped")), qPrintable(output));
}

void TestLabCommand::chaosFromTheCommandLine()
{
    QProcess process;
    QString output;
    const quint16 port = startLab(process, {"--chaos", "RCPT:451", "--seed", "5", "--transcript"}, output);
    QVERIFY(port != 0);
    QVERIFY2(output.contains(QLatin1String("faults RCPT:451, seed 5")), qPrintable(output));
    LabClient client(port);
    QTcpSocket &socket = client.socket;
    QList<Reply> &replies = client.replies;
    QTRY_COMPARE_WITH_TIMEOUT(replies.size(), 1, 20000);
    socket.write("EHLO c\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<alice@lab.test>\r\nQUIT\r\n");
    QTRY_COMPARE_WITH_TIMEOUT(replies.size(), 5, 20000);
    QCOMPARE(replies.at(3).code, 451);
    QTRY_VERIFY_WITH_TIMEOUT((output += QString::fromUtf8(process.readAllStandardOutput()),
                              output.contains(QLatin1String("fault injected: RCPT:451"))), 20000);
    process.terminate();
    QVERIFY(process.waitForFinished(20000));
    QCOMPARE(process.exitCode(), 0);
}

QTEST_GUILESS_MAIN(TestLabCommand)
#include "tst_labcommand.moc"
