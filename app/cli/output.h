#pragma once
// Where the command line tool writes: buffered standard output and error, and the text
// form of an explanation shared by the subcommands.

#include "knowledge/explanation.h"

#include <QCommandLineParser>
#include <QTextStream>

namespace smtp::cli {

QTextStream &out();
QTextStream &err();

// A subcommand's --help, its first line "Usage: smtpwb COMMAND [options] ..." whatever path
// the program was started by.
QString subcommandHelp(const QCommandLineParser &parser, const QString &command);

// The full, multi-line text form of an explanation, as `smtpwb explain` prints it.
QString formatExplanation(const Explanation &e, const Reply *reply);
// The same without the reply's own lines: depends on the explanation alone.
QString formatExplanationBody(const Explanation &e);
// What the server's words say, a few lines; empty when the diagnosis is.
QString formatDiagnosis(const Diagnosis &d);
// One line: the reply's first line and the summary (the diagnosis's where there is one).
QString formatBrief(const Explanation &e, const Reply *reply);

} // namespace smtp::cli
