// Makes the README's screenshots from the real window: run under Xvfb,
//   xvfb-run -a -s "-screen 0 1400x900x24" build/tests/app/gui/make_screenshots docs/screenshots
// It drives a practice session at 1024x700, then grabs the window, presenter mode, the
// practice panel, the bounce tab and the certificate view; SMTPWB_DARK=1 for dark ones.
// With SMTPWB_CHECK_TARGET (and SMTPWB_CHECK_DNS, SMTPWB_CHECK_CA, SMTPWB_CHECK_RCPT) set,
// also the Check dialog's report of that server, e.g. the test Postfix that smuggles:
//   SMTPWB_CHECK_TARGET=127.0.0.1:2531 SMTPWB_CHECK_DNS=127.0.0.1:5354 SMTPWB_CHECK_RCPT=alice@test.local

#include "bouncepanel.h"
#include "checkdialog.h"
#include "checkresultmodel.h"
#include "dialogs.h"
#include "lab/labcertificate.h"
#include "mainwindow.h"
#include "practicepanel.h"
#include "statediagram.h"
#include "theme.h"
#include "transcriptmodel.h"

#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QSettings>
#include <QStandardPaths>
#include <QTabWidget>
#include <QStandardItemModel>
#include <QLineEdit>
#include <QTest>
#include <QTableView>
#include <QTreeView>

using namespace smtp;
using namespace smtp::gui;

namespace {
bool waitFor(const std::function<bool()> &condition)
{
    return QTest::qWaitFor(condition, 10000);
}

void type(MainWindow &w, const QString &line)
{
    w.commandLine()->setText(line);
    QTest::keyClick(w.commandLine(), Qt::Key_Return);
    waitFor([&] { return w.session()->pendingReplies() == 0; });
    QTest::qWait(150);
}

int lastRow(const TranscriptModel *model, int code)
{
    for (int row = model->rowCount() - 1; row >= 0; --row)
        if (const TranscriptEvent *e = model->eventAt(model->index(row, 0)); e->reply && e->reply->code == code)
            return row;
    return -1;
}
} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("SMTP Workbench"));
    const QString out = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QStringLiteral("docs/screenshots");
    QDir().mkpath(out);
    // Settings of their own, from a first start: nothing the user set changes the pictures.
    QStandardPaths::setTestModeEnabled(true);
    QApplication::setOrganizationName(QStringLiteral("smtp-workbench-screenshots"));
    QSettings().clear();
    // SMTPWB_DARK=1: the same pictures in the window's own dark colours.
    const bool dark = qEnvironmentVariableIsSet("SMTPWB_DARK");
    if (dark)
        Theme::instance()->setScheme(ColourScheme::Dark);
    const QString prefix = dark ? QStringLiteral("dark-") : QString();

    MainWindow w;
    w.resize(1024, 700); // the smallest screen the window is made for
    w.show();
    w.startPractice(QStringLiteral("unknown-user"));
    waitFor([&] { return w.session()->state() == SessionState::Greeted; });
    type(w, QStringLiteral("EHLO student.example"));
    type(w, QStringLiteral("MAIL FROM:<teacher@school.example>"));
    type(w, QStringLiteral("RCPT TO:<alice@lab.test>"));
    type(w, QStringLiteral("RCPT TO:<nobody@lab.test>"));
    w.transcriptView()->expand(w.model()->index(lastRow(w.model(), 250) - 4 > 0 ? 4 : 0, 0));
    w.transcriptView()->setCurrentIndex(w.model()->index(lastRow(w.model(), 550), 0));
    QTest::qWait(300);
    w.grab().save(out + QStringLiteral("/") + prefix + QStringLiteral("session.png"));
    // Presenter mode as a class sees it on a projector's 1280x800.
    w.setPresenterMode(true);
    w.resize(1280, 800);
    QTest::qWait(400);
    w.grab().save(out + QStringLiteral("/") + prefix + QStringLiteral("presenter.png"));
    w.setPresenterMode(false);
    w.resize(1024, 700);
    QTest::qWait(300);

    type(w, QStringLiteral("DATA"));
    w.session()->sendMessageBody("From: teacher@school.example\r\nTo: alice@lab.test\r\nSubject: Homework\r\n\r\n"
                                 "Please read RFC 5321 section 4.2 for Monday.\r\n");
    waitFor([&] { return w.session()->pendingReplies() == 0; });
    type(w, QStringLiteral("QUIT"));
    for (QDockWidget *dock : w.findChildren<QDockWidget *>())
        if (dock->objectName() == QLatin1String("practice"))
            dock->raise();
    QTest::qWait(300);
    w.grab().save(out + QStringLiteral("/") + prefix + QStringLiteral("practice.png"));

    // The bounce explainer with a real bounce from the corpus, when it is beside the checkout
    // (SMTPWB_BOUNCE=FILE shows another one, to look at how a bounce reads in the window).
    const QString bounceFile = qEnvironmentVariable("SMTPWB_BOUNCE", QStringLiteral(SMTPWB_CORPUS "/emails/lhost-postfix-01.eml"));
    QFile bounce(bounceFile);
    if (bounce.open(QIODevice::ReadOnly)) {
        w.tabs()->setCurrentWidget(w.bouncePanel());
        w.bouncePanel()->setMessage(bounce.readAll());
        waitFor([&] { return w.bouncePanel()->model()->rowCount() > 0; });
        QTest::qWait(300);
        w.grab().save(out + QStringLiteral("/") + prefix + QStringLiteral("bounce.png"));
        w.tabs()->setCurrentIndex(0);
    }

    // TLS: the practice server's demo certificate, accepted for this session.
    w.startPractice(QStringLiteral("starttls-required"));
    SessionOptions options = w.session()->options();
    options.security = Security::StartTlsRequired;
    options.trustedCertificateDigest = LabCertificate::certificate().digest(QCryptographicHash::Sha256);
    w.session()->abort();
    w.session()->setOptions(options);
    w.session()->connectToServer();
    waitFor([&] { return w.session()->state() == SessionState::Greeted; });
    type(w, QStringLiteral("EHLO student.example"));
    waitFor([&] { return w.session()->isEncrypted() && w.session()->state() == SessionState::Ready; });
    QTest::qWait(300);
    CertificateDialog dialog(w.session()->tlsInfo(), &w);
    dialog.show();
    QTest::qWait(300);
    dialog.grab().save(out + QStringLiteral("/") + prefix + QStringLiteral("certificate.png"));

    const QString checkTarget = qEnvironmentVariable("SMTPWB_CHECK_TARGET");
    if (!checkTarget.isEmpty()) {
        QSettings().setValue(QStringLiteral("check/nameserver"), qEnvironmentVariable("SMTPWB_CHECK_DNS"));
        QSettings().setValue(QStringLiteral("check/rcpt"), qEnvironmentVariable("SMTPWB_CHECK_RCPT"));
        CheckDialog check(&w);
        check.resize(1024, 700);
        check.show();
        check.setTarget(checkTarget, qEnvironmentVariable("SMTPWB_CHECK_CA"), true);
        if (!QTest::qWaitFor([&] { return !check.isRunning(); }, 60000))
            qWarning("the check of %s did not end in 60 s", qPrintable(checkTarget));
        check.findChild<QTableView *>()->selectRow(0); // the worst
        QTest::qWait(300);
        check.grab().save(out + QStringLiteral("/") + prefix + QStringLiteral("check.png"));
    }
    return 0;
}
