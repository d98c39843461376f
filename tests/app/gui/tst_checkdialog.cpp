// Tools > Check server, driven as a user would: the window's host field, the dialog filling
// in while the check runs against the practice server, a row explained, the report exported.

#include "checkdialog.h"
#include "checkresultmodel.h"
#include "mainwindow.h"

#include "lab/labserver.h"

#include <QAction>
#include <QComboBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>
#include <QTextBrowser>

using namespace smtp;
using namespace smtp::gui;

namespace {

QAction *menuAction(QWidget &window, const QString &text)
{
    for (QAction *a : window.findChildren<QAction *>()) {
        if (a->text() == text)
            return a;
    }
    return nullptr;
}

int rowOf(const CheckResultModel &model, const QString &id)
{
    for (int row = 0; row < model.rowCount(); ++row) {
        if (model.at(row)->id == id)
            return row;
    }
    return -1;
}

} // namespace

class TestCheckDialog : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("smtp-workbench-tests"));
    }
    void init() { QSettings().clear(); }
    void checksTheServerInTheBarAndExplainsEachRow();
    void aBadTestRecipientIsSaidNotRun();
};

void TestCheckDialog::checksTheServerInTheBarAndExplainsEachRow()
{
    const std::optional<LabScenario> scenario = LabScenario::load(QStringLiteral("open-relay"));
    QVERIFY(scenario);
    LabServer lab;
    QVERIFY2(lab.start(*scenario), qPrintable(lab.errorString()));

    MainWindow w;
    w.show();
    w.hostField()->setCurrentText(QStringLiteral("127.0.0.1"));
    w.portField()->setCurrentText(QString::number(lab.port()));
    QAction *open = menuAction(w, QStringLiteral("&Check server..."));
    QVERIFY(open);
    QCOMPARE(open->shortcut(), QKeySequence(QStringLiteral("Ctrl+Shift+K")));

    // The DNS server is the test's own, so no question leaves this machine: kept from an
    // earlier run, as the dialog keeps it for a user.
    QSettings().setValue(QStringLiteral("check/nameserver"), QStringLiteral("127.0.0.1:%1").arg(SMTPWB_DNS_PORT));
    open->trigger();
    auto *dialog = w.findChild<CheckDialog *>();
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    QVERIFY(dialog->isRunning()); // started on the server in the bar
    QCOMPARE(dialog->findChild<QLineEdit *>(QStringLiteral("checkTarget"))->text(),
             QStringLiteral("127.0.0.1:%1").arg(lab.port()));
    QSignalSpy finished(dialog, &CheckDialog::finished);
    QVERIFY(w.isEnabled()); // the window stays live while it runs
    QVERIFY(finished.wait(60000));

    const CheckResultModel &model = *dialog->model();
    const int relay = rowOf(model, QStringLiteral("open-relay"));
    QVERIFY(relay >= 0);
    QCOMPARE(model.at(relay)->status, CheckStatus::Fail);
    QCOMPARE(model.data(model.index(relay, CheckResultModel::StatusColumn), Qt::DisplayRole).toString(), QStringLiteral("FAIL"));
    QCOMPARE(model.data(model.index(relay, CheckResultModel::CheckColumn), Qt::DisplayRole).toString(), QStringLiteral("Open relay"));

    auto *table = dialog->findChild<QTableView *>();
    QCOMPARE(table->model()->index(0, 0).data().toString(), QStringLiteral("FAIL")); // worst first
    const QModelIndexList shown = table->model()->match(table->model()->index(0, 1), Qt::DisplayRole, QStringLiteral("Open relay"));
    QCOMPARE(shown.size(), 1);
    table->selectRow(shown.first().row());
    const QString detail = dialog->findChild<QTextBrowser *>()->toPlainText();
    QVERIFY2(detail.contains(QLatin1String("What to change")), qPrintable(detail));
    QVERIFY(detail.contains(QLatin1String("RFC 5321 7.1")));

    const QJsonObject report = QJsonDocument::fromJson(dialog->exportData(true)).object();
    QCOMPARE(report.value(QLatin1String("target")).toString(), QStringLiteral("127.0.0.1:%1").arg(lab.port()));
    bool relayInJson = false;
    for (const QJsonValue &v : report.value(QLatin1String("checks")).toArray())
        relayInJson |= v[QLatin1String("id")] == QLatin1String("open-relay") && v[QLatin1String("status")] == QLatin1String("fail");
    QVERIFY(relayInJson);
    const QString html = QString::fromUtf8(dialog->exportData(false));
    QVERIFY(html.contains(QLatin1String("<tr class=\"fail\">")));
    QVERIFY(html.contains(QLatin1String("prefers-color-scheme")));
}

void TestCheckDialog::aBadTestRecipientIsSaidNotRun()
{
    CheckDialog dialog;
    dialog.show();
    dialog.findChild<QLineEdit *>(QStringLiteral("checkTarget"))->setText(QStringLiteral("127.0.0.1:1"));
    dialog.findChild<QLineEdit *>(QStringLiteral("checkRcpt"))->setText(QStringLiteral("not-a-mailbox"));
    dialog.start();
    QVERIFY(!dialog.isRunning());
    QCOMPARE(dialog.model()->rowCount(), 0);
    bool said = false;
    for (QLabel *label : dialog.findChildren<QLabel *>())
        said |= label->text().contains(QLatin1String("must be a mailbox"));
    QVERIFY(said);
}

QTEST_MAIN(TestCheckDialog)
#include "tst_checkdialog.moc"
