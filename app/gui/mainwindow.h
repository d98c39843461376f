#pragma once
// The workbench window: a connection bar, the transcript with every reply decoded, the
// detail pane, the command line, the state diagram and the practice server.

#include "knowledge/explainer.h"
#include "session/smtpsession.h"

#include <QFont>
#include <QMainWindow>
#include <QMessageBox>
#include <QPointer>
#include <functional>

class QComboBox;
class QToolBar;
class QSplitter;
class QLineEdit;
class QTextBrowser;
class QTreeView;
class QLabel;
class QToolButton;
class QAction;
class QStringListModel;
class QCompleter;
class QDockWidget;
class QTabWidget;
class QMenu;

namespace smtp::gui {

class TranscriptModel;
class StateDiagram;
class PracticePanel;
class ProfileStore;
class LookupDialog;
class CheckDialog;
class BouncePanel;
class ProfileDialog;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Starts the practice server with `scenario` and connects to it.
    bool startPractice(const QString &scenario);
    // `trustedDigest`: a certificate (SHA-256) to accept for this connection only.
    void connectTo(const QString &host, quint16 port, Security security = Security::Plain,
                   const QByteArray &trustedDigest = QByteArray());

    // For tests and scripting the window from outside.
    SmtpSession *session() const { return m_session; }
    TranscriptModel *model() const { return m_model; }
    QTreeView *transcriptView() const { return m_view; }
    QTextBrowser *detailPane() const { return m_detail; }
    QLineEdit *commandLine() const { return m_command; }
    QCompleter *completer() const { return m_completer; }
    StateDiagram *stateDiagram() const { return m_diagram; }
    PracticePanel *practicePanel() const { return m_practice; }
    BouncePanel *bouncePanel() const { return m_bounce; }
    QTabWidget *tabs() const { return m_tabs; }
    bool openTranscript(const QString &path, QString *error);
    // Saves host, port, security, EHLO name and user under `name` (never a password).
    void saveProfileAs(const QString &name);
    // The profile manager (File > Manage profiles), open and not modal; it deletes itself.
    ProfileDialog *openProfileManager();
    void connectToProfile(const QString &name);
    QComboBox *hostField() const { return m_host; }
    QComboBox *portField() const { return m_port; }
    // Zoom of the whole window in percent of the normal type size (50-300), kept across
    // runs; Ctrl+plus, Ctrl+minus, Ctrl+0 and the View menu change it.
    int zoom() const { return m_zoom; }
    void setZoom(int percent);
    // Presenter mode (F11, View menu): large type, the transcript and the diagram, nothing
    // else; kept across runs.
    bool isPresenting() const { return m_presenting; }
    void setPresenterMode(bool on);
    // A first start's layout on a screen of this size (the settings hold none yet).
    void firstLayout(const QRect &screen);
    QDockWidget *stateDock() const { return m_stateDock; }
    QDockWidget *practiceDock() const { return m_practiceDock; }
    // Replaces the question "send credentials in clear text?" (tests answer it themselves).
    void setPlaintextAuthQuestion(std::function<bool()> ask) { m_askPlaintextAuth = std::move(ask); }
    // What to do with a transcript not saved when the window closes or connects elsewhere:
    // Save, Discard or Cancel (tests answer it themselves).
    using UnsavedQuestion = std::function<QMessageBox::StandardButton()>;
    // Whether to trust, for this session, a certificate that did not verify (`why`, the
    // certificate's text); tests answer it themselves.
    void setUntrustedCertificateQuestion(std::function<bool(const QString &why, const QString &details)> ask)
    {
        m_askTrust = std::move(ask);
    }
    void setUnsavedQuestion(UnsavedQuestion ask) { m_askUnsaved = std::move(ask); }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void closeEvent(QCloseEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void applyZoom();
    void keepDetailReadable();
    void restoreLayout();
    void showPresenterChrome(bool presenting);
    void markNewConnection(const QString &host, quint16 port);
    void saveLayout();
    void showSessionDocks(bool show);
    QList<QDockWidget *> m_hiddenForBounce;
    bool allowCredentialsInClear();
    std::function<bool()> m_askPlaintextAuth;
    UnsavedQuestion m_askUnsaved;
    QSplitter *m_split = nullptr;
    QToolBar *m_connectionBar = nullptr;
    QDockWidget *m_stateDock = nullptr;
    QAction *m_presenterAction = nullptr;
    bool m_presenting = false;
    int m_zoomBeforePresenting = 100;
    std::function<bool(const QString &, const QString &)> m_askTrust;
    bool askTrust(const QString &why, const QString &details);
    qsizetype m_savedEvents = 0;   // how much of the current transcript a save or an open holds
    bool keepOrDropTranscript();   // false: the user cancelled
    void connectFromUi();
    int m_zoom = 100;
    QFont m_baseFont;   // the window's type at 100 %
    void buildActions();
    void buildConnectionBar();
    void buildCentre();
    void buildDocks();
    void newSession();
    void connectClicked();
    void sendTyped();
    void sendLine(const QString &line);
    void onEventAdded(int index);
    void onStateChanged();
    void onSelection();
    void onTlsFailed(const QString &what);
    void updateCompletions();
    void authenticate();
    void showAuthDialog(const QString &remembered);
    void compose();
    void lookupMx();
    void saveTranscript();
    void exportTranscript(const QString &suffix);
    void openTranscriptDialog();
    void copyExplanation();
    void showCertificate();
    void showLookup();
    void showCheck();
    void saveProfile();
    void loadProfile(const QString &name);
    void fillProfileMenu(QMenu *menu);
    void rememberHost(const QString &host);
    void status(const QString &text);
    static QByteArray labDigest();

    SmtpSession *m_session = nullptr;
    Explainer m_explainer;
    TranscriptModel *m_model;
    QTreeView *m_view;
    QTextBrowser *m_detail;
    QLineEdit *m_command;
    QCompleter *m_completer;
    QStringListModel *m_completions;
    QStringList m_history;
    int m_historyPos = 0;
    QComboBox *m_host = nullptr;
    QComboBox *m_port;
    QComboBox *m_security;
    QLineEdit *m_ehlo;
    QAction *m_connectAction;
    QAction *m_disconnectAction;
    QAction *m_explainAsSent;
    QList<QAction *> m_sessionActions;
    StateDiagram *m_diagram;
    PracticePanel *m_practice;
    QDockWidget *m_practiceDock;
    QTabWidget *m_tabs;
    BouncePanel *m_bounce;
    QLabel *m_stateLabel;
    QToolButton *m_lock;
    ProfileStore *m_profiles;
    QPointer<LookupDialog> m_lookup;
    QPointer<CheckDialog> m_check;
    int m_textWidthBeforePresenting = 0;   // the Line column's width, given back after presenting
    QString m_lastFrom = QStringLiteral("alice@example.com");
    QString m_lastTo = QStringLiteral("bob@lab.test");
    QString m_authUser;
    QByteArray m_nextTrustedDigest;
    bool m_followScheduled = false;   // a scroll to the newest row is due
    bool m_selectNewest = false;      // and it should be selected (explained)
};

} // namespace smtp::gui
