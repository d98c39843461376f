// LabSession without a socket: a client's bytes in, the server's replies out, as the
// fuzzer drives it. The protocol is the same one the socket tests meet.

#include "lab/labfaults.h"
#include "lab/labgreylist.h"
#include "lab/labscenario.h"
#include "lab/labsession.h"
#include "labwire.h"

#include <QCoreApplication>
#include <QTest>

using namespace smtp;

namespace {

LabScenario scenario(const QString &name)
{
    for (const LabScenario &s : LabScenario::builtIn())
        if (s.name == name)
            return s;
    return LabScenario::builtIn().value(0);
}

// The reply codes, in order, of what the server wrote.
QList<int> codes(const QByteArray &out)
{
    QList<int> list;
    for (const QByteArray &line : out.split('\n'))
        if (line.size() >= 4 && line[3] == ' ')
            list.append(line.left(3).toInt());
    return list;
}

QByteArray converse(const LabScenario &s, const QByteArray &client, quint32 connection = 1)
{
    LabWire wire(client);
    LabGreylist greylist(0);
    LabSession session(&wire, s, &greylist);
    session.seedFaults(s.seed, connection);
    session.start();
    session.readAvailable();
    return wire.out;
}

QByteArray converse(const QString &name, const QByteArray &client)
{
    return converse(scenario(name), client);
}

LabScenario withFaults(const QString &spec, quint32 seed = 0)
{
    LabScenario s = scenario(QStringLiteral("all-good"));
    s.faults = *parseFaults(spec, nullptr);
    s.seed = seed;
    return s;
}

QByteArray manyRecipients(int n)
{
    QByteArray client = "EHLO c\r\nMAIL FROM:<a@example.com>\r\n";
    for (int i = 0; i < n; ++i)
        client += "RCPT TO:<alice@lab.test>\r\n";
    return client;
}

} // namespace

class TestLabSession : public QObject
{
    Q_OBJECT
private slots:
    void aWholePipelinedSession();
    void unknownRecipientStillDelivers();
    void hostileBytesGetRepliesNotCrashes();
    void aCertainFaultAnswersEveryTime();
    void aFaultOfNoChanceNeverComes();
    void theSameSeedReplaysTheSameRun();
    void aDropClosesWithoutAReply();
    void aFaultAfterTheDotRefusesTheMessage();
    void aFaultedGreetingOf421Closes();
    void onlyCrLfDotCrLfEndsAMessage();
    void theSmugglingFlawEndsAtABareLf();
    void theInjectionFlawSendsAnExtraReply();
    void aClientThatNeverReadsIsHeldBack();
};

void TestLabSession::aWholePipelinedSession()
{
    const QByteArray out = converse(QStringLiteral("all-good"),
                                    "EHLO client.example\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<alice@lab.test>\r\n"
                                    "DATA\r\nSubject: hi\r\n\r\n..a dot\r\n.\r\nQUIT\r\n");
    QCOMPARE(codes(out), (QList<int>{220, 250, 250, 250, 354, 250, 221}));
}

void TestLabSession::unknownRecipientStillDelivers()
{
    const QByteArray out = converse(QStringLiteral("unknown-user"),
                                    "EHLO c\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<nobody@lab.test>\r\n"
                                    "RCPT TO:<alice@lab.test>\r\nDATA\r\nhi\r\n.\r\n");
    QCOMPARE(codes(out), (QList<int>{220, 250, 250, 550, 250, 354, 250}));
}

void TestLabSession::hostileBytesGetRepliesNotCrashes()
{
    const QByteArray out = converse(QStringLiteral("all-good"),
                                    QByteArray("EHLO \x1b[2J\x00\r\nMAIL FROM:<\xff\xfe>\r\n", 26) + QByteArray(70000, 'A')
                                        + "\r\nQUIT\r\n");
    QVERIFY(out.startsWith("220 "));
    QVERIFY(out.endsWith("\r\n"));
    QVERIFY(!out.contains('\x1b')); // the client's escape is never echoed raw
}

void TestLabSession::aCertainFaultAnswersEveryTime()
{
    const QByteArray out = converse(withFaults(QStringLiteral("RCPT:451")), manyRecipients(3));
    QCOMPARE(codes(out), (QList<int>{220, 250, 250, 451, 451, 451}));
    QVERIFY(out.contains("451 4.3.0 Requested action aborted"));
    QVERIFY(out.contains("a fault the practice server was asked to inject"));
}

void TestLabSession::aFaultOfNoChanceNeverComes()
{
    const QByteArray out = converse(withFaults(QStringLiteral("RCPT:451:0")), manyRecipients(20));
    QCOMPARE(codes(out).count(451), 0);
    QCOMPARE(codes(out).count(250), 22);
}

