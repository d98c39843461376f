#include "protocol/command.h"

#include <QTest>

using namespace smtp;

class TestCommand : public QObject
{
    Q_OBJECT
private slots:
    void parse_data();
    void parse();
    void parametersAreSplit();
};

void TestCommand::parse_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<QString>("verb");
    QTest::addColumn<QString>("address");
    QTest::addColumn<int>("parameterCount");
    QTest::addColumn<QString>("problem"); // a word the first problem must contain; empty: valid

    QTest::newRow("EHLO with domain") << "EHLO client.example.com" << "EHLO" << "" << 0 << "";
    QTest::newRow("EHLO with address literal") << "EHLO [192.0.2.1]" << "EHLO" << "" << 0 << "";
    QTest::newRow("EHLO with IPv6 literal") << "EHLO [IPv6:2001:db8::1]" << "EHLO" << "" << 0 << "";
    QTest::newRow("lower-case verb") << "ehlo client.example.com" << "EHLO" << "" << 0 << "";
    QTest::newRow("EHLO without domain") << "EHLO" << "EHLO" << "" << 0 << "domain";
    QTest::newRow("HELO with address literal") << "HELO [192.0.2.1]" << "HELO" << "" << 0 << "not a domain";
    QTest::newRow("MAIL plain") << "MAIL FROM:<alice@example.com>" << "MAIL" << "alice@example.com" << 0 << "";
    QTest::newRow("MAIL null path") << "MAIL FROM:<>" << "MAIL" << "" << 0 << "";
    QTest::newRow("MAIL with parameters") << "MAIL FROM:<a@b.example> SIZE=1000 BODY=8BITMIME"
                                          << "MAIL" << "a@b.example" << 2 << "";
    QTest::newRow("MAIL SMTPUTF8 takes no value") << "MAIL FROM:<a@b.example> SMTPUTF8=yes" << "MAIL" << "a@b.example" << 1 << "no value";
    QTest::newRow("MAIL SIZE not a number") << "MAIL FROM:<a@b.example> SIZE=big" << "MAIL" << "a@b.example" << 1 << "SIZE";
    QTest::newRow("MAIL BODY unknown") << "MAIL FROM:<a@b.example> BODY=9BIT" << "MAIL" << "a@b.example" << 1 << "BODY";
    QTest::newRow("MAIL unknown parameter") << "MAIL FROM:<a@b.example> FOO=1" << "MAIL" << "a@b.example" << 1 << "555";
    QTest::newRow("MAIL without brackets") << "MAIL FROM:a@b.example" << "MAIL" << "a@b.example" << 0 << "angle brackets";
    QTest::newRow("MAIL space after colon") << "MAIL FROM: <a@b.example>" << "MAIL" << "a@b.example" << 0 << "space";
    QTest::newRow("MAIL without FROM") << "MAIL <a@b.example>" << "MAIL" << "" << 0 << "FROM:";
    QTest::newRow("MAIL missing closing bracket") << "MAIL FROM:<a@b.example" << "MAIL" << "a@b.example" << 0 << "closing";
    QTest::newRow("MAIL source route") << "MAIL FROM:<@relay.example:a@b.example>" << "MAIL" << "a@b.example" << 0 << "";
    QTest::newRow("RCPT plain") << "RCPT TO:<bob@example.com>" << "RCPT" << "bob@example.com" << 0 << "";
    QTest::newRow("RCPT postmaster") << "RCPT TO:<Postmaster>" << "RCPT" << "Postmaster" << 0 << "";
    QTest::newRow("RCPT null path") << "RCPT TO:<>" << "RCPT" << "" << 0 << "null path";
    QTest::newRow("RCPT DSN") << "RCPT TO:<bob@example.com> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;bob@example.com"
                              << "RCPT" << "bob@example.com" << 2 << "";
    QTest::newRow("RCPT NOTIFY NEVER with others") << "RCPT TO:<bob@example.com> NOTIFY=NEVER,DELAY"
                                                   << "RCPT" << "bob@example.com" << 1 << "NEVER";
    QTest::newRow("RCPT bad address") << "RCPT TO:<bob>" << "RCPT" << "bob" << 0 << "not a valid address";
    QTest::newRow("DATA") << "DATA" << "DATA" << "" << 0 << "";
    QTest::newRow("DATA with argument") << "DATA now" << "DATA" << "" << 0 << "no argument";
    QTest::newRow("QUIT") << "QUIT" << "QUIT" << "" << 0 << "";
    QTest::newRow("NOOP with argument") << "NOOP hello" << "NOOP" << "" << 0 << "";
    QTest::newRow("VRFY without argument") << "VRFY" << "VRFY" << "" << 0 << "argument";
    QTest::newRow("AUTH PLAIN with initial response") << "AUTH PLAIN AGFsaWNlAHNlY3JldA==" << "AUTH" << "" << 0 << "";
    QTest::newRow("AUTH without mechanism") << "AUTH" << "AUTH" << "" << 0 << "mechanism";
    QTest::newRow("BDAT LAST") << "BDAT 1000 LAST" << "BDAT" << "" << 0 << "";
    QTest::newRow("BDAT without size") << "BDAT LAST" << "BDAT" << "" << 0 << "chunk size";
    QTest::newRow("unknown verb") << "FROB x" << "FROB" << "" << 0 << "500";
    QTest::newRow("empty line") << "" << "" << "" << 0 << "empty";
    QTest::newRow("too long") << "NOOP " + QString(600, QLatin1Char('x')) << "NOOP" << "" << 0 << "512";
    QTest::newRow("embedded line feed") << "NOOP\nQUIT" << "NOOP" << "" << 0 << "smuggle";
    QTest::newRow("non-ASCII without SMTPUTF8") << QStringLiteral("MAIL FROM:<j\u00f6rg@example.com>") << "MAIL"
                                                 << QStringLiteral("j\u00f6rg@example.com") << 0 << "SMTPUTF8";
    QTest::newRow("non-ASCII with SMTPUTF8") << QStringLiteral("MAIL FROM:<j\u00f6rg@example.com> SMTPUTF8") << "MAIL"
                                              << QStringLiteral("j\u00f6rg@example.com") << 1 << "";
}

void TestCommand::parse()
{
    QFETCH(QString, line);
    QFETCH(QString, verb);
    QFETCH(QString, address);
    QFETCH(int, parameterCount);
    QFETCH(QString, problem);
    const Command c = Command::parse(line);
    QCOMPARE(c.verb, verb);
    QCOMPARE(c.address, address);
    QCOMPARE(c.parameters.size(), parameterCount);
    if (problem.isEmpty()) {
        QVERIFY2(c.problems.isEmpty(), qPrintable(c.problems.join(QLatin1Char('|'))));
        QVERIFY(c.isValid());
    } else {
        QVERIFY2(!c.problems.isEmpty(), "expected a problem");
        QVERIFY2(c.problems.first().contains(problem), qPrintable(c.problems.first()));
    }
}

void TestCommand::parametersAreSplit()
{
    const Command c = Command::parse(QStringLiteral("MAIL FROM:<a@b.example> size=1000 SMTPUTF8"));
    QCOMPARE(c.parameters, (QList<EsmtpParameter>{{QStringLiteral("SIZE"), QStringLiteral("1000"), true},
                                                  {QStringLiteral("SMTPUTF8"), QString(), false}}));
    QCOMPARE(c.parameter(QStringLiteral("SIZE"))->value, QStringLiteral("1000"));
    QVERIFY(!c.parameter(QStringLiteral("BODY")));
}

QTEST_APPLESS_MAIN(TestCommand)
#include "tst_command.moc"
