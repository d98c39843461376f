#include "knowledge/knowledge.h"
#include "knowledge/requiredliterals.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>

using namespace smtp;

class TestRequiredLiterals : public QObject
{
    Q_OBJECT
private slots:
    void of_data();
    void of();
    void foldAsPcreCompares();
    void rulesNeverRuleOutAMatch();
};

void TestRequiredLiterals::of_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QStringList>("literals");
    const QStringList none;
    QTest::newRow("plain words") << "user unknown" << QStringList{"user unknown"};
    QTest::newRow("upper case folded") << "Mailbox FULL" << QStringList{"mailbox full"};
    QTest::newRow("optional group splits the run") << "user (is )?unknown" << QStringList{"unknown"};
    QTest::newRow("group of words, longer run wins") << "(user|recipient) unknown" << QStringList{" unknown"};
    QTest::newRow("group wins over a shorter run") << "no (mailbox|account) here" << QStringList{"mailbox", "account"};
    QTest::newRow("top-level alternatives") << "mailbox full|quota exceeded" << QStringList{"mailbox full", "quota exceeded"};
    QTest::newRow("optional last character") << "abc?d" << QStringList{"ab"};
    QTest::newRow("repeated character ends the run") << "xab+cd" << QStringList{"xab"};
    QTest::newRow("counted repeat") << "x{2}yz" << QStringList{"yz"};
    QTest::newRow("exactly once") << "ab{1}cd" << QStringList{"abcd"};
    QTest::newRow("optional by count") << "abcd{0,2}ef" << QStringList{"abc"};
    QTest::newRow("word boundaries") << "\\bspam\\b" << QStringList{"spam"};
    QTest::newRow("escaped dots") << "550 5\\.1\\.1" << QStringList{"550 5.1.1"};
    QTest::newRow("lookahead holds nothing") << "(?!foo)barbaz" << QStringList{"barbaz"};
    QTest::newRow("lookbehind holds nothing") << "(?<=foo)bar" << QStringList{"bar"};
    QTest::newRow("class ends a run") << "[abc]def" << QStringList{"def"};
    QTest::newRow("class with bracket first") << "[]x]abc" << QStringList{"abc"};
    QTest::newRow("posix class") << "[[:alpha:]]+ over quota" << QStringList{" over quota"};
    QTest::newRow("no posix class: '[' and ':' members") << "[[:]|x:]]abcd" << none;
    QTest::newRow("negated posix class") << "[[:^digit:]]abc" << QStringList{"abc"};
    QTest::newRow("inline option") << "(?i)over (?-i:quota)" << QStringList{"over "};
    QTest::newRow("named group") << "(?<what>relay) denied" << QStringList{" denied"};
    QTest::newRow("lazy quantifier") << "a.*?bcd" << QStringList{"bcd"};
    QTest::newRow("kana and ideographs") << "ディレクトリ(のリスト)?に" << QStringList{"ディレクトリ"};
    QTest::newRow("cased non-ASCII letter ends a run") << "stra\u00dfe" << QStringList{"stra"};
    QTest::newRow("nothing of two characters") << "a.b" << none;
    QTest::newRow("a branch without a literal") << "foo|.*" << none;
    QTest::newRow("back-reference: not read") << "(a)\\1bcd" << none;
    QTest::newRow("extended mode: not read") << "(?x)a b c" << none;
    QTest::newRow("comment: not read") << "(?#note)abc" << none;
    QTest::newRow("quoted literal: not read") << "\\Qa.b\\Eabc" << none;
    QTest::newRow("unclosed group") << "(abc" << none;
    QTest::newRow("stray parenthesis") << "abc)" << none;
    QTest::newRow("open count: not read") << "x{,3}abc" << none;
    QTest::newRow("quantifier with nothing before") << "*abc" << none;
}

void TestRequiredLiterals::of()
{
    QFETCH(QString, pattern);
    QFETCH(QStringList, literals);
    QVERIFY2(QRegularExpression(pattern).isValid() || literals.isEmpty(), qPrintable(pattern));
    QCOMPARE(RequiredLiterals::of(pattern), literals);
}

