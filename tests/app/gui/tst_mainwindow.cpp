// The real window under the offscreen platform, against the built-in practice server.

#include "bouncepanel.h"
#include "detailview.h"
#include "dialogs.h"
#include "mainwindow.h"
#include "practicepanel.h"
#include "profiledialog.h"
#include "keyboard.h"
#include "statediagram.h"
#include "theme.h"
#include "transcriptmodel.h"
#include "../../core/session/fakeserver.h"

#include <QAbstractItemView>
#include <QCompleter>
#include <QIcon>
#include <QImage>
#include <QLineEdit>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QStatusBar>
#include <QStringListModel>
#include <QTabWidget>
#include <QComboBox>
#include <QLabel>
#include <QSettings>
#include <QStandardPaths>
#include <QPlainTextEdit>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QAbstractButton>
#include <QPushButton>
#include <QToolButton>
#include <QToolBar>
#include <QMenu>
#include <QListWidget>
#include <QApplication>
#include <QDockWidget>
#include <QSet>
#include <QGuiApplication>
#include <QScreen>
#include <QMenuBar>
#include <QTest>
#include <QTextBrowser>
#include <QTreeView>
#include <QHeaderView>

using namespace smtp;
using namespace smtp::gui;

namespace {
// The row of the last reply whose code is `code`, or -1.
int lastReplyRow(const TranscriptModel *model, int code)
{
    for (int row = model->rowCount() - 1; row >= 0; --row) {
        const TranscriptEvent *e = model->eventAt(model->index(row, 0));
        if (e->reply && e->reply->code == code)
            return row;
    }
    return -1;
}

void type(MainWindow &w, const QString &line)
{
    w.commandLine()->setFocus();
    w.commandLine()->clear();
    QTest::keyClicks(w.commandLine(), line);
    QTest::keyClick(w.commandLine(), Qt::Key_Return);
}

// Shows the window on a practice scenario and types EHLO, as a student starts.
bool startAndGreet(MainWindow &w, const QString &scenario)
{
    w.show();
    if (!w.startPractice(scenario)
        || !QTest::qWaitFor([&] { return w.session()->state() == SessionState::Greeted; }, 10000))
        return false;
    type(w, QStringLiteral("EHLO student.test"));
    return QTest::qWaitFor([&] { return w.session()->state() == SessionState::Ready; }, 10000);
}
} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // settings under ~/.qttest, not the user's own
        QCoreApplication::setOrganizationName(QStringLiteral("smtp-workbench-tests"));
    }
    // Each test starts from a first run: no zoom, layout, profile or recent host left over.
    void init() { QSettings().clear(); }
    void ehloRowIsAnnotatedAndExplained();
    void unknownUserShowsA5xxExplained();
    void historyAndCompletion();
    void credentialsInClearAreAskedForAndNeverRecalled();
    void hostileTextIsShownAsMarks();
    void iconsRender();
    void droppedConnectionKeepsTheRows();
    void stateDiagramFollowsTheSession();
    void commandDetailListsPossibleReplies();
    void bounceTabExplainsAPastedBounce();
    void bounceTabSaysWhenItIsNotABounce();
    void bounceTabTellsLateFromFailed();
    void bounceTabShowsQuotesAsTextAndWordsFirst();
    void zoomScalesEveryFontAndIsKept();
    void savingAProfileKeepsTheHostAndConnectsAgain();
    void enterInTheHostFieldConnectsOnce();
    void aTeachersScenarioFileStarts();
    void closingAsksAboutAnUnsavedTranscriptAndSaysQuit();
    void aGreetingAloneIsNotAskedAbout();
    void dialogsHaveNoClashingMnemonics();
    void trustingACertificateResumesStartTls();
    void layoutIsKeptAndFirstFitsTheScreen();
    void aNewConnectionIsMarkedInTheTranscript();
    void diagramAndPracticeShareTheSideWhenThereIsRoom();
    void theBounceTabHidesTheSessionPanels();
    void darkColoursAreKeptAndTheExportFollows();
    void focusIsVisibleAndKeysAreShown();
    void everyPanelComesBackFromTheViewMenu();
    void faultsChangeFromThePracticePanel();
    void theExerciseChecklistTicks();
    void certificateChainExportsAsPem();
    void presenterModeShowsTheTranscriptAndDiagramLarge();
    void diagramLabelsOverlapNothingAtAnyZoom_data();
    void diagramLabelsOverlapNothingAtAnyZoom();
};

void TestMainWindow::ehloRowIsAnnotatedAndExplained()
{
    MainWindow w;
    w.show();
    QVERIFY(w.startPractice(QStringLiteral("all-good")));
    QTRY_COMPARE_WITH_TIMEOUT(w.session()->state(), SessionState::Greeted, 10000);
    type(w, QStringLiteral("EHLO student.test"));
    QTRY_VERIFY_WITH_TIMEOUT(lastReplyRow(w.model(), 250) >= 0, 10000);
    const int row = lastReplyRow(w.model(), 250);
    const QModelIndex annotation = w.model()->index(row, TranscriptModel::AnnotationColumn);
    QVERIFY2(annotation.data().toString().startsWith(QLatin1String("Success - Mail system")),
             qPrintable(annotation.data().toString()));
    // A multi-line EHLO reply is one row with its lines grouped under it.
    QVERIFY(w.model()->rowCount(w.model()->index(row, 0)) >= 3);
    w.transcriptView()->setCurrentIndex(w.model()->index(row, 0));
    const QString detail = w.detailPane()->toPlainText();
    QVERIFY2(detail.contains(QLatin1String("2xx")), qPrintable(detail));
    QVERIFY(detail.contains(QLatin1String("Positive completion")));
    QVERIFY(detail.contains(QLatin1String("x5x")));
    QVERIFY(detail.contains(QLatin1String("After EHLO")));
    QVERIFY(detail.contains(QLatin1String("Raw bytes")));
    // Each keyword the server announced, with its parameters read.
    QVERIFY(detail.contains(QLatin1String("What the server offers")));
    QVERIFY2(detail.contains(QLatin1String("messages up to 10 MB (10485760 bytes)")), qPrintable(detail));
    QVERIFY(detail.contains(QLatin1String("RFC 2920")));
}

