#pragma once
// Where an SMTP client session stands (RFC 5321 3 and 4.1.4), which commands make sense
// there, and where a reply to a command leads.

#include <QString>
#include <QStringList>

namespace smtp {

class Capabilities;

enum class SessionState {
    Disconnected,     // nothing yet
    Connecting,       // TCP (and for implicit TLS, the handshake) under way
    AwaitingGreeting, // connected; the server speaks first
    Greeted,          // 220 received (or TLS just started): EHLO or HELO next
    Ready,            // after EHLO/HELO: MAIL, STARTTLS, AUTH, VRFY...
    TlsHandshake,     // 220 to STARTTLS received; negotiating
    Authenticating,   // inside an AUTH exchange (334 challenges)
    InTransaction,    // MAIL accepted: RCPT next
    HasRecipients,    // at least one RCPT accepted: more RCPT, DATA or BDAT
    InData,           // 354 received: the message, then a line with a single dot
    Closing,          // QUIT sent or 421 received
    Closed,           // the connection has ended
};

QString stateName(SessionState state);          // "ready", "in-transaction", ...
QString stateLabel(SessionState state);         // for a person: "sender set", "recipients set"
QString stateDescription(SessionState state);   // a sentence for learners

// The verbs that make sense now, most useful first.
QStringList expectedVerbs(SessionState state, const Capabilities &capabilities, bool encrypted,
                          bool authenticated);

// Empty when `verb` fits the state; otherwise why it is out of sequence.
QString sequenceWarning(SessionState state, const QString &verb);

// The state after the server answered `context` (RCPT, DATA_END, ...) with `code`.
SessionState nextState(SessionState state, const QString &context, int code, bool bdatLast = false);

} // namespace smtp
