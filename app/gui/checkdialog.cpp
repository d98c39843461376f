#include "checkdialog.h"

#include "checkresultmodel.h"

#include "check/checkreport.h"
#include "check/serverchecker.h"

#include <QDialogButtonBox>
#include <QFile>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace smtp::gui {

CheckDialog::CheckDialog(QWidget *parent)
    : QDialog(parent), m_checker(new ServerChecker(this)), m_model(new CheckResultModel(this)),
      m_sorted(new QSortFilterProxyModel(this))
{
    m_sorted->setSourceModel(m_model);
    m_sorted->setSortRole(CheckResultModel::SeverityRole);
    setWindowTitle(QStringLiteral("Check server"));
    m_target = new QLineEdit;
    m_target->setPlaceholderText(QStringLiteral("example.com (its MX hosts), or host:port"));
    m_rcpt = new QLineEdit;
    m_rcpt->setPlaceholderText(QStringLiteral("optional: a mailbox you may send test mail to"));
    m_rcpt->setToolTip(QStringLiteral("The SMTP smuggling probe sends one marked test message per variant to this address; "
                                      "without it that check is skipped. No other check sends a message."));
    m_nameserver = new QLineEdit;
    m_nameserver->setPlaceholderText(QStringLiteral("the system's (/etc/resolv.conf)"));
    m_ca = new QLineEdit;
    m_ca->setPlaceholderText(QStringLiteral("optional: extra CA certificates (PEM file)"));

    m_target->setObjectName(QStringLiteral("checkTarget"));
    m_rcpt->setObjectName(QStringLiteral("checkRcpt"));
    m_nameserver->setObjectName(QStringLiteral("checkNameserver"));
    m_ca->setObjectName(QStringLiteral("checkCa"));
    // What a user set up once (their DNS server, their test mailbox, their CA) is kept.
    const QSettings settings;
    m_rcpt->setText(settings.value(QStringLiteral("check/rcpt")).toString());
    m_nameserver->setText(settings.value(QStringLiteral("check/nameserver")).toString());
    m_ca->setText(settings.value(QStringLiteral("check/caFile")).toString());
    auto *form = new QFormLayout;
    form->addRow(QStringLiteral("&Target:"), m_target);
    form->addRow(QStringLiteral("Test &recipient:"), m_rcpt);
    form->addRow(QStringLiteral("&DNS server:"), m_nameserver);
    form->addRow(QStringLiteral("Extra &CA file:"), m_ca);

    m_run = new QPushButton(QStringLiteral("&Start"));
    m_run->setDefault(true);
    m_exportHtml = new QPushButton(QStringLiteral("Export &HTML..."));
    m_exportJson = new QPushButton(QStringLiteral("Export &JSON..."));
    auto *buttons = new QHBoxLayout;
    m_status = new QLabel(QStringLiteral("Name a domain or a host, then Start."));
    m_status->setWordWrap(true);
    buttons->addWidget(m_status, 1);
    buttons->addWidget(m_run);
    buttons->addWidget(m_exportHtml);
    buttons->addWidget(m_exportJson);

    m_table = new QTableView;
    m_table->setModel(m_sorted);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(CheckResultModel::StatusColumn, Qt::AscendingOrder);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setWordWrap(false);
    m_detail = new QTextBrowser;
    m_detail->setOpenExternalLinks(false);
    m_detail->setPlaceholderText(QStringLiteral("Select a row: what was seen, why it matters, what to change."));
    auto *split = new QSplitter(Qt::Vertical);
    split->addWidget(m_table);
    split->addWidget(m_detail);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addLayout(buttons);
    layout->addWidget(split, 1);
    resize(900, 640);

    connect(m_run, &QPushButton::clicked, this, [this] { isRunning() ? m_checker->cancel() : start(); });
    connect(m_exportHtml, &QPushButton::clicked, this, [this] { saveAs(false); });
    connect(m_exportJson, &QPushButton::clicked, this, [this] { saveAs(true); });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &CheckDialog::showSelected);
    connect(m_checker, &ServerChecker::resultReady, this, [this](const CheckResult &r) {
        m_model->append(r);
        m_table->resizeColumnsToContents();
        if (!m_table->currentIndex().isValid())
            m_table->selectRow(0);
        updateStatus();
    });
    connect(m_checker, &ServerChecker::finished, this, [this] {
        updateStatus();
        emit finished();
    });
    updateStatus();
}