void TestMainWindow::unknownUserShowsA5xxExplained()
{
    MainWindow w;
    QVERIFY(startAndGreet(w, QStringLiteral("unknown-user")));
    type(w, QStringLiteral("MAIL FROM:<teacher@school.test>"));
    QTRY_COMPARE_WITH_TIMEOUT(w.session()->state(), SessionState::InTransaction, 10000);
    type(w, QStringLiteral("RCPT TO:<nobody@lab.test>"));
    QTRY_VERIFY_WITH_TIMEOUT(lastReplyRow(w.model(), 550) >= 0, 10000);
    const int row = lastReplyRow(w.model(), 550);
    const QModelIndex line = w.model()->index(row, TranscriptModel::TextColumn);
    QCOMPARE(line.data(TranscriptModel::ReplyClassRole).toInt(), 5);
    QCOMPARE(line.data(Qt::ForegroundRole).value<QColor>(), Theme::replyClass(5));
    QVERIFY(w.model()->index(row, TranscriptModel::AnnotationColumn).data().toString()
                .contains(QLatin1String("5.1.1 Bad destination mailbox address")));
    w.transcriptView()->setCurrentIndex(w.model()->index(row, 0));
    const QString detail = w.detailPane()->toPlainText();
    QVERIFY(detail.contains(QLatin1String("Enhanced status 5.1.1")));
    QVERIFY(detail.contains(QLatin1String("Addressing status")));
    QVERIFY(detail.contains(QLatin1String("After RCPT")));
    QVERIFY(detail.contains(QLatin1String("Not as it is")));
}

void TestMainWindow::credentialsInClearAreAskedForAndNeverRecalled()
{
    MainWindow w;
    int asked = 0;
    bool answer = false;
    w.setPlaintextAuthQuestion([&] { ++asked; return answer; });
    QVERIFY(startAndGreet(w, QStringLiteral("all-good")));
    const int rowsBefore = w.model()->rowCount();
    type(w, QStringLiteral("AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ="));
    QCOMPARE(asked, 1);
    QCOMPARE(w.model()->rowCount(), rowsBefore); // refused: nothing went out
    QVERIFY(w.statusBar()->currentMessage().contains(QLatin1String("Not sent")));

    answer = true;
    type(w, QStringLiteral("AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ="));
    QCOMPARE(asked, 2);
    QTRY_COMPARE_WITH_TIMEOUT(w.session()->pendingReplies(), 0, 10000);
    bool sent = false, warned = false;
    for (const TranscriptEvent &e : w.session()->transcript().events()) {
        sent = sent || (e.kind == TranscriptEvent::Kind::Sent && e.text.startsWith(QLatin1String("AUTH PLAIN")));
        warned = warned || (e.kind == TranscriptEvent::Kind::Warning && e.text.contains(QLatin1String("clear text")));
        QVERIFY(!e.text.contains(QLatin1String("AGFsaWNlAHdvbmRlcmxhbmQ=")));
    }
    QVERIFY(sent);
    QVERIFY(warned);
    type(w, QStringLiteral("AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ="));
    QCOMPARE(asked, 2); // once allowed, for the rest of this session

    // Up recalls EHLO, never the lines with credentials.
    QTest::keyClick(w.commandLine(), Qt::Key_Up);
    QCOMPARE(w.commandLine()->text(), QStringLiteral("EHLO student.test"));
}

void TestMainWindow::hostileTextIsShownAsMarks()
{
    FakeServer server({"S: 220 evil.test \x1b[2J ready", "C: EHLO *", "S: 250-evil.test gnp.\xe2\x80\xae" "exe",
                       "S: 250 pay\xe2\x80\x8bpal", "SILENT"});
    MainWindow w;
    w.show();
    w.connectTo(QStringLiteral("127.0.0.1"), server.serverPort());
    QTRY_COMPARE_WITH_TIMEOUT(w.session()->state(), SessionState::Greeted, 10000);
    type(w, QStringLiteral("EHLO student.test"));
    QTRY_VERIFY_WITH_TIMEOUT(lastReplyRow(w.model(), 250) >= 0, 10000);
    const QModelIndex ehlo = w.model()->index(lastReplyRow(w.model(), 250), TranscriptModel::TextColumn);
    QString shown = ehlo.data().toString();
    for (int i = 0; i < w.model()->rowCount(ehlo.siblingAtColumn(0)); ++i)
        shown += w.model()->index(i, TranscriptModel::TextColumn, ehlo.siblingAtColumn(0)).data().toString();
    QVERIFY2(shown.contains(QStringLiteral("gnp.⟨RLO⟩exe")), qPrintable(shown));
    QVERIFY(shown.contains(QStringLiteral("pay⟨ZWSP⟩pal")));
    QVERIFY(!shown.contains(QChar(0x202e)));
    const QModelIndex greeting = w.model()->index(lastReplyRow(w.model(), 220), TranscriptModel::TextColumn);
    QVERIFY(greeting.data().toString().contains(QStringLiteral("⟨ESC⟩[2J")));

    w.transcriptView()->setCurrentIndex(ehlo.siblingAtColumn(0));
    const QString detail = w.detailPane()->toPlainText();
    QVERIFY(!detail.contains(QChar(0x202e)));
    QVERIFY(!detail.contains(QChar(0x200b)));
    QVERIFY2(detail.contains(QLatin1String("bidirectional controls")), qPrintable(detail));
    QVERIFY(detail.contains(QLatin1String("invisible characters")));
}

// The icons are SVG: without Qt's SVG plugin (libqt6svg6) they are silently blank.
void TestMainWindow::iconsRender()
{
    for (const char *name : {":/icons/lock.svg", ":/icons/unlock.svg", ":/icons/smtp-workbench.svg"}) {
        const QImage image = QIcon(QString::fromLatin1(name)).pixmap(32, 32).toImage();
        QVERIFY2(!image.isNull(), name);
        int painted = 0;
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x)
                painted += qAlpha(image.pixel(x, y)) > 0;
        QVERIFY2(painted > 32, name);
    }
}

