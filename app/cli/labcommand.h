#pragma once
// `smtpwb lab`: the practice server, headless, for a class; or the list of scenarios.

#include <QStringList>
#include <QTextStream>

namespace smtp::cli {

// `arguments` starts with the program name, then "lab". Runs the event loop until SIGINT
// or SIGTERM (a QCoreApplication must exist); returns at once for --list and errors.
int runLab(const QStringList &arguments, QTextStream &out, QTextStream &err);

} // namespace smtp::cli
