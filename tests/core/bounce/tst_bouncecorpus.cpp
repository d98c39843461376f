// Accuracy over the shared corpus of real bounces, against its expected.tsv: the share
// of recipients whose status, reply code, address and reason match, overall and per family.
#include "bounce/bounceparser.h"

#include <QDir>
#include <QFile>
#include <QMap>
#include <QRegularExpression>
#include <QTest>

using namespace smtp;

namespace {

// Floors reached so far, rounded down: they only go up.
constexpr double kFloorStatus = 0.99;
constexpr double kFloorReplyCode = 0.98;
constexpr double kFloorRecipient = 0.977;
constexpr double kFloorReason = 0.90;
constexpr double kFloorStrictStatus = 0.93;   // expected.tsv alone, where Sisimai rewrote the code
constexpr double kFloorStrictReplyCode = 0.96;

struct Score
{
    int total = 0;
    int status = 0;          // expected.tsv's code, or the message's own for this recipient
    int replyCode = 0;
    int strictStatus = 0;    // expected.tsv's code only
    int strictReplyCode = 0;
    int recipient = 0;
    int reason = 0;
};

QString percent(int n, int total)
{
    return total ? QString::number(100.0 * n / total, 'f', 1) : QStringLiteral("-");
}

QString family(const QString &file)
{
    static const QRegularExpression number(QStringLiteral("-\\d+\\.eml$"));
    QString f = file;
    f.remove(number);
    return f;
}

} // namespace

class TestBounceCorpus : public QObject
{
    Q_OBJECT
private slots:
    void accuracy();
};