void TestMainWindow::historyAndCompletion()
{
    MainWindow w;
    QVERIFY(startAndGreet(w, QStringLiteral("all-good")));
    type(w, QStringLiteral("NOOP"));
    QTRY_COMPARE_WITH_TIMEOUT(w.session()->pendingReplies(), 0, 10000);
    QTest::keyClick(w.commandLine(), Qt::Key_Up);
    QCOMPARE(w.commandLine()->text(), QStringLiteral("NOOP"));
    QTest::keyClick(w.commandLine(), Qt::Key_Up);
    QCOMPARE(w.commandLine()->text(), QStringLiteral("EHLO student.test"));
    QTest::keyClick(w.commandLine(), Qt::Key_Down);
    QCOMPARE(w.commandLine()->text(), QStringLiteral("NOOP"));
    QTest::keyClick(w.commandLine(), Qt::Key_Down);
    QCOMPARE(w.commandLine()->text(), QString());

    // Completion offers what makes sense now, from the EHLO capabilities.
    const QStringList items = qobject_cast<QStringListModel *>(w.completer()->model())->stringList();
    QVERIFY2(items.contains(QStringLiteral("MAIL FROM:<alice@example.com>")), qPrintable(items.join(QLatin1Char('|'))));
    QVERIFY(items.contains(QStringLiteral("MAIL FROM:<alice@example.com> SIZE=")));
    QVERIFY(items.contains(QStringLiteral("STARTTLS")));
    QVERIFY(!items.contains(QStringLiteral("DATA")));
    QTest::keyClicks(w.commandLine(), QStringLiteral("MAI"));
    QTRY_VERIFY(w.completer()->popup()->isVisible());
    QCOMPARE(w.completer()->currentCompletion(), QStringLiteral("MAIL FROM:<alice@example.com>"));
}

void TestMainWindow::droppedConnectionKeepsTheRows()
{
    MainWindow w;
    QVERIFY(startAndGreet(w, QStringLiteral("all-good")));
    const int rowsBefore = w.model()->rowCount();
    type(w, QStringLiteral("NOOP"));
    w.practicePanel()->stop(); // the server goes away mid-session
    QTRY_COMPARE_WITH_TIMEOUT(w.session()->state(), SessionState::Closed, 10000);
    QVERIFY(w.model()->rowCount() > rowsBefore);
    bool closedShown = false;
    for (int row = 0; row < w.model()->rowCount(); ++row) {
        const TranscriptEvent *e = w.model()->eventAt(w.model()->index(row, 0));
        closedShown = closedShown || e->kind == TranscriptEvent::Kind::Closed || e->kind == TranscriptEvent::Kind::Error;
    }
    QVERIFY(closedShown);
    QVERIFY(lastReplyRow(w.model(), 250) >= 0); // the earlier rows are still there
    const int rowsAfterDrop = w.model()->rowCount();
    type(w, QStringLiteral("NOOP")); // typing after the drop says so, and loses nothing
    QVERIFY2(w.statusBar()->currentMessage().contains(QLatin1String("Not connected")),
             qPrintable(w.statusBar()->currentMessage()));
    QCOMPARE(w.model()->rowCount(), rowsAfterDrop);
    QVERIFY(lastReplyRow(w.model(), 250) >= 0);
}

void TestMainWindow::stateDiagramFollowsTheSession()
{
    MainWindow w;
    w.show();
    QVERIFY(w.startPractice(QStringLiteral("all-good")));
    QTRY_COMPARE_WITH_TIMEOUT(w.stateDiagram()->state(), SessionState::Greeted, 10000);
    type(w, QStringLiteral("EHLO student.test"));
    QTRY_COMPARE_WITH_TIMEOUT(w.stateDiagram()->state(), SessionState::Ready, 10000);
    // The current state's box is lit in the highlight colour; the others are not.
    const QImage picture = w.stateDiagram()->grab().toImage();
    const qreal ratio = picture.devicePixelRatio();
    auto colourAt = [&](SessionState state) {
        const QPointF centre = w.stateDiagram()->boxOf(state).topLeft() + QPointF(6, 6);
        return picture.pixelColor((centre * ratio).toPoint());
    };
    const QColor highlight = w.stateDiagram()->palette().color(QPalette::Highlight);
    QCOMPARE(colourAt(SessionState::Ready), highlight);
    QVERIFY(colourAt(SessionState::Greeted) != highlight);
    QVERIFY(colourAt(SessionState::InTransaction) != highlight);
}

void TestMainWindow::commandDetailListsPossibleReplies()
{
    const QString html = commandHtml(QStringLiteral("RCPT TO:<bob@example.com> NOTIFY=FAILURE"));
    QVERIFY(html.contains(QLatin1String("Names one recipient")));
    QVERIFY(html.contains(QLatin1String("NOTIFY=FAILURE")));
    QVERIFY(html.contains(QLatin1String("Replies it can get")));
    QVERIFY(html.contains(QLatin1String(">550<")));
    QVERIFY(html.contains(QLatin1String(">250<")));
}

void TestMainWindow::bounceTabExplainsAPastedBounce()
{
    MainWindow w;
    w.show();
    w.tabs()->setCurrentWidget(w.bouncePanel());
    QString error;
    QSignalSpy explained(w.bouncePanel(), &BouncePanel::explained);
    QVERIFY2(w.bouncePanel()->openFile(QStringLiteral(SMTPWB_TEST_DATA "/bounces/postfix-dsn.eml"), &error), qPrintable(error));
    QVERIFY(explained.wait(10000));
    QCOMPARE(w.bouncePanel()->model()->rowCount(), 1);
    const QAbstractItemModel *m = w.bouncePanel()->model();
    QCOMPARE(m->index(0, 0).data().toString(), QStringLiteral("bob@example.net"));
    QCOMPARE(m->index(0, 1).data().toString(), QStringLiteral("failed"));
    QCOMPARE(m->index(0, 2).data().toString(), QStringLiteral("5.1.1"));
    QCOMPARE(m->index(0, 3).data().toString(), QStringLiteral("550"));
    QCOMPARE(m->index(0, 4).data().toString(), QStringLiteral("userunknown"));
    const QString finding = w.bouncePanel()->detail()->toPlainText();
    QVERIFY2(finding.contains(QLatin1String("What to do")), qPrintable(finding));
    QVERIFY(finding.contains(QLatin1String("Recipient address rejected: User unknown")));
}

void TestMainWindow::bounceTabSaysWhenItIsNotABounce()
{
    MainWindow w;
    QSignalSpy explained(w.bouncePanel(), &BouncePanel::explained);
    w.bouncePanel()->setMessage("Subject: lunch?\n\nShall we meet at noon?\n");
    QVERIFY(explained.wait(10000));
    QCOMPARE(w.bouncePanel()->model()->rowCount(), 0);
    QVERIFY(!w.bouncePanel()->report().isBounce);
}