void TestRequiredLiterals::foldAsPcreCompares()
{
    // PCRE2 matches 'k' with KELVIN SIGN and 's' with LONG S caselessly: so must the filter.
    const RequiredLiterals literals(QStringLiteral("mask"));
    QVERIFY(literals.allow(FoldedText(QStringLiteral("MASK"))));
    QVERIFY(literals.allow(FoldedText(QStringLiteral("ma\u017f\u212a"))));
    QVERIFY(QRegularExpression(QStringLiteral("mask"), QRegularExpression::CaseInsensitiveOption)
                .match(QStringLiteral("ma\u017f\u212a")).hasMatch());
    QVERIFY(!literals.allow(FoldedText(QStringLiteral("mas"))));
    QVERIFY(!literals.allow(FoldedText(QStringLiteral("m a s k"))));
    QVERIFY(RequiredLiterals().allow(FoldedText(QString())));
}

// The filter's one duty: wherever a pattern matches, it lets the pattern be tried. Every
// pattern as production compiles it (the reason rules one by one, the diagnosis's with
// Unicode properties), against every corpus bounce as written and upper-cased with
// KELVIN SIGN and LONG S.
void TestRequiredLiterals::rulesNeverRuleOutAMatch()
{
    QStringList errors;
    QList<RulePattern> patterns;
    const QJsonObject reasons = readKnowledgeFile(QStringLiteral("bounce-reasons.json"), errors);
    for (const char *list : {"rules", "weakRules"})
        for (const QJsonValue &rule : reasons.value(QLatin1String(list)).toArray())
            for (const QJsonValue &p : rule.toObject().value(QLatin1String("patterns")).toArray())
                patterns.append(RulePattern(p.toString(), QRegularExpression::MultilineOption));
    const QJsonObject diagnosis = readKnowledgeFile(QStringLiteral("diagnosis.json"), errors);
    for (const char *list : {"sources", "lists", "providerCodes", "wordings"})
        for (const QJsonValue &entry : diagnosis.value(QLatin1String(list)).toArray())
            patterns.append(RulePattern(entry.toObject().value(QLatin1String("match")).toString(),
                                        QRegularExpression::UseUnicodePropertiesOption));
    QVERIFY(errors.isEmpty());
    QVERIFY2(patterns.size() > 600, qPrintable(QString::number(patterns.size())));
    for (const RulePattern &p : patterns)
        QVERIFY2(p.re.isValid(), qPrintable(p.re.pattern()));
    const QDir corpus(QStringLiteral(BOUNCE_CORPUS_DIR "/emails"));
    const QStringList files = corpus.entryList(QDir::Files);
    if (files.size() < 100)
        QFAIL("the shared corpus of bounces is missing: " BOUNCE_CORPUS_DIR);
    int matched = 0;
    int ruledOut = 0;
    for (const QString &name : files) {
        QFile file(corpus.filePath(name));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(file.readAll());
        QString odd = text.toUpper();
        odd.replace(QLatin1Char('K'), QChar(0x212A)).replace(QLatin1Char('S'), QChar(0x017F));
        for (const QString &variant : {text, odd}) {
            const FoldedText folded(variant);
            for (const RulePattern &p : patterns) {
                const bool allowed = p.literals.allow(folded);
                if (!allowed)
                    ++ruledOut;
                if (!allowed && p.re.match(variant).hasMatch())
                    QFAIL(qPrintable(name + QStringLiteral(": ruled out, yet matches: ") + p.re.pattern()));
                matched += allowed && p.re.match(variant).hasMatch();
            }
        }
    }
    // Not vacuous: many matches were checked, and the filter spares most scans.
    QVERIFY2(matched > 2000, qPrintable(QString::number(matched)));
    QVERIFY2(ruledOut > 200000, qPrintable(QString::number(ruledOut)));
}

QTEST_GUILESS_MAIN(TestRequiredLiterals)
#include "tst_requiredliterals.moc"
