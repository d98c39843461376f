#include "protocol/enhancedstatus.h"

#include <QTest>

using smtp::EnhancedStatus;

class TestEnhancedStatus : public QObject
{
    Q_OBJECT
private slots:
    void parse_data();
    void parse();
    void keys();
};

void TestEnhancedStatus::parse_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<int>("klass");
    QTest::addColumn<int>("subject");
    QTest::addColumn<int>("detail");

    QTest::newRow("user unknown") << "5.1.1" << true << 5 << 1 << 1;
    QTest::newRow("success") << "2.0.0" << true << 2 << 0 << 0;
    QTest::newRow("temporary") << "4.7.1" << true << 4 << 7 << 1;
    QTest::newRow("three-digit detail") << "5.7.606" << true << 5 << 7 << 606;
    QTest::newRow("three-digit subject") << "4.999.999" << true << 4 << 999 << 999;
    QTest::newRow("class 3 does not exist") << "3.1.1" << false << 0 << 0 << 0;
    QTest::newRow("class 6") << "6.1.1" << false << 0 << 0 << 0;
    QTest::newRow("leading zero in subject") << "5.01.1" << false << 0 << 0 << 0;
    QTest::newRow("leading zero in detail") << "5.1.01" << false << 0 << 0 << 0;
    QTest::newRow("four-digit detail") << "5.1.1000" << false << 0 << 0 << 0;
    QTest::newRow("missing detail") << "5.1." << false << 0 << 0 << 0;
    QTest::newRow("two parts") << "5.1" << false << 0 << 0 << 0;
    QTest::newRow("trailing text") << "5.1.1x" << false << 0 << 0 << 0;
    QTest::newRow("empty") << "" << false << 0 << 0 << 0;
    QTest::newRow("letters") << "a.b.c" << false << 0 << 0 << 0;
    QTest::newRow("a run of digits past any int (found by fuzz_replyparser under UBSan)")
        << "4.7.33333333333333333333333333333333333333331" << false << 0 << 0 << 0;
    QTest::newRow("a long subject") << "5.99999999999.1" << false << 0 << 0 << 0;
}

void TestEnhancedStatus::parse()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    const auto status = EnhancedStatus::parse(text);
    QCOMPARE(status.has_value(), valid);
    if (valid) {
        QFETCH(int, klass);
        QFETCH(int, subject);
        QFETCH(int, detail);
        QCOMPARE(*status, (EnhancedStatus{klass, subject, detail}));
        QCOMPARE(status->toString(), text);
    }
}

void TestEnhancedStatus::keys()
{
    QCOMPARE((EnhancedStatus{4, 2, 2}).registryKey(), QStringLiteral("X.2.2"));
    QVERIFY((EnhancedStatus{4, 2, 2}) != (EnhancedStatus{5, 2, 2}));
}

QTEST_APPLESS_MAIN(TestEnhancedStatus)
#include "tst_enhancedstatus.moc"
