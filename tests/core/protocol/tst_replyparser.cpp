#include "protocol/replyparser.h"

#include <QRandomGenerator>
#include <QTest>

using namespace smtp;

Q_DECLARE_METATYPE(smtp::Reply)
Q_DECLARE_METATYPE(QList<smtp::Reply>)

namespace {
Reply reply(int code, const QStringList &lines, const QByteArray &raw, QList<Violation> violations = {},
            std::optional<EnhancedStatus> enhanced = std::nullopt)
{
    Reply r;
    r.code = code;
    r.lines = lines;
    r.raw = raw;
    r.violations = violations;
    r.enhanced = enhanced;
    return r;
}

QList<Reply> parseAll(const QByteArray &input, const QList<int> &chunkSizes)
{
    ReplyParser parser;
    QList<Reply> out;
    qsizetype pos = 0;
    int i = 0;
    while (pos < input.size()) {
        const qsizetype size = chunkSizes.isEmpty() ? input.size() : chunkSizes[i++ % chunkSizes.size()];
        parser.feed(QByteArrayView(input).sliced(pos, qMin<qsizetype>(size, input.size() - pos)));
        pos += size;
        out += parser.takeReplies();
    }
    if (auto last = parser.finish())
        out.append(*last);
    return out;
}
} // namespace

class TestReplyParser : public QObject
{
    Q_OBJECT
private slots:
    void parse_data();
    void parse();
    void byteAtATimeGivesTheSameResult_data() { parse_data(); }
    void byteAtATimeGivesTheSameResult();
    void randomChunksGiveTheSameResult_data() { parse_data(); }
    void randomChunksGiveTheSameResult();
    void textStripsEnhancedCodes();
    void endlessLineStopsAtTheLimit();
    void endlessReplyStopsAtTheLimit();
    void lineLimitDoesNotDependOnTheSplit_data();
    void lineLimitDoesNotDependOnTheSplit();
    void truncatedReplyIsKeptAndMarked();
    void nothingPendingGivesNothing();
};

