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
class QLineEdit;
class QSpinBox;

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
    // Faults for the running server, at once (its open connections too): a spec as
    // `smtpwb lab --chaos` takes it, a seed (0: random), a rate (0: no limit). False with
    // the reason shown when the spec does not read.
    bool applyFaults(const QString &spec, quint32 seed, int bytesPerSecond);
    // The scenario's exercises, ticked as this machine's connections reach them.
    QListWidget *checklist() const { return m_goals; }

signals:
    // Start and connect: the window fills its connection bar and connects.
    void connectRequested(const QString &host, quint16 port);
    void message(const QString &text);

private:
    void showScenario();
    void refreshMessages();
    void showFaults(const LabScenario &scenario);
    void showGoals();

    LabServer m_server;
    QComboBox *m_scenarios;
    QLabel *m_description;
    QLabel *m_status;
    QPushButton *m_startButton;
    QLineEdit *m_faults;
    QSpinBox *m_seed;
    QSpinBox *m_rate;
    QListWidget *m_messages;
    QListWidget *m_goals;
    QLabel *m_goalsTitle;
    QPlainTextEdit *m_messageView;
    QHash<QString, LabScenario> m_files;   // scenario files opened, by path
};

} // namespace smtp::gui
