#include "mainwindow.h"

#include "bouncepanel.h"
#include "detailview.h"
#include "lab/labcertificate.h"
#include "checkdialog.h"
#include "checkresultmodel.h"
#include "dialogs.h"
#include "practicepanel.h"
#include "profiledialog.h"
#include "profilestore.h"
#include "keyboard.h"
#include "theme.h"
#include "session/mxresolver.h"
#include "statediagram.h"
#include "transcriptmodel.h"

#include <QAction>
#include <QActionGroup>
#include <QScrollArea>
#include <QGuiApplication>
#include <QScreen>
#include <memory>
#include <QSettings>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QResizeEvent>
#include <QComboBox>
#include <QCompleter>
#include <QDockWidget>
#include <QFile>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QStatusBar>
#include <QStringListModel>
#include <QTabWidget>
#include <QTextBrowser>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

// The icons are compiled into the static smtpwbgui library, whose resources the linker
// drops unless something refers to them; Q_INIT_RESOURCE must stand outside a namespace.
static void initGuiResources()
{
    Q_INIT_RESOURCE(gui);
}

namespace smtp::gui {

MainWindow::MainWindow(QWidget *parent) : QMainWindow(parent)
{
    initGuiResources();
    setWindowTitle(QStringLiteral("SMTP Workbench"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/smtp-workbench.svg")));
    Theme::instance(); // light or dark before the first widget is drawn
    m_profiles = new ProfileStore(this);
    m_model = new TranscriptModel(this);
    buildCentre();
    buildConnectionBar();
    buildDocks();
    buildActions();
    m_stateLabel = new QLabel;
    m_lock = new QToolButton;
    m_lock->setAutoRaise(true);
    m_lock->setToolTip(QStringLiteral("Not encrypted. When TLS is up, click for the certificate chain, protocol and cipher (Ctrl+T)."));
    connect(m_lock, &QToolButton::clicked, this, &MainWindow::showCertificate);
    statusBar()->addPermanentWidget(m_stateLabel);
    statusBar()->addPermanentWidget(m_lock);
    newSession();
    restoreLayout();
    connect(Theme::instance(), &Theme::changed, this, [this] {
        onSelection(); // the detail pane's page in the new colours
        m_diagram->update();
    });
    m_baseFont = font();
    makeToolBarsFocusable(this);
    showKeysInToolTips(this);
    new FocusRing(this);
    keepDetailReadable();
    m_zoom = qBound(50, QSettings().value(QStringLiteral("view/zoom"), 100).toInt(), 300);
    if (m_zoom != 100)
        applyZoom();
    if (QSettings().value(QStringLiteral("view/presenter"), false).toBool()) {
        m_zoomBeforePresenting = QSettings().value(QStringLiteral("view/zoomBeforePresenting"), 100).toInt();
        m_presenting = true;
        QSignalBlocker block(m_presenterAction);
        m_presenterAction->setChecked(true);
        showPresenterChrome(true);
    }
}

// For a class at the back of the room: large type, the transcript and the diagram, and
// nothing else (menus, connection bar, detail pane, status bar hidden). F11 leaves it.
void MainWindow::setPresenterMode(bool on)
{
    if (on == m_presenting)
        return;
    m_presenting = on;
    QSignalBlocker block(m_presenterAction);
    m_presenterAction->setChecked(on);
    // The chrome goes after the zoom and comes back before it: a column hidden while the
    // zoom changes would lose its width.
    if (on) {
        m_zoomBeforePresenting = m_zoom;
        QSettings().setValue(QStringLiteral("view/zoomBeforePresenting"), m_zoom);
        setZoom(qMax(m_zoom, 175));
        showPresenterChrome(true);
    } else {
        showPresenterChrome(false);
        setZoom(m_zoomBeforePresenting);
    }
    QSettings().setValue(QStringLiteral("view/presenter"), on);
}

void MainWindow::showPresenterChrome(bool presenting)
{
    menuBar()->setVisible(!presenting);
    m_connectionBar->setVisible(!presenting);
    m_detail->setVisible(!presenting);
    // The words get the room: no time or latency; the line and its meaning share the width.
    m_view->setColumnHidden(TranscriptModel::TimeColumn, presenting);
    m_view->setColumnHidden(TranscriptModel::LatencyColumn, presenting);
    statusBar()->setVisible(!presenting);
    QHeaderView *header = m_view->header();
    if (presenting) {
        m_stateDock->show();
        m_stateDock->raise();
        // The whole diagram in view: its dock as wide as the enlarged diagram asks.
        resizeDocks({m_stateDock}, {m_diagram->minimumSizeHint().width() + 24}, Qt::Horizontal);
        m_textWidthBeforePresenting = header->sectionSize(TranscriptModel::TextColumn);
        // Once the docks have their new widths: the lines as wide as they need, up to two
        // thirds of the view, the meaning the rest.
        QTimer::singleShot(0, this, [this] {
            if (!m_presenting)
                return;
            m_view->resizeColumnToContents(TranscriptModel::TextColumn);
            const int most = m_view->viewport()->width() * 2 / 3;
            if (m_view->header()->sectionSize(TranscriptModel::TextColumn) > most)
                m_view->header()->resizeSection(TranscriptModel::TextColumn, most);
        });
    } else if (m_textWidthBeforePresenting > 0) {
        header->resizeSection(TranscriptModel::TextColumn, m_textWidthBeforePresenting);
    }
}

void MainWindow::setZoom(int percent)
{
    const int before = m_zoom;
    m_zoom = qBound(50, percent, 300);
    QSettings().setValue(QStringLiteral("view/zoom"), m_zoom);
    applyZoom();
    // The transcript's columns grow and shrink with their type (the last one stretches).
    QHeaderView *header = m_view->header();
    for (int i = 0; i + 1 < header->count(); ++i)
        if (!header->isSectionHidden(i))
            header->resizeSection(i, header->sectionSize(i) * m_zoom / before);
    statusBar()->showMessage(QStringLiteral("Zoom %1 %").arg(m_zoom), 2000);
}

// Every widget's type scales: the window's font for those that inherit it, and each
// widget with a font of its own (the transcript's fixed font, the editor's) from the size
// it had at 100 %.
void MainWindow::applyZoom()
{
    const qreal factor = m_zoom / 100.0;
    QFont scaled = m_baseFont;
    scaled.setPointSizeF(m_baseFont.pointSizeF() * factor);
    setFont(scaled);
    static const char *kBase = "smtpwbBasePointSize";
    for (QWidget *w : findChildren<QWidget *>()) {
        QVariant base = w->property(kBase);
        if (!base.isValid()) {
            if (!w->testAttribute(Qt::WA_SetFont))
                continue;
            base = w->font().pointSizeF();
            w->setProperty(kBase, base);
        }
        QFont f = w->font();
        f.setPointSizeF(base.toReal() * factor);
        w->setFont(f);
    }
    keepDetailReadable();
}

// The detail pane keeps room for about forty characters a line (300 px at least) at any
// zoom, so its table never wraps a word a letter per line.
void MainWindow::keepDetailReadable()
{
    m_detail->setMinimumWidth(qMax(300, m_detail->fontMetrics().averageCharWidth() * 40));
}

MainWindow::~MainWindow() = default;

void MainWindow::buildCentre()
{
    m_view = new QTreeView;
    m_view->setModel(m_model);
    m_view->setUniformRowHeights(true); // keeps 100,000 rows smooth
    m_view->setRootIsDecorated(true);
    m_view->setAlternatingRowColors(true);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setAccessibleName(QStringLiteral("Transcript"));
    m_view->header()->setStretchLastSection(false);
    m_view->header()->setSectionResizeMode(TranscriptModel::TextColumn, QHeaderView::Interactive);
    m_view->header()->setSectionResizeMode(TranscriptModel::AnnotationColumn, QHeaderView::Stretch);
    m_view->setIndentation(14);
    m_view->setColumnWidth(TranscriptModel::TimeColumn, 108);
    m_view->setColumnWidth(TranscriptModel::TlsColumn, 24);
    m_view->setColumnWidth(TranscriptModel::TextColumn, 300);
    m_view->setColumnWidth(TranscriptModel::LatencyColumn, 70);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this, &MainWindow::onSelection);

    m_detail = new QTextBrowser;
    m_detail->setAccessibleName(QStringLiteral("Details"));
    m_detail->setOpenExternalLinks(false);
    m_detail->setHtml(QStringLiteral("<p>Select a line of the transcript to see it explained: the reply's digits one by "
                                     "one, its enhanced status code, what to do, and the raw bytes.</p>"));

    m_command = new QLineEdit;
    m_command->setAccessibleName(QStringLiteral("Command line"));
    m_command->setPlaceholderText(QStringLiteral("Type a command and press Enter (Up/Down: history, Ctrl+Space: completion)"));
    m_command->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_command->installEventFilter(this);
    m_completions = new QStringListModel(this);
    m_completer = new QCompleter(m_completions, this);
    m_completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_completer->setCompletionMode(QCompleter::PopupCompletion);
    m_command->setCompleter(m_completer);
    connect(m_command, &QLineEdit::returnPressed, this, &MainWindow::sendTyped);

    // A tool bar, not a row of buttons: in a narrow window the steps that do not fit go
    // behind its extension arrow instead of widening the window.
    auto *buttons = new QToolBar;
    buttons->setObjectName(QStringLiteral("steps"));
    buttons->setToolButtonStyle(Qt::ToolButtonTextOnly);
    struct Step { const char *label; const char *line; const char *key; };
    const Step steps[] = {{"EHLO", "EHLO", "F2"}, {"STARTTLS", "STARTTLS", "F3"}, {"AUTH...", nullptr, "F4"},
                          {"MAIL FROM", "MAIL FROM:<%1>", "F5"}, {"RCPT TO", "RCPT TO:<%2>", "F6"},
                          {"DATA...", nullptr, "F7"}, {"RSET", "RSET", "F8"}, {"NOOP", "NOOP", "Shift+F8"},
                          {"QUIT", "QUIT", "F10"}};
    for (const Step &s : steps) {
        auto *action = new QAction(QString::fromLatin1(s.label), this);
        action->setShortcut(QKeySequence(QString::fromLatin1(s.key)));
        action->setToolTip(QStringLiteral("%1 (%2)").arg(QString::fromLatin1(s.label), QString::fromLatin1(s.key)));
        // The button shows its key under its name; menus show the text and the shortcut.
        action->setIconText(QStringLiteral("%1\n%2").arg(QString::fromLatin1(s.label), QString::fromLatin1(s.key)));
        const QString label = QString::fromLatin1(s.label);
        if (label == QLatin1String("AUTH..."))
            connect(action, &QAction::triggered, this, &MainWindow::authenticate);
        else if (label == QLatin1String("DATA..."))
            connect(action, &QAction::triggered, this, &MainWindow::compose);
        else {
            const QString line = QString::fromLatin1(s.line);
            connect(action, &QAction::triggered, this, [this, line] {
                QString text = line;
                if (text == QLatin1String("EHLO"))
                    text += QLatin1Char(' ') + (m_ehlo->text().isEmpty() ? QStringLiteral("workbench.local") : m_ehlo->text());
                text.replace(QLatin1String("%1"), m_lastFrom).replace(QLatin1String("%2"), m_lastTo);
                if (text.startsWith(QLatin1String("MAIL")) || text.startsWith(QLatin1String("RCPT"))) {
                    // Let the person edit the address before sending.
                    m_command->setText(text);
                    m_command->setFocus();
                    m_command->setSelection(text.indexOf(QLatin1Char('<')) + 1, text.indexOf(QLatin1Char('>')) - text.indexOf(QLatin1Char('<')) - 1);
                    return;
                }
                sendLine(text);
            });
        }
        buttons->addAction(action);
        addAction(action);
        m_sessionActions.append(action);
    }

    auto *bottom = new QWidget;
    auto *bottomLayout = new QVBoxLayout(bottom);
    bottomLayout->setContentsMargins(0, 0, 0, 0);
    bottomLayout->addWidget(buttons);
    bottomLayout->addWidget(m_command);

    // The steps and the command line run under both the transcript and the detail pane:
    // at 1024 px the buttons all fit on one row.
    auto *split = new QSplitter(Qt::Horizontal);
    split->setObjectName(QStringLiteral("sessionSplit"));
    m_split = split;
    split->addWidget(m_view);
    split->addWidget(m_detail);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setSizes({720, 340});
    split->setChildrenCollapsible(false);
    auto *sessionPage = new QWidget;
    auto *pageLayout = new QVBoxLayout(sessionPage);
    pageLayout->setContentsMargins(0, 0, 0, 0);
    pageLayout->addWidget(split, 1);
    pageLayout->addWidget(bottom);
    m_bounce = new BouncePanel;
    m_tabs = new QTabWidget;
    m_tabs->addTab(sessionPage, QStringLiteral("&Session"));
    m_tabs->addTab(m_bounce, QStringLiteral("&Bounce"));
    m_tabs->setDocumentMode(true);
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] { showSessionDocks(m_tabs->currentWidget() != m_bounce); });
    setCentralWidget(m_tabs);
}

