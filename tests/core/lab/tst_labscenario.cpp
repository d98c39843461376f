// Scenarios: the built-in set, and a teacher's own file read strictly.

#include "lab/labscenario.h"

#include <QTemporaryFile>
#include <QTest>

using namespace smtp;

class TestLabScenario : public QObject
{
    Q_OBJECT
private slots:
    void builtInSet();
    void builtInHaveTheirPoint_data();
    void builtInHaveTheirPoint();
    void teacherFile();
    void badFiles_data();
    void badFiles();
    void missing();
    void faultsInAFile();
};

void TestLabScenario::builtInSet()
{
    const QList<LabScenario> scenarios = LabScenario::builtIn();
    QStringList names;
    for (const LabScenario &s : scenarios) {
        names.append(s.name);
        QVERIFY2(!s.title.isEmpty() && !s.description.isEmpty() && !s.teaches.isEmpty(), qPrintable(s.name));
        QCOMPARE(LabScenario::load(s.name), std::optional<LabScenario>(s));
    }
    const QStringList expected = {"all-good", "auth-plaintext", "auth-required", "broken-server", "course", "flaky-server",
                                  "greylisting", "mailbox-full", "message-too-big", "null-mx", "open-relay",
                                  "rate-limit", "relay-denied", "sender-policy", "slow-server", "smuggling-lf",
                                  "starttls-buffering", "starttls-injection", "starttls-required", "starttls-stripped",
                                  "unknown-user", "user-enumeration"};
    QCOMPARE(names, expected);
}

void TestLabScenario::builtInHaveTheirPoint_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("holds");
    auto get = [](const char *name) { return *LabScenario::load(QString::fromLatin1(name)); };
    QTest::newRow("greylisting waits 5 s") << "greylisting" << (get("greylisting").greylistSeconds == 5);
    QTest::newRow("message-too-big: 1000000") << "message-too-big" << (get("message-too-big").maxSize == 1000000);
    QTest::newRow("starttls-required") << "starttls-required" << get("starttls-required").requireTls;
    QTest::newRow("auth-required, AUTH after TLS only")
        << "auth-required" << (get("auth-required").requireAuth && !get("auth-required").allowPlainAuth);
    QTest::newRow("demo accounts") << "all-good"
                                   << get("all-good").accounts.contains(LabAccount{"alice", "wonderland"});
    QTest::newRow("slow-server delays") << "slow-server"
                                        << (get("slow-server").greetingDelayMs > 0 && get("slow-server").replyDelayMs > 0);
    QTest::newRow("rate-limit limits") << "rate-limit" << (get("rate-limit").maxMessages > 0 && get("rate-limit").maxCommands > 0);
    QTest::newRow("unknown-user lists its mailboxes") << "unknown-user" << get("unknown-user").mailboxes.contains("alice@lab.test");
    QTest::newRow("flaky-server: faults with a seed")
        << "flaky-server" << (get("flaky-server").faults.size() == 3 && get("flaky-server").seed == 2026);
    QTest::newRow("flaws are each their own scenario")
        << "smuggling-lf"
        << (get("smuggling-lf").hasFlaw("smuggling-lf") && get("starttls-buffering").hasFlaw("starttls-buffering")
            && get("starttls-injection").hasFlaw("starttls-injection") && get("all-good").flaws.isEmpty());
    QTest::newRow("starttls-stripped offers no STARTTLS")
        << "starttls-stripped" << (!get("starttls-stripped").hasCapability("STARTTLS") && get("starttls-stripped").hasCapability("XXXXXXXA"));
    QTest::newRow("every capability by default")
        << "all-good" << (get("all-good").capabilities.size() == 9 && get("all-good").hasCapability("chunking"));
}

void TestLabScenario::builtInHaveTheirPoint()
{
    QFETCH(bool, holds);
    QVERIFY(holds);
}

void TestLabScenario::teacherFile()
{
    QTemporaryFile file;
    QVERIFY(file.open());
    file.write(R"({
        "name": "my-class", "title": "Friday's exercise", "description": "d", "teaches": "t",
        "domains": ["school.example"], "mailboxes": ["ann@school.example"],
        "accounts": [{"user": "ann", "password": "secret"}],
        "capabilities": ["PIPELINING", "SIZE", "ENHANCEDSTATUSCODES"], "maxSize": 5000,
        "rules": [{"command": "rcpt", "match": "^boss@", "reply": "450 4.2.1 Try later", "delayMs": 100}]
    })");
    file.close();
    QString error;
    const auto s = LabScenario::load(file.fileName(), &error);
    QVERIFY2(s, qPrintable(error));
    QCOMPARE(s->name, QStringLiteral("my-class"));
    QCOMPARE(s->accounts, (QList<LabAccount>{{"ann", "secret"}}));
    QCOMPARE(s->maxSize, 5000);
    QVERIFY(!s->hasCapability("STARTTLS"));
    QCOMPARE(s->rules.size(), 1);
    QCOMPARE(s->rules.first().command, QStringLiteral("RCPT"));
    QCOMPARE(s->rules.first().delayMs, 100);
    QCOMPARE(s->greeting.isEmpty(), false);
}

