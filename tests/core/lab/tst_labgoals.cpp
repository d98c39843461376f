// Exercises: which facts reach which goal, and what a scenario file may not say.

#include "lab/labgoals.h"

#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using namespace smtp;

namespace {
LabGoal goal(const char *json)
{
    QString error;
    const auto g = LabGoal::fromJson(QJsonDocument::fromJson(json).object(), 0, &error);
    if (!g)
        qFatal("%s", qPrintable(error));
    return *g;
}

LabMessage delivery(const QStringList &to, bool tls = false, const QString &user = {})
{
    LabMessage m;
    m.recipients = to;
    m.tls = tls;
    m.user = user;
    return m;
}
} // namespace

class TestLabGoals : public QObject
{
    Q_OBJECT
private slots:
    void reached();
    void invalid_data();
    void invalid();
    void progressPerClientInOrder();
};

void TestLabGoals::reached()
{
    LabFacts facts;
    const LabGoal ehlo = goal(R"({"id": "a", "title": "t", "command": "EHLO"})");
    QVERIFY(!ehlo.reachedBy(facts, nullptr));
    facts.verbs.insert(QStringLiteral("EHLO"));
    QVERIFY(ehlo.reachedBy(facts, nullptr));

    const LabGoal refused = goal(R"({"id": "a", "title": "t", "replyCode": 550})");
    QVERIFY(!refused.reachedBy(facts, nullptr));
    facts.codesSent.insert(550);
    QVERIFY(refused.reachedBy(facts, nullptr));

    const LabGoal secure = goal(R"({"id": "a", "title": "t", "delivered": true, "to": ["bob@lab.test"], "tls": true, "authenticated": true})");
    QVERIFY(!secure.reachedBy(facts, nullptr)); // no delivery yet
    const LabMessage plainToBob = delivery({"bob@lab.test"});
    const LabMessage tlsToBob = delivery({"bob@lab.test"}, true);
    const LabMessage secureToAlice = delivery({"alice@lab.test"}, true, "alice");
    const LabMessage secureToBoth = delivery({"alice@lab.test", "BOB@lab.test"}, true, "alice");
    QVERIFY(!secure.reachedBy(facts, &plainToBob));
    QVERIFY(!secure.reachedBy(facts, &tlsToBob));
    QVERIFY(!secure.reachedBy(facts, &secureToAlice));
    QVERIFY(secure.reachedBy(facts, &secureToBoth));

    LabMessage m = delivery({"carol@lab.test"});
    m.mailParameters = {QStringLiteral("BODY=8BITMIME"), QStringLiteral("SIZE=120")};
    m.rcptParameters = {QStringLiteral("NOTIFY=SUCCESS,FAILURE")};
    QVERIFY(goal(R"({"id": "a", "title": "t", "delivered": true, "mailParameters": ["BODY=8BITMIME", "SIZE"]})").reachedBy(facts, &m));
    QVERIFY(!goal(R"({"id": "a", "title": "t", "delivered": true, "mailParameters": ["BODY=7BIT"]})").reachedBy(facts, &m));
    QVERIFY(goal(R"({"id": "a", "title": "t", "delivered": true, "rcptParameters": ["notify"]})").reachedBy(facts, &m));
    QVERIFY(!goal(R"({"id": "a", "title": "t", "delivered": true, "pipelined": true})").reachedBy(facts, &m));
    m.pipelined = true;
    QVERIFY(goal(R"({"id": "a", "title": "t", "delivered": true, "pipelined": true})").reachedBy(facts, &m));
}

void TestLabGoals::invalid_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("why");
    QTest::newRow("no id") << QByteArray(R"({"title": "t", "command": "EHLO"})") << "\"id\" and \"title\"";
    QTest::newRow("no condition") << QByteArray(R"({"id": "a", "title": "t"})") << "at least one condition";
    QTest::newRow("a typo") << QByteArray(R"({"id": "a", "title": "t", "comand": "EHLO"})") << "unknown key \"comand\"";
    QTest::newRow("recipients without a delivery") << QByteArray(R"({"id": "a", "title": "t", "to": ["x@lab.test"]})")
                                                   << "\"delivered\": true";
}

void TestLabGoals::invalid()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, why);
    QString error;
    QVERIFY(!LabGoal::fromJson(QJsonDocument::fromJson(json).object(), 0, &error));
    QVERIFY2(error.contains(why), qPrintable(error));
}

void TestLabGoals::progressPerClientInOrder()
{
    LabProgress progress;
    progress.setGoals({goal(R"({"id": "hello", "title": "Say hello", "command": "EHLO"})"),
                       goal(R"({"id": "refused", "title": "Be refused", "replyCode": 550})")});
    QSignalSpy reached(&progress, &LabProgress::goalReached);
    LabFacts facts;
    facts.verbs.insert(QStringLiteral("EHLO"));
    progress.check(QStringLiteral("192.0.2.1"), facts);
    progress.check(QStringLiteral("192.0.2.1"), facts); // reached once, not twice
    QCOMPARE(reached.size(), 1);
    progress.noteReply(QStringLiteral("192.0.2.2"), 550); // another student, another connection
    progress.check(QStringLiteral("192.0.2.2"), LabFacts());
    QCOMPARE(progress.reached(QStringLiteral("192.0.2.1")), QStringList{"hello"});
    QCOMPARE(progress.reached(QStringLiteral("192.0.2.2")), QStringList{"refused"});
    QCOMPARE(progress.summary(QStringLiteral("192.0.2.1")), QStringLiteral("192.0.2.1: 1 of 2 (hello)"));
    QCOMPARE(progress.summary(QStringLiteral("198.51.100.1")), QStringLiteral("198.51.100.1: 0 of 2"));
}

QTEST_GUILESS_MAIN(TestLabGoals)
#include "tst_labgoals.moc"