void MainWindow::buildConnectionBar()
{
    auto *bar = addToolBar(QStringLiteral("Connection"));
    m_connectionBar = bar;
    bar->setObjectName(QStringLiteral("connection"));
    bar->setMovable(false);
    m_host = new QComboBox;
    m_host->setEditable(true);
    m_host->setMinimumWidth(220);
    m_host->lineEdit()->setPlaceholderText(QStringLiteral("host, or domain for its MX"));
    m_host->setToolTip(QStringLiteral("Host name or address; the servers connected to lately are listed (Ctrl+H)"));
    m_host->addItems(QSettings().value(QStringLiteral("connection/recentHosts")).toStringList());
    m_host->setCurrentText(QString());
    auto *focusHost = new QAction(this);
    focusHost->setShortcut(QKeySequence(QStringLiteral("Ctrl+H")));
    connect(focusHost, &QAction::triggered, m_host, [this] { m_host->setFocus(); m_host->lineEdit()->selectAll(); });
    addAction(focusHost);
    m_port = new QComboBox;
    m_port->setEditable(true);
    m_port->setMinimumWidth(90);
    m_port->addItems({QStringLiteral("25"), QStringLiteral("587"), QStringLiteral("465"), QStringLiteral("2525")});
    m_port->setToolTip(QStringLiteral("25 server to server, 587 submission (STARTTLS), 465 submission over TLS, 2525 alternative"));
    connect(m_port, &QComboBox::currentTextChanged, this, [this](const QString &port) {
        if (port == QLatin1String("465"))
            m_security->setCurrentIndex(3);
        else if (port == QLatin1String("587"))
            m_security->setCurrentIndex(1);
    });
    m_security = new QComboBox;
    for (Security mode : {Security::Plain, Security::StartTlsRequired, Security::StartTlsOpportunistic,
                          Security::ImplicitTls})
        m_security->addItem(securityLabel(mode), int(mode));
    m_ehlo = new QLineEdit(QStringLiteral("workbench.local"));
    m_ehlo->setMaximumWidth(180);
    m_ehlo->setToolTip(QStringLiteral("The name this client gives in EHLO"));
    auto *mx = new QToolButton;
    mx->setText(QStringLiteral("MX"));
    mx->setToolTip(QStringLiteral("Look up the domain's mail servers (MX records) and pick one (Ctrl+M)"));
    mx->setShortcut(QKeySequence(QStringLiteral("Ctrl+M")));
    connect(mx, &QToolButton::clicked, this, &MainWindow::lookupMx);
    auto *profiles = new QToolButton;
    profiles->setText(QStringLiteral("Profiles"));
    profiles->setToolTip(QStringLiteral("Connect with a saved profile, save this connection as one, or manage them"));
    profiles->setPopupMode(QToolButton::InstantPopup);
    auto *profileMenu = new QMenu(profiles);
    connect(profileMenu, &QMenu::aboutToShow, this, [this, profileMenu] { fillProfileMenu(profileMenu); });
    profiles->setMenu(profileMenu);
    bar->addWidget(profiles);
    bar->addWidget(new QLabel(QStringLiteral(" Server ")));
    bar->addWidget(m_host);
    bar->addWidget(mx);
    auto *check = new QToolButton;
    check->setText(QStringLiteral("Check"));
    check->setToolTip(QStringLiteral("Check this server or domain: DNS, TLS, DANE, MTA-STS, SPF/DMARC, relay, smuggling (Ctrl+Shift+K)"));
    connect(check, &QToolButton::clicked, this, &MainWindow::showCheck);
    bar->addWidget(check);
    bar->addWidget(new QLabel(QStringLiteral(" Port ")));
    bar->addWidget(m_port);
    bar->addWidget(new QLabel(QStringLiteral(" Security ")));
    bar->addWidget(m_security);
    bar->addWidget(new QLabel(QStringLiteral(" EHLO as ")));
    bar->addWidget(m_ehlo);
    m_connectAction = bar->addAction(QStringLiteral("Connect"), this, &MainWindow::connectFromUi);
    m_connectAction->setShortcut(QKeySequence(QStringLiteral("Ctrl+Return")));
    m_connectAction->setToolTip(QStringLiteral("Connect to the server (Ctrl+Return)"));
    m_disconnectAction = bar->addAction(QStringLiteral("Disconnect"), this, [this] { m_session->abort(); });
    m_disconnectAction->setShortcut(QKeySequence(QStringLiteral("Ctrl+Shift+D")));
    m_disconnectAction->setToolTip(QStringLiteral("Drop the connection now; the transcript is kept (Ctrl+Shift+D)"));
    // Enter in the host field connects once: taken here, since a combo box hands the key it
    // did not use back to its line edit, which would signal returnPressed a second time.
    m_host->lineEdit()->installEventFilter(this);
}

