#include "protocol/replyparser.h"
#include "session/transcript.h"

#include <QTemporaryDir>
#include <QTest>

using namespace smtp;
using Kind = TranscriptEvent::Kind;

namespace {
TranscriptEvent event(Kind kind, const QString &text, int msec)
{
    TranscriptEvent e;
    e.kind = kind;
    e.text = text;
    e.time = QDateTime(QDate(2026, 11, 23), QTime(10, 0, 0, msec));
    return e;
}

Transcript sample()
{
    Transcript t;
    t.append(event(Kind::Connecting, QStringLiteral("Connecting to mx.test port 25 (plain)"), 0));
    t.append(event(Kind::Sent, QStringLiteral("EHLO client.test"), 10));
    TranscriptEvent r = event(Kind::Received, QStringLiteral("250-mx.test\n250 SIZE 1000"), 20);
    ReplyParser parser;
    parser.feed("250-mx.test\r\n250 SIZE 1000\n");
    r.reply = parser.takeReplies().first();
    r.answers = QStringLiteral("EHLO client.test");
    r.context = QStringLiteral("EHLO");
    r.annotation = QStringLiteral("Success - Mail system - Requested mail action okay, completed");
    r.latencyMs = 10;
    t.append(r);
    TranscriptEvent f = event(Kind::Received, QStringLiteral("550 5.1.1 <x@y> unknown"), 30);
    parser.feed("550 5.1.1 <x@y> unknown\r\n");
    f.reply = parser.takeReplies().first();
    f.context = QStringLiteral("RCPT");
    f.overTls = true;
    t.append(f);
    t.append(event(Kind::Warning, QStringLiteral("Protocol violation: bare LF"), 40));
    t.append(event(Kind::Closed, QStringLiteral("Connection closed."), 50));
    return t;
}
} // namespace

class TestTranscript : public QObject
{
    Q_OBJECT
private slots:
    void textHasArrows();
    void htmlIsColouredAndEscaped();
    void jsonRoundTrip();
    void badJsonSaysWhy_data();
    void badJsonSaysWhy();
    void saveByExtension();
    void exportsShowHiddenCharactersAsMarks();
};

void TestTranscript::exportsShowHiddenCharactersAsMarks()
{
    const QByteArray raw = "250 a\x1b[2J\x1b]0;t\x07 gnp.\xe2\x80\xae" "exe pay\xe2\x80\x8bpal\r\n";
    ReplyParser parser;
    parser.feed(raw);
    const Reply reply = parser.takeReplies().first();
    TranscriptEvent e = ::event(Kind::Received, reply.toDisplayString(), 10);
    e.reply = reply;
    e.annotation = QStringLiteral("note \u202e\x1b[1A");
    Transcript t;
    t.append(e);
    for (const QString &shown : {t.toText(), t.toHtml()}) {
        for (const QChar c : {QChar(0x1b), QChar(0x07), QChar(0x202e), QChar(0x200b)})
            QVERIFY2(!shown.contains(c), qPrintable(shown));
        QVERIFY2(shown.contains(QStringLiteral("⟨ESC⟩[2J⟨ESC⟩]0;t⟨BEL⟩ gnp.⟨RLO⟩exe pay⟨ZWSP⟩pal")), qPrintable(shown));
        QVERIFY(shown.contains(QStringLiteral("note ⟨RLO⟩⟨ESC⟩[1A")));
    }
    const QByteArray json = t.toJson();
    QVERIFY(!json.contains("\xe2\x80\xae"));
    QVERIFY(!json.contains('\x1b'));
    QString error;
    const auto back = Transcript::fromJson(json, &error);
    QVERIFY2(back.has_value(), qPrintable(error));
    QCOMPARE(back->events().first().text, e.text); // the exact text, escaped in the file
    QVERIFY(back->events().first().reply->violations.contains(Violation::BidiControl));
}

void TestTranscript::textHasArrows()
{
    const QString text = sample().toText();
    QVERIFY(text.contains(QLatin1String("10:00:00.010  -> EHLO client.test\n")));
    QVERIFY(text.contains(QLatin1String("10:00:00.020 <-  250-mx.test\n")));
    QVERIFY(text.contains(QLatin1String("<-  250 SIZE 1000   [10 ms]   # Success")));
    QVERIFY(text.contains(QLatin1String("<~* 550 5.1.1")));
    QVERIFY(text.contains(QLatin1String("*** warning: Protocol violation")));
}

void TestTranscript::htmlIsColouredAndEscaped()
{
    const QString html = sample().toHtml();
    QVERIFY(html.contains(QLatin1String("class=\"c5\"")));
    QVERIFY(html.contains(QLatin1String("class=\"c2\"")));
    QVERIFY(html.contains(QLatin1String("&lt;x@y&gt;")));
    QVERIFY(!html.contains(QLatin1String("<x@y>")));
}

void TestTranscript::jsonRoundTrip()
{
    const Transcript original = sample();
    QString error;
    const auto loaded = Transcript::fromJson(original.toJson(), &error);
    QVERIFY2(loaded, qPrintable(error));
    QCOMPARE(loaded->size(), original.size());
    QVERIFY(*loaded == original);
    QVERIFY(loaded->events().at(2).reply->violations.contains(Violation::BareLineFeed));
}

void TestTranscript::badJsonSaysWhy_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("message");
    QTest::newRow("not JSON") << QByteArray("{oops") << "Not JSON";
    QTest::newRow("another format") << QByteArray("{\"format\":\"x\"}") << "Not an SMTP Workbench transcript";
    QTest::newRow("newer version") << QByteArray("{\"format\":\"smtp-workbench-transcript\",\"version\":99}") << "newer";
    QTest::newRow("unknown kind") << QByteArray("{\"format\":\"smtp-workbench-transcript\",\"version\":1,"
                                                "\"events\":[{\"kind\":\"boom\"}]}") << "unknown kind";
    QTest::newRow("raw is not one reply") << QByteArray("{\"format\":\"smtp-workbench-transcript\",\"version\":1,"
                                                        "\"events\":[{\"kind\":\"received\",\"raw\":\"\"}]}") << "one reply";
}

void TestTranscript::badJsonSaysWhy()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, message);
    QString error;
    QVERIFY(!Transcript::fromJson(json, &error));
    QVERIFY2(error.contains(message), qPrintable(error));
}

void TestTranscript::saveByExtension()
{
    QTemporaryDir dir;
    QString error;
    for (const QString &name : {QStringLiteral("t.json"), QStringLiteral("t.html"), QStringLiteral("t.txt")})
        QVERIFY2(sample().save(dir.filePath(name), &error), qPrintable(error));
    QFile json(dir.filePath(QStringLiteral("t.json")));
    QVERIFY(json.open(QIODevice::ReadOnly));
    QVERIFY(Transcript::fromJson(json.readAll(), &error));
    QFile html(dir.filePath(QStringLiteral("t.html")));
    QVERIFY(html.open(QIODevice::ReadOnly));
    QVERIFY(html.readAll().startsWith("<!DOCTYPE html>"));
    QVERIFY(!sample().save(QStringLiteral("/nonexistent/dir/t.txt"), &error));
    QVERIFY(error.contains(QLatin1String("Cannot write")));
}

QTEST_APPLESS_MAIN(TestTranscript)
#include "tst_transcript.moc"
