#include "knowledge/explainer.h"
#include "protocol/replyparser.h"

#include <QTest>

using namespace smtp;

Q_DECLARE_METATYPE(smtp::Retry)

namespace {
Reply parseOne(const QByteArray &text)
{
    ReplyParser parser;
    parser.feed(text + "\r\n");
    const QList<Reply> replies = parser.takeReplies();
    return replies.value(0);
}
} // namespace

class TestExplainer : public QObject
{
    Q_OBJECT
private slots:
    void diagnosisIsPerWordsNotPerRecipient();
    void explain_data();
    void explain();
    void meaningDependsOnTheCommand_data();
    void meaningDependsOnTheCommand();
    void unusualCommandIsSaid();
    void enhancedAlone();
    void unregisteredEnhancedCodeIsDecodedByParts();
    void vendorCode();
    void invalidCodeIsSaidToBeInvalid();
    void sameInputSameExplanation();
    void violationsAreCarried();
    void commandsForACode();
};

void TestExplainer::explain_data()
{
    QTest::addColumn<QByteArray>("reply");
    QTest::addColumn<QString>("after");
    QTest::addColumn<Retry>("retry");
    QTest::addColumn<QString>("annotation");

    QTest::newRow("unknown user")
        << QByteArray("550 5.1.1 <bob@example.com>: Recipient address rejected") << "RCPT" << Retry::AfterChange
        << "Permanent failure - Mail system - 5.1.1 Bad destination mailbox address";
    QTest::newRow("mailbox full, temporary")
        << QByteArray("452 4.2.2 Mailbox full") << "RCPT" << Retry::Later
        << "Temporary failure - Mail system - 4.2.2 Mailbox full";
    QTest::newRow("mailbox full, permanent but may pass")
        << QByteArray("552 5.2.2 Mailbox full") << "DATA_END" << Retry::MayHelpLater
        << "Permanent failure - Mail system - 5.2.2 Mailbox full";
    QTest::newRow("greylisting")
        << QByteArray("451 4.7.1 Greylisted, try again later") << "RCPT" << Retry::Later
        << "Temporary failure - Mail system - 4.7.1 Delivery not authorized, message refused | greylisted";
    QTest::newRow("accepted")
        << QByteArray("250 2.1.5 Ok") << "RCPT" << Retry::NotNeeded
        << "Success - Mail system - 2.1.5 Destination address valid";
    QTest::newRow("greeting without enhanced code")
        << QByteArray("220 mx.example.com ESMTP") << "CONNECT" << Retry::NotNeeded
        << "Success - Connections - <domain> Service ready";
    QTest::newRow("go ahead with data")
        << QByteArray("354 End data with <CR><LF>.<CR><LF>") << "DATA" << Retry::NotNeeded
        << "Go on - Mail system - Start mail input; end with <CRLF>.<CRLF>";
    QTest::newRow("service closing")
        << QByteArray("421 4.7.0 Too many connections") << "" << Retry::Later
        << "Temporary failure - Connections - 4.7.0 Other or undefined security status | toomanyconn";
    QTest::newRow("syntax error")
        << QByteArray("500 5.5.2 Syntax error") << "" << Retry::AfterChange
        << "Permanent failure - Syntax - 5.5.2 Syntax error";
}

void TestExplainer::explain()
{
    QFETCH(QByteArray, reply);
    QFETCH(QString, after);
    QFETCH(Retry, retry);
    QFETCH(QString, annotation);
    Explainer explainer;
    const Reply r = parseOne(reply);
    const Explanation e = explainer.explain(r, after);
    QCOMPARE(e.code, r.code);
    QCOMPARE(e.retry, retry);
    QCOMPARE(e.annotation, annotation);
    QVERIFY(e.codeKnown);
    QVERIFY(!e.summary.isEmpty());
    QVERIFY(!e.action.isEmpty());
    QVERIFY(!e.references.isEmpty());
    QVERIFY(e.references.contains(QStringLiteral("RFC 5321 4.2.1")));
    if (r.enhanced) {
        QVERIFY(e.enhancedRegistered);
        QVERIFY(e.references.contains(QStringLiteral("RFC 3463")));
        QVERIFY2(e.summary.contains(r.enhanced->toString()), qPrintable(e.summary));
    }
}

void TestExplainer::meaningDependsOnTheCommand_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("first");
    QTest::addColumn<QString>("second");
    QTest::newRow("250 after MAIL and RCPT") << 250 << "MAIL" << "RCPT";
    QTest::newRow("250 after RCPT and final dot") << 250 << "RCPT" << "DATA_END";
    QTest::newRow("250 after EHLO and RSET") << 250 << "EHLO" << "RSET";
    QTest::newRow("220 greeting and STARTTLS") << 220 << "CONNECT" << "STARTTLS";
    QTest::newRow("550 after RCPT and MAIL") << 550 << "RCPT" << "MAIL";
}

void TestExplainer::meaningDependsOnTheCommand()
{
    QFETCH(int, code);
    QFETCH(QString, first);
    QFETCH(QString, second);
    Explainer explainer;
    const Explanation a = explainer.explainCode(code, first);
    const Explanation b = explainer.explainCode(code, second);
    const ReplyCodeInfo *info = Knowledge::instance().replyCode(code);
    QCOMPARE(a.meaning, info->after.value(first));
    QCOMPARE(b.meaning, info->after.value(second));
    QVERIFY(a.meaning != b.meaning);
    QVERIFY(a.summary.contains(first == QLatin1String("CONNECT") ? QStringLiteral("greeting") : first));
}