void MainWindow::buildDocks()
{
    m_diagram = new StateDiagram;
    auto *stateDock = new QDockWidget(QStringLiteral("Session state"), this);
    m_stateDock = stateDock;
    stateDock->setObjectName(QStringLiteral("state"));
    // In a scroll area: the diagram keeps the room its labels need, and a narrow window
    // scrolls it rather than squeezing the boxes together.
    auto *diagramScroll = new QScrollArea;
    diagramScroll->setWidget(m_diagram);
    diagramScroll->setWidgetResizable(true);
    diagramScroll->setFrameShape(QFrame::NoFrame);
    diagramScroll->setMinimumWidth(200);
    stateDock->setWidget(diagramScroll);
    addDockWidget(Qt::RightDockWidgetArea, stateDock);

    m_practice = new PracticePanel;
    m_practiceDock = new QDockWidget(QStringLiteral("Practice server"), this);
    m_practiceDock->setObjectName(QStringLiteral("practice"));
    // Scrolls in a short window rather than making the window taller than the screen.
    auto *practiceScroll = new QScrollArea;
    practiceScroll->setWidget(m_practice);
    practiceScroll->setWidgetResizable(true);
    practiceScroll->setFrameShape(QFrame::NoFrame);
    practiceScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_practiceDock->setWidget(practiceScroll);
    addDockWidget(Qt::RightDockWidgetArea, m_practiceDock);
    connect(m_practice, &PracticePanel::connectRequested, this, [this](const QString &host, quint16 port) {
        connectTo(host, port, Security::Plain, labDigest());
    });
    connect(m_practice, &PracticePanel::message, this, &MainWindow::status);
}

