#pragma once
// `smtpwb check TARGET`: a mail server or domain checked end to end, as text or JSON.

#include <QStringList>
#include <QTextStream>

namespace smtp::cli {

// Exit status: 0 nothing failed, 3 a check failed or erred, 1 bad input, 2 usage.
enum CheckExit { CheckExitFindings = 3 };

// `arguments` starts with the program name, then "check". Runs an event loop until the
// check ends (a QCoreApplication must exist).
int runCheck(const QStringList &arguments, QTextStream &out, QTextStream &err);

} // namespace smtp::cli