// One verdict per row: a warning in words is delayed, its status inferred and marked so,
// and its words do not say the server gave up.
void TestMainWindow::bounceTabTellsLateFromFailed()
{
    MainWindow w;
    QSignalSpy explained(w.bouncePanel(), &BouncePanel::explained);
    w.bouncePanel()->setMessage("From: Mail Delivery Subsystem <MAILER-DAEMON@relay.example.net>\n"
                                "Subject: Warning: could not send message for past 4 hours\n\n"
                                "    **      THIS IS A WARNING MESSAGE ONLY      **\n\n"
                                "<ruth@example.net>... Deferred: Connection timed out with mx.example.net.\n"
                                "Will keep trying until message is 5 days old\n");
    QVERIFY(explained.wait(10000));
    QCOMPARE(w.bouncePanel()->model()->rowCount(), 1);
    const QAbstractItemModel *m = w.bouncePanel()->model();
    QCOMPARE(m->index(0, 1).data().toString(), QStringLiteral("delayed"));
    QCOMPARE(m->index(0, 2).data().toString(), QStringLiteral("4.4.7 (inferred)"));
    QVERIFY(m->index(0, 5).data().toString().startsWith(QLatin1String("yes, later")));
    const QString finding = w.bouncePanel()->detail()->toPlainText();
    QVERIFY2(finding.startsWith(QLatin1String("Not delivered yet")), qPrintable(finding));
    QVERIFY2(!finding.contains(QLatin1String("given up")), qPrintable(finding));
}