void MainWindow::buildActions()
{
    QMenu *file = menuBar()->addMenu(QStringLiteral("&File"));
    file->addAction(QStringLiteral("&Open transcript..."), QKeySequence::Open, this, &MainWindow::openTranscriptDialog);
    file->addAction(QStringLiteral("&Save transcript..."), QKeySequence::Save, this, &MainWindow::saveTranscript);
    file->addAction(QStringLiteral("Export as &text..."), QKeySequence(QStringLiteral("Ctrl+E")), this,
                    [this] { exportTranscript(QStringLiteral("txt")); });
    file->addAction(QStringLiteral("Export as &HTML..."), QKeySequence(QStringLiteral("Ctrl+Shift+E")), this,
                    [this] { exportTranscript(QStringLiteral("html")); });
    file->addAction(QStringLiteral("Open a &bounce (.eml)..."), QKeySequence(QStringLiteral("Ctrl+Shift+O")), this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, QStringLiteral("Open a bounce"), QString(),
                                                          QStringLiteral("Mail messages (*.eml *.msg *.txt);;All files (*)"));
        if (path.isEmpty())
            return;
        QString error;
        m_tabs->setCurrentWidget(m_bounce);
        if (!m_bounce->openFile(path, &error))
            QMessageBox::warning(this, QStringLiteral("Not opened"), error);
    });
    file->addSeparator();
    file->addAction(QStringLiteral("Save connection as &profile..."), QKeySequence(QStringLiteral("Ctrl+Shift+S")), this,
                    &MainWindow::saveProfile);
    file->addAction(QStringLiteral("&Manage profiles..."), QKeySequence(QStringLiteral("Ctrl+Shift+P")), this,
                    &MainWindow::openProfileManager);
    file->addSeparator();
    file->addAction(QStringLiteral("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu *edit = menuBar()->addMenu(QStringLiteral("&Edit"));
    edit->addAction(QStringLiteral("&Copy explanation"), QKeySequence(QStringLiteral("Ctrl+Shift+C")), this,
                    &MainWindow::copyExplanation);
    edit->addAction(QStringLiteral("Clear &transcript view"), QKeySequence(QStringLiteral("Ctrl+Shift+L")), this,
                    [this] { m_model->clear(); });

    QMenu *session = menuBar()->addMenu(QStringLiteral("&Session"));
    session->addAction(m_connectAction);
    session->addAction(m_disconnectAction);
    session->addSeparator();
    for (QAction *a : std::as_const(m_sessionActions))
        session->addAction(a);
    session->addSeparator();
    session->addAction(QStringLiteral("TLS &certificate..."), QKeySequence(QStringLiteral("Ctrl+T")), this,
                       &MainWindow::showCertificate);
    session->addAction(QStringLiteral("Focus the &command line"), QKeySequence(QStringLiteral("Ctrl+J")), this,
                       [this] { m_command->setFocus(); });

    QMenu *tools = menuBar()->addMenu(QStringLiteral("&Tools"));
    tools->addAction(QStringLiteral("&Look up a code..."), QKeySequence(QStringLiteral("Ctrl+L")), this,
                     &MainWindow::showLookup);
    tools->addAction(QStringLiteral("&Check server..."), QKeySequence(QStringLiteral("Ctrl+Shift+K")), this,
                     &MainWindow::showCheck);
    tools->addAction(QStringLiteral("&Practice server"), QKeySequence(QStringLiteral("Ctrl+P")), this, [this] {
        m_practiceDock->show();
        m_practiceDock->raise();
    });

    QMenu *view = menuBar()->addMenu(QStringLiteral("&View"));
    QAction *zoomIn = view->addAction(QStringLiteral("Zoom &in"), this, [this] { setZoom(m_zoom + 10); });
    zoomIn->setShortcuts({QKeySequence::ZoomIn, QKeySequence(QStringLiteral("Ctrl+="))});
    view->addAction(QStringLiteral("Zoom &out"), QKeySequence::ZoomOut, this, [this] { setZoom(m_zoom - 10); });
    view->addAction(QStringLiteral("&Normal size"), QKeySequence(QStringLiteral("Ctrl+0")), this, [this] { setZoom(100); });
    m_presenterAction = view->addAction(QStringLiteral("&Presenter mode"));
    m_presenterAction->setCheckable(true);
    m_presenterAction->setShortcut(QKeySequence(QStringLiteral("F11")));
    m_presenterAction->setToolTip(QStringLiteral("Large type, the transcript and the diagram side by side, the rest hidden (F11)"));
    addAction(m_presenterAction); // F11 still works with the menu bar hidden
    connect(m_presenterAction, &QAction::toggled, this, &MainWindow::setPresenterMode);
    // Every panel can come back from here, not only from a right click on a tool bar.
    QMenu *panels = view->addMenu(QStringLiteral("P&anels"));
    panels->setObjectName(QStringLiteral("panels"));
    QAction *stateToggle = m_stateDock->toggleViewAction();
    stateToggle->setText(QStringLiteral("&Session state diagram"));
    stateToggle->setShortcut(QKeySequence(QStringLiteral("Ctrl+Shift+1")));
    QAction *practiceToggle = m_practiceDock->toggleViewAction();
    practiceToggle->setText(QStringLiteral("&Practice server"));
    practiceToggle->setShortcut(QKeySequence(QStringLiteral("Ctrl+Shift+2")));
    QAction *detailToggle = new QAction(QStringLiteral("&Detail pane"), this);
    detailToggle->setCheckable(true);
    detailToggle->setChecked(true);
    detailToggle->setShortcut(QKeySequence(QStringLiteral("Ctrl+Shift+3")));
    connect(detailToggle, &QAction::toggled, m_detail, &QWidget::setVisible);
    QAction *barToggle = m_connectionBar->toggleViewAction();
    barToggle->setText(QStringLiteral("&Connection bar"));
    panels->addActions({stateToggle, practiceToggle, detailToggle, barToggle});
    for (QToolBar *bar : findChildren<QToolBar *>())
        if (bar->objectName() == QLatin1String("steps")) {
            bar->toggleViewAction()->setText(QStringLiteral("Step &buttons"));
            panels->addAction(bar->toggleViewAction());
        }
    QMenu *colours = view->addMenu(QStringLiteral("&Colours"));
    auto *schemes = new QActionGroup(this);
    const std::pair<ColourScheme, QString> choices[] = {{ColourScheme::FollowDesktop, QStringLiteral("As the &desktop")},
                                                         {ColourScheme::Light, QStringLiteral("&Light")},
                                                         {ColourScheme::Dark, QStringLiteral("Dar&k")}};
    for (const auto &[scheme, label] : choices) {
        QAction *a = colours->addAction(label, this, [scheme = scheme] { Theme::instance()->setScheme(scheme); });
        a->setCheckable(true);
        a->setChecked(Theme::instance()->scheme() == scheme);
        schemes->addAction(a);
    }
    view->addSeparator();
    view->addAction(QStringLiteral("The &session"), QKeySequence(QStringLiteral("Ctrl+1")), this,
                    [this] { m_tabs->setCurrentIndex(0); });
    view->addAction(QStringLiteral("The &bounce explainer"), QKeySequence(QStringLiteral("Ctrl+2")), this,
                    [this] { m_tabs->setCurrentWidget(m_bounce); });
    m_explainAsSent = view->addAction(QStringLiteral("&Explain each command as it is sent"));
    m_explainAsSent->setCheckable(true);
    m_explainAsSent->setChecked(true);
    m_explainAsSent->setShortcut(QKeySequence(QStringLiteral("F9")));
    view->addAction(QStringLiteral("&Expand all multi-line replies"), QKeySequence(QStringLiteral("Ctrl+Shift+X")),
                    m_view, &QTreeView::expandAll);

    QMenu *help = menuBar()->addMenu(QStringLiteral("&Help"));
    help->addAction(QStringLiteral("&About"), this, [this] {
        QMessageBox::about(this, QStringLiteral("SMTP Workbench"),
                           QStringLiteral("<b>SMTP Workbench</b><p>Talk to a mail server one command at a time and "
                                          "read every reply decoded.</p>"));
    });
}

void MainWindow::newSession()
{
    if (m_session) {
        m_session->disconnect(this);
        m_session->closeNow(QStringLiteral("Connecting elsewhere."));
        m_session->deleteLater();
    }
    m_savedEvents = 0;
    m_session = new SmtpSession(this);
    connect(m_session, &SmtpSession::eventAdded, this, &MainWindow::onEventAdded);
    connect(m_session, &SmtpSession::stateChanged, this, &MainWindow::onStateChanged);
    // Queued: the question must not be asked inside the socket's own TLS signal.
    connect(m_session, &SmtpSession::tlsFailed, this, &MainWindow::onTlsFailed, Qt::QueuedConnection);
    connect(m_session, &SmtpSession::idle, this, &MainWindow::updateCompletions);
    onStateChanged();
}

void MainWindow::connectTo(const QString &host, quint16 port, Security security, const QByteArray &trustedDigest)
{
    m_nextTrustedDigest = trustedDigest;
    m_host->setCurrentText(host);
    m_port->setCurrentText(QString::number(port));
    m_security->setCurrentIndex(m_security->findData(int(security)));
    connectClicked();
}

bool MainWindow::startPractice(const QString &scenario)
{
    if (!m_practice->start(scenario))
        return false;
    connectTo(QStringLiteral("127.0.0.1"), m_practice->server().port(), Security::Plain, labDigest());
    return true;
}

void MainWindow::connectClicked()
{
    // A certificate trusted for the practice server goes with this attempt or with none.
    const QByteArray trusted = std::exchange(m_nextTrustedDigest, QByteArray());
    const QString host = m_host->currentText().trimmed();
    bool ok = false;
    const int port = m_port->currentText().toInt(&ok);
    if (host.isEmpty() || !ok || port <= 0 || port > 65535) {
        status(QStringLiteral("Give a host and a port from 1 to 65535."));
        return;
    }
    SessionOptions options = m_session->options();
    options.host = host;
    options.port = quint16(port);
    options.security = Security(m_security->currentData().toInt());
    options.ehloName = m_ehlo->text().trimmed();
    // Only the practice server's own certificate is trusted without asking.
    options.trustedCertificateDigest = trusted;
    options.allowPlaintextAuth = false; // asked again for each new connection
    markNewConnection(options.host, options.port);
    rememberHost(host);
    newSession();
    m_session->setOptions(options);
    m_session->connectToServer();
    m_command->setFocus();
}

QByteArray MainWindow::labDigest()
{
    return LabCertificate::certificate().digest(QCryptographicHash::Sha256);
}

void MainWindow::sendTyped()
{
    const QString line = m_command->text();
    if (line.isEmpty() && m_session->state() != SessionState::InData)
        return;
    if (!m_session->carriesCredentials(line) && (m_history.isEmpty() || m_history.last() != line))
        m_history.append(line);
    m_historyPos = int(m_history.size());
    m_completer->popup()->hide();
    m_command->clear();
    sendLine(line);
}

void MainWindow::sendLine(const QString &line)
{
    if (m_session->state() == SessionState::Disconnected || m_session->state() == SessionState::Closed) {
        status(QStringLiteral("Not connected: press Connect (Ctrl+Enter) first. The line was not sent."));
        return;
    }
    const QString verb = line.section(QLatin1Char(' '), 0, 0).toUpper();
    if (verb == QLatin1String("MAIL") || verb == QLatin1String("RCPT")) {
        const QString address = line.section(QLatin1Char('<'), 1).section(QLatin1Char('>'), 0, 0);
        if (!address.isEmpty())
            (verb == QLatin1String("MAIL") ? m_lastFrom : m_lastTo) = address;
    }
    if (m_session->wouldSendCredentialsInClear(line) && !allowCredentialsInClear()) {
        status(QStringLiteral("Not sent: credentials stay off an unencrypted connection. Use STARTTLS first."));
        return;
    }
    m_session->sendCommand(line);
}

bool MainWindow::eventFilter(QObject *watched, QEvent *event)
{
    if (m_host && watched == m_host->lineEdit() && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        if (key == Qt::Key_Return || key == Qt::Key_Enter) {
            connectFromUi();
            return true;
        }
    }
    if (watched == m_command && event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (m_completer->popup()->isVisible())
            return false;
        if (key->key() == Qt::Key_Up && !m_history.isEmpty()) {
            m_historyPos = qMax(0, m_historyPos - 1);
            m_command->setText(m_history.at(m_historyPos));
            return true;
        }
        if (key->key() == Qt::Key_Down && !m_history.isEmpty()) {
            m_historyPos = qMin(int(m_history.size()), m_historyPos + 1);
            m_command->setText(m_historyPos < m_history.size() ? m_history.at(m_historyPos) : QString());
            return true;
        }
        if (key->key() == Qt::Key_Space && key->modifiers() & Qt::ControlModifier) {
            m_completer->setCompletionPrefix(m_command->text());
            m_completer->complete();
            return true;
        }
    }
    return QMainWindow::eventFilter(watched, event);
}

void MainWindow::onEventAdded(int index)
{
    const TranscriptEvent &event = m_session->transcript().events().at(index);
    m_model->append(event);
    if (event.kind == TranscriptEvent::Kind::Error)
        status(event.text);
    // Teaching mode: the newest command or reply is selected, so it is explained as it
    // happens. Done once per burst, so a server that floods cannot freeze the window.
    const bool explain = m_explainAsSent->isChecked()
        && (event.kind == TranscriptEvent::Kind::Sent || event.kind == TranscriptEvent::Kind::Received);
    m_selectNewest = m_selectNewest || explain || event.kind == TranscriptEvent::Kind::Error;
    if (!m_followScheduled) {
        m_followScheduled = true;
        QTimer::singleShot(30, this, [this] {
            m_followScheduled = false;
            const QModelIndex last = m_model->index(m_model->rowCount() - 1, 0);
            m_view->scrollTo(last);
            if (std::exchange(m_selectNewest, false))
                m_view->setCurrentIndex(last);
        });
    }
}

void MainWindow::onStateChanged()
{
    const SessionState state = m_session->state();
    m_diagram->setState(state, m_session->expectedVerbs());
    m_stateLabel->setText(QStringLiteral("State: %1").arg(stateLabel(state)));
    const bool tls = m_session->isEncrypted();
    m_lock->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_lock->setIcon(QIcon(tls ? QStringLiteral(":/icons/lock.svg") : QStringLiteral(":/icons/unlock.svg")));
    m_lock->setText(tls ? m_session->tlsInfo().protocol : QStringLiteral("plain text"));
    const bool connected = state != SessionState::Disconnected && state != SessionState::Closed;
    m_disconnectAction->setEnabled(connected);
    for (QAction *a : std::as_const(m_sessionActions))
        a->setEnabled(connected);
    updateCompletions();
}

void MainWindow::updateCompletions()
{
    // The commands that make sense now, with the parameters the server announced.
    QStringList items;
    const Capabilities &caps = m_session->capabilities();
    for (const QString &verb : m_session->expectedVerbs()) {
        if (verb == QLatin1String("MAIL")) {
            items << QStringLiteral("MAIL FROM:<%1>").arg(m_lastFrom);
            if (caps.has(QStringLiteral("SIZE")))
                items << QStringLiteral("MAIL FROM:<%1> SIZE=").arg(m_lastFrom);
            if (caps.has(QStringLiteral("8BITMIME")))
                items << QStringLiteral("MAIL FROM:<%1> BODY=8BITMIME").arg(m_lastFrom);
            if (caps.has(QStringLiteral("SMTPUTF8")))
                items << QStringLiteral("MAIL FROM:<%1> SMTPUTF8").arg(m_lastFrom);
            if (caps.has(QStringLiteral("DSN")))
                items << QStringLiteral("MAIL FROM:<%1> RET=HDRS ENVID=").arg(m_lastFrom);
        } else if (verb == QLatin1String("RCPT")) {
            items << QStringLiteral("RCPT TO:<%1>").arg(m_lastTo);
            if (caps.has(QStringLiteral("DSN")))
                items << QStringLiteral("RCPT TO:<%1> NOTIFY=SUCCESS,FAILURE").arg(m_lastTo);
        } else if (verb == QLatin1String("AUTH")) {
            for (const QString &m : caps.authMechanisms())
                items << QStringLiteral("AUTH ") + m;
        } else if (verb == QLatin1String("EHLO") || verb == QLatin1String("HELO")) {
            items << verb + QLatin1Char(' ') + m_ehlo->text();
        } else if (verb == QLatin1String("BDAT")) {
            items << QStringLiteral("BDAT 0 LAST");
        } else if (verb == QLatin1String("VRFY") || verb == QLatin1String("ETRN")) {
            items << verb + QLatin1Char(' ');
        } else {
            items << verb;
        }
    }
    m_completions->setStringList(items);
}

void MainWindow::onSelection()
{
    const TranscriptEvent *event = m_model->eventAt(m_view->currentIndex());
    if (!event)
        return;
    m_detail->setHtml(detailHtml(*event, m_explainer));
}

void MainWindow::onTlsFailed(const QString &what)
{
    const QSslCertificate certificate = m_session->rejectedCertificate();
    if (certificate.isNull() || !askTrust(what, TlsInfo::describe(certificate)))
        return;
    // Resume where the session stopped: the same server again, under the trust. A STARTTLS
    // typed on a plain connection is done by the session itself this time (EHLO, STARTTLS,
    // EHLO again), so nothing has to be retyped.
    SessionOptions options = m_session->options();
    options.trustedCertificateDigest = certificate.digest(QCryptographicHash::Sha256);
    if (options.security == Security::Plain) {
        options.security = Security::StartTlsRequired;
        m_security->setCurrentIndex(m_security->findData(int(options.security)));
    }
    newSession();
    m_session->setOptions(options);
    // The EHLO the user had typed, sent for them once the server greets; STARTTLS and the
    // EHLO after it follow from the security mode.
    auto greeted = std::make_shared<QMetaObject::Connection>();
    *greeted = connect(m_session, &SmtpSession::stateChanged, m_session, [this, greeted](SessionState state) {
        if (state != SessionState::Greeted && state != SessionState::Closed && state != SessionState::Disconnected)
            return;
        disconnect(*greeted);
        if (state == SessionState::Greeted)
            m_session->sendCommand(QStringLiteral("EHLO ") + m_session->options().ehloName);
    });
    m_session->connectToServer();
}

// A separator row in the transcript view when another connection (or scenario) begins,
// so a class sees where one exercise ends and the next starts.
void MainWindow::markNewConnection(const QString &host, quint16 port)
{
    if (m_model->rowCount() == 0)
        return;
    QString text = QStringLiteral("──── New connection to %1 port %2").arg(host).arg(port);
    if (m_practice->server().port() == port && (host == QLatin1String("127.0.0.1") || host == QLatin1String("localhost")))
        text += QStringLiteral(": practice scenario \"%1\"").arg(m_practice->server().scenario().title);
    TranscriptEvent separator;
    separator.kind = TranscriptEvent::Kind::Note;
    separator.time = QDateTime::currentDateTime();
    separator.text = text + QStringLiteral(" ────");
    m_model->append(separator);
}

bool MainWindow::askTrust(const QString &why, const QString &details)
{
    if (m_askTrust)
        return m_askTrust(why, details);
    QMessageBox box(this);
    box.setIcon(QMessageBox::Warning);
    box.setWindowTitle(QStringLiteral("Certificate not trusted"));
    box.setText(QStringLiteral("The server's certificate did not verify: %1.").arg(why));
    box.setInformativeText(QStringLiteral("The session has stopped. You can trust this certificate for this session only "
                                          "(it is not remembered): the session then connects again and resumes, TLS "
                                          "included. Or stop here."));
    box.setDetailedText(details);
    QPushButton *trust = box.addButton(QStringLiteral("&Trust for this session"), QMessageBox::AcceptRole);
    box.addButton(QStringLiteral("&Stop"), QMessageBox::RejectRole);
    box.setDefaultButton(qobject_cast<QPushButton *>(box.buttons().last()));
    box.exec();
    return box.clickedButton() == trust;
}

void MainWindow::authenticate()
{
    // A password remembered in the keyring fills the dialog; without a keyring it stays empty.
    const QString key = m_host->currentText() + QLatin1Char('/') + m_authUser;
    if (m_authUser.isEmpty()) {
        showAuthDialog(QString());
        return;
    }
    m_profiles->readSecret(key, [this](const QString &secret, const QString &) { showAuthDialog(secret); });
}

bool MainWindow::allowCredentialsInClear()
{
    if (m_session->options().allowPlaintextAuth)
        return true;
    const bool yes = m_askPlaintextAuth
        ? m_askPlaintextAuth()
        : QMessageBox::warning(this, QStringLiteral("Send credentials in clear text?"),
                               QStringLiteral("This connection is not encrypted. AUTH would send your user name and "
                                              "password (base64 is not encryption) readable by anyone on the path.\n\n"
                                              "Use STARTTLS first, unless this is a practice server or a network you "
                                              "control. Send in clear text anyway, for this session?"),
                               QMessageBox::Yes | QMessageBox::No, QMessageBox::No)
              == QMessageBox::Yes;
    if (yes)
        m_session->allowPlaintextAuth(); // the row after the AUTH says the credentials went in clear
    return yes;
}

void MainWindow::showAuthDialog(const QString &remembered)
{
    AuthDialog dialog(m_session->capabilities().authMechanisms(), m_authUser, m_session->isEncrypted(), this);
    dialog.setSecret(remembered);
    if (dialog.exec() != QDialog::Accepted)
        return;
    if (!m_session->isEncrypted() && !allowCredentialsInClear()) {
        status(QStringLiteral("AUTH not sent: credentials stay off an unencrypted connection. Use STARTTLS first."));
        return;
    }
    m_authUser = dialog.user();
    if (dialog.remember()) {
        const QString name = m_host->currentText() + QLatin1Char('/') + dialog.user();
        m_profiles->storeSecret(name, dialog.secret(), [this](const QString &error) {
            status(error.isEmpty() ? QStringLiteral("Password stored in the system keyring.") : error);
        });
    }
    m_session->authenticate(dialog.mechanism(), dialog.user(), dialog.secret());
}

void MainWindow::compose()
{
    ComposerDialog dialog(m_lastFrom, m_lastTo, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    if (m_session->state() == SessionState::InData)
        m_session->sendMessageBody(dialog.message());
    else
        m_session->sendMessage(dialog.message());
}

void MainWindow::lookupMx()
{
    const QString domain = m_host->currentText().trimmed();
    if (domain.isEmpty()) {
        status(QStringLiteral("Type a domain first, then look up its MX."));
        return;
    }
    auto *resolver = new MxResolver(this);
    status(QStringLiteral("Looking up the MX of %1...").arg(domain));
    connect(resolver, &MxResolver::finished, this, [this, resolver](const QList<MxHost> &hosts, const QString &error) {
        resolver->deleteLater();
        if (!error.isEmpty()) {
            status(error);
            return;
        }
        QStringList items;
        for (const MxHost &h : hosts)
            items << (h.implicit ? QStringLiteral("%1 (no MX: the domain itself)").arg(h.host)
                                 : QStringLiteral("%1 (preference %2)").arg(h.host).arg(h.preference));
        bool ok = false;
        const QString picked = QInputDialog::getItem(this, QStringLiteral("Mail servers"),
                                                     QStringLiteral("Pick the host to connect to:"), items, 0, false, &ok);
        if (ok)
            m_host->setCurrentText(picked.section(QLatin1Char(' '), 0, 0));
    });
    resolver->lookup(domain);
}

void MainWindow::saveTranscript()
{
    const QString path = QFileDialog::getSaveFileName(this, QStringLiteral("Save transcript"), QString(),
                                                      QStringLiteral("Transcripts (*.json)"));
    if (path.isEmpty())
        return;
    QString error;
    Transcript t;
    for (const TranscriptEvent &e : m_model->events())
        t.append(e);
    if (!t.save(path.endsWith(QLatin1String(".json")) ? path : path + QStringLiteral(".json"), &error)) {
        QMessageBox::warning(this, QStringLiteral("Not saved"), error);
        return;
    }
    m_savedEvents = m_session->transcript().size();
}

void MainWindow::exportTranscript(const QString &suffix)
{
    const QString path = QFileDialog::getSaveFileName(this, QStringLiteral("Export transcript"), QString(),
                                                      suffix == QLatin1String("html") ? QStringLiteral("HTML (*.html)")
                                                                                      : QStringLiteral("Text (*.txt)"));
    if (path.isEmpty())
        return;
    Transcript t;
    for (const TranscriptEvent &e : m_model->events())
        t.append(e);
    QString error;
    // The page in the colours chosen for the window; "as the desktop" leaves it to the reader's browser.
    const ColourScheme scheme = Theme::instance()->scheme();
    const HtmlColours colours = scheme == ColourScheme::Light ? HtmlColours::Light
                                : scheme == ColourScheme::Dark ? HtmlColours::Dark : HtmlColours::Auto;
    if (!t.save(path.endsWith(QLatin1Char('.') + suffix) ? path : path + QLatin1Char('.') + suffix, &error, colours))
        QMessageBox::warning(this, QStringLiteral("Not exported"), error);
}

bool MainWindow::openTranscript(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("Cannot read %1: %2").arg(path, file.errorString());
        return false;
    }
    const auto transcript = Transcript::fromJson(file.readAll(), error);
    if (!transcript)
        return false;
    m_model->setEvents(transcript->events());
    return true;
}

void MainWindow::openTranscriptDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, QStringLiteral("Open transcript"), QString(),
                                                      QStringLiteral("Transcripts (*.json)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!openTranscript(path, &error))
        QMessageBox::warning(this, QStringLiteral("Not opened"), error);
}

void MainWindow::copyExplanation()
{
    QApplication::clipboard()->setText(m_detail->toPlainText());
    status(QStringLiteral("Explanation copied."));
}

void MainWindow::showCertificate()
{
    if (m_session->tlsInfo().chain.isEmpty()) {
        status(QStringLiteral("No TLS on this connection yet: use STARTTLS, or Implicit TLS on port 465."));
        return;
    }
    CertificateDialog(m_session->tlsInfo(), this).exec();
}

void MainWindow::showLookup()
{
    if (!m_lookup)
        m_lookup = new LookupDialog(this);
    m_lookup->show();
    m_lookup->raise();
    const TranscriptEvent *event = m_model->eventAt(m_view->currentIndex());
    if (event && event->reply && event->reply->code)
        m_lookup->lookup(QString::number(event->reply->code)
                         + (event->reply->enhanced ? QLatin1Char(' ') + event->reply->enhanced->toString() : QString()));
}

void MainWindow::showCheck()
{
    if (!m_check)
        m_check = new CheckDialog(this);
    // The host in the bar, with its port unless it is SMTP's own: a port means one server.
    const QString host = m_host->currentText().trimmed();
    const int port = m_port->currentText().toInt();
    const bool startNow = !host.isEmpty() && !m_check->isRunning() && m_check->model()->rowCount() == 0;
    if (!host.isEmpty() && !m_check->isRunning())
        m_check->setTarget(port > 0 && port != 25 ? QStringLiteral("%1:%2").arg(host).arg(port) : host, QString(), startNow);
    m_check->show();
    m_check->raise();
}

void MainWindow::saveProfile()
{
    bool ok = false;
    const QString name = QInputDialog::getText(this, QStringLiteral("Save profile"), QStringLiteral("Profile name:"),
                                               QLineEdit::Normal, m_host->currentText(), &ok);
    if (!ok || name.isEmpty())
        return;
    saveProfileAs(name);
}

void MainWindow::saveProfileAs(const QString &name)
{
    Profile p;
    p.name = name;
    p.options.host = m_host->currentText();
    p.options.port = quint16(m_port->currentText().toUInt());
    p.options.security = Security(m_security->currentData().toInt());
    p.options.ehloName = m_ehlo->text();
    p.user = m_authUser;
    m_profiles->save(p);
    status(QStringLiteral("Profile \"%1\" saved (without any password).").arg(name));
}

void MainWindow::fillProfileMenu(QMenu *menu)
{
    menu->clear();
    QStringList names = m_profiles->names();
    names.sort(Qt::CaseInsensitive);
    for (const QString &name : std::as_const(names)) {
        QAction *a = menu->addAction(name, this, [this, name] { connectToProfile(name); });
        const Profile p = m_profiles->load(name);
        a->setToolTip(QStringLiteral("%1 port %2, %3").arg(p.options.host).arg(p.options.port).arg(securityLabel(p.options.security)));
    }
    if (names.isEmpty())
        menu->addAction(QStringLiteral("(no profile saved yet)"))->setEnabled(false);
    menu->addSeparator();
    menu->addAction(QStringLiteral("&Save this connection as a profile..."), this, &MainWindow::saveProfile);
    menu->addAction(QStringLiteral("&Manage profiles..."), this, &MainWindow::openProfileManager);
}

ProfileDialog *MainWindow::openProfileManager()
{
    auto *dialog = new ProfileDialog(m_profiles, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ProfileDialog::connectRequested, this, &MainWindow::connectToProfile);
    dialog->open();
    return dialog;
}

void MainWindow::connectToProfile(const QString &name)
{
    if (!m_profiles->names().contains(name))
        return;
    loadProfile(name);
    connectClicked();
}

// The servers connected to lately, newest first, offered in the server field.
void MainWindow::rememberHost(const QString &host)
{
    QSettings settings;
    QStringList recent = settings.value(QStringLiteral("connection/recentHosts")).toStringList();
    recent.removeAll(host);
    recent.prepend(host);
    while (recent.size() > 10)
        recent.removeLast();
    settings.setValue(QStringLiteral("connection/recentHosts"), recent);
    const QString typed = m_host->currentText();
    m_host->clear();
    m_host->addItems(recent);
    m_host->setCurrentText(typed); // an editable combo box would show its first item
}

void MainWindow::loadProfile(const QString &name)
{
    const Profile p = m_profiles->load(name);
    m_host->setCurrentText(p.options.host);
    m_port->setCurrentText(QString::number(p.options.port));
    m_security->setCurrentIndex(m_security->findData(int(p.options.security)));
    m_ehlo->setText(p.options.ehloName);
    m_authUser = p.user;
}

void MainWindow::status(const QString &text)
{
    statusBar()->showMessage(text, 15000);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!keepOrDropTranscript()) {
        event->ignore();
        return;
    }
    if (m_session)
        m_session->closeNow(QStringLiteral("Window closed."));
    saveLayout();
    event->accept();
}