void CheckDialog::setTarget(const QString &target, const QString &caFile, bool startNow)
{
    m_target->setText(target);
    if (!caFile.isEmpty())
        m_ca->setText(caFile);
    if (startNow)
        start();
}

bool CheckDialog::isRunning() const
{
    return m_checker->isRunning();
}

void CheckDialog::start()
{
    CheckOptions o;
    o.target = m_target->text().trimmed();
    o.rcpt = m_rcpt->text().trimmed();
    o.nameserver = m_nameserver->text().trimmed();
    o.caFile = m_ca->text().trimmed();
    QString problem;
    if (!o.rcpt.isEmpty() && !o.rcpt.contains(QLatin1Char('@')))
        problem = QStringLiteral("The test recipient must be a mailbox, like you@example.com.");
    else if (!o.caFile.isEmpty() && !QFile::exists(o.caFile))
        problem = QStringLiteral("There is no file %1.").arg(o.caFile);
    if (problem.isEmpty()) {
        m_model->clear();
        m_detail->clear();
        m_reportTarget = o.target;
        QSettings settings;
        settings.setValue(QStringLiteral("check/rcpt"), o.rcpt);
        settings.setValue(QStringLiteral("check/nameserver"), o.nameserver);
        settings.setValue(QStringLiteral("check/caFile"), o.caFile);
        m_checker->start(o, &problem); // false only with the reason in `problem`
    }
    if (!problem.isEmpty()) {
        m_status->setText(problem);
        return;
    }
    updateStatus();
}

void CheckDialog::showSelected()
{
    const CheckResult *r = m_model->at(m_sorted->mapToSource(m_table->currentIndex()).row());
    m_detail->setHtml(r ? checkResultHtml(*r) : QString());
}

void CheckDialog::updateStatus()
{
    const QList<CheckResult> &results = m_model->results();
    int counts[6] = {};
    for (const CheckResult &r : results)
        ++counts[int(r.status)];
    const QString tally = QStringLiteral("%1 fail, %2 error, %3 warn, %4 pass").arg(counts[int(CheckStatus::Fail)])
                              .arg(counts[int(CheckStatus::Error)]).arg(counts[int(CheckStatus::Warn)]).arg(counts[int(CheckStatus::Pass)]);
    const bool running = isRunning();
    m_run->setText(running ? QStringLiteral("&Stop") : QStringLiteral("&Start"));
    m_exportHtml->setEnabled(!running && !results.isEmpty());
    m_exportJson->setEnabled(!running && !results.isEmpty());
    m_target->setEnabled(!running);
    if (running)
        m_status->setText(QStringLiteral("Checking %1... %2 result(s) so far: %3").arg(m_reportTarget).arg(results.size()).arg(tally));
    else if (!results.isEmpty()) {
        const QList<CheckResult> first = fixFirst(results, 1);
        m_status->setText(QStringLiteral("Done: %1. %2").arg(tally, first.isEmpty() ? QStringLiteral("Nothing to fix.")
                                                                                    : QStringLiteral("Fix first: %1.").arg(first.first().summary)));
    }
}

QByteArray CheckDialog::exportData(bool json) const
{
    return json ? checkReportJson(m_reportTarget, m_model->results())
                : checkReportHtml(m_reportTarget, m_model->results()).toUtf8();
}

void CheckDialog::saveAs(bool json)
{
    const QString suggested = QStringLiteral("check-%1.%2").arg(m_reportTarget.section(QLatin1Char(':'), 0, 0),
                                                               json ? QStringLiteral("json") : QStringLiteral("html"));
    const QString path = QFileDialog::getSaveFileName(this, QStringLiteral("Export the check"), suggested,
                                                      json ? QStringLiteral("JSON (*.json)") : QStringLiteral("HTML (*.html)"));
    if (path.isEmpty())
        return;
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(exportData(json)) < 0)
        QMessageBox::warning(this, QStringLiteral("Export"), QStringLiteral("Cannot write %1: %2").arg(path, file.errorString()));
}

} // namespace smtp::gui
