// On demand: QT_QPA_PLATFORM=offscreen build/tests/app/gui/bench_transcriptmodel
// 100,000 transcript rows appended to the model behind a shown view, then scrolled.

#include "protocol/replyparser.h"
#include "transcriptmodel.h"

#include <QScrollBar>
#include <QTest>
#include <QTreeView>

using namespace smtp;
using namespace smtp::gui;

class BenchTranscriptModel : public QObject
{
    Q_OBJECT
private slots:
    void append100k();
    void scroll100k();

private:
    static QList<TranscriptEvent> events(int count)
    {
        ReplyParser parser;
        parser.feed("250-mx.example.com\r\n250-PIPELINING\r\n250 SIZE 10240000\r\n550 5.1.1 <x@y>: unknown\r\n");
        const QList<Reply> replies = parser.takeReplies();
        QList<TranscriptEvent> out;
        for (int i = 0; i < count; ++i) {
            TranscriptEvent e;
            e.time = QDateTime::currentDateTime();
            if (i % 2) {
                e.kind = TranscriptEvent::Kind::Received;
                e.reply = replies[(i / 2) % 2];
                e.text = e.reply->toDisplayString();
                e.annotation = QStringLiteral("Permanent failure - Mail system - 5.1.1 Bad destination mailbox address");
                e.latencyMs = 12;
            } else {
                e.kind = TranscriptEvent::Kind::Sent;
                e.text = QStringLiteral("RCPT TO:<user%1@example.com>").arg(i);
            }
            out.append(e);
        }
        return out;
    }
};

void BenchTranscriptModel::append100k()
{
    const QList<TranscriptEvent> list = events(100'000);
    QBENCHMARK_ONCE {
        TranscriptModel model;
        QTreeView view;
        view.setUniformRowHeights(true);
        view.setModel(&model);
        view.resize(1000, 700);
        view.show();
        for (const TranscriptEvent &e : list)
            model.append(e);
        view.scrollToBottom();
        QCoreApplication::processEvents();
        QCOMPARE(model.rowCount(), 100'000);
    }
}

void BenchTranscriptModel::scroll100k()
{
    TranscriptModel model;
    model.setEvents(events(100'000));
    QTreeView view;
    view.setUniformRowHeights(true);
    view.setModel(&model);
    view.resize(1000, 700);
    view.show();
    QCoreApplication::processEvents();
    // One page down and a repaint, as a person scrolling does.
    QBENCHMARK {
        QScrollBar *bar = view.verticalScrollBar();
        bar->setValue((bar->value() + bar->pageStep()) % bar->maximum());
        view.viewport()->repaint();
    }
}

QTEST_MAIN(BenchTranscriptModel)
#include "bench_transcriptmodel.moc"
