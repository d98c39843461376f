#pragma once
// What a server check is asked to do: the target, who we may write to, which checks, and
// where DNS and trust come from. Filled by `smtpwb check` and the window's Check dialog.

#include <QString>
#include <QStringList>

namespace smtp {

struct CheckOptions
{
    QString target;          // a domain, or HOST[:PORT] (an IP literal or a name)
    int port = 25;           // SMTP port when the target names none
    QString from;            // MAIL FROM for probes; empty: the null reverse-path <>
    QString rcpt;            // a mailbox the user may send test mail to; empty: those checks skip
    QStringList checks;      // ids to run; empty: all
    int timeoutSeconds = 10; // per network step
    QString nameserver;      // ADDR[:PORT]; empty: the system's (/etc/resolv.conf)
    QString trustAnchorFile; // DNSSEC anchors; empty: the root's (dns-root-data)
    QString caFile;          // extra CA certificates (PEM) for SMTP and HTTPS
    int httpsPort = 443;     // where the MTA-STS policy host listens (443; others for test set-ups)
    QString heloName;        // our EHLO name; empty: this machine's name

    bool wants(const QString &id) const { return checks.isEmpty() || checks.contains(id); }
};

} // namespace smtp