void TestReplyParser::parse_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QList<Reply>>("expected");

    QTest::newRow("single line")
        << QByteArray("250 OK\r\n") << QList<Reply>{reply(250, {"OK"}, "250 OK\r\n")};
    QTest::newRow("multi-line EHLO")
        << QByteArray("250-mx.example.com\r\n250-SIZE 1000\r\n250 PIPELINING\r\n")
        << QList<Reply>{reply(250, {"mx.example.com", "SIZE 1000", "PIPELINING"},
                              "250-mx.example.com\r\n250-SIZE 1000\r\n250 PIPELINING\r\n")};
    QTest::newRow("code alone is a valid last line")
        << QByteArray("250\r\n") << QList<Reply>{reply(250, {""}, "250\r\n")};
    QTest::newRow("bare LF line end")
        << QByteArray("250 OK\n") << QList<Reply>{reply(250, {"OK"}, "250 OK\n", {Violation::BareLineFeed})};
    QTest::newRow("code changes inside multi-line")
        << QByteArray("250-first\r\n251 second\r\n")
        << QList<Reply>{reply(250, {"first", "second"}, "250-first\r\n251 second\r\n", {Violation::CodeChanged})};
    QTest::newRow("code 699 is out of range")
        << QByteArray("699 odd\r\n") << QList<Reply>{reply(699, {"odd"}, "699 odd\r\n", {Violation::CodeOutOfRange})};
    QTest::newRow("code 199 is out of range")
        << QByteArray("199 odd\r\n") << QList<Reply>{reply(199, {"odd"}, "199 odd\r\n", {Violation::CodeOutOfRange})};
    QTest::newRow("second digit 6 is out of range")
        << QByteArray("260 odd\r\n") << QList<Reply>{reply(260, {"odd"}, "260 odd\r\n", {Violation::CodeOutOfRange})};
    QTest::newRow("missing separator")
        << QByteArray("250OK\r\n") << QList<Reply>{reply(250, {"OK"}, "250OK\r\n", {Violation::MissingSeparator})};
    QTest::newRow("two-digit code")
        << QByteArray("25 OK\r\n") << QList<Reply>{reply(0, {"25 OK"}, "25 OK\r\n", {Violation::MalformedCode})};
    QTest::newRow("four-digit code")
        << QByteArray("2500 OK\r\n") << QList<Reply>{reply(0, {"2500 OK"}, "2500 OK\r\n", {Violation::MalformedCode})};
    QTest::newRow("junk line")
        << QByteArray("hello world\r\n")
        << QList<Reply>{reply(0, {"hello world"}, "hello world\r\n", {Violation::MalformedCode})};
    QTest::newRow("line without code stays in its multi-line reply")
        << QByteArray("250-a\r\nfoo\r\n250 b\r\n")
        << QList<Reply>{reply(250, {"a", "foo", "b"}, "250-a\r\nfoo\r\n250 b\r\n", {Violation::MalformedCode})};
    const QByteArray longLine = "250 " + QByteArray(600, 'x') + "\r\n";
    QTest::newRow("line over 512 octets")
        << longLine << QList<Reply>{reply(250, {QString(600, QLatin1Char('x'))}, longLine, {Violation::LineTooLong})};
    const QByteArray exactLine = "250 " + QByteArray(506, 'x') + "\r\n";
    QTest::newRow("line of exactly 512 octets is fine")
        << exactLine << QList<Reply>{reply(250, {QString(506, QLatin1Char('x'))}, exactLine)};
    QTest::newRow("bare CR inside a line")
        << QByteArray("250 a\rb\r\n") << QList<Reply>{reply(250, {"ab"}, "250 a\rb\r\n", {Violation::BareCarriageReturn})};
    QTest::newRow("NUL byte")
        << QByteArray("250 a\0b\r\n", 9)
        << QList<Reply>{reply(250, {QString::fromLatin1("a\0b", 3)}, QByteArray("250 a\0b\r\n", 9), {Violation::NulByte})};
    QTest::newRow("control byte")
        << QByteArray("250 a\x01" "b\r\n")
        << QList<Reply>{reply(250, {QString::fromLatin1("a\x01" "b")}, "250 a\x01" "b\r\n", {Violation::ControlCharacter})};
    QTest::newRow("terminal escapes are control characters")
        << QByteArray("250 \x1b[2J\x1b]0;t\x07ok\r\n")
        << QList<Reply>{reply(250, {QString::fromLatin1("\x1b[2J\x1b]0;t\x07ok")}, "250 \x1b[2J\x1b]0;t\x07ok\r\n", {Violation::ControlCharacter})};
    QTest::newRow("C1 control in UTF-8 (CSI U+009B)")
        << QByteArray("250 a\xc2\x9b" "2Jb\r\n")
        << QList<Reply>{reply(250, {QStringLiteral("a\u009b" "2Jb")}, "250 a\xc2\x9b" "2Jb\r\n", {Violation::ControlCharacter})};
    QTest::newRow("bidi override")
        << QByteArray("250 gnp.\xe2\x80\xae" "exe\r\n")
        << QList<Reply>{reply(250, {QStringLiteral("gnp.\u202eexe")}, "250 gnp.\xe2\x80\xae" "exe\r\n", {Violation::BidiControl})};
    QTest::newRow("zero-width space")
        << QByteArray("250 pay\xe2\x80\x8bpal\r\n")
        << QList<Reply>{reply(250, {QStringLiteral("pay\u200bpal")}, "250 pay\xe2\x80\x8bpal\r\n", {Violation::InvisibleCharacter})};
    QTest::newRow("tab is allowed")
        << QByteArray("250 a\tb\r\n") << QList<Reply>{reply(250, {"a\tb"}, "250 a\tb\r\n")};
    QTest::newRow("invalid UTF-8")
        << QByteArray("250 \xff\xfe\r\n")
        << QList<Reply>{reply(250, {QString(2, QChar::ReplacementCharacter)}, "250 \xff\xfe\r\n", {Violation::InvalidUtf8})};
    QTest::newRow("valid UTF-8")
        << QByteArray("250 caf\xc3\xa9\r\n") << QList<Reply>{reply(250, {QStringLiteral("caf\u00e9")}, "250 caf\xc3\xa9\r\n")};
    QTest::newRow("enhanced status code")
        << QByteArray("550 5.1.1 User unknown\r\n")
        << QList<Reply>{reply(550, {"5.1.1 User unknown"}, "550 5.1.1 User unknown\r\n", {}, EnhancedStatus{5, 1, 1})};
    QTest::newRow("enhanced class does not match the code")
        << QByteArray("550 4.1.1 odd\r\n")
        << QList<Reply>{reply(550, {"4.1.1 odd"}, "550 4.1.1 odd\r\n", {Violation::EnhancedClassMismatch}, EnhancedStatus{4, 1, 1})};
    QTest::newRow("malformed enhanced code")
        << QByteArray("550 5.01.1 odd\r\n")
        << QList<Reply>{reply(550, {"5.01.1 odd"}, "550 5.01.1 odd\r\n", {Violation::MalformedEnhancedCode})};
    QTest::newRow("enhanced code changes between lines")
        << QByteArray("550-5.1.1 a\r\n550 5.2.1 b\r\n")
        << QList<Reply>{reply(550, {"5.1.1 a", "5.2.1 b"}, "550-5.1.1 a\r\n550 5.2.1 b\r\n",
                              {Violation::EnhancedCodeChanged}, EnhancedStatus{5, 1, 1})};
    QTest::newRow("enhanced code repeated on each line")
        << QByteArray("452-4.2.2 full\r\n452 4.2.2 try later\r\n")
        << QList<Reply>{reply(452, {"4.2.2 full", "4.2.2 try later"}, "452-4.2.2 full\r\n452 4.2.2 try later\r\n", {},
                              EnhancedStatus{4, 2, 2})};
    QTest::newRow("AUTH challenge is not an enhanced code")
        << QByteArray("334 VXNlcm5hbWU6\r\n") << QList<Reply>{reply(334, {"VXNlcm5hbWU6"}, "334 VXNlcm5hbWU6\r\n")};
    QTest::newRow("two replies back to back")
        << QByteArray("250 a\r\n354 go\r\n")
        << QList<Reply>{reply(250, {"a"}, "250 a\r\n"), reply(354, {"go"}, "354 go\r\n")};
    QTest::newRow("violations belong to their own reply")
        << QByteArray("250 a\n250 b\r\n")
        << QList<Reply>{reply(250, {"a"}, "250 a\n", {Violation::BareLineFeed}), reply(250, {"b"}, "250 b\r\n")};
    QTest::newRow("truncated at end of input")
        << QByteArray("250-a\r\n250 b")
        << QList<Reply>{reply(250, {"a", "b"}, "250-a\r\n250 b", {Violation::Truncated})};
}