void TestMainWindow::bounceTabShowsQuotesAsTextAndWordsFirst()
{
    MainWindow w;
    QSignalSpy explained(w.bouncePanel(), &BouncePanel::explained);
    QFile file(QStringLiteral(SMTPWB_TEST_DATA "/bounces/postfix-dsn.eml"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QByteArray message = file.readAll();
    message.replace("Subject: Minutes of the meeting", "Subject: \"TEST\" <b>& more</b>");
    w.bouncePanel()->setMessage(message);
    QVERIFY(explained.wait(10000));
    QCOMPARE(w.bouncePanel()->summary()->textFormat(), Qt::PlainText);
    const QString summary = w.bouncePanel()->summary()->text();
    QVERIFY2(summary.contains(QLatin1String("\"\"TEST\" <b>& more</b>\"")), qPrintable(summary));
    QVERIFY(!summary.contains(QLatin1String("&quot;")));
    const QString finding = w.bouncePanel()->detail()->toPlainText();
    QVERIFY2(finding.startsWith(QLatin1String("The recipient address does not exist at the receiving server. (userunknown)")),
             qPrintable(finding));
    QVERIFY(finding.contains(QLatin1String("no: the address or its domain is wrong")));
}

void TestMainWindow::zoomScalesEveryFontAndIsKept()
{
    QSettings().remove(QStringLiteral("view/zoom"));
    qreal normal = 0, editor = 0;
    {
        MainWindow w;
        QCOMPARE(w.zoom(), 100);
        normal = w.font().pointSizeF();
        editor = w.bouncePanel()->findChild<QPlainTextEdit *>()->font().pointSizeF(); // a font of its own
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QTest::keyClick(&w, Qt::Key_Plus, Qt::ControlModifier);
        QTest::keyClick(&w, Qt::Key_Plus, Qt::ControlModifier);
        QCOMPARE(w.zoom(), 120);
        QCOMPARE(w.font().pointSizeF(), normal * 1.2);
        QCOMPARE(w.bouncePanel()->findChild<QPlainTextEdit *>()->font().pointSizeF(), editor * 1.2);
        QCOMPARE(w.detailPane()->font().pointSizeF(), normal * 1.2);
        QVERIFY(w.detailPane()->width() >= w.detailPane()->fontMetrics().averageCharWidth() * 40);
        // The transcript's fixed font gives only its family: its size is the view's.
        TranscriptEvent sent;
        sent.kind = TranscriptEvent::Kind::Sent;
        sent.text = QStringLiteral("EHLO me.example");
        w.model()->append(sent);
        const int last = w.model()->rowCount() - 1;
        const QFont cell = qvariant_cast<QFont>(w.model()->index(last, TranscriptModel::TextColumn).data(Qt::FontRole));
        QVERIFY(cell.bold());
        QVERIFY(!(cell.resolveMask() & QFont::SizeResolved));
    }
    {
        MainWindow again; // kept across runs
        QCOMPARE(again.zoom(), 120);
        QCOMPARE(again.font().pointSizeF(), normal * 1.2);
        again.show();
        QVERIFY(QTest::qWaitForWindowExposed(&again));
        QTest::keyClick(&again, Qt::Key_0, Qt::ControlModifier);
        QCOMPARE(again.zoom(), 100);
        QCOMPARE(again.font().pointSizeF(), normal);
        const int timeColumn = again.transcriptView()->header()->sectionSize(0);
        again.setZoom(200); // the columns grow with their type
        QCOMPARE(again.transcriptView()->header()->sectionSize(0), timeColumn * 2);
        again.setZoom(1000);
        QCOMPARE(again.zoom(), 300);
        again.setZoom(100);
    }
}

namespace {
bool crosses(const QLineF &line, const QRectF &r)
{
    if (r.contains(line.p1()) || r.contains(line.p2()))
        return true;
    const QLineF sides[] = {{r.topLeft(), r.topRight()}, {r.topRight(), r.bottomRight()},
                            {r.bottomRight(), r.bottomLeft()}, {r.bottomLeft(), r.topLeft()}};
    for (const QLineF &side : sides)
        if (line.intersects(side, nullptr) == QLineF::BoundedIntersection)
            return true;
    return false;
}
} // namespace

void TestMainWindow::diagramLabelsOverlapNothingAtAnyZoom_data()
{
    QTest::addColumn<qreal>("scale");
    QTest::addColumn<bool>("roomy");
    for (qreal scale : {1.0, 1.5, 2.0, 3.0}) {
        QTest::addRow("%d %% at its minimum size", int(scale * 100)) << scale << false;
        QTest::addRow("%d %% with room to spare", int(scale * 100)) << scale << true;
    }
}

void TestMainWindow::diagramLabelsOverlapNothingAtAnyZoom()
{
    QFETCH(qreal, scale);
    QFETCH(bool, roomy);
    StateDiagram diagram;
    QFont f = diagram.font();
    f.setPointSizeF(f.pointSizeF() * scale);
    diagram.setFont(f);
    diagram.resize(diagram.minimumSizeHint() + (roomy ? QSize(300, 400) : QSize()));
    const StateDiagram::Layout l = diagram.layout();
    const QRectF inside = diagram.rect();
    QList<QRectF> texts = l.labels;
    texts.append(l.note);
    for (int i = 0; i < texts.size(); ++i) {
        QVERIFY2(inside.contains(texts[i]), qPrintable(QStringLiteral("text %1 leaves the widget").arg(i)));
        for (const QRectF &box : l.boxes)
            QVERIFY2(!texts[i].intersects(box), qPrintable(QStringLiteral("text %1 over a box").arg(i)));
        for (int j = i + 1; j < texts.size(); ++j)
            QVERIFY2(!texts[i].intersects(texts[j]), qPrintable(QStringLiteral("texts %1 and %2 overlap").arg(i).arg(j)));
        for (const QLineF &arrow : l.arrows)
            QVERIFY2(!crosses(arrow, texts[i]), qPrintable(QStringLiteral("an arrow crosses text %1").arg(i)));
    }
    for (int i = 0; i < l.boxes.size(); ++i) {
        QVERIFY(inside.contains(l.boxes[i]));
        for (int j = i + 1; j < l.boxes.size(); ++j)
            QVERIFY(!l.boxes[i].intersects(l.boxes[j]));
    }
    for (const QRectF &box : l.boxes)
        QVERIFY(!box.intersects(l.footer));
}

void TestMainWindow::savingAProfileKeepsTheHostAndConnectsAgain()
{
    FakeServer server({"S: 220 fake.test ESMTP", "SILENT"});
    MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QComboBox *port = w.portField();
    port->setCurrentText(QString::number(server.serverPort()));
    w.hostField()->setCurrentText(QStringLiteral("127.0.0.1"));
    w.saveProfileAs(QStringLiteral("lab-auth"));
    QCOMPARE(w.hostField()->currentText(), QStringLiteral("127.0.0.1")); // not the profile's name
    QCOMPARE(w.hostField()->findText(QStringLiteral("lab-auth")), -1);

    // The manager lists it, renames it, and connects with it: the server field then holds
    // the profile's host and port, never its name.
    port->setCurrentText(QStringLiteral("1"));
    w.hostField()->setCurrentText(QStringLiteral("elsewhere.invalid"));
    ProfileDialog *manager = w.openProfileManager();
    QVERIFY(manager->shownNames().contains(QStringLiteral("lab-auth")));
    manager->select(QStringLiteral("lab-auth"));
    manager->setNameQuestion([](const QString &) { return QStringLiteral("lab, renamed"); });
    manager->renameSelected();
    QVERIFY(!manager->shownNames().contains(QStringLiteral("lab-auth")));
    QVERIFY(manager->shownNames().contains(QStringLiteral("lab, renamed")));
    QPushButton *connectButton = nullptr;
    const QList<QPushButton *> buttons = manager->findChildren<QPushButton *>();
    for (QPushButton *b : buttons)
        if (b->text() == QLatin1String("&Connect"))
            connectButton = b;
    QVERIFY(connectButton && connectButton->isEnabled());
    connectButton->click();
    QTRY_COMPARE_WITH_TIMEOUT(w.session()->state(), SessionState::Greeted, 10000);
    QCOMPARE(w.hostField()->currentText(), QStringLiteral("127.0.0.1"));
    QCOMPARE(w.portField()->currentText(), QString::number(server.serverPort()));
    QCOMPARE(w.hostField()->findText(QStringLiteral("lab, renamed")), -1);
    QVERIFY(w.hostField()->findText(QStringLiteral("127.0.0.1")) >= 0); // offered again next time

    // Deleting asks, and a refusal keeps the profile.
    manager = w.openProfileManager();
    manager->select(QStringLiteral("lab, renamed"));
    manager->setDeleteQuestion([](const QString &) { return false; });
    manager->deleteSelected();
    QVERIFY(manager->shownNames().contains(QStringLiteral("lab, renamed")));
    manager->setDeleteQuestion([](const QString &) { return true; });
    manager->deleteSelected();
    QVERIFY(!manager->shownNames().contains(QStringLiteral("lab, renamed")));
    manager->close();
}

void TestMainWindow::enterInTheHostFieldConnectsOnce()
{
    QTcpServer counter;
    QVERIFY(counter.listen(QHostAddress::LocalHost, 0));
    int connections = 0;
    connect(&counter, &QTcpServer::newConnection, &counter, [&] {
        ++connections;
        counter.nextPendingConnection()->write("220 counter.test\r\n");
    });
    MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.portField()->setCurrentText(QString::number(counter.serverPort()));
    w.hostField()->setCurrentText(QStringLiteral("127.0.0.1"));
    QTest::keyClick(w.hostField()->lineEdit(), Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(w.session()->state(), SessionState::Greeted, 10000);
    QTest::qWait(200);
    QCOMPARE(connections, 1);
}

void TestMainWindow::aTeachersScenarioFileStarts()
{
    QFile builtIn(QStringLiteral(":/lab/scenarios/unknown-user.json"));
    QVERIFY(builtIn.open(QIODevice::ReadOnly));
    QByteArray json = builtIn.readAll();
    json.replace("\"name\": \"unknown-user\"", "\"name\": \"my-class\"");
    json.replace("\"title\": \"", "\"title\": \"My class: ");
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("my-class.json"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(json);
    file.close();
    MainWindow w;
    QVERIFY(w.startPractice(path));
    QTRY_COMPARE_WITH_TIMEOUT(w.session()->state(), SessionState::Greeted, 10000);
    QVERIFY(w.practicePanel()->findChild<QComboBox *>()->currentText().startsWith(QLatin1String("My class:")));
    QVERIFY(!w.startPractice(dir.filePath(QStringLiteral("missing.json"))));
}

void TestMainWindow::closingAsksAboutAnUnsavedTranscriptAndSaysQuit()
{
    FakeServer server({"S: 220 fake.test ESMTP", "C: NOOP", "S: 250 2.0.0 Ok", "C: QUIT", "SILENT"});
    MainWindow w;
    int asked = 0;
    QMessageBox::StandardButton answer = QMessageBox::Cancel;
    w.setUnsavedQuestion([&] { ++asked; return answer; });
    w.show();
    w.connectTo(QStringLiteral("127.0.0.1"), server.serverPort());
    QTRY_COMPARE_WITH_TIMEOUT(w.session()->state(), SessionState::Greeted, 10000);
    type(w, QStringLiteral("NOOP"));
    QTRY_VERIFY_WITH_TIMEOUT(lastReplyRow(w.model(), 250) >= 0, 10000);
    QVERIFY(!w.close()); // Cancel keeps the window and the session
    QCOMPARE(asked, 1);
    QCOMPARE(w.session()->state(), SessionState::Greeted);
    answer = QMessageBox::Discard;
    QVERIFY(w.close());
    QCOMPARE(asked, 2);
    QTRY_VERIFY_WITH_TIMEOUT(server.clientLines.contains(QStringLiteral("QUIT")), 10000);
}

void TestMainWindow::aGreetingAloneIsNotAskedAbout()
{
    FakeServer server({"S: 220 fake.test ESMTP", "SILENT"});
    MainWindow w;
    int asked = 0;
    w.setUnsavedQuestion([&] { ++asked; return QMessageBox::Cancel; });
    w.show();
    w.connectTo(QStringLiteral("127.0.0.1"), server.serverPort());
    QTRY_COMPARE_WITH_TIMEOUT(w.session()->state(), SessionState::Greeted, 10000);
    QVERIFY(w.close());
    QCOMPARE(asked, 0);
}

namespace {
// The Alt+letter keys a dialog offers: its labels', buttons' and check boxes' '&' letters.
QStringList mnemonicsOf(const QWidget &dialog)
{
    QStringList keys;
    const auto add = [&](const QString &text) {
        const qsizetype amp = text.indexOf(QLatin1Char('&'));
        if (amp >= 0 && amp + 1 < text.size() && text.at(amp + 1) != QLatin1Char('&'))
            keys.append(text.at(amp + 1).toLower());
    };
    for (const QLabel *l : dialog.findChildren<QLabel *>())
        add(l->text());
    for (const QAbstractButton *b : dialog.findChildren<QAbstractButton *>())
        add(b->text());
    return keys;
}
} // namespace

void TestMainWindow::dialogsHaveNoClashingMnemonics()
{
    const ComposerDialog composer(QStringLiteral("a@example.com"), QStringLiteral("b@example.org"));
    const AuthDialog auth({QStringLiteral("PLAIN"), QStringLiteral("LOGIN")}, QString(), false);
    for (const QWidget *dialog : {static_cast<const QWidget *>(&composer), static_cast<const QWidget *>(&auth)}) {
        const QStringList keys = mnemonicsOf(*dialog);
        QVERIFY(keys.size() >= 3);
        QCOMPARE(QSet<QString>(keys.begin(), keys.end()).size(), keys.size());
    }
}

void TestMainWindow::trustingACertificateResumesStartTls()
{
    // First connection: STARTTLS typed by hand, the test certificate does not verify. The
    // second (after "trust") must get through EHLO and STARTTLS without a keystroke.
    const QStringList firstTry = {"S: 220 fake.test ESMTP", "C: EHLO *", "S: 250-fake.test\\r\\n250 STARTTLS",
                                  "C: STARTTLS", "S: 220 2.0.0 Ready", "TLS"};
    const QStringList resumed = {"S: 220 fake.test ESMTP", "C: EHLO *", "S: 250-fake.test\\r\\n250 STARTTLS",
                                 "C: STARTTLS", "S: 220 2.0.0 Ready", "TLS", "C: EHLO *",
                                 "S: 250-fake.test\\r\\n250 AUTH PLAIN", "SILENT"};
    FakeServer server(firstTry + resumed);
    MainWindow w;
    int asked = 0;
    w.setUntrustedCertificateQuestion([&](const QString &, const QString &details) {
        ++asked;
        return !details.isEmpty();
    });
    w.show();
    w.connectTo(QStringLiteral("127.0.0.1"), server.serverPort());
    QTRY_COMPARE_WITH_TIMEOUT(w.session()->state(), SessionState::Greeted, 10000);
    type(w, QStringLiteral("EHLO me.example"));
    QTRY_COMPARE_WITH_TIMEOUT(w.session()->state(), SessionState::Ready, 10000);
    type(w, QStringLiteral("STARTTLS"));
    QTRY_COMPARE_WITH_TIMEOUT(asked, 1, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(w.session()->isEncrypted() && w.session()->state() == SessionState::Ready, 15000);
    QVERIFY2(server.mismatch.isEmpty(), qPrintable(server.mismatch));
    QVERIFY(w.session()->capabilities().has(QStringLiteral("AUTH")));
}

void TestMainWindow::layoutIsKeptAndFirstFitsTheScreen()
{
    QSettings().remove(QStringLiteral("window"));
    {
        MainWindow first;
        const QRect screen = QGuiApplication::primaryScreen()->availableGeometry();
        QVERIFY(first.width() <= qMax(1600, screen.width()));
        QVERIFY(first.width() <= screen.width() * 9 / 10 || first.width() == first.minimumSizeHint().width());
        first.show();
        QVERIFY(QTest::qWaitForWindowExposed(&first));
        first.resize(1024, 700); // the smallest screen it is made for
        QTRY_COMPARE(first.size(), QSize(1024, 700));
        QVERIFY2(first.detailPane()->width() >= 300, qPrintable(QString::number(first.detailPane()->width())));
        QVERIFY(first.close());
    }
    MainWindow again;
    QCOMPARE(again.size(), QSize(1024, 700));
    QSettings().remove(QStringLiteral("window"));
}

void TestMainWindow::diagramAndPracticeShareTheSideWhenThereIsRoom()
{
    {
        MainWindow tall;
        tall.firstLayout(QRect(0, 0, 1920, 1080));
        tall.show();
        QVERIFY(QTest::qWaitForWindowExposed(&tall));
        QVERIFY(tall.tabifiedDockWidgets(tall.stateDock()).isEmpty());
        QVERIFY(tall.stateDiagram()->isVisible());
        QVERIFY(tall.practicePanel()->isVisible());
        QVERIFY(tall.stateDock()->geometry().bottom() <= tall.practiceDock()->geometry().top());
    }
    MainWindow small;
    small.firstLayout(QRect(0, 0, 1024, 700));
    small.show();
    QVERIFY(QTest::qWaitForWindowExposed(&small));
    QCOMPARE(small.tabifiedDockWidgets(small.stateDock()), QList<QDockWidget *>{small.practiceDock()});
    QVERIFY(small.stateDiagram()->isVisible()); // the diagram is the tab in front
}

void TestMainWindow::theBounceTabHidesTheSessionPanels()
{
    MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(w.stateDock()->isVisible());
    w.tabs()->setCurrentWidget(w.bouncePanel());
    QVERIFY(!w.stateDock()->isVisible());
    QVERIFY(!w.practiceDock()->isVisible());
    w.tabs()->setCurrentIndex(0);
    QVERIFY(w.stateDock()->isVisible());
    // A panel the user had closed stays closed.
    w.practiceDock()->close();
    w.tabs()->setCurrentWidget(w.bouncePanel());
    w.tabs()->setCurrentIndex(0);
    QVERIFY(!w.practiceDock()->isVisible());
    QVERIFY(w.stateDock()->isVisible());
}

void TestMainWindow::darkColoursAreKeptAndTheExportFollows()
{
    QVERIFY(!Theme::instance()->isDark()); // the offscreen desktop is light
    {
        MainWindow w;
        w.show();
        Theme::instance()->setScheme(ColourScheme::Dark);
        QVERIFY(Theme::instance()->isDark());
        QTRY_VERIFY(w.palette().color(QPalette::Window).lightness() < 128);
        QVERIFY(w.transcriptView()->palette().color(QPalette::Base).lightness() < 64);
        QVERIFY(w.palette().color(QPalette::WindowText).lightness() > 200);
    }
    QCOMPARE(QSettings().value(QStringLiteral("view/colours")).toString(), QStringLiteral("dark"));

    Transcript t;
    TranscriptEvent e;
    e.kind = TranscriptEvent::Kind::Sent;
    e.text = QStringLiteral("EHLO student.test");
    t.append(e);
    QVERIFY(t.toHtml(HtmlColours::Dark).contains(QLatin1String("background:#1e1e20")));
    QVERIFY(!t.toHtml(HtmlColours::Dark).contains(QLatin1String("background:#fff")));
    QVERIFY(!t.toHtml(HtmlColours::Light).contains(QLatin1String("background:#1e1e20")));
    QVERIFY(t.toHtml(HtmlColours::Auto).contains(QLatin1String("prefers-color-scheme: dark")));

    Theme::instance()->setScheme(ColourScheme::Light);
    QVERIFY(!Theme::instance()->isDark());
    Theme::instance()->setScheme(ColourScheme::FollowDesktop);
    QVERIFY(!Theme::instance()->isDark());
}

void TestMainWindow::focusIsVisibleAndKeysAreShown()
{
    MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QList<QAction *> actions = w.findChildren<QAction *>();
    actions += w.actions();
    int withKeys = 0;
    for (QAction *a : std::as_const(actions)) {
        if (a->shortcut().isEmpty())
            continue;
        ++withKeys;
        const QString key = a->shortcut().toString(QKeySequence::NativeText);
        QVERIFY2(a->toolTip().contains(key), qPrintable(a->text() + QLatin1String(": ") + a->toolTip()));
    }
    QVERIFY(withKeys >= 30);
    bool ehloShowsItsKey = false;
    for (QToolButton *b : w.findChildren<QToolButton *>()) {
        if (!b->isVisible() || b->objectName() == QLatin1String("qt_toolbar_ext_button"))
            continue;
        QVERIFY2(b->focusPolicy() & Qt::TabFocus, qPrintable(b->text()));
        ehloShowsItsKey = ehloShowsItsKey || (b->text().contains(QLatin1String("EHLO")) && b->text().contains(QLatin1String("F2")));
    }
    QVERIFY(ehloShowsItsKey);

    // Tab walks the window; wherever the focus lands a ring is drawn around it.
    auto *ring = w.findChild<FocusRing *>();
    QVERIFY(ring);
    w.hostField()->setFocus();
    QSet<QString> reached;
    for (int i = 0; i < 25; ++i) {
        QWidget *focus = QApplication::focusWidget();
        QVERIFY(focus);
        QTRY_COMPARE(ring->target(), focus);
        QVERIFY(ring->isVisible());
        const QRect around(focus->mapTo(&w, QPoint(0, 0)), focus->size());
        QVERIFY(ring->geometry().contains(around));
        reached.insert(QString::fromLatin1(focus->metaObject()->className()));
        QTest::keyClick(focus, Qt::Key_Tab);
    }
    QVERIFY2(reached.contains(QStringLiteral("QToolButton")), qPrintable(QStringList(reached.values()).join(u' ')));
    QVERIFY(reached.contains(QStringLiteral("QTreeView")));
}

void TestMainWindow::everyPanelComesBackFromTheViewMenu()
{
    MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    auto *panels = w.findChild<QMenu *>(QStringLiteral("panels"));
    QVERIFY(panels);
    QList<QWidget *> shown = {w.detailPane()};
    for (QDockWidget *dock : w.findChildren<QDockWidget *>())
        shown.append(dock);
    for (QToolBar *bar : w.findChildren<QToolBar *>())
        shown.append(bar);
    QCOMPARE(panels->actions().size(), shown.size());
    for (QAction *toggle : panels->actions()) {
        QVERIFY2(!toggle->text().isEmpty() && toggle->isCheckable(), qPrintable(toggle->text()));
        toggle->trigger(); // closed
    }
    for (QWidget *panel : std::as_const(shown))
        QVERIFY2(panel->isHidden(), panel->metaObject()->className());
    for (QAction *toggle : panels->actions())
        toggle->trigger(); // back
    for (QWidget *panel : std::as_const(shown)) {
        if (auto *dock = qobject_cast<QDockWidget *>(panel); dock && !w.tabifiedDockWidgets(dock).isEmpty())
            continue; // a tab behind another is open, not visible
        QVERIFY2(panel->isVisible(), panel->metaObject()->className());
    }
}

void TestMainWindow::faultsChangeFromThePracticePanel()
{
    MainWindow w;
    QVERIFY(startAndGreet(w, QStringLiteral("all-good")));
    QVERIFY(!w.practicePanel()->applyFaults(QStringLiteral("RCPT:soon"), 0, 0)); // said, not applied
    QVERIFY(w.practicePanel()->applyFaults(QStringLiteral("RCPT:451"), 0, 0));
    type(w, QStringLiteral("MAIL FROM:<teacher@school.test>"));
    QTRY_COMPARE_WITH_TIMEOUT(w.session()->state(), SessionState::InTransaction, 10000);
    type(w, QStringLiteral("RCPT TO:<alice@lab.test>"));
    QTRY_VERIFY_WITH_TIMEOUT(lastReplyRow(w.model(), 451) >= 0, 10000); // on the connection already open
    QCOMPARE(w.session()->state(), SessionState::InTransaction);
}

void TestMainWindow::theExerciseChecklistTicks()
{
    MainWindow w;
    QVERIFY(startAndGreet(w, QStringLiteral("course"))); // EHLO: the first exercise
    QListWidget *checklist = w.practicePanel()->checklist();
    QCOMPARE(checklist->count(), 10);
    QTRY_COMPARE_WITH_TIMEOUT(checklist->item(0)->checkState(), Qt::Checked, 10000);
    QCOMPARE(checklist->item(1)->checkState(), Qt::Unchecked);
    QVERIFY(checklist->item(1)->toolTip().startsWith(QLatin1String("How: ")));
    // A scenario without exercises shows no checklist.
    QVERIFY(w.startPractice(QStringLiteral("all-good")));
    QVERIFY(checklist->isHidden());
}

void TestMainWindow::aNewConnectionIsMarkedInTheTranscript()
{
    MainWindow w;
    QVERIFY(w.startPractice(QStringLiteral("all-good")));
    QTRY_COMPARE_WITH_TIMEOUT(w.session()->state(), SessionState::Greeted, 10000);
    QVERIFY(w.startPractice(QStringLiteral("unknown-user")));
    QTRY_COMPARE_WITH_TIMEOUT(w.session()->state(), SessionState::Greeted, 10000);
    bool marked = false;
    for (const TranscriptEvent &e : w.model()->events())
        marked = marked || (e.kind == TranscriptEvent::Kind::Note && e.text.contains(QLatin1String("New connection"))
                            && e.text.contains(QLatin1String("Unknown recipient")));
    QVERIFY(marked);
}

void TestMainWindow::certificateChainExportsAsPem()
{
    QFile f(QStringLiteral(SMTPWB_TEST_DATA "/tls/server.pem"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QSslCertificate server(f.readAll());
    QFile ca(QStringLiteral(SMTPWB_TEST_DATA "/tls/ca.pem"));
    QVERIFY(ca.open(QIODevice::ReadOnly));
    const QSslCertificate issuer(ca.readAll());
    const QByteArray pem = CertificateDialog::pemOf({server, issuer});
    const QList<QSslCertificate> back = QSslCertificate::fromData(pem);
    QCOMPARE(back, (QList<QSslCertificate>{server, issuer}));
}

void TestMainWindow::presenterModeShowsTheTranscriptAndDiagramLarge()
{
    QSettings().remove(QStringLiteral("view"));
    {
        MainWindow w;
        w.resize(1280, 800); // a projector's
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        const qreal normal = w.font().pointSizeF();
        const int timeWidth = w.transcriptView()->header()->sectionSize(TranscriptModel::TimeColumn);
        const int textWidth = w.transcriptView()->header()->sectionSize(TranscriptModel::TextColumn);
        QTest::keyClick(&w, Qt::Key_F11);
        QVERIFY(w.isPresenting());
        QVERIFY(w.transcriptView()->isColumnHidden(TranscriptModel::TimeColumn)); // the words get the room
        QVERIFY(w.transcriptView()->isColumnHidden(TranscriptModel::LatencyColumn));
        // The meaning keeps a readable share of the width, not a sliver beside the line.
        const int viewWidth = w.transcriptView()->viewport()->width();
        QTRY_VERIFY2(w.transcriptView()->header()->sectionSize(TranscriptModel::AnnotationColumn) >= viewWidth / 4,
                 qPrintable(QStringLiteral("%1 of %2, line %3, tls %4").arg(w.transcriptView()->header()->sectionSize(TranscriptModel::AnnotationColumn)).arg(viewWidth).arg(w.transcriptView()->header()->sectionSize(TranscriptModel::TextColumn)).arg(w.transcriptView()->header()->sectionSize(TranscriptModel::TlsColumn))));
        QTest::keyClick(&w, Qt::Key_F11);
        QVERIFY(!w.transcriptView()->isColumnHidden(TranscriptModel::TimeColumn));
        QVERIFY(!w.transcriptView()->isColumnHidden(TranscriptModel::LatencyColumn));
        QCOMPARE(w.transcriptView()->header()->sectionSize(TranscriptModel::TimeColumn), timeWidth);
        QCOMPARE(w.transcriptView()->header()->sectionSize(TranscriptModel::TextColumn), textWidth);
        QTest::keyClick(&w, Qt::Key_F11);
        QVERIFY(w.isPresenting());
        QVERIFY(w.zoom() >= 175);
        QVERIFY(w.font().pointSizeF() >= normal * 1.75);
        QVERIFY(!w.menuBar()->isVisible());
        QVERIFY(!w.statusBar()->isVisible());
        QVERIFY(!w.detailPane()->isVisible());
        QVERIFY(w.transcriptView()->isVisible());
        QVERIFY(w.stateDiagram()->isVisible());
        QTRY_VERIFY(w.stateDiagram()->width() >= w.stateDiagram()->minimumSizeHint().width()); // not cut
    }
    {
        MainWindow again; // kept across runs
        again.show();
        QVERIFY(QTest::qWaitForWindowExposed(&again));
        QVERIFY(again.isPresenting());
        QTest::keyClick(&again, Qt::Key_F11); // F11 works with the menus hidden
        QVERIFY(!again.isPresenting());
        QCOMPARE(again.zoom(), 100); // back to the zoom before presenting
        QVERIFY(again.menuBar()->isVisible());
        QVERIFY(again.detailPane()->isVisible());
    }
    QSettings().remove(QStringLiteral("view"));
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
