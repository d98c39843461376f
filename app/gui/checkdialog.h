#pragma once
// Tools > Check server: the whole check of a host or domain (core/check), its report filling
// in as each check ends, each row explained in the pane below, exported as HTML or JSON.
// The check runs on its own threads: the window stays live and Stop ends it.

#include "check/checkoptions.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;
class QTextBrowser;

namespace smtp {
class ServerChecker;
}

namespace smtp::gui {

class CheckResultModel;

class CheckDialog : public QDialog
{
    Q_OBJECT
public:
    explicit CheckDialog(QWidget *parent = nullptr);

    // Fills the form (target, port, CA file) and starts at once when `start` is true.
    void setTarget(const QString &target, const QString &caFile, bool start);
    void start();
    bool isRunning() const;
    CheckResultModel *model() const { return m_model; }
    // The report as the export writes it, for tests.
    QByteArray exportData(bool json) const;

signals:
    void finished();

private:
    void showSelected();
    void updateStatus();
    void saveAs(bool json);

    ServerChecker *m_checker;
    CheckResultModel *m_model;
    QSortFilterProxyModel *m_sorted;   // worst first, or as the user clicks a header
    QLineEdit *m_target, *m_rcpt, *m_nameserver, *m_ca;
    QPushButton *m_run, *m_exportHtml, *m_exportJson;
    QTableView *m_table;
    QTextBrowser *m_detail;
    QLabel *m_status;
    QString m_reportTarget;
};

} // namespace smtp::gui
