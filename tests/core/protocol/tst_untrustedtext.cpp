#include "protocol/untrustedtext.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace smtp;

Q_DECLARE_METATYPE(QList<smtp::Violation>)

class TestUntrustedText : public QObject
{
    Q_OBJECT
private slots:
    void visible_data();
    void visible();
    void lineBreaksCanBeMarked();
    void jsonKeepsTheExactTextButPrintsNothingHidden();
    void jsonStringIsValidJsonThatPrintsNothingHidden_data();
    void jsonStringIsValidJsonThatPrintsNothingHidden();
};

void TestUntrustedText::visible_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("shown");
    QTest::addColumn<QList<Violation>>("found");

    QTest::newRow("plain text is unchanged")
        << QStringLiteral("250 mx.example.com ready") << QStringLiteral("250 mx.example.com ready") << QList<Violation>{};
    QTest::newRow("accents and CJK are text, not hidden")
        << QStringLiteral("caf\u00e9 \u65e5\u672c") << QStringLiteral("caf\u00e9 \u65e5\u672c") << QList<Violation>{};
    QTest::newRow("tab and line feed are kept")
        << QStringLiteral("a\tb\nc") << QStringLiteral("a\tb\nc") << QList<Violation>{};
    QTest::newRow("clear screen")
        << QStringLiteral("\x1b[2Jhi") << QStringLiteral("⟨ESC⟩[2Jhi") << QList<Violation>{Violation::ControlCharacter};
    QTest::newRow("window title")
        << QStringLiteral("\x1b]0;owned\x07") << QStringLiteral("⟨ESC⟩]0;owned⟨BEL⟩") << QList<Violation>{Violation::ControlCharacter};
    QTest::newRow("cursor up and erase line")
        << QStringLiteral("\x1b[1A\x1b[K") << QStringLiteral("⟨ESC⟩[1A⟨ESC⟩[K") << QList<Violation>{Violation::ControlCharacter};
    QTest::newRow("NUL")
        << QString::fromLatin1("a\0b", 3) << QStringLiteral("a⟨NUL⟩b") << QList<Violation>{Violation::NulByte};
    QTest::newRow("carriage return can overwrite a line")
        << QStringLiteral("ok\rEVIL") << QStringLiteral("ok⟨CR⟩EVIL") << QList<Violation>{};
    QTest::newRow("DEL")
        << QStringLiteral("a\x7f") << QStringLiteral("a⟨DEL⟩") << QList<Violation>{Violation::ControlCharacter};
    QTest::newRow("C1 CSI")
        << QStringLiteral("a\u009b2J") << QStringLiteral("a⟨CSI⟩2J") << QList<Violation>{Violation::ControlCharacter};
    QTest::newRow("right-to-left override")
        << QStringLiteral("gnp.\u202eexe") << QStringLiteral("gnp.⟨RLO⟩exe") << QList<Violation>{Violation::BidiControl};
    QTest::newRow("isolates and marks")
        << QStringLiteral("\u2067a\u2069\u200f") << QStringLiteral("⟨RLI⟩a⟨PDI⟩⟨RLM⟩") << QList<Violation>{Violation::BidiControl};
    QTest::newRow("zero-width space")
        << QStringLiteral("pay\u200bpal") << QStringLiteral("pay⟨ZWSP⟩pal") << QList<Violation>{Violation::InvisibleCharacter};
    QTest::newRow("byte order mark and soft hyphen")
        << QStringLiteral("\ufeffa\u00adb") << QStringLiteral("⟨BOM⟩a⟨SHY⟩b") << QList<Violation>{Violation::InvisibleCharacter};
    QTest::newRow("tag characters outside the BMP")
        << QStringLiteral("x") + QString::fromUcs4(U"\U000E0041") << QStringLiteral("x⟨U+E0041⟩")
        << QList<Violation>{Violation::InvisibleCharacter};
    QTest::newRow("emoji outside the BMP is text")
        << QString::fromUcs4(U"\U0001F600") << QString::fromUcs4(U"\U0001F600") << QList<Violation>{};
    QTest::newRow("everything at once, each kind once")
        << QStringLiteral("\x1b\u202e\u200b\x1b") + QChar(0)
        << QStringLiteral("⟨ESC⟩⟨RLO⟩⟨ZWSP⟩⟨ESC⟩⟨NUL⟩")
        << QList<Violation>{Violation::NulByte, Violation::ControlCharacter, Violation::BidiControl, Violation::InvisibleCharacter};
}

void TestUntrustedText::visible()
{
    QFETCH(QString, input);
    QFETCH(QString, shown);
    QFETCH(QList<Violation>, found);
    QCOMPARE(visibleText(input), shown);
    QCOMPARE(hiddenCharacters(input), found);
    // What is shown holds nothing hidden any more.
    QCOMPARE(hiddenCharacters(visibleText(input)), QList<Violation>{});
}

void TestUntrustedText::lineBreaksCanBeMarked()
{
    QCOMPARE(visibleText(u"a\nb", LineBreaks::Mark), QStringLiteral("a⟨LF⟩b"));
    QCOMPARE(visibleText(u"a\nb", LineBreaks::Keep), QStringLiteral("a\nb"));
}

void TestUntrustedText::jsonKeepsTheExactTextButPrintsNothingHidden()
{
    // DEL stays raw in Qt's JSON (it escapes only C0): a fuzzer found it on a terminal.
    const QString hostile = QStringLiteral("live\u202elive\u200b\x1b[2J\u009b\x7f");
    QJsonObject o;
    o.insert(QLatin1String("text"), hostile);
    const QByteArray json = escapeHiddenInJson(QJsonDocument(o).toJson(QJsonDocument::Compact));
    QCOMPARE(QJsonDocument::fromJson(json).object().value(QLatin1String("text")).toString(), hostile);
    QCOMPARE(hiddenCharacters(QString::fromUtf8(json)), QList<Violation>{});
    QVERIFY(json.contains("\\u202e"));
    QVERIFY(json.contains("\\u200b"));
    QVERIFY(!json.contains('\x7f'));
    QVERIFY(json.contains("\\u007f"));
}

void TestUntrustedText::jsonStringIsValidJsonThatPrintsNothingHidden_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("plain") << QStringLiteral("550 5.1.1 no such user");
    QTest::newRow("quotes and backslashes") << QStringLiteral("say \"hi\" \\ there");
    QTest::newRow("C0, DEL, C1") << QStringLiteral("a\x01b\x1b[31mc\x7f\u009bd\r\n\t");
    QTest::newRow("bidi and invisible") << QStringLiteral("x\u202ey\u200bz\ufeff");
    QTest::newRow("beyond the BMP") << QStringLiteral("mail \U0001F4E7 \U000E0041");
    QTest::newRow("empty") << QString();
}

void TestUntrustedText::jsonStringIsValidJsonThatPrintsNothingHidden()
{
    QFETCH(QString, text);
    const QString json = QStringLiteral("{\"t\":") + jsonString(text) + QLatin1Char('}');
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json.toUtf8(), &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(doc.object().value(QLatin1String("t")).toString(), text);
    QCOMPARE(hiddenCharacters(json), QList<Violation>{});
    for (QChar c : json)
        QVERIFY(c.unicode() >= 0x20 && c.unicode() != 0x7f);
}

QTEST_APPLESS_MAIN(TestUntrustedText)
#include "tst_untrustedtext.moc"