void TestLabScenario::badFiles_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("error");   // a part of the message
    QTest::newRow("not JSON") << QByteArray("{name: x") << "not valid JSON";
    QTest::newRow("not an object") << QByteArray("[1]") << "JSON object";
    QTest::newRow("no name") << QByteArray(R"({"title": "x"})") << "\"name\" is missing";
    QTest::newRow("typo in a key") << QByteArray(R"({"name": "x", "greylistSecond": 5})") << "unknown key \"greylistSecond\"";
    QTest::newRow("bad regular expression")
        << QByteArray(R"({"name": "x", "rules": [{"command": "RCPT", "match": "(", "reply": "550 no"}]})") << "regular expression";
    QTest::newRow("reply without a code")
        << QByteArray(R"({"name": "x", "rules": [{"command": "RCPT", "reply": "no way"}]})") << "code from 200 to 599";
    QTest::newRow("rule without command") << QByteArray(R"({"name": "x", "rules": [{"reply": "550 no"}]})") << "\"command\" is missing";
    QTest::newRow("huge maxSize") << QByteArray(R"({"name": "x", "maxSize": 1e12})") << "maxSize";
    QTest::newRow("negative delay") << QByteArray(R"({"name": "x", "replyDelayMs": -5})") << "replyDelayMs";
    QTest::newRow("a fault spec that does not read")
        << QByteArray(R"({"name": "x", "faults": "RCPT:250"})") << "from 400 to 599";
    QTest::newRow("a fault object without a reply")
        << QByteArray(R"({"name": "x", "faults": [{"stage": "RCPT"}]})") << "fault 1";
    QTest::newRow("a typo in a fault object")
        << QByteArray(R"({"name": "x", "faults": [{"stage": "RCPT", "reply": "451 x", "percnt": 5}]})") << "unknown key \"percnt\"";
    QTest::newRow("an unknown flaw") << QByteArray(R"({"name": "x", "flaws": ["smuggling-cr"]})") << "unknown flaw \"smuggling-cr\"";
    QTest::newRow("no first-command wait") << QByteArray(R"({"name": "x", "firstCommandTimeoutSeconds": 0})") << "firstCommandTimeoutSeconds";
    QTest::newRow("no place per address") << QByteArray(R"({"name": "x", "maxClientsPerAddress": 0})") << "maxClientsPerAddress";
    QTest::newRow("negative rate") << QByteArray(R"({"name": "x", "bytesPerSecond": -1})") << "bytesPerSecond";
}

void TestLabScenario::badFiles()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    QString why;
    QVERIFY(!LabScenario::fromJson(json, &why));
    QVERIFY2(why.contains(error), qPrintable(why));
}

void TestLabScenario::missing()
{
    QString error;
    QVERIFY(!LabScenario::load(QStringLiteral("/no/such/scenario.json"), &error));
    QVERIFY2(error.contains("neither a built-in scenario nor a file"), qPrintable(error));
}

void TestLabScenario::faultsInAFile()
{
    QString error;
    const auto s = LabScenario::fromJson(R"({"name": "x", "seed": 9, "bytesPerSecond": 50, "faults": [
        "MAIL:delay=100-200:50, EHLO:drop:1",
        {"stage": "rcpt", "reply": "451 4.7.1 Greylisted by the teacher, come back in a minute", "percent": 25}]})",
                                         &error);
    QVERIFY2(s, qPrintable(error));
    QCOMPARE(s->seed, 9u);
    QCOMPARE(s->bytesPerSecond, 50);
    QCOMPARE(faultsSpec(s->faults), QStringLiteral("MAIL:delay=100-200:50,EHLO:drop:1,RCPT:451:25"));
    QCOMPARE(s->faults.last().reply, QStringLiteral("451 4.7.1 Greylisted by the teacher, come back in a minute"));
}

QTEST_GUILESS_MAIN(TestLabScenario)
#include "tst_labscenario.moc"
