// On demand, never a test: messages per second of BounceParser over the shared corpus.
#include "bounce/bounceparser.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTest>

using namespace smtp;

class BenchBounce : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void corpus();

private:
    QList<QByteArray> m_messages;
};

void BenchBounce::initTestCase()
{
    const QDir dir(QStringLiteral(BOUNCE_CORPUS_DIR "/emails"));
    for (const QString &name : dir.entryList(QDir::Files, QDir::Name)) {
        QFile file(dir.filePath(name));
        if (file.open(QIODevice::ReadOnly))
            m_messages.append(file.readAll());
    }
    if (m_messages.isEmpty())
        QSKIP("the bounce corpus is not beside the checkout");
    BounceParser::parse(m_messages.first()); // load the rules and GMime outside the measure
}

void BenchBounce::corpus()
{
    QElapsedTimer timer;
    qint64 rounds = 0;
    timer.start();
    QBENCHMARK {
        for (const QByteArray &m : m_messages)
            BounceParser::parse(m);
        ++rounds;
    }
    const double seconds = timer.nsecsElapsed() / 1e9;
    qInfo("%lld messages in %.3f s: %.0f messages per second (one thread)", qlonglong(rounds * m_messages.size()),
          seconds, rounds * m_messages.size() / seconds);
}

QTEST_GUILESS_MAIN(BenchBounce)
#include "bench_bounce.moc"
