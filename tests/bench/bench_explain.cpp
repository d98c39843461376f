// On demand: build/tests/bench_explain. Measures decoding and explaining a large generated
// transcript, the work behind `smtpwb explain` in stream mode.

#include "explaincommand.h"
#include "knowledge/explainer.h"
#include "protocol/replyparser.h"

#include <QBuffer>
#include <QTest>

using namespace smtp;

namespace {
// About one million reply lines: a realistic mix of single and multi-line replies.
QByteArray transcript(int lines, bool distinctFailures = false)
{
    const QByteArray blocks[] = {
        "220 mx.example.com ESMTP Postfix\r\n",
        "250-mx.example.com\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-STARTTLS\r\n250-ENHANCEDSTATUSCODES\r\n250 8BITMIME\r\n",
        "250 2.1.0 Ok\r\n",
        "550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown in virtual mailbox table\r\n",
        "452 4.2.2 Mailbox full\r\n",
        "354 End data with <CR><LF>.<CR><LF>\r\n",
        "250 2.0.0 Ok: queued as 4Bf0xY1z2\r\n",
        "221 2.0.0 Bye\r\n",
    };
    QByteArray out;
    int count = 0;
    int serial = 0;
    while (count < lines) {
        for (const QByteArray &b : blocks) {
            // Real logs name a different recipient in each refusal: no two texts alike.
            out += distinctFailures && b.startsWith('5') ? QByteArray(b).replace("bob@", "bob" + QByteArray::number(++serial) + "@") : b;
            count += b.count('\n');
        }
    }
    return out;
}
// Where the output goes when it is not kept: like `> /dev/null` (or a pipe to a reader
// that keeps up), it is encoded to UTF-8 and written, then dropped. Counting a growing
// QString instead measures the memory allocator, not explain.
class Sink : public QIODevice
{
public:
    Sink() { open(QIODevice::WriteOnly); }
    qint64 written = 0;

protected:
    qint64 readData(char *, qint64) override { return -1; }
    qint64 writeData(const char *, qint64 size) override
    {
        written += size;
        return size;
    }
};
} // namespace

class BenchExplain : public QObject
{
    Q_OBJECT
private slots:
    void parseOnly();
    void parseAndExplain();
    void streamModeBrief();
    void streamModeJson();
    void streamModeText();
    void streamModeJsonDistinctFailures();

private:
    void runStream(const QByteArray &data, const QString &option);
    const QByteArray m_data = transcript(1'000'000);
};

void BenchExplain::parseOnly()
{
    qsizetype replies = 0;
    QBENCHMARK {
        ReplyParser parser;
        for (qsizetype pos = 0; pos < m_data.size(); pos += 64 * 1024) {
            parser.feed(QByteArrayView(m_data).sliced(pos, qMin<qsizetype>(64 * 1024, m_data.size() - pos)));
            replies += parser.takeReplies().size();
        }
    }
    QVERIFY(replies > 0);
}

void BenchExplain::parseAndExplain()
{
    qsizetype explained = 0;
    QBENCHMARK {
        ReplyParser parser;
        Explainer explainer;
        for (qsizetype pos = 0; pos < m_data.size(); pos += 64 * 1024) {
            parser.feed(QByteArrayView(m_data).sliced(pos, qMin<qsizetype>(64 * 1024, m_data.size() - pos)));
            for (const Reply &r : parser.takeReplies())
                explained += explainer.explain(r).summary.size() > 0;
        }
    }
    QVERIFY(explained > 0);
}

void BenchExplain::runStream(const QByteArray &source, const QString &option)
{
    QStringList arguments{QStringLiteral("smtpwb"), QStringLiteral("explain")};
    if (!option.isEmpty())
        arguments << option;
    qint64 written = 0;
    QBENCHMARK {
        QByteArray data = source;
        QBuffer in(&data);
        in.open(QIODevice::ReadOnly);
        Sink outSink;
        QString errText;
        QTextStream out(&outSink), err(&errText);
        QCOMPARE(cli::runExplain(arguments, in, out, err), 0);
        out.flush();
        written = outSink.written;
    }
    qInfo("%lld MB of output", written / (1024 * 1024));
}

void BenchExplain::streamModeBrief()
{
    runStream(m_data, QStringLiteral("--brief"));
}

void BenchExplain::streamModeJson()
{
    runStream(m_data, QStringLiteral("--json"));
}

void BenchExplain::streamModeText()
{
    runStream(m_data, QString());
}

void BenchExplain::streamModeJsonDistinctFailures()
{
    runStream(transcript(1'000'000, true), QStringLiteral("--json"));
}

QTEST_GUILESS_MAIN(BenchExplain)
#include "bench_explain.moc"
