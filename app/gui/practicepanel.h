#pragma once
// The built-in practice server in the window: pick a scenario, start it, connect to it,
// and read the mail it accepted.

#include "lab/labserver.h"

#include <QHash>
#include <QWidget>

class QComboBox;
class QLabel;
class QListWidget;
class QPlainTextEdit;
class QPushButton;

namespace smtp::gui {

class PracticePanel : public QWidget
{
    Q_OBJECT
public:
    explicit PracticePanel(QWidget *parent = nullptr);

    // Starts a built-in scenario by name, or a scenario file by its path, on a free port of
    // 127.0.0.1; false with a message if not.
    bool start(const QString &scenario);
    // Asks for a scenario file, starts it and asks to connect.
    bool openFile();
    void stop();
    LabServer &server() { return m_server; }
    QString currentScenario() const;

signals:
    // Start and connect: the window fills its connection bar and connects.
    void connectRequested(const QString &host, quint16 port);
    void message(const QString &text);

private:
    void showScenario();
    void refreshMessages();

    LabServer m_server;
    QComboBox *m_scenarios;
    QLabel *m_description;
    QLabel *m_status;
    QPushButton *m_startButton;
    QListWidget *m_messages;
    QPlainTextEdit *m_messageView;
    QHash<QString, LabScenario> m_files;   // scenario files opened, by path
};

} // namespace smtp::gui
