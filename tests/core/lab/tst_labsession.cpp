// LabSession without a socket: a client's bytes in, the server's replies out, as the
// fuzzer drives it. The protocol is the same one the socket tests meet.

#include "lab/labgreylist.h"
#include "lab/labscenario.h"
#include "lab/labsession.h"
#include "labwire.h"

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

QByteArray converse(const QString &name, const QByteArray &client)
{
    LabWire wire(client);
    LabGreylist greylist(0);
    LabSession session(&wire, scenario(name), &greylist);
    session.start();
    session.readAvailable();
    return wire.out;
}

} // namespace

class TestLabSession : public QObject
{
    Q_OBJECT
private slots:
    void aWholePipelinedSession();
    void unknownRecipientStillDelivers();
    void hostileBytesGetRepliesNotCrashes();
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

QTEST_GUILESS_MAIN(TestLabSession)
#include "tst_labsession.moc"
