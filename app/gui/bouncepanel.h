#pragma once
// The Bounce tab: paste a bounce or drop an .eml file, get a table of recipients with the
// finding of each, and the explanation of the selected one. Parsing runs off the GUI thread.

#include "bounce/bouncereport.h"

#include <QTimer>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QStandardItemModel;
class QTableView;
class QTextBrowser;

namespace smtp::gui {

class BouncePanel : public QWidget
{
    Q_OBJECT
public:
    explicit BouncePanel(QWidget *parent = nullptr);

    void setMessage(const QByteArray &message);   // fills the text and explains it
    bool openFile(const QString &path, QString *error);
    void explain();                               // reads the pasted text, in the background
    const BounceReport &report() const { return m_report; }
    QStandardItemModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    QTextBrowser *detail() const { return m_detail; }
    QLabel *summary() const { return m_summary; }

signals:
    void explained();

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void show(const BounceReport &report);
    void showRecipient(int row);

    QPlainTextEdit *m_input;
    QPushButton *m_clearButton;
    QLabel *m_summary;
    QStandardItemModel *m_model;
    QTableView *m_table;
    QTextBrowser *m_detail;
    BounceReport m_report;
    int m_generation = 0;   // a newer request wins over an older one still running
    QByteArray m_fileBytes; // an opened or dropped file, as read
    bool m_settingText = false;
    QTimer m_debounce;
};

} // namespace smtp::gui
