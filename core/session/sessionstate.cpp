#include "sessionstate.h"

#include "capabilities.h"

namespace smtp {

QString stateName(SessionState state)
{
    switch (state) {
    case SessionState::Disconnected: return QStringLiteral("disconnected");
    case SessionState::Connecting: return QStringLiteral("connecting");
    case SessionState::AwaitingGreeting: return QStringLiteral("awaiting-greeting");
    case SessionState::Greeted: return QStringLiteral("greeted");
    case SessionState::Ready: return QStringLiteral("ready");
    case SessionState::TlsHandshake: return QStringLiteral("tls-handshake");
    case SessionState::Authenticating: return QStringLiteral("authenticating");
    case SessionState::InTransaction: return QStringLiteral("in-transaction");
    case SessionState::HasRecipients: return QStringLiteral("has-recipients");
    case SessionState::InData: return QStringLiteral("in-data");
    case SessionState::Closing: return QStringLiteral("closing");
    case SessionState::Closed: return QStringLiteral("closed");
    }
    return QString();
}

QString stateLabel(SessionState state)
{
    switch (state) {
    case SessionState::Disconnected: return QStringLiteral("not connected");
    case SessionState::Connecting: return QStringLiteral("connecting");
    case SessionState::AwaitingGreeting: return QStringLiteral("waiting for the greeting");
    case SessionState::Greeted: return QStringLiteral("greeted");
    case SessionState::Ready: return QStringLiteral("ready");
    case SessionState::TlsHandshake: return QStringLiteral("TLS handshake");
    case SessionState::Authenticating: return QStringLiteral("authenticating");
    case SessionState::InTransaction: return QStringLiteral("sender set");
    case SessionState::HasRecipients: return QStringLiteral("recipients set");
    case SessionState::InData: return QStringLiteral("sending the message");
    case SessionState::Closing: return QStringLiteral("closing");
    case SessionState::Closed: return QStringLiteral("closed");
    }
    return QString();
}

QString stateDescription(SessionState state)
{
    switch (state) {
    case SessionState::Disconnected: return QStringLiteral("Not connected.");
    case SessionState::Connecting: return QStringLiteral("Opening the connection.");
    case SessionState::AwaitingGreeting: return QStringLiteral("Connected; in SMTP the server speaks first, with a 220 greeting.");
    case SessionState::Greeted: return QStringLiteral("The server greeted us; introduce yourself with EHLO (or HELO).");
    case SessionState::Ready: return QStringLiteral("Introduced: start a message with MAIL FROM, or secure (STARTTLS) and sign in (AUTH) first.");
    case SessionState::TlsHandshake: return QStringLiteral("Negotiating TLS; afterwards the session starts over with EHLO.");
    case SessionState::Authenticating: return QStringLiteral("Inside AUTH: answer the server's 334 challenges.");
    case SessionState::InTransaction: return QStringLiteral("Sender accepted: name recipients with RCPT TO.");
    case SessionState::HasRecipients: return QStringLiteral("Recipients accepted: add more, or send the message with DATA.");
    case SessionState::InData: return QStringLiteral("Send the message, ending with a line holding a single dot.");
    case SessionState::Closing: return QStringLiteral("The session is ending.");
    case SessionState::Closed: return QStringLiteral("The connection is closed.");
    }
    return QString();
}

QStringList expectedVerbs(SessionState state, const Capabilities &caps, bool encrypted, bool authenticated)
{
    QStringList verbs;
    switch (state) {
    case SessionState::Greeted:
        verbs = {QStringLiteral("EHLO"), QStringLiteral("HELO"), QStringLiteral("QUIT")};
        break;
    case SessionState::Ready:
        if (caps.has(QStringLiteral("STARTTLS")) && !encrypted)
            verbs << QStringLiteral("STARTTLS");
        if (caps.has(QStringLiteral("AUTH")) && !authenticated)
            verbs << QStringLiteral("AUTH");
        verbs << QStringLiteral("MAIL") << QStringLiteral("EHLO") << QStringLiteral("NOOP") << QStringLiteral("RSET");
        if (caps.has(QStringLiteral("VRFY")))
            verbs << QStringLiteral("VRFY");
        if (caps.has(QStringLiteral("ETRN")))
            verbs << QStringLiteral("ETRN");
        verbs << QStringLiteral("HELP") << QStringLiteral("QUIT");
        break;
    case SessionState::InTransaction:
        verbs = {QStringLiteral("RCPT"), QStringLiteral("RSET"), QStringLiteral("NOOP"), QStringLiteral("QUIT")};
        break;
    case SessionState::HasRecipients:
        verbs = {QStringLiteral("DATA"), QStringLiteral("RCPT")};
        if (caps.has(QStringLiteral("CHUNKING")))
            verbs << QStringLiteral("BDAT");
        verbs << QStringLiteral("RSET") << QStringLiteral("NOOP") << QStringLiteral("QUIT");
        break;
    case SessionState::AwaitingGreeting:
    case SessionState::Authenticating:
        verbs = {QStringLiteral("QUIT")};
        break;
    default:
        break;
    }
    return verbs;
}

QString sequenceWarning(SessionState state, const QString &verb)
{
    const bool transaction = state == SessionState::InTransaction || state == SessionState::HasRecipients;
    if (state == SessionState::Disconnected || state == SessionState::Closed)
        return QStringLiteral("Not connected.");
    if (state == SessionState::AwaitingGreeting && verb != QLatin1String("QUIT"))
        return QStringLiteral("The server has not greeted yet; a client must wait for the 220 (RFC 5321 3.1).");
    if (state == SessionState::InData)
        return QStringLiteral("The server is reading the message: this line becomes part of it.");
    if (verb == QLatin1String("MAIL")) {
        if (state == SessionState::Greeted)
            return QStringLiteral("Send EHLO (or HELO) before MAIL (RFC 5321 4.1.4).");
        if (transaction)
            return QStringLiteral("A transaction is already open; MAIL again gets 503 (RFC 5321 4.1.4). Send RSET first.");
    } else if (verb == QLatin1String("RCPT")) {
        if (!transaction)
            return QStringLiteral("RCPT comes after an accepted MAIL FROM (RFC 5321 4.1.4).");
    } else if (verb == QLatin1String("DATA") || verb == QLatin1String("BDAT")) {
        if (state != SessionState::HasRecipients)
            return QStringLiteral("%1 needs at least one accepted recipient (RFC 5321 3.3).").arg(verb);
    } else if (verb == QLatin1String("STARTTLS") || verb == QLatin1String("AUTH")) {
        if (state == SessionState::Greeted)
            return QStringLiteral("Send EHLO first: %1 is an extension announced in the EHLO reply.").arg(verb);
        if (transaction)
            return QStringLiteral("%1 is not allowed inside a mail transaction (RFC 3207 / RFC 4954).").arg(verb);
    }
    return QString();
}

SessionState nextState(SessionState state, const QString &context, int code, bool bdatLast)
{
    const int klass = code / 100;
    if (code == 421)
        return SessionState::Closing; // the server is about to close (RFC 5321 3.8)
    if (context == QLatin1String("CONNECT"))
        return klass == 2 ? SessionState::Greeted : SessionState::Closing;
    if (context == QLatin1String("EHLO") || context == QLatin1String("HELO"))
        return klass == 2 ? SessionState::Ready : state;
    if (context == QLatin1String("STARTTLS"))
        return code == 220 ? SessionState::TlsHandshake : state;
    if (context == QLatin1String("AUTH")) {
        if (klass == 3)
            return SessionState::Authenticating;
        return SessionState::Ready;
    }
    if (context == QLatin1String("MAIL"))
        return klass == 2 ? SessionState::InTransaction : state;
    if (context == QLatin1String("RCPT"))
        return klass == 2 ? SessionState::HasRecipients : state;
    if (context == QLatin1String("DATA"))
        return code == 354 ? SessionState::InData : state;
    if (context == QLatin1String("DATA_END"))
        return SessionState::Ready; // accepted or not, the transaction is over
    if (context == QLatin1String("BDAT"))
        return (bdatLast || klass != 2) ? SessionState::Ready : state;
    if (context == QLatin1String("RSET"))
        return klass == 2 && state != SessionState::Greeted ? SessionState::Ready : state;
    if (context == QLatin1String("QUIT"))
        return SessionState::Closing;
    return state;
}

} // namespace smtp
