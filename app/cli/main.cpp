// smtpwb: the command line face of SMTP Workbench; one tool, a subcommand per job.

#include "bouncecommand.h"
#include "checkcommand.h"
#include "explaincommand.h"
#include "labcommand.h"
#include "output.h"
#include "sessioncommand.h"

#include <QCoreApplication>
#include <QFile>

#include <cstdio>

using namespace smtp::cli;

namespace {
const char kUsage[] =
    "Usage: smtpwb <command> [options]\n"
    "\n"
    "SMTP Workbench on the command line.\n"
    "\n"
    "Commands:\n"
    "  explain   explain a reply code, an enhanced status code, a reply, or a stream of replies\n"
    "  session   an annotated SMTP session with a server, typed or scripted\n"
    "  lab       run the practice SMTP server for a class (--list shows its scenarios)\n"
    "  bounce    explain bounce messages per recipient (files, a directory or -), as text, JSON or TSV\n"
    "  check     check a mail server or a domain: DNS, TLS, DANE, MTA-STS, SPF/DMARC, relay, smuggling\n"
    "\n"
    "Run 'smtpwb <command> --help' for the options of a command.\n";
}

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("smtpwb"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SMTPWB_VERSION));
    const QStringList args = QCoreApplication::arguments();
    const QString command = args.value(1);

    if (command == QLatin1String("explain")) {
        QFile in;
        if (!in.open(0, QIODevice::ReadOnly | QIODevice::Unbuffered)) { // standard input
            err() << "smtpwb: cannot read standard input\n";
            return ExitBadInput;
        }
        return runExplain(args, in, out(), err());
    }
    if (command == QLatin1String("session"))
        return runSession(args);
    if (command == QLatin1String("lab"))
        return runLab(args, out(), err());
    if (command == QLatin1String("bounce")) {
        QFile in;
        // Standard input, read only for "-". Through the C library's buffer: Qt reads a
        // pipe given as a descriptor one byte per system call when it reads lines.
        if (!in.open(stdin, QIODevice::ReadOnly)) {
            err() << "smtpwb: cannot read standard input\n";
            return ExitBadInput;
        }
        return runBounce(args, in, out(), err());
    }
    if (command == QLatin1String("check"))
        return runCheck(args, out(), err());
    if (command == QLatin1String("--version") || command == QLatin1String("-v")) {
        out() << "smtpwb " << SMTPWB_VERSION << '\n';
        return ExitOk;
    }
    if (command.isEmpty() || command == QLatin1String("--help") || command == QLatin1String("-h")
        || command == QLatin1String("help")) {
        out() << kUsage;
        return command.isEmpty() ? ExitUsage : ExitOk;
    }
    err() << "smtpwb: unknown command '" << command << "'\n\n" << kUsage;
    return ExitUsage;
}