// The window as it was left: size and place, docks, the splitter, the transcript's columns.
// On a first start it is fitted to the screen (at most 1600x1000, never over 90 % of it).
void MainWindow::restoreLayout()
{
    const QSettings settings;
    if (restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray())) {
        restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
        m_split->restoreState(settings.value(QStringLiteral("window/split")).toByteArray());
        m_view->header()->restoreState(settings.value(QStringLiteral("window/columns")).toByteArray());
        return;
    }
    firstLayout(QGuiApplication::primaryScreen() ? QGuiApplication::primaryScreen()->availableGeometry()
                                                 : QRect(0, 0, 1280, 800));
}

void MainWindow::firstLayout(const QRect &screen)
{
    resize(qMin(1600, screen.width() * 9 / 10), qMin(1000, screen.height() * 9 / 10));
    // The diagram and the practice panel one above the other when both fit, else tabs.
    const int needed = m_diagram->minimumSizeHint().height() + m_practice->minimumSizeHint().height() + 160;
    if (height() >= needed) {
        // Out of any tab group first: a dock split against a tabbed one joins its tabs.
        removeDockWidget(m_practiceDock);
        addDockWidget(Qt::RightDockWidgetArea, m_practiceDock);
        splitDockWidget(m_stateDock, m_practiceDock, Qt::Vertical);
        m_practiceDock->show();
    } else {
        tabifyDockWidget(m_stateDock, m_practiceDock);
        m_stateDock->raise();
    }
    resizeDocks({m_stateDock}, {qMin(m_diagram->sizeHint().width() + 24, width() * 3 / 10)}, Qt::Horizontal);
}

