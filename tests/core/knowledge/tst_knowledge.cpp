#include "knowledge/knowledge.h"

#include <QSet>
#include <QTest>

using namespace smtp;

class TestKnowledge : public QObject
{
    Q_OBJECT
private slots:
    void loadsWithoutErrors();
    void replyCode_data();
    void replyCode();
    void digits();
    void everyRegistryCodeIsPresent();
    void registryCodesAreComplete();
    void vendorCodesAreMarked();
    void lookupPrefersTheVendorCode();
    void vendorRanges_data();
    void vendorRanges();
    void keyword_data();
    void keyword();
    void keywordParameters_data();
    void keywordParameters();
};

void TestKnowledge::loadsWithoutErrors()
{
    QCOMPARE(Knowledge::instance().loadErrors(), QStringList());
}

void TestKnowledge::replyCode_data()
{
    QTest::addColumn<int>("code");
    const int codes[] = {211, 214, 220, 221, 235, 250, 251, 252, 253, 334, 354, 421, 422, 432, 450, 451, 452,
                         453, 454, 455, 458, 459, 500, 501, 502, 503, 504, 521, 523, 524, 525, 530, 534, 535,
                         538, 550, 551, 552, 553, 554, 555, 556, 557};
    for (int code : codes)
        QTest::addRow("%d", code) << code;
}

void TestKnowledge::replyCode()
{
    QFETCH(int, code);
    const ReplyCodeInfo *info = Knowledge::instance().replyCode(code);
    QVERIFY2(info, "code missing from replycodes.json");
    QCOMPARE(info->code, code);
    QVERIFY(!info->title.isEmpty());
    QVERIFY(!info->text.isEmpty());
    // 557 is used by servers but defined nowhere; 453 answers ATRN, which we do not track.
    const bool undefined = code == 557;
    QVERIFY2(info->rfc.startsWith(QLatin1String("RFC ")) != undefined, qPrintable(info->rfc));
    QVERIFY2(!info->after.isEmpty() || undefined || code == 453, "no command this code answers");
    static const QSet<QString> commands = {"CONNECT", "EHLO", "HELO", "STARTTLS", "AUTH", "MAIL", "RCPT", "DATA",
                                           "DATA_END", "BDAT", "RSET", "VRFY", "EXPN", "HELP", "NOOP", "QUIT", "ETRN"};
    for (auto it = info->after.cbegin(); it != info->after.cend(); ++it) {
        QVERIFY2(commands.contains(it.key()), qPrintable(it.key()));
        QVERIFY(!it.value().isEmpty());
    }
}

void TestKnowledge::digits()
{
    const Knowledge &k = Knowledge::instance();
    for (int d = 2; d <= 5; ++d)
        QVERIFY(!k.replyClass(d).name.isEmpty());
    for (int d = 0; d <= 5; ++d)
        QVERIFY(!k.replyCategory(d).name.isEmpty());
    QCOMPARE(k.replyCategory(5).name, QStringLiteral("Mail system"));
    for (int d : {2, 4, 5})
        QVERIFY(!k.enhancedClass(d).name.isEmpty());
    for (int s = 0; s <= 7; ++s)
        QVERIFY(!k.enhancedSubject(s).name.isEmpty());
    QVERIFY(k.replyClass(6).name.isEmpty());
}

// The IANA registry as of RFC 8689: X.0.0 to X.7.30, 81 entries.
static QStringList registryKeys()
{
    QStringList keys{QStringLiteral("X.0.0")};
    const int lastDetail[] = {0, 10, 4, 6, 7, 6, 10, 30};
    for (int subject = 1; subject <= 7; ++subject)
        for (int detail = 0; detail <= lastDetail[subject]; ++detail)
            keys.append(QStringLiteral("X.%1.%2").arg(subject).arg(detail));
    return keys;
}

void TestKnowledge::everyRegistryCodeIsPresent()
{
    const QStringList keys = registryKeys();
    QCOMPARE(keys.size(), 81);
    QSet<QString> present;
    for (const EnhancedCodeInfo &info : Knowledge::instance().enhancedCodes())
        if (info.isRegistered())
            present.insert(info.code);
    for (const QString &key : keys)
        QVERIFY2(present.contains(key), qPrintable(key + QStringLiteral(" missing")));
    QCOMPARE(present.size(), keys.size()); // and nothing registered beyond them
}

