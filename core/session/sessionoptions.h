#pragma once
// How to reach a server and how careful to be: address, security mode, names, timeouts
// and trust. A plain value the front ends fill in.

#include <QByteArray>
#include <QString>

namespace smtp {

enum class Security {
    Plain,                 // no TLS at all
    StartTlsRequired,      // refuse to go on in clear if STARTTLS is missing or fails
    StartTlsOpportunistic, // use STARTTLS if offered, else go on in clear (marked as such)
    ImplicitTls,           // TLS from the first byte (port 465, RFC 8314)
};

QString securityName(Security security);   // "plain", "starttls", "starttls-optional", "tls"
QString securityLabel(Security security);  // for a person: "STARTTLS required"

// "host", "host:25", "[2001:db8::1]:25", "2001:db8::1": false when malformed; *port is -1
// when none is given.
bool parseHostPort(const QString &text, QString *host, int *port);

// RFC 5321 4.5.3.2 waits, in seconds; each can be changed.
struct Timeouts
{
    int connect = 30;       // not in the RFC; a dead address should not hold a person long
    int greeting = 300;     // 4.5.3.2.1
    int command = 300;      // MAIL, RCPT and the rest (4.5.3.2.2, .3)
    int dataStart = 120;    // the 354 (4.5.3.2.4)
    int dataBlock = 180;    // 4.5.3.2.5
    int dataEnd = 600;      // the reply after the final dot (4.5.3.2.6)

    // Caps every wait at `seconds` (smtpwb --timeout).
    void capAt(int seconds);
};

struct SessionOptions
{
    QString host;
    quint16 port = 25;
    Security security = Security::Plain;
    QString ehloName;              // empty: this machine's host name
    QString tlsServerName;         // SNI and the name checked; empty: host
    Timeouts timeouts;
    QString caFile;                // extra trusted CAs (PEM)
    QString clientCertificateFile; // PEM
    QString clientKeyFile;         // PEM, unencrypted
    bool insecure = false;         // go on past any certificate problem (warned)
    bool allowPlaintextAuth = false; // AUTH over an unencrypted connection, asked for by the user
    QByteArray trustedCertificateDigest; // SHA-256 of a certificate the user accepted for this session
};

} // namespace smtp
