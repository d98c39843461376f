#include "protocol/datatransfer.h"

#include <QTest>

using namespace smtp;

class TestDataTransfer : public QObject
{
    Q_OBJECT
private slots:
    void encode_data();
    void encode();
};

void TestDataTransfer::encode_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<QByteArray>("wire");
    QTest::newRow("CRLF kept") << QByteArray("a\r\nb\r\n") << QByteArray("a\r\nb\r\n.\r\n");
    QTest::newRow("LF becomes CRLF") << QByteArray("a\nb\n") << QByteArray("a\r\nb\r\n.\r\n");
    QTest::newRow("bare CR becomes CRLF") << QByteArray("a\rb") << QByteArray("a\r\nb\r\n.\r\n");
    QTest::newRow("missing final line end added") << QByteArray("a") << QByteArray("a\r\n.\r\n");
    QTest::newRow("leading dot doubled") << QByteArray(".hidden\n.\n..two") << QByteArray("..hidden\r\n..\r\n...two\r\n.\r\n");
    QTest::newRow("dot inside a line untouched") << QByteArray("a.b\n") << QByteArray("a.b\r\n.\r\n");
    QTest::newRow("first line dot") << QByteArray(".") << QByteArray("..\r\n.\r\n");
    QTest::newRow("empty message") << QByteArray() << QByteArray(".\r\n");
}

void TestDataTransfer::encode()
{
    QFETCH(QByteArray, message);
    QFETCH(QByteArray, wire);
    QCOMPARE(encodeForData(message), wire);
    // What a server un-stuffs is the message with CRLF line ends.
    QByteArray normalised = message;
    normalised.replace("\r\n", "\n").replace('\r', '\n').replace("\n", "\r\n");
    if (!normalised.isEmpty() && !normalised.endsWith("\r\n"))
        normalised += "\r\n";
    QCOMPARE(decodeFromData(wire), normalised);
}

QTEST_APPLESS_MAIN(TestDataTransfer)
#include "tst_datatransfer.moc"