void TestKnowledge::registryCodesAreComplete()
{
    static const QSet<QString> actors = {"sender", "sender-admin", "recipient", "recipient-admin", "none"};
    QSet<QString> titles;
    for (const EnhancedCodeInfo &info : Knowledge::instance().enhancedCodes()) {
        QVERIFY2(!info.title.isEmpty(), qPrintable(info.code));
        QVERIFY2(!info.text.isEmpty(), qPrintable(info.code));
        QVERIFY2(!info.rfc.isEmpty(), qPrintable(info.code)); // X.7.28 cites an Internet-Draft
        QVERIFY2(actors.contains(info.actor), qPrintable(info.code + QLatin1Char(' ') + info.actor));
        if (info.isRegistered()) {
            QVERIFY2(!info.classes.isEmpty(), qPrintable(info.code));
            QVERIFY2(!titles.contains(info.title), qPrintable(QStringLiteral("title twice: ") + info.title));
            titles.insert(info.title);
        }
    }
    const Knowledge &k = Knowledge::instance();
    QCOMPARE(k.enhanced({5, 1, 1})->title, QStringLiteral("Bad destination mailbox address"));
    QCOMPARE(k.enhanced({4, 2, 2})->title, QStringLiteral("Mailbox full"));
    QCOMPARE(k.enhanced({5, 7, 26})->title, QStringLiteral("Multiple authentication checks failed"));
    QCOMPARE(k.enhanced({5, 7, 30})->title, QStringLiteral("REQUIRETLS support required"));
    QVERIFY(!k.enhanced({5, 9, 9}));
}

void TestKnowledge::vendorCodesAreMarked()
{
    int vendorCodes = 0;
    for (const EnhancedCodeInfo &info : Knowledge::instance().enhancedCodes()) {
        if (info.isRegistered())
            continue;
        ++vendorCodes;
        // A full code, or a documented range of details ("4.7.500-699").
        const QString first = info.code.section(QLatin1Char('-'), 0, 0);
        QVERIFY2(EnhancedStatus::parse(first).has_value(), qPrintable(info.code));
    }
    QVERIFY(vendorCodes >= 3);
}

void TestKnowledge::lookupPrefersTheVendorCode()
{
    const EnhancedCodeInfo *info = Knowledge::instance().enhanced({5, 7, 606});
    QVERIFY(info);
    QVERIFY(!info->isRegistered());
    QCOMPARE(info->vendor, QStringLiteral("Microsoft"));
    // The same digits in class 4 fall in another of its documented ranges; outside every
    // range they are nobody's code.
    const EnhancedCodeInfo *temporary = Knowledge::instance().enhanced({4, 7, 606});
    QVERIFY(temporary);
    QCOMPARE(temporary->code, QStringLiteral("4.7.500-699"));
    QVERIFY(!Knowledge::instance().enhanced({4, 7, 706}));
}

void TestKnowledge::vendorRanges_data()
{
    QTest::addColumn<int>("klass");
    QTest::addColumn<int>("subject");
    QTest::addColumn<int>("detail");
    QTest::addColumn<QString>("entry");
    QTest::newRow("Outlook.com rate limit by reputation") << 4 << 7 << 650 << "4.7.500-699";
    QTest::newRow("range start") << 4 << 7 << 500 << "4.7.500-699";
    QTest::newRow("range end") << 4 << 7 << 699 << "4.7.500-699";
    QTest::newRow("exact code beats the range") << 5 << 7 << 606 << "5.7.606";
    QTest::newRow("banned IP range") << 5 << 7 << 640 << "5.7.607-649";
    QTest::newRow("tenant blocked range") << 5 << 7 << 712 << "5.7.700-749";
    QTest::newRow("exact tenant code") << 5 << 7 << 705 << "5.7.705";
    QTest::newRow("past the range") << 5 << 7 << 751 << "";
    QTest::newRow("registry code untouched") << 5 << 7 << 1 << "X.7.1";
}

