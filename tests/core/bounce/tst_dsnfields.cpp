#include "bounce/dsnfields.h"

#include <QTest>

using namespace smtp;

class TestDsnFields : public QObject
{
    Q_OBJECT
private slots:
    void groups_data();
    void groups();
    void foldedValue();
    void typeStripped_data();
    void typeStripped();
};

void TestDsnFields::groups_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("perMessage");
    QTest::addColumn<int>("recipients");
    QTest::newRow("one recipient") << "Reporting-MTA: dns; a.example\n\nFinal-Recipient: rfc822; b@x.example\nAction: failed\nStatus: 5.1.1\n"
                                   << 1 << 1;
    QTest::newRow("two recipients") << "Reporting-MTA: dns; a\n\nFinal-Recipient: rfc822; b@x\nStatus: 5.1.1\n\nFinal-Recipient: rfc822; c@x\nStatus: 4.2.2\n"
                                    << 1 << 2;
    QTest::newRow("no blank line between recipients") << "Final-Recipient: rfc822; b@x\nStatus: 5.1.1\nFinal-Recipient: rfc822; c@x\nStatus: 5.1.1\n"
                                                      << 0 << 2;
    QTest::newRow("CRLF") << "Reporting-MTA: dns; a\r\n\r\nFinal-Recipient: rfc822; b@x\r\nStatus: 5.1.1\r\n" << 1 << 1;
    QTest::newRow("not fields") << "hello world\nthis is text\n" << 0 << 0;
}

void TestDsnFields::groups()
{
    QFETCH(QString, text);
    const DsnFields fields = DsnFields::parse(text);
    QTEST(int(fields.perMessage.size()), "perMessage");
    QTEST(int(fields.perRecipient.size()), "recipients");
}

void TestDsnFields::foldedValue()
{
    const DsnFields fields = DsnFields::parse(QStringLiteral(
        "Final-Recipient: rfc822; b@x\nDiagnostic-Code: smtp; 550 5.1.1 <b@x>:\n    user unknown\n"));
    QCOMPARE(DsnFields::value(fields.perRecipient.first(), u"diagnostic-code"),
             QStringLiteral("smtp; 550 5.1.1 <b@x>: user unknown"));
}

void TestDsnFields::typeStripped_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("stripped");
    QTest::newRow("rfc822") << "rfc822; bob@example.com" << "rfc822" << "bob@example.com";
    QTest::newRow("upper case") << "RFC822;bob@example.com" << "rfc822" << "bob@example.com";
    QTest::newRow("no type") << "bob@example.com" << "" << "bob@example.com";
}

void TestDsnFields::typeStripped()
{
    QFETCH(QString, value);
    QTEST(DsnFields::typeOf(value), "type");
    QTEST(DsnFields::stripType(value), "stripped");
}

QTEST_GUILESS_MAIN(TestDsnFields)
#include "tst_dsnfields.moc"
