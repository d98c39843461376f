#include "bouncepanel.h"
#include "theme.h"

#include "bounce/bounceparser.h"
#include "protocol/untrustedtext.h"

#include <QDragEnterEvent>
#include <QFile>
#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTableView>
#include <QTextBrowser>
#include <QCoreApplication>
#include <QThread>
#include <QTimer>
#include <QVBoxLayout>

#include "transcriptmodel.h"

namespace smtp::gui {

namespace {
constexpr qint64 kMaxFile = 32 * 1024 * 1024;   // a bounce, not a mailbox (the parser's own limit)
constexpr qsizetype kMaxPreview = 256 * 1024;

// A table cell for a field of the bounce: hidden characters as marks, on one line.
QStandardItem *shownItem(const QString &text)
{
    return new QStandardItem(visibleText(text, LineBreaks::Mark));
}

// 2, 4 or 5: from the enhanced status when there is one, else from the reply code.
int replyClass(const BounceRecipient &r)
{
    return !r.status.isEmpty() ? r.status.left(1).toInt() : r.replyCode / 100;
}

// Hard or soft, said so that a 5xx soft bounce is not read as "just try again".
}

BouncePanel::BouncePanel(QWidget *parent) : QWidget(parent)
{
    setAcceptDrops(true);
    m_input = new QPlainTextEdit;
    m_input->setAccessibleName(QStringLiteral("Bounce text"));
    m_input->setPlaceholderText(QStringLiteral("Paste a bounce here: the whole message with its headers, or just the "
                                               "lines that say what failed. Or drop an .eml file on this tab."));
    m_input->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    auto *explainButton = new QPushButton(QStringLiteral("&Explain"));
    explainButton->setToolTip(QStringLiteral("Explain the pasted bounce now (Alt+E); it is also explained as you paste"));
    connect(explainButton, &QPushButton::clicked, this, &BouncePanel::explain);
    // Explained as it is pasted or edited, once the typing pauses.
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(400);
    connect(&m_debounce, &QTimer::timeout, this, &BouncePanel::explain);
    connect(m_input, &QPlainTextEdit::textChanged, this, [this] {
        if (m_settingText)
            return;
        m_fileBytes.clear(); // the person edits: the text is what counts now
        m_debounce.start();
    });
    m_clearButton = new QPushButton(QStringLiteral("&Clear"));
    m_clearButton->setToolTip(QStringLiteral("Forget the opened file and paste another bounce"));
    m_clearButton->hide();
    connect(m_clearButton, &QPushButton::clicked, this, [this] {
        m_fileBytes.clear();
        m_input->setReadOnly(false);
        m_clearButton->hide();
        m_input->clear();
    });
    m_summary = new QLabel(QStringLiteral("Nothing explained yet."));
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::PlainText); // a subject's quotes and markup are text

    m_model = new QStandardItemModel(0, 8, this);
    m_model->setHorizontalHeaderLabels({QStringLiteral("Recipient"), QStringLiteral("Action"), QStringLiteral("Status"),
                                        QStringLiteral("Reply"), QStringLiteral("Reason"), QStringLiteral("Retry?"),
                                        QStringLiteral("Reported by"), QStringLiteral("Remote server")});
    m_table = new QTableView;
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->verticalHeader()->hide();
    m_table->setAccessibleName(QStringLiteral("Recipients"));
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { showRecipient(current.row()); });
    m_detail = new QTextBrowser;
    m_detail->setAccessibleName(QStringLiteral("Finding"));

    auto *top = new QWidget;
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(m_input);
    auto *row = new QHBoxLayout;
    row->addWidget(explainButton);
    row->addWidget(m_clearButton);
    row->addWidget(m_summary, 1);
    topLayout->addLayout(row);

    auto *bottom = new QSplitter(Qt::Horizontal);
    bottom->addWidget(m_table);
    bottom->addWidget(m_detail);
    bottom->setStretchFactor(0, 3);
    bottom->setStretchFactor(1, 2);

    auto *split = new QSplitter(Qt::Vertical);
    split->addWidget(top);
    split->addWidget(bottom);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(split);
}

void BouncePanel::setMessage(const QByteArray &message)
{
    // The parser gets the bytes as they are (charsets, CRs, 8-bit parts); the editor shows a
    // preview, so a large file does not stall the window.
    m_fileBytes = message;
    QString preview = QString::fromUtf8(message.left(kMaxPreview));
    if (message.size() > kMaxPreview)
        preview += QStringLiteral("\n[... %1 more bytes not shown; all of them are read]").arg(message.size() - kMaxPreview);
    m_settingText = true;
    m_input->setPlainText(preview);
    m_settingText = false;
    // A shortened preview cannot be edited: an edit would explain the preview, not the file.
    m_input->setReadOnly(message.size() > kMaxPreview);
    m_clearButton->setVisible(m_input->isReadOnly());
    explain();
}

bool BouncePanel::openFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("Cannot read %1: %2").arg(path, file.errorString());
        return false;
    }
    if (file.size() > kMaxFile) {
        *error = QStringLiteral("%1 is %2 MB: too big for a bounce.").arg(path).arg(file.size() / (1024 * 1024));
        return false;
    }
    setMessage(file.readAll());
    return true;
}