void TestKnowledge::vendorRanges()
{
    QFETCH(int, klass);
    QFETCH(int, subject);
    QFETCH(int, detail);
    QFETCH(QString, entry);
    const EnhancedCodeInfo *info = Knowledge::instance().enhanced({klass, subject, detail});
    QCOMPARE(info ? info->code : QString(), entry);
}

void TestKnowledge::keyword_data()
{
    QTest::addColumn<QString>("keyword");
    QTest::addColumn<QString>("rfc");
    QTest::newRow("PIPELINING") << "PIPELINING" << "RFC 2920";
    QTest::newRow("SIZE") << "SIZE" << "RFC 1870";
    QTest::newRow("8BITMIME") << "8BITMIME" << "RFC 6152";
    QTest::newRow("STARTTLS") << "STARTTLS" << "RFC 3207";
    QTest::newRow("AUTH") << "AUTH" << "RFC 4954";
    QTest::newRow("DSN") << "DSN" << "RFC 3461";
    QTest::newRow("ENHANCEDSTATUSCODES") << "ENHANCEDSTATUSCODES" << "RFC 2034";
    QTest::newRow("CHUNKING") << "CHUNKING" << "RFC 3030";
    QTest::newRow("BINARYMIME") << "BINARYMIME" << "RFC 3030";
    QTest::newRow("SMTPUTF8") << "SMTPUTF8" << "RFC 6531";
    QTest::newRow("REQUIRETLS") << "REQUIRETLS" << "RFC 8689";
    QTest::newRow("MT-PRIORITY") << "MT-PRIORITY" << "RFC 6710";
    QTest::newRow("DELIVERBY") << "DELIVERBY" << "RFC 2852";
    QTest::newRow("ETRN") << "ETRN" << "RFC 1985";
    QTest::newRow("MTRK") << "MTRK" << "RFC 3885";
    QTest::newRow("BURL") << "BURL" << "RFC 4468";
    QTest::newRow("LIMITS") << "LIMITS" << "RFC 9422";
    QTest::newRow("VRFY") << "VRFY" << "RFC 5321";
    QTest::newRow("XCLIENT") << "xclient" << "";
}

void TestKnowledge::keyword()
{
    QFETCH(QString, keyword);
    QFETCH(QString, rfc);
    const KeywordInfo *info = Knowledge::instance().keyword(keyword);
    QVERIFY2(info, qPrintable(keyword));
    QVERIFY(info->rfc.startsWith(rfc));
    QVERIFY(!info->title.isEmpty());
    QVERIFY(!info->text.isEmpty());
}

void TestKnowledge::keywordParameters_data()
{
    QTest::addColumn<QString>("keyword");
    QTest::addColumn<QStringList>("params");
    QTest::addColumn<QString>("expected");
    QTest::newRow("SIZE 10240000") << "SIZE" << QStringList{"10240000"} << "messages up to 10 MB (10240000 bytes)";
    QTest::newRow("SIZE 52428800") << "SIZE" << QStringList{"52428800"} << "messages up to 52 MB (52428800 bytes)";
    QTest::newRow("SIZE 1500000") << "SIZE" << QStringList{"1500000"} << "messages up to 1.5 MB (1500000 bytes)";
    QTest::newRow("SIZE without limit") << "SIZE" << QStringList{} << "no fixed size limit announced";
    QTest::newRow("AUTH mechanisms") << "AUTH" << QStringList{"PLAIN", "CRAM-MD5"}
                                     << "sign-in mechanisms: PLAIN (password sent in clear: only over TLS), CRAM-MD5";
    QTest::newRow("LIMITS") << "LIMITS" << QStringList{"RCPTMAX=100", "MAILMAX=5"}
                            << "at most 100 recipients per transaction; at most 5 transactions per session";
}

void TestKnowledge::keywordParameters()
{
    QFETCH(QString, keyword);
    QFETCH(QStringList, params);
    QFETCH(QString, expected);
    QCOMPARE(Knowledge::instance().describeParameters(keyword, params), expected);
}

QTEST_GUILESS_MAIN(TestKnowledge)
#include "tst_knowledge.moc"