void TestReplyParser::parse()
{
    QFETCH(QByteArray, input);
    QFETCH(QList<Reply>, expected);
    const QList<Reply> actual = parseAll(input, {});
    QCOMPARE(actual.size(), expected.size());
    for (qsizetype i = 0; i < actual.size(); ++i) {
        QCOMPARE(actual[i].code, expected[i].code);
        QCOMPARE(actual[i].lines, expected[i].lines);
        QCOMPARE(actual[i].violations, expected[i].violations);
        QCOMPARE(actual[i].enhanced.has_value(), expected[i].enhanced.has_value());
        QCOMPARE(actual[i].raw, expected[i].raw);
        QVERIFY(actual[i] == expected[i]);
    }
}

void TestReplyParser::byteAtATimeGivesTheSameResult()
{
    QFETCH(QByteArray, input);
    QFETCH(QList<Reply>, expected);
    QVERIFY(parseAll(input, {1}) == expected);
}

void TestReplyParser::randomChunksGiveTheSameResult()
{
    QFETCH(QByteArray, input);
    QFETCH(QList<Reply>, expected);
    QRandomGenerator random(42);
    for (int round = 0; round < 20; ++round) {
        QList<int> sizes;
        for (int i = 0; i < 16; ++i)
            sizes.append(random.bounded(1, 8));
        QVERIFY(parseAll(input, sizes) == expected);
    }
}