void TestBounceCorpus::accuracy()
{
    const QDir corpus(QStringLiteral(BOUNCE_CORPUS_DIR));
    QFile expected(corpus.filePath(QStringLiteral("expected.tsv")));
    if (!expected.open(QIODevice::ReadOnly | QIODevice::Text)) {
        // CI always has the corpus beside the checkout: there, its absence is a failure.
        if (qEnvironmentVariable("CI") == QLatin1String("true"))
            QFAIL("The bounce corpus is missing (../shared/corpus/bounces/expected.tsv), and CI must have it");
        QSKIP("Skipped: the bounce corpus is not beside the checkout (../shared/corpus/bounces/expected.tsv missing)");
    }

    const QList<QByteArray> lines = expected.readAll().split('\n');
    QHash<QString, BounceReport> reports;
    QHash<QString, QString> raws;
    Score overall;
    int inferred = 0;
    QMap<QString, Score> families;
    static const QRegularExpression dsnStatus(QStringLiteral("^Status:\\s*([245]\\.\\d{1,3}\\.\\d{1,3})"),
                                              QRegularExpression::MultilineOption | QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression dsnCode(QStringLiteral("^Diagnostic-Code:\\s*smtp;\\s*([245]\\d\\d)"),
                                            QRegularExpression::MultilineOption | QRegularExpression::CaseInsensitiveOption);
    for (int i = 1; i < lines.size(); ++i) {
        const QStringList cells = QString::fromUtf8(lines.at(i)).split(QLatin1Char('\t'));
        if (cells.size() < 8)
            continue;
        const QString file = cells.at(0);
        if (!reports.contains(file)) {
            QFile f(corpus.filePath(QStringLiteral("emails/") + file));
            QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(file));
            const QByteArray data = f.readAll();
            raws.insert(file, QString::fromLatin1(data));
            reports.insert(file, BounceParser::parse(data));
        }
        const BounceReport &report = reports[file];
        const QString recipient = cells.at(2);
        const int index = cells.at(1).toInt();
        // The report's row for this recipient: by address, else by position.
        BounceRecipient mine;
        bool found = false;
        for (const BounceRecipient &r : report.recipients) {
            if (r.recipient.compare(recipient, Qt::CaseInsensitive) == 0) {
                mine = r;
                found = true;
                break;
            }
        }
        // Unmatched, the row at the same position still tells whether its codes were right.
        if (!found && index >= 1 && index <= report.recipients.size())
            mine = report.recipients.at(index - 1);
        if (report.recipients.isEmpty())
            mine.reason = QStringLiteral("notbounce");

        // The message's own delivery-status codes are right too (corpus README).
        QStringList ownStatus, ownCodes;
        for (auto it = dsnStatus.globalMatch(raws[file]); it.hasNext();)
            ownStatus.append(it.next().captured(1));
        for (auto it = dsnCode.globalMatch(raws[file]); it.hasNext();)
            ownCodes.append(it.next().captured(1));
        const QString myCode = mine.replyCode ? QString::number(mine.replyCode) : QString();

        Score &fam = families[family(file)];
        // expected.tsv gives the code a message carries: an inferred one counts as none.
        if (mine.statusInferred) {
            ++inferred;
            mine.status.clear();
        }
        const bool statusOk = mine.status == cells.at(3) || (!mine.status.isEmpty() && ownStatus.contains(mine.status));
        const bool codeOk = myCode == cells.at(5) || (!myCode.isEmpty() && ownCodes.contains(myCode));
        const bool recipientOk = mine.recipient.compare(recipient, Qt::CaseInsensitive) == 0;
        const bool reasonOk = mine.reason == cells.at(6);
        // BOUNCE_MISSES=1 lists every row whose reason or recipient is wrong, to study them.
        if (qEnvironmentVariableIsSet("BOUNCE_MISSES") && (!reasonOk || !recipientOk))
            qInfo().noquote() << QStringLiteral("miss %1 #%2 reason %3 (expected %4) rcpt %5 (expected %6)")
                                     .arg(file).arg(index).arg(mine.reason, cells.at(6), mine.recipient, recipient);
        for (Score *s : {&overall, &fam}) {
            ++s->total;
            s->status += statusOk;
            s->replyCode += codeOk;
            s->strictStatus += mine.status == cells.at(3);
            s->strictReplyCode += myCode == cells.at(5);
            s->recipient += recipientOk;
            s->reason += reasonOk;
        }
    }
    QVERIFY(overall.total > 0);

    qInfo().noquote() << QStringLiteral("%1 %2 %3 %4 %5 %6").arg(QStringLiteral("family"), -28)
                             .arg(QStringLiteral("rows"), 5).arg(QStringLiteral("status"), 7)
                             .arg(QStringLiteral("reply"), 7).arg(QStringLiteral("rcpt"), 7).arg(QStringLiteral("reason"), 7);
    auto row = [](const QString &name, const Score &s) {
        qInfo().noquote() << QStringLiteral("%1 %2 %3 %4 %5 %6").arg(name, -28).arg(s.total, 5)
                                 .arg(percent(s.status, s.total), 7).arg(percent(s.replyCode, s.total), 7)
                                 .arg(percent(s.recipient, s.total), 7).arg(percent(s.reason, s.total), 7);
    };
    for (auto it = families.cbegin(); it != families.cend(); ++it)
        row(it.key(), it.value());
    row(QStringLiteral("OVERALL"), overall);
    qInfo().noquote() << QStringLiteral("statuses inferred from the words (the message gives none): %1").arg(inferred);
    qInfo().noquote() << QStringLiteral("against expected.tsv alone: status %1%, reply code %2%")
                             .arg(percent(overall.strictStatus, overall.total), percent(overall.strictReplyCode, overall.total));

    const double n = overall.total;
    QVERIFY2(overall.status / n >= kFloorStatus, "status accuracy fell below its floor");
    QVERIFY2(overall.replyCode / n >= kFloorReplyCode, "reply code accuracy fell below its floor");
    QVERIFY2(overall.recipient / n >= kFloorRecipient, "recipient accuracy fell below its floor");
    QVERIFY2(overall.reason / n >= kFloorReason, "reason accuracy fell below its floor");
    QVERIFY2(overall.strictStatus / n >= kFloorStrictStatus, "status accuracy against expected.tsv alone fell below its floor");
    QVERIFY2(overall.strictReplyCode / n >= kFloorStrictReplyCode, "reply code accuracy against expected.tsv alone fell below its floor");
}

QTEST_GUILESS_MAIN(TestBounceCorpus)
#include "tst_bouncecorpus.moc"
