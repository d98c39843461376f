#pragma once
// `smtpwb session`: an annotated SMTP session in the terminal, typed or scripted.

#include <QStringList>

namespace smtp::cli {

// Where a scripted session failed, as its exit status (documented in --help).
enum SessionExit {
    SessionOk = 0,
    SessionUsage = 2,
    SessionConnect = 3,
    SessionGreeting = 4,
    SessionEhlo = 5,
    SessionTls = 6,
    SessionAuth = 7,
    SessionMail = 8,
    SessionRcpt = 9,
    SessionData = 10,
    SessionQuit = 11,
    SessionOther = 12,
};

int runSession(const QStringList &arguments);

} // namespace smtp::cli