// On a narrow window the side panels hold at most 30 % of it, so the transcript and the
// detail pane keep theirs; a wider window leaves them as the user set them.
void MainWindow::resizeEvent(QResizeEvent *event)
{
    QMainWindow::resizeEvent(event);
    const int room = width() * 3 / 10;
    if (!m_presenting && m_stateDock->isVisible() && m_stateDock->width() > room
        && (!event->oldSize().isValid() || event->size().width() < event->oldSize().width()))
        resizeDocks({m_stateDock}, {room}, Qt::Horizontal);
}

// The diagram and the practice panel belong to the session: on the Bounce tab they give
// their room to the bounce, and come back as they were.
void MainWindow::showSessionDocks(bool show)
{
    if (!show) {
        m_hiddenForBounce.clear();
        for (QDockWidget *dock : {m_stateDock, m_practiceDock})
            if (dock->isVisible())
                m_hiddenForBounce.append(dock);
    }
    for (QDockWidget *dock : std::as_const(m_hiddenForBounce))
        dock->setVisible(show);
    if (show)
        m_hiddenForBounce.clear();
}

void MainWindow::saveLayout()
{
    showSessionDocks(true); // kept as the session shows them, not as the Bounce tab hides them
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("window/split"), m_split->saveState());
    settings.setValue(QStringLiteral("window/columns"), m_view->header()->saveState());
}

// A transcript with commands in it that no save holds is asked about; true when the
// window may go on (saved, or dropped on purpose).
bool MainWindow::keepOrDropTranscript()
{
    const QList<TranscriptEvent> &events = m_session->transcript().events();
    const bool typed = std::any_of(events.begin() + qMin(m_savedEvents, events.size()), events.end(),
                                   [](const TranscriptEvent &e) { return e.kind == TranscriptEvent::Kind::Sent; });
    if (!typed)
        return true;
    const QMessageBox::StandardButton answer = m_askUnsaved ? m_askUnsaved() : QMessageBox::question(
        this, QStringLiteral("Transcript not saved"),
        QStringLiteral("This session's transcript has not been saved. Save it before it is closed?"),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Cancel)
        return false;
    if (answer == QMessageBox::Save) {
        saveTranscript();
        return m_savedEvents >= events.size(); // a save dialog cancelled keeps the window
    }
    return true;
}

// Connect as the user asked (the button, Ctrl+Enter, Enter in the host field): an unsaved
// transcript is asked about first; the old connection says QUIT.
void MainWindow::connectFromUi()
{
    if (keepOrDropTranscript())
        connectClicked();
}

} // namespace smtp::gui