void TestLabSession::theSameSeedReplaysTheSameRun()
{
    const QByteArray client = manyRecipients(60);
    const QByteArray first = converse(withFaults(QStringLiteral("RCPT:451:30"), 7), client);
    QCOMPARE(converse(withFaults(QStringLiteral("RCPT:451:30"), 7), client), first);
    const int refused = int(codes(first).count(451));
    QVERIFY2(refused > 5 && refused < 35, qPrintable(QString::number(refused))); // about 30 % of 60
    // Another seed, or another connection of the same run, rolls other dice.
    QVERIFY(converse(withFaults(QStringLiteral("RCPT:451:30"), 8), client) != first);
    QVERIFY(converse(withFaults(QStringLiteral("RCPT:451:30"), 7), client, 2) != first);
}

void TestLabSession::aDropClosesWithoutAReply()
{
    const QByteArray out = converse(withFaults(QStringLiteral("MAIL:drop")),
                                    "EHLO c\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<alice@lab.test>\r\n");
    QCOMPARE(codes(out), (QList<int>{220, 250})); // nothing after EHLO's reply: the line went dead
}

void TestLabSession::aFaultAfterTheDotRefusesTheMessage()
{
    const QByteArray out = converse(withFaults(QStringLiteral("DATA_END:552")),
                                    "EHLO c\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<alice@lab.test>\r\n"
                                    "DATA\r\nhi\r\n.\r\nMAIL FROM:<a@example.com>\r\n");
    QCOMPARE(codes(out), (QList<int>{220, 250, 250, 250, 354, 552, 250})); // refused, and the session goes on
}

void TestLabSession::aFaultedGreetingOf421Closes()
{
    const QByteArray out = converse(withFaults(QStringLiteral("CONNECT:421")), "EHLO c\r\n");
    QCOMPARE(codes(out), (QList<int>{421}));
}

namespace {
// One message whose body holds a bare-LF dot line and, behind it, a second, forged one.
const QByteArray smuggled = "EHLO c\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<alice@lab.test>\r\nDATA\r\n"
                            "Subject: one\r\n\r\nhello\n.\nMAIL FROM:<ceo@bank.example>\r\nRCPT TO:<alice@lab.test>\r\n"
                            "DATA\r\nSubject: forged\r\n\r\npay\r\n.\r\n";
} // namespace

void TestLabSession::onlyCrLfDotCrLfEndsAMessage()
{
    // One message: the bare-LF dot and the "commands" after it are its text.
    QCOMPARE(codes(converse(QStringLiteral("all-good"), smuggled)), (QList<int>{220, 250, 250, 250, 354, 250}));
    // <LF>.<CR><LF> does not end it either.
    const QByteArray lfThenDot = "EHLO c\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<alice@lab.test>\r\nDATA\r\nhi\n.\r\nNOOP\r\n";
    QCOMPARE(codes(converse(QStringLiteral("all-good"), lfThenDot)), (QList<int>{220, 250, 250, 250, 354}));
}

void TestLabSession::theSmugglingFlawEndsAtABareLf()
{
    // Two messages where the sender meant one: the forged one is accepted too.
    QCOMPARE(codes(converse(QStringLiteral("smuggling-lf"), smuggled)),
             (QList<int>{220, 250, 250, 250, 354, 250, 250, 250, 354, 250}));
}

void TestLabSession::theInjectionFlawSendsAnExtraReply()
{
    // Socketless there is no TLS, so STARTTLS is refused; the flaw needs a socket (tst_labserver).
    LabScenario s = scenario(QStringLiteral("starttls-injection"));
    QVERIFY(s.hasFlaw(QStringLiteral("starttls-injection")));
    QCOMPARE(codes(converse(s, "EHLO c\r\nSTARTTLS\r\n")), (QList<int>{220, 250, 502}));
}

namespace {
// A client that reads nothing: everything the server wrote stays unsent until drain().
class DeafWire : public LabWire
{
public:
    using LabWire::LabWire;
    qint64 bytesToWrite() const override { return out.size() - m_drained; }
    void drain()
    {
        m_drained = out.size();
        emit bytesWritten(0);
    }

private:
    qint64 m_drained = 0;
};
} // namespace

void TestLabSession::aClientThatNeverReadsIsHeldBack()
{
    QByteArray client = "EHLO c\r\n";
    for (int i = 0; i < 100000; ++i)
        client += "NOOP\r\n";
    DeafWire wire(client);
    LabGreylist greylist(0);
    LabSession session(&wire, scenario(QStringLiteral("all-good")), &greylist);
    session.start();
    session.readAvailable();
    // Answered up to the bound of unsent replies, then reading stopped: memory stays flat.
    const int first = int(codes(wire.out).size());
    QVERIFY2(first > 1000 && first < 20000, qPrintable(QString::number(first)));
    QVERIFY(wire.out.size() < 512 * 1024);
    // As the replies leave, it goes on, and in the end every NOOP has its answer.
    for (int round = 0; round < 200 && codes(wire.out).size() < 100002; ++round) {
        wire.drain();
        QCoreApplication::processEvents();
    }
    QCOMPARE(int(codes(wire.out).size()), 100002); // greeting, EHLO, 100,000 NOOPs
}

QTEST_GUILESS_MAIN(TestLabSession)
#include "tst_labsession.moc"
