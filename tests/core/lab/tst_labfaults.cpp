// The faults' spec: what reads, what does not and why, and that it reads back.

#include "lab/labfaults.h"

#include <QTest>

using namespace smtp;

class TestLabFaults : public QObject
{
    Q_OBJECT
private slots:
    void valid_data();
    void valid();
    void invalid_data();
    void invalid();
    void repliesCarryAFittingEnhancedCode();
    void anyCommandIsNotTheGreeting();
};

void TestLabFaults::valid_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("canonical");
    QTest::addColumn<int>("count");
    QTest::newRow("reply, every time") << "DATA_END:552" << "DATA_END:552" << 1;
    QTest::newRow("reply with a chance") << "rcpt:451:10" << "RCPT:451:10" << 1;
    QTest::newRow("fixed delay") << "MAIL:delay=2000" << "MAIL:delay=2000" << 1;
    QTest::newRow("delay range with a chance") << "DATA:delay=500-3000:50" << "DATA:delay=500-3000:50" << 1;
    QTest::newRow("drop") << "EHLO:drop:5" << "EHLO:drop:5" << 1;
    QTest::newRow("every command") << "*:421:1" << "*:421:1" << 1;
    QTest::newRow("several, spaces and a stray comma") << " RCPT:451:10 , DATA_END:552:5,"
                                                      << "RCPT:451:10,DATA_END:552:5" << 2;
    QTest::newRow("nothing") << "" << "" << 0;
}

void TestLabFaults::valid()
{
    QFETCH(QString, spec);
    QString error;
    const auto faults = parseFaults(spec, &error);
    QVERIFY2(faults, qPrintable(error));
    QTEST(int(faults->size()), "count");
    QTEST(faultsSpec(*faults), "canonical");
    QCOMPARE(*parseFaults(faultsSpec(*faults), nullptr), *faults); // reads back the same
}

void TestLabFaults::invalid_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("why");
    QTest::newRow("no what") << "RCPT" << "STAGE:WHAT";
    QTest::newRow("too many parts") << "RCPT:451:10:3" << "STAGE:WHAT";
    QTest::newRow("a success is no fault") << "RCPT:250" << "from 400 to 599";
    QTest::newRow("not a code") << "RCPT:soon" << "from 400 to 599";
    QTest::newRow("chance over 100") << "RCPT:451:101" << "from 0 to 100";
    QTest::newRow("negative chance") << "RCPT:451:-1" << "from 0 to 100";
    QTest::newRow("delay backwards") << "DATA:delay=3000-500" << "MIN-MAX";
    QTest::newRow("delay too long") << "DATA:delay=700000" << "600000";
    QTest::newRow("stage with a space") << "RC PT:451" << "the stage";
    QTest::newRow("second item bad") << "RCPT:451,MAIL:x" << "MAIL:x";
}

void TestLabFaults::invalid()
{
    QFETCH(QString, spec);
    QFETCH(QString, why);
    QString error;
    QVERIFY(!parseFaults(spec, &error));
    QVERIFY2(error.contains(why), qPrintable(error));
}

void TestLabFaults::repliesCarryAFittingEnhancedCode()
{
    QVERIFY(faultReply(451).startsWith(QLatin1String("451 4.3.0 ")));
    QVERIFY(faultReply(552).startsWith(QLatin1String("552 5.3.4 ")));
    QVERIFY(faultReply(599).startsWith(QLatin1String("599 5.0.0 ")));
    QVERIFY(faultReply(421).contains(QLatin1String("asked to inject")));
}

void TestLabFaults::anyCommandIsNotTheGreeting()
{
    const LabFault any = parseFaults(QStringLiteral("*:451"), nullptr)->first();
    QVERIFY(any.appliesTo(QStringLiteral("RCPT")));
    QVERIFY(any.appliesTo(QStringLiteral("DATA_END")));
    QVERIFY(!any.appliesTo(QStringLiteral("CONNECT")));
}

QTEST_GUILESS_MAIN(TestLabFaults)
#include "tst_labfaults.moc"