void BouncePanel::explain()
{
    m_debounce.stop();
    const QByteArray message = m_fileBytes.isEmpty() ? m_input->toPlainText().toUtf8() : m_fileBytes;
    const int generation = ++m_generation;
    m_summary->setText(QStringLiteral("Reading..."));
    QPointer<BouncePanel> self(this);
    // MIME parsing of a large paste can take a moment: never on the GUI thread.
    QThread *worker = QThread::create([self, message, generation] {
        BounceReport report = BounceParser::parse(message);
        QMetaObject::invokeMethod(qApp, [self, report, generation] {
            if (self && generation == self->m_generation)
                self->show(report);
        }, Qt::QueuedConnection);
    });
    connect(worker, &QThread::finished, worker, &QObject::deleteLater);
    worker->start();
}

void BouncePanel::show(const BounceReport &report)
{
    m_report = report;
    m_model->removeRows(0, m_model->rowCount());
    for (const BounceRecipient &r : report.recipients) {
        QList<QStandardItem *> items = {
            shownItem(r.recipient), shownItem(r.action),
            shownItem(r.statusInferred ? r.status + QStringLiteral(" (inferred)") : r.status),
            shownItem(r.replyCode ? QString::number(r.replyCode) : QString()), shownItem(r.reason),
            shownItem(retryVerdict(r)),
            shownItem(r.reportingMta), shownItem(r.remoteMta)};
        for (QStandardItem *item : items)
            item->setForeground(Theme::replyClass(replyClass(r)));
        m_model->appendRow(items);
    }
    m_table->resizeColumnsToContents();
    QString summary;
    switch (report.kind) {
    case BounceReport::Kind::NotBounce:
        summary = QStringLiteral("This is not a bounce: nothing in it reports a delivery failure.");
        break;
    case BounceReport::Kind::AutoReply:
        summary = QStringLiteral("An automatic reply (out of office, RFC 3834): not a failure, the message was delivered.");
        break;
    case BounceReport::Kind::Arf:
        summary = QStringLiteral("A feedback report (RFC 5965): a recipient or provider reported this message, e.g. as spam.");
        break;
    default:
        summary = QStringLiteral("%1: %2 recipient(s).").arg(kindName(report.kind).toUpper()).arg(report.recipients.size());
    }
    if (!report.originalSubject.isEmpty())
        summary += QStringLiteral(" Original subject: \"%1\".").arg(report.originalSubject);
    if (!report.notes.isEmpty())
        summary += QStringLiteral(" Note: ") + report.notes.join(QStringLiteral("; "));
    m_summary->setText(visibleText(summary));
    if (m_model->rowCount() > 0)
        m_table->selectRow(0);
    else
        m_detail->clear();
    emit explained();
}

void BouncePanel::showRecipient(int row)
{
    if (row < 0 || row >= m_report.recipients.size())
        return;
    const BounceRecipient &r = m_report.recipients.at(row);
    auto line = [](const QString &head, const QString &text) {
        return text.isEmpty() ? QString()
                              : QStringLiteral("<tr><td style='padding-right:10px'><b>%1</b></td><td>%2</td></tr>")
                                    .arg(head, visibleText(text).toHtmlEscaped());
    };
    // Plain words first, the reason's term as a tag.
    const QString headline = r.reason.isEmpty() ? r.summary : QStringLiteral("%1 (%2)").arg(r.summary, r.reason);
    QString html = QStringLiteral("<p style='font-size:large'><b>%1</b></p>").arg(visibleText(headline).toHtmlEscaped());
    html += QStringLiteral("<table>");
    html += line(QStringLiteral("Recipient"), r.recipient);
    html += line(QStringLiteral("As the sender wrote it"), r.originalRecipient);
    html += line(QStringLiteral("What happened"), r.action);
    html += line(QStringLiteral("Status"), r.statusInferred ? r.status + QStringLiteral(" (inferred: the bounce gives no code)") : r.status);
    html += line(QStringLiteral("Reply code"), r.replyCode ? QString::number(r.replyCode) : QString());
    html += line(QStringLiteral("Reason"), r.reason);
    html += line(QStringLiteral("Block list"), r.list);
    html += line(QStringLiteral("Written by"), r.source);
    html += line(QStringLiteral("Feedback type"), r.feedbackType);
    html += line(QStringLiteral("Retry"), retryVerdict(r));
    html += line(QStringLiteral("The server said"), r.diagnostic);
    html += line(QStringLiteral("Reported by"), r.reportingMta);
    html += line(QStringLiteral("Remote server"), r.remoteMta);
    html += line(QStringLiteral("Date"), r.date);
    html += line(QStringLiteral("What to do"), r.nextStep);
    html += line(QStringLiteral("Read more"), r.help);
    html += QStringLiteral("</table>");
    if (!m_report.originalMessageId.isEmpty() || !m_report.originalSender.isEmpty()) {
        html += QStringLiteral("<h3>The original message</h3><table>");
        html += line(QStringLiteral("Subject"), m_report.originalSubject);
        html += line(QStringLiteral("Message-ID"), m_report.originalMessageId);
        html += line(QStringLiteral("Sender"), m_report.originalSender);
        html += QStringLiteral("</table>");
    }
    m_detail->setHtml(html);
}

void BouncePanel::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls() || event->mimeData()->hasText())
        event->acceptProposedAction();
}

void BouncePanel::dropEvent(QDropEvent *event)
{
    const QMimeData *data = event->mimeData();
    if (data->hasUrls() && data->urls().first().isLocalFile()) {
        QString error;
        if (!openFile(data->urls().first().toLocalFile(), &error))
            m_summary->setText(visibleText(error));
    } else if (data->hasText()) {
        setMessage(data->text().toUtf8());
    }
    event->acceptProposedAction();
}

} // namespace smtp::gui