void TestExplainer::unusualCommandIsSaid()
{
    Explainer explainer;
    const Explanation e = explainer.explainCode(354, QStringLiteral("RCPT"));
    QVERIFY2(e.meaning.contains(QLatin1String("not a usual answer")), qPrintable(e.meaning));
}

void TestExplainer::enhancedAlone()
{
    Explainer explainer;
    const Explanation e = explainer.explainEnhanced({5, 7, 26});
    QCOMPARE(e.code, 0);
    QVERIFY(e.enhancedRegistered);
    QCOMPARE(e.enhancedTitle, QStringLiteral("Multiple authentication checks failed"));
    QCOMPARE(e.enhancedSubject.name, Knowledge::instance().enhancedSubject(7).name);
    QCOMPARE(e.retry, Retry::AfterChange);
    QVERIFY(e.summary.startsWith(QLatin1String("Permanent failure: 5.7.26")));
}

void TestExplainer::unregisteredEnhancedCodeIsDecodedByParts()
{
    Explainer explainer;
    const Explanation e = explainer.explain(parseOne("550 5.9.9 odd"));
    QVERIFY(!e.enhancedRegistered);
    QVERIFY(!e.enhancedKnown);
    QCOMPARE(e.enhancedTitle, QStringLiteral("Not in the IANA registry"));
    QCOMPARE(e.enhancedSubject.name, QStringLiteral("Unknown subject 9"));
    QCOMPARE(e.enhancedClass.name, Knowledge::instance().enhancedClass(5).name);

    const Explanation e2 = explainer.explain(parseOne("451 4.7.999 provider text"));
    QVERIFY(!e2.enhancedKnown);
    QCOMPARE(e2.enhancedSubject.name, Knowledge::instance().enhancedSubject(7).name);
    QCOMPARE(e2.retry, Retry::Later);
}

void TestExplainer::vendorCode()
{
    Explainer explainer;
    const Explanation e = explainer.explain(parseOne("550 5.7.606 Access denied, banned sending IP [192.0.2.1]"));
    QVERIFY(e.enhancedKnown);
    QVERIFY(!e.enhancedRegistered);
    QCOMPARE(e.vendor, QStringLiteral("Microsoft"));
}

void TestExplainer::invalidCodeIsSaidToBeInvalid()
{
    Explainer explainer;
    const Explanation e = explainer.explain(parseOne("699 odd"));
    QCOMPARE(e.klass.name, QStringLiteral("Invalid class 6"));
    QVERIFY(!e.codeKnown);
    QCOMPARE(e.retry, Retry::Unknown);
    QVERIFY(e.violations.contains(Violation::CodeOutOfRange));

    const Explanation junk = explainer.explain(parseOne("hello"));
    QCOMPARE(junk.annotation, QStringLiteral("Invalid reply"));
}

void TestExplainer::sameInputSameExplanation()
{
    Explainer explainer;
    const Reply r = parseOne("550 5.1.1 no such user");
    const Explanation a = explainer.explain(r, QStringLiteral("RCPT"));
    const Explanation b = explainer.explain(r, QStringLiteral("RCPT"));
    QCOMPARE(a.summary, b.summary);
    QCOMPARE(a.meaning, b.meaning);
    Explainer fresh;
    QCOMPARE(fresh.explain(r, QStringLiteral("RCPT")).summary, a.summary);
    QVERIFY(explainer.explain(r, QStringLiteral("MAIL")).meaning != a.meaning);
}

void TestExplainer::violationsAreCarried()
{
    Explainer explainer;
    const Explanation clean = explainer.explain(parseOne("550 5.1.1 x"));
    const Explanation broken = explainer.explain(parseOne("550 4.1.1 x"));
    QVERIFY(clean.violations.isEmpty());
    QCOMPARE(broken.violations, QList<Violation>{Violation::EnhancedClassMismatch});
}

void TestExplainer::commandsForACode()
{
    const QStringList commands = Explainer::commandsFor(354);
    QCOMPARE(commands, QStringList{QStringLiteral("DATA")});
    QVERIFY(Explainer::commandsFor(250).contains(QStringLiteral("RCPT")));
    QVERIFY(Explainer::commandsFor(999).isEmpty());
}

void TestExplainer::diagnosisIsPerWordsNotPerRecipient()
{
    Explainer explainer;
    const Explanation a = explainer.explain(parseOne("550 5.1.1 <bob1@example.org>: Recipient address rejected: User unknown\r\n"), QStringLiteral("RCPT"));
    const Explanation b = explainer.explain(parseOne("550 5.1.1 <bob2@example.org>: Recipient address rejected: User unknown\r\n"), QStringLiteral("RCPT"));
    QCOMPARE(a.diagnosis, b.diagnosis);
    QCOMPARE(a.wordsKey, b.wordsKey); // one diagnosis, computed once
    // Other words, or another domain, are diagnosed on their own.
    const Explanation gmail = explainer.explain(parseOne("550 5.1.1 <bob@gmail.com>: no such user - gsmtp\r\n"), QStringLiteral("RCPT"));
    QCOMPARE(gmail.diagnosis.source, QStringLiteral("Gmail / Google Workspace"));
    const Explanation listed = explainer.explain(parseOne("554 5.7.1 <bob1@example.org>: blocked using zen.spamhaus.org\r\n"), QStringLiteral("RCPT"));
    QCOMPARE(listed.diagnosis.list, QStringLiteral("Spamhaus ZEN"));
    QVERIFY(listed.wordsKey != a.wordsKey);
}

QTEST_GUILESS_MAIN(TestExplainer)
#include "tst_explainer.moc"
