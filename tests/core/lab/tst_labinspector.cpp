// The message inspector on messages as a class sends them: what it finds, and that what
// it shows of untrusted bytes is safe to show.

#include "lab/labinspector.h"

#include <QTest>

using namespace smtp;

namespace {
LabMessage message(const QByteArray &data)
{
    LabMessage m;
    m.sender = QStringLiteral("teacher@school.example");
    m.recipients = {QStringLiteral("alice@lab.test")};
    m.data = data;
    return m;
}

const QByteArray tidy = "Date: Fri, 04 Dec 2026 09:00:00 +0000\r\nFrom: teacher@school.example\r\n"
                        "Message-ID: <1@school.example>\r\nSubject: =?UTF-8?Q?caf=C3=A9?=\r\n"
                        "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
                        "--b\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                        "caf=E9\r\n--b\r\nContent-Type: application/pdf; name=a.pdf\r\nContent-Disposition: attachment; filename=a.pdf\r\n"
                        "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n--b--\r\n";
} // namespace

class TestLabInspector : public QObject
{
    Q_OBJECT
private slots:
    void aTidyMessageIsLaidOut();
    void whatBreaksTheRulesIsFound();
    void hostileBytesAreShownAsMarks();
};

void TestLabInspector::aTidyMessageIsLaidOut()
{
    const LabMessage m = message(tidy);
    const LabInspection i = LabInspection::of(m);
    QVERIFY2(i.notes.isEmpty(), qPrintable(i.notes.value(0).text));
    QVERIFY2(LabInspection::quickNotes(m).isEmpty(), qPrintable(LabInspection::quickNotes(m).value(0).text));
    const LabMessage folded = message("Date: Fri, 04 Dec 2026\r\n 09:00:00 +0000\r\nFrom: a@school.example\r\nMessage-ID:\r\n\t<2@school.example>\r\n\r\nhi\r\n");
    QVERIFY(LabInspection::quickNotes(folded).isEmpty());
    const QList<LabInspection::Note> noHeader = LabInspection::quickNotes(message("just some text\r\nand more\r\n"));
    QCOMPARE(noHeader.size(), 1);
    QCOMPARE(noHeader.first().kind, LabInspection::Finding::NotMime);
    QCOMPARE(i.tree.parts.size(), 3);
    QCOMPARE(i.tree.parts.at(1).type, QStringLiteral("text/plain"));
    QCOMPARE(i.tree.parts.at(1).text.trimmed(), QStringLiteral("café")); // decoded and converted
    QCOMPARE(i.tree.parts.at(2).filename, QStringLiteral("a.pdf"));
    QCOMPARE(i.tree.parts.at(2).size, 5);
    const QString text = i.toText(m);
    QVERIFY(text.contains(QLatin1String("Warnings: none")));
    QVERIFY(text.contains(QStringLiteral("Subject: café")));
    QVERIFY(text.contains(QLatin1String("    text/plain (charset iso-8859-1, quoted-printable, 4 octets decoded)")));
    QVERIFY(text.contains(QStringLiteral("   1 Date: Fri, 04 Dec 2026 09:00:00 +0000⏎")));
}

void TestLabInspector::whatBreaksTheRulesIsFound()
{
    LabMessage m = message("Subject: caf\xc3\xa9\r\n\r\n" + QByteArray(1200, 'x') + "\r\nshort\r\n");
    m.bareLineFeeds = 1;
    m.bareLineFeedLines = {4};
    m.longestLine = 1200;
    const LabInspection i = LabInspection::of(m);
    QVERIFY(i.has(LabInspection::Finding::BareLineFeed));
    QVERIFY(i.has(LabInspection::Finding::LongLine));
    QVERIFY(i.has(LabInspection::Finding::UndeclaredEightBit));
    QVERIFY(i.has(LabInspection::Finding::MissingDate));
    QVERIFY(i.has(LabInspection::Finding::MissingFrom));
    QVERIFY(i.has(LabInspection::Finding::MissingMessageId));
    QVERIFY(i.toText(m).contains(QStringLiteral("   4 short␊"))); // the line that ended in LF alone
    // The quick look (what smtpwb lab prints for each message) finds the same without GMime.
    const QList<LabInspection::Note> quick = LabInspection::quickNotes(m);
    QCOMPARE(quick.size(), i.notes.size());
    for (int k = 0; k < i.notes.size(); ++k)
        QCOMPARE(quick.at(k).text, i.notes.at(k).text);
    m.mailParameters = {QStringLiteral("BODY=8BITMIME")};
    QVERIFY(!LabInspection::of(m).has(LabInspection::Finding::UndeclaredEightBit)); // declared: fine
}

void TestLabInspector::hostileBytesAreShownAsMarks()
{
    LabMessage m = message("From: x\x1b[2J@evil.example\r\nSubject: \xe2\x80\xae" "fdp.exe\r\n\r\n\x1b]0;owned\x07\r\n");
    m.helo = QStringLiteral("\x1b[31mred");
    const QString text = LabInspection::of(m).toText(m);
    QVERIFY(!text.contains(QChar(0x1b)));
    QVERIFY(!text.contains(QChar(0x07)));
    QVERIFY(!text.contains(QChar(0x202e)));
    QVERIFY(text.contains(QStringLiteral("⟨ESC⟩")));
    QVERIFY(text.contains(QStringLiteral("⟨RLO⟩")));
}

QTEST_GUILESS_MAIN(TestLabInspector)
#include "tst_labinspector.moc"
