// smtp-workbench: the window. By default it opens on the built-in practice server, so it
// is useful on a machine with no mail server at all.

#include "mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QMessageBox>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("SMTP Workbench"));
    QApplication::setOrganizationName(QStringLiteral("smtp-workbench"));
    QApplication::setDesktopFileName(QStringLiteral("smtp-workbench"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/smtp-workbench.svg")));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("SMTP Workbench: talk to a mail server and read every reply decoded."));
    parser.addHelpOption();
    const QCommandLineOption practice(QStringLiteral("practice"),
        QStringLiteral("Open on the built-in practice server with this scenario: a built-in name (default: all-good) "
                       "or a scenario file."),
        QStringLiteral("scenario"), QStringLiteral("all-good"));
    const QCommandLineOption noPractice(QStringLiteral("no-practice"), QStringLiteral("Open without starting the practice server."));
    const QCommandLineOption connect(QStringLiteral("connect"), QStringLiteral("Connect to HOST:PORT at start."),
                                     QStringLiteral("host:port"));
    const QCommandLineOption open(QStringLiteral("open"), QStringLiteral("Open a saved transcript (JSON)."), QStringLiteral("file"));
    parser.addOptions({practice, noPractice, connect, open});
    parser.process(app);

    smtp::gui::MainWindow window;
    window.show();
    if (parser.isSet(open)) {
        QString error;
        if (!window.openTranscript(parser.value(open), &error))
            QMessageBox::warning(&window, QStringLiteral("Not opened"), error);
    } else if (parser.isSet(connect)) {
        QString host;
        int port = -1;
        if (smtp::parseHostPort(parser.value(connect), &host, &port))
            window.connectTo(host, quint16(port > 0 ? port : 25));
        else
            QMessageBox::warning(&window, QStringLiteral("Not connected"),
                                 QStringLiteral("Give the server as HOST, HOST:PORT or [IPv6]:PORT."));
    } else if (!parser.isSet(noPractice)) {
        window.startPractice(parser.value(practice));
    }
    return app.exec();
}