void TestReplyParser::textStripsEnhancedCodes()
{
    ReplyParser parser;
    parser.feed("452-4.2.2 Mailbox full\r\n452 4.2.2 Try again later\r\n");
    const QList<Reply> replies = parser.takeReplies();
    QCOMPARE(replies.size(), 1);
    QCOMPARE(replies[0].text(), QStringLiteral("Mailbox full\nTry again later"));
    QCOMPARE(replies[0].toDisplayString(), QStringLiteral("452-4.2.2 Mailbox full\n452 4.2.2 Try again later"));
}

void TestReplyParser::endlessLineStopsAtTheLimit()
{
    ReplyParser parser;
    const QByteArray chunk(4096, 'x');
    for (int i = 0; i < 10; ++i)
        parser.feed(chunk);
    QVERIFY(parser.hasError());
    QVERIFY(parser.errorString().contains(QLatin1String("without ending the line")));
    parser.feed("250 OK\r\n");
    QVERIFY(!parser.hasReplies()); // ignored after the error
}

void TestReplyParser::endlessReplyStopsAtTheLimit()
{
    ReplyParser::Limits limits;
    limits.maxLines = 10;
    ReplyParser parser(limits);
    for (int i = 0; i < 20; ++i)
        parser.feed("250-again\r\n");
    QVERIFY(parser.hasError());
    QVERIFY(!parser.hasReplies());
}

void TestReplyParser::lineLimitDoesNotDependOnTheSplit_data()
{
    QTest::addColumn<int>("contentBytes");
    QTest::addColumn<QByteArray>("lineEnd");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("exactly the limit, CRLF") << 64 << QByteArray("\r\n") << true;
    QTest::newRow("exactly the limit, bare LF") << 64 << QByteArray("\n") << true;
    QTest::newRow("one over the limit, CRLF") << 65 << QByteArray("\r\n") << false;
    QTest::newRow("one over the limit, bare LF") << 65 << QByteArray("\n") << false;
}

// Found by fuzzing in random chunks: the limit must judge a line the same wherever the
// bytes are split, the CR of CRLF included.
void TestReplyParser::lineLimitDoesNotDependOnTheSplit()
{
    QFETCH(int, contentBytes);
    QFETCH(QByteArray, lineEnd);
    QFETCH(bool, accepted);
    ReplyParser::Limits limits;
    limits.maxLineBytes = 64;
    const QByteArray line = "250 " + QByteArray(contentBytes - 4, 'x') + lineEnd;
    for (qsizetype split = 0; split <= line.size(); ++split) {
        ReplyParser parser(limits);
        parser.feed(QByteArrayView(line).first(split));
        parser.feed(QByteArrayView(line).sliced(split));
        QCOMPARE(parser.hasError(), !accepted);
        QCOMPARE(parser.takeReplies().size(), accepted ? 1 : 0);
    }
}

void TestReplyParser::truncatedReplyIsKeptAndMarked()
{
    ReplyParser parser;
    parser.feed("250-first line\r\n250-second");
    QVERIFY(parser.isInsideReply());
    const auto last = parser.finish();
    QVERIFY(last.has_value());
    QCOMPARE(last->lines, (QStringList{"first line", "second"}));
    QVERIFY(last->violations.contains(Violation::Truncated));
}

void TestReplyParser::nothingPendingGivesNothing()
{
    ReplyParser parser;
    parser.feed("250 OK\r\n");
    QVERIFY(!parser.isInsideReply());
    QVERIFY(!parser.finish().has_value());
}

QTEST_APPLESS_MAIN(TestReplyParser)
#include "tst_replyparser.moc"
