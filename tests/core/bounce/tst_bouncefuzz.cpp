// Broken input of every kind ends in a report (with notes), never a crash or a hang.
#include "bounce/bounceparser.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QTest>

using namespace smtp;

namespace {
QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QStringList messages()
{
    QStringList out;
    const QDir own(QStringLiteral(BOUNCE_DATA_DIR));
    for (const QString &name : own.entryList(QDir::Files, QDir::Name))
        out.append(own.filePath(name));
    const QDir corpus(QStringLiteral(BOUNCE_CORPUS_DIR "/emails"));
    for (const char *name : {"lhost-postfix-01.eml", "lhost-exim-01.eml", "lhost-qmail-01.eml", "lhost-sendmail-01.eml",
                             "lhost-gmail-01.eml", "arf-16.eml", "lhost-office365-01.eml", "rfc3834-01.eml"}) {
        if (corpus.exists(QLatin1String(name)))
            out.append(corpus.filePath(QLatin1String(name)));
    }
    return out;
}
} // namespace

class TestBounceFuzz : public QObject
{
    Q_OBJECT
private slots:
    void truncatedEvery97Bytes_data();
    void truncatedEvery97Bytes();
    void randomBinary();
    void tenMegabytes();
    void malformedMime_data();
    void malformedMime();
};

void TestBounceFuzz::truncatedEvery97Bytes_data()
{
    QTest::addColumn<QString>("path");
    for (const QString &path : messages())
        QTest::newRow(qPrintable(QFileInfo(path).fileName())) << path;
}

void TestBounceFuzz::truncatedEvery97Bytes()
{
    QFETCH(QString, path);
    const QByteArray whole = readFile(path);
    QVERIFY(!whole.isEmpty());
    for (qsizetype cut = 0; cut < whole.size(); cut += 97) {
        const BounceReport report = BounceParser::parse(whole.left(cut));
        // Whatever was read, the report is consistent.
        QVERIFY(report.isBounce ? !report.recipients.isEmpty() : true);
        if (report.recipients.isEmpty())
            QVERIFY2(!report.notes.isEmpty(), qPrintable(QStringLiteral("no note at byte %1").arg(cut)));
    }
}

void TestBounceFuzz::randomBinary()
{
    QRandomGenerator random(20260303);
    for (int i = 0; i < 200; ++i) {
        QByteArray junk(int(random.bounded(1, 8192)), Qt::Uninitialized);
        for (char &c : junk)
            c = char(random.bounded(256));
        const BounceReport report = BounceParser::parse(junk);
        if (report.recipients.isEmpty())
            QVERIFY(!report.notes.isEmpty());
    }
}

void TestBounceFuzz::tenMegabytes()
{
    QByteArray big = readFile(QStringLiteral(BOUNCE_DATA_DIR "/postfix-dsn.eml"));
    const qsizetype end = big.lastIndexOf("--B0UNDARY.1/mx.example.org--");
    QVERIFY(end > 0);
    QByteArray filler;
    filler.reserve(10 * 1024 * 1024);
    while (filler.size() < 10 * 1024 * 1024)
        filler += "X-Filler: the same long header line again and again, to make a big message\n";
    big.insert(end, "Content-Type: text/plain\n\n" + filler + "\n");
    // It ends, with the answer: how fast is for bench_bounce, not for a test.
    const BounceReport report = BounceParser::parse(big);
    QVERIFY(report.isBounce);
    QCOMPARE(report.recipients.first().recipient, QStringLiteral("bob@example.net"));
}

void TestBounceFuzz::malformedMime_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::newRow("multipart without boundary")
        << QByteArray("From: MAILER-DAEMON@x.example\nSubject: Undelivered Mail\nContent-Type: multipart/report\n\n"
                      "<bob@example.net>: host x said: 550 5.1.1 user unknown\n");
    QTest::newRow("boundary never closed")
        << QByteArray("From: MAILER-DAEMON@x.example\nContent-Type: multipart/report; boundary=zz\n\n--zz\n"
                      "Content-Type: message/delivery-status\n\nFinal-Recipient: rfc822; bob@example.net\nStatus: 5.1.1\n");
    QTest::newRow("bad base64")
        << QByteArray("From: MAILER-DAEMON@x.example\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\n!!!%%%***\n");
    QTest::newRow("unknown charset")
        << QByteArray("From: MAILER-DAEMON@x.example\nContent-Type: text/plain; charset=x-no-such\n\n<bob@example.net>: 550 no\n");
    QTest::newRow("nested too deep") << [] {
        QByteArray m("From: MAILER-DAEMON@x.example\n");
        for (int i = 0; i < 200; ++i)
            m += "Content-Type: multipart/mixed; boundary=b" + QByteArray::number(i) + "\n\n--b" + QByteArray::number(i) + "\n";
        return m;
    }();
    QTest::newRow("headers only") << QByteArray("From: a@b.example\nSubject: x\n");
    QTest::newRow("NUL bytes") << QByteArray("From: MAILER-DAEMON@x.example\n\n\0\0\0 550 5.1.1 <a@b.example>\n", 60);
}

void TestBounceFuzz::malformedMime()
{
    QFETCH(QByteArray, message);
    const BounceReport report = BounceParser::parse(message);
    QVERIFY(!report.recipients.isEmpty() || !report.notes.isEmpty());
}

QTEST_GUILESS_MAIN(TestBounceFuzz)
#include "tst_bouncefuzz.moc"
