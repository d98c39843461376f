#include "smtpsession.h"

#include "protocol/command.h"
#include "protocol/datatransfer.h"

#include <QFile>
#include <QRegularExpression>
#include <QSslCipher>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSysInfo>

namespace smtp {

namespace {
// How much of a message the transcript keeps in full; the rest is counted, not shown.
constexpr qsizetype kMaxMessageShown = 64 * 1024;
// So many replies on one connection are a flood, not a session.
constexpr int kMaxReplies = 100'000;

QString protocolName(QSsl::SslProtocol protocol)
{
    switch (protocol) {
    case QSsl::TlsV1_2: return QStringLiteral("TLS 1.2");
    case QSsl::TlsV1_3: return QStringLiteral("TLS 1.3");
    default: return QStringLiteral("TLS (older than 1.2)");
    }
}

QString printable(const QByteArray &bytes)
{
    QString out = QString::fromUtf8(bytes);
    for (QChar &c : out)
        if (c.unicode() < 0x20 && c != QLatin1Char('\t'))
            c = QChar(0x2400 + c.unicode()); // control pictures: visible, unambiguous
    return out;
}
} // namespace

SmtpSession::SmtpSession(QObject *parent) : QObject(parent)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &SmtpSession::onTimeout);
}

SmtpSession::~SmtpSession()
{
    if (m_socket)
        m_socket->disconnect(this);
}

bool SmtpSession::isEncrypted() const
{
    return m_socket && m_socket->isEncrypted();
}

QStringList SmtpSession::expectedVerbs() const
{
    return smtp::expectedVerbs(m_state, m_capabilities, isEncrypted(), m_authenticated);
}

void SmtpSession::connectToServer()
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
    }
    m_parser.reset();
    m_pending.clear();
    m_capabilities = Capabilities();
    m_authenticated = false;
    m_hasMessageForData = false;
    m_messageForData.clear();
    m_repliesThisConnection = 0;
    m_stateBeforeAuth = SessionState::Ready;
    m_tlsInfo = TlsInfo();
    m_rejectedCertificate = QSslCertificate();
    m_lastError.clear();
    if (m_options.ehloName.isEmpty()) {
        const QString name = QSysInfo::machineHostName();
        m_options.ehloName = name.isEmpty() ? QStringLiteral("localhost") : name;
    }

    m_socket = new QSslSocket(this);
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setProtocol(QSsl::TlsV1_2OrLater);
    if (!m_options.caFile.isEmpty()) {
        const QList<QSslCertificate> cas = QSslCertificate::fromPath(m_options.caFile, QSsl::Pem);
        if (cas.isEmpty())
            addEvent(TranscriptEvent::Kind::Warning,
                     QStringLiteral("No certificate could be read from the CA file %1.").arg(m_options.caFile));
        config.addCaCertificates(cas);
    }
    if (!m_options.clientCertificateFile.isEmpty()) {
        const QList<QSslCertificate> certs = QSslCertificate::fromPath(m_options.clientCertificateFile, QSsl::Pem);
        QFile keyFile(m_options.clientKeyFile.isEmpty() ? m_options.clientCertificateFile : m_options.clientKeyFile);
        QSslKey key;
        if (keyFile.open(QIODevice::ReadOnly))
            key = QSslKey(keyFile.readAll(), QSsl::Rsa, QSsl::Pem);
        if (key.isNull() && keyFile.open(QIODevice::ReadOnly))
            key = QSslKey(keyFile.readAll(), QSsl::Ec, QSsl::Pem);
        if (certs.isEmpty() || key.isNull())
            addEvent(TranscriptEvent::Kind::Warning,
                     QStringLiteral("The client certificate or its key could not be read; going on without it."));
        else {
            config.setLocalCertificate(certs.first());
            config.setPrivateKey(key);
        }
    }
    m_socket->setSslConfiguration(config);
    m_socket->setPeerVerifyName(m_options.tlsServerName.isEmpty() ? m_options.host : m_options.tlsServerName);

    connect(m_socket, &QSslSocket::connected, this, &SmtpSession::onConnected);
    connect(m_socket, &QSslSocket::encrypted, this, &SmtpSession::onEncrypted);
    connect(m_socket, &QSslSocket::readyRead, this, &SmtpSession::onReadyRead);
    connect(m_socket, &QSslSocket::disconnected, this, &SmtpSession::onDisconnected);
    connect(m_socket, &QSslSocket::errorOccurred, this, &SmtpSession::onSocketError);
    connect(m_socket, &QSslSocket::sslErrors, this, &SmtpSession::onSslErrors);

    setState(SessionState::Connecting);
    addEvent(TranscriptEvent::Kind::Connecting,
             QStringLiteral("Connecting to %1 port %2 (%3)")
                 .arg(m_options.host).arg(m_options.port).arg(securityName(m_options.security)));
    m_timer.start(m_options.timeouts.connect * 1000);
    if (m_options.security == Security::ImplicitTls)
        m_socket->connectToHostEncrypted(m_options.host, m_options.port, m_socket->peerVerifyName());
    else
        m_socket->connectToHost(m_options.host, m_options.port);
}

void SmtpSession::onConnected()
{
    addEvent(TranscriptEvent::Kind::Connected,
             QStringLiteral("Connected to %1 port %2 from %3 port %4")
                 .arg(m_socket->peerAddress().toString()).arg(m_socket->peerPort())
                 .arg(m_socket->localAddress().toString()).arg(m_socket->localPort()));
    if (m_options.security == Security::ImplicitTls)
        return; // the greeting comes once TLS is up
    expectGreeting();
}

void SmtpSession::expectGreeting()
{
    setState(SessionState::AwaitingGreeting);
    Pending greeting{QString(), QStringLiteral("CONNECT"), m_options.timeouts.greeting, false, {}};
    greeting.sent.start();
    m_pending.append(greeting);
    armTimer();
}

void SmtpSession::onEncrypted()
{
    m_tlsInfo.protocol = protocolName(m_socket->sessionProtocol());
    m_tlsInfo.cipher = m_socket->sessionCipher().name();
    m_tlsInfo.cipherBits = m_socket->sessionCipher().usedBits();
    m_tlsInfo.serverName = m_socket->peerVerifyName();
    m_tlsInfo.chain = m_socket->peerCertificateChain();
    addEvent(TranscriptEvent::Kind::Tls, QStringLiteral("TLS established: ") + m_tlsInfo.summary());
    if (m_state == SessionState::Connecting) {
        expectGreeting();
    } else {
        // RFC 3207 4.2: all that was learned in clear is forgotten; start over with EHLO.
        m_capabilities = Capabilities();
        m_authenticated = false;
        setState(SessionState::Greeted);
        addEvent(TranscriptEvent::Kind::Note,
                 QStringLiteral("The session starts over: capabilities learned in plain text are forgotten; "
                                "EHLO again (RFC 3207 4.2)."));
        m_timer.stop();
        if (m_options.security != Security::Plain)
            sendCommand(QStringLiteral("EHLO ") + m_options.ehloName);
    }
    emit tlsEstablished();
    if (m_pending.isEmpty())
        emit idle();
}

void SmtpSession::onSslErrors(const QList<QSslError> &errors)
{
    m_tlsInfo.errors = errors;
    const QSslCertificate peer = m_socket->peerCertificate();
    const QString what = TlsInfo::describeErrors(errors);
    if (m_options.insecure) {
        addEvent(TranscriptEvent::Kind::Warning, QStringLiteral("Certificate problem ignored (insecure mode): ") + what);
        m_socket->ignoreSslErrors();
        return;
    }
    if (!m_options.trustedCertificateDigest.isEmpty() && !peer.isNull()
        && peer.digest(QCryptographicHash::Sha256) == m_options.trustedCertificateDigest) {
        addEvent(TranscriptEvent::Kind::Warning,
                 QStringLiteral("Certificate accepted for this session only, despite: ") + what);
        m_socket->ignoreSslErrors();
        return;
    }
    m_rejectedCertificate = peer;
    m_lastError = QStringLiteral("The server's certificate is not trusted: %1. The session stops; you may accept "
                                 "this certificate for this session only, or trust its CA.").arg(what);
    addEvent(TranscriptEvent::Kind::Error, m_lastError);
    emit tlsFailed(what);
    // Not from inside the socket's own signal: close once it has returned.
    QTimer::singleShot(0, this, [this, socket = m_socket] {
        if (m_socket == socket) // not a newer connection made meanwhile
            closeNow();
    });
}

void SmtpSession::onReadyRead()
{
    if (!m_socket)
        return;
    m_parser.feed(m_socket->readAll());
    const QList<Reply> replies = m_parser.takeReplies();
    for (qsizetype i = 0; i < replies.size(); ++i) {
        if (++m_repliesThisConnection > kMaxReplies) {
            // A server that floods with replies nobody asked for would grow the transcript
            // (and a window's list) without end.
            fail(QStringLiteral("The server sent more than %1 replies on this connection; the session stops to "
                                "protect memory. The transcript so far is kept.").arg(kMaxReplies));
            return;
        }
        const bool moreAfter = i + 1 < replies.size() || m_parser.isInsideReply();
        handleReply(replies[i], moreAfter);
        if (m_state == SessionState::TlsHandshake || m_state == SessionState::Closed)
            return; // anything left was sent before the handshake: discarded on purpose
    }
    if (m_parser.hasError())
        fail(m_parser.errorString());
}

void SmtpSession::handleReply(const Reply &received, bool moreAfter)
{
    Reply reply = received;
    reply.received = QDateTime::currentDateTime();
    Pending pending;
    const bool stray = reply.code == 0 && !reply.isMultiline();
    if (stray) {
        addEvent(TranscriptEvent::Kind::Warning,
                 QStringLiteral("A line without a reply code: shown, but not taken as the answer to a command."));
    } else if (m_pending.isEmpty()) {
        addEvent(TranscriptEvent::Kind::Warning,
                 QStringLiteral("The server sent a reply no command asked for."));
    } else {
        pending = m_pending.takeFirst();
    }
    const Explanation e = m_explainer.explain(reply, pending.context);

    TranscriptEvent event;
    event.kind = TranscriptEvent::Kind::Received;
    event.time = reply.received;
    event.text = reply.toDisplayString();
    event.reply = reply;
    event.answers = pending.display;
    event.context = pending.context;
    event.annotation = e.annotation;
    event.explanation = e;
    event.latencyMs = pending.sent.isValid() ? pending.sent.elapsed() : -1;
    event.overTls = isEncrypted();
    m_transcript.append(event);
    emit eventAdded(int(m_transcript.size() - 1));
    for (Violation v : reply.violations)
        addEvent(TranscriptEvent::Kind::Warning, QStringLiteral("Protocol violation: ") + describe(v));
    emit replyReceived(reply, pending.context);
    if (stray)
        return;

    const QString &context = pending.context;
    SessionState next = nextState(m_state, context, reply.code, pending.bdatLast);
    if (context == QLatin1String("AUTH") && reply.code / 100 != 3 && reply.code != 421)
        next = m_stateBeforeAuth; // AUTH changes nothing of the transaction state
    if (reply.violations.contains(Violation::Truncated)) {
        setState(next == SessionState::Closing ? next : m_state);
        return; // a reply cut off by a dropped connection: kept, not acted on
    }
    if (m_state == SessionState::InData && context != QLatin1String("DATA_END"))
        next = m_state; // a late reply to something pipelined before DATA

    if (context == QLatin1String("HELO") && reply.code / 100 == 2) {
        m_capabilities = Capabilities(); // HELO opens a session without extensions
    } else if (context == QLatin1String("EHLO") && reply.code == 250) {
        m_capabilities = Capabilities::fromEhloReply(reply);
        warnOfMaskedStartTls();
    } else if (context == QLatin1String("EHLO") && (reply.code == 500 || reply.code == 502)) {
        setState(next);
        // A server without EHLO has no extensions, so no STARTTLS either.
        if (m_options.security == Security::StartTlsRequired) {
            fail(QStringLiteral("The server does not know EHLO, so it cannot offer STARTTLS; TLS is required, so "
                                "the session stops before anything is sent in clear."));
            return;
        }
        addEvent(TranscriptEvent::Kind::Note,
                 QStringLiteral("The server does not know EHLO; falling back to HELO (RFC 5321 3.2)."));
        sendCommand(QStringLiteral("HELO ") + m_options.ehloName);
        return;
    } else if (context == QLatin1String("STARTTLS")) {
        if (reply.code == 220) {
            if (moreAfter || m_socket->bytesAvailable() > 0)
                addEvent(TranscriptEvent::Kind::Warning,
                         QStringLiteral("The server sent more after its 220 to STARTTLS, before the TLS handshake. "
                                        "It was discarded, never read as a reply over TLS: this is how response "
                                        "injection attacks work (RFC 3207 5, CVE-2011-0411)."));
            m_parser.reset();
            m_pending.clear();
            setState(SessionState::TlsHandshake);
            m_timer.start(m_options.timeouts.command * 1000);
            m_socket->startClientEncryption();
            return;
        }
        if (m_options.security == Security::StartTlsRequired) {
            setState(next);
            fail(QStringLiteral("The server refused STARTTLS (%1); TLS is required, so the session stops "
                                "before anything is sent in clear.").arg(reply.code));
            return;
        }
    } else if (context == QLatin1String("AUTH")) {
        setState(next);
        continueAuth(reply);
        if (m_pending.isEmpty()) {
            m_timer.stop();
            emit idle();
        }
        return;
    }

    setState(next);
    if (context == QLatin1String("DATA") && m_hasMessageForData) {
        if (reply.code == 354) {
            sendMessageBody(std::exchange(m_messageForData, QByteArray()));
        } else {
            // Refused: the message must not leave with a later DATA typed by hand.
            m_hasMessageForData = false;
            m_messageForData.clear();
        }
    }
    if (reply.code == 421)
        addEvent(TranscriptEvent::Kind::Note, QStringLiteral("421: the server is closing the connection."));

    // STARTTLS as the security mode asks, right after the first EHLO (or HELO) in clear.
    const bool greetedInClear = (context == QLatin1String("EHLO") || context == QLatin1String("HELO"))
        && reply.code / 100 == 2 && !isEncrypted();
    if (greetedInClear
        && (m_options.security == Security::StartTlsRequired || m_options.security == Security::StartTlsOpportunistic)) {
        if (m_capabilities.has(QStringLiteral("STARTTLS"))) {
            startTls();
        } else if (m_options.security == Security::StartTlsRequired) {
            fail(QStringLiteral("The server does not offer STARTTLS; TLS is required, so the session stops "
                                "before anything is sent in clear."));
            return;
        } else {
            addEvent(TranscriptEvent::Kind::Warning,
                     QStringLiteral("The server does not offer STARTTLS: going on in plain text (opportunistic mode)."));
        }
    }

    if (m_pending.isEmpty()) {
        m_timer.stop();
        emit idle();
    } else {
        armTimer();
    }
}

void SmtpSession::continueAuth(const Reply &reply)
{
    if (reply.code == 235) {
        m_authenticated = true;
        m_sasl.reset();
        return;
    }
    if (reply.code != 334) {
        m_sasl.reset();
        return;
    }
    const QByteArray challenge = QByteArray::fromBase64(reply.lines.value(0).toLatin1());
    addEvent(TranscriptEvent::Kind::Note,
             QStringLiteral("Server challenge, decoded: \"%1\"").arg(printable(challenge)));
    if (!m_sasl)
        return; // AUTH typed by hand: the person answers
    const QString display = m_sasl->redactedStep();
    QString error;
    const QByteArray response = m_sasl->respond(challenge, &error);
    if (!error.isEmpty()) {
        addEvent(TranscriptEvent::Kind::Warning, error + QStringLiteral(" Cancelling the exchange."));
        m_sasl.reset();
        write("*\r\n", QStringLiteral("*"), QStringLiteral("AUTH"), timeoutFor(QStringLiteral("AUTH")));
        return;
    }
    write(response.toBase64() + "\r\n", display, QStringLiteral("AUTH"), timeoutFor(QStringLiteral("AUTH")));
}

void SmtpSession::sendCommand(const QString &line)
{
    if (line.contains(QLatin1Char('\r')) || line.contains(QLatin1Char('\n'))) {
        // Two commands in one would leave every later reply matched to the wrong command;
        // inside a message a bare CR could end it early on a lenient server.
        addEvent(TranscriptEvent::Kind::Error,
                 QStringLiteral("Not sent: the line holds a line break, which would smuggle a second command "
                                "(RFC 5321 2.3.8). Send one line at a time."));
        return;
    }
    if (m_state == SessionState::InData) {
        // Typed by hand after the 354: each line is part of the message; "." ends it.
        if (line == QLatin1String(".")) {
            write(".\r\n", QStringLiteral("."), QStringLiteral("DATA_END"), m_options.timeouts.dataEnd);
        } else {
            QByteArray bytes = line.toUtf8();
            if (bytes.startsWith('.'))
                bytes.prepend('.');
            write(bytes + "\r\n", QString::fromUtf8(bytes), QStringLiteral("MESSAGE"), -1);
        }
        return;
    }
    if (wouldSendCredentialsInClear(line) && refusePlaintextAuth())
        return;
    if (isInAuthExchange()) {
        // An answer to a 334 (or typed ahead of it): a secret, never shown or checked.
        write(line.toUtf8() + "\r\n", QStringLiteral("<AUTH response redacted>"), QStringLiteral("AUTH"),
              timeoutFor(QStringLiteral("AUTH")));
        return;
    }
    const Command command = Command::parse(line);
    const QString warning = sequenceWarning(stateAfterPending(), command.verb);
    if (!warning.isEmpty())
        addEvent(TranscriptEvent::Kind::Warning, warning + QStringLiteral(" Sent anyway."));
    if (command.verb != QLatin1String("AUTH")) // its problems would quote the credentials
        for (const QString &problem : command.problems)
            addEvent(TranscriptEvent::Kind::Warning, QStringLiteral("Syntax: ") + problem);
    const QString context = Explainer::contextFor(command.verb);
    write(line.toUtf8() + "\r\n", redact(command), context, timeoutFor(context));
    if (command.verb == QLatin1String("AUTH"))
        noteCredentialsInClear();
}

// With PIPELINING (RFC 2920) commands go out before the replies to earlier ones: a
// command is judged against the state those will lead to when they succeed.
SessionState SmtpSession::stateAfterPending() const
{
    SessionState state = m_state;
    if (!m_capabilities.has(QStringLiteral("PIPELINING")))
        return state;
    for (const Pending &p : m_pending) {
        const int success = p.context == QLatin1String("DATA")                                            ? 354
                          : p.context == QLatin1String("STARTTLS") || p.context == QLatin1String("CONNECT") ? 220
                          : p.context == QLatin1String("AUTH")                                             ? 235
                                                                                                           : 250;
        state = nextState(state, p.context, success, p.bdatLast);
    }
    return state;
}

void SmtpSession::sendPipelined(const QStringList &lines)
{
    if (!m_capabilities.has(QStringLiteral("PIPELINING")))
        addEvent(TranscriptEvent::Kind::Warning,
                 QStringLiteral("The server did not announce PIPELINING (RFC 2920); sending the group anyway."));
    // One write for the group: the server sees them arrive together.
    if (m_socket)
        m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 0);
    for (const QString &line : lines)
        sendCommand(line);
    if (m_socket) {
        m_socket->flush();
        m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    }
}

void SmtpSession::startTls()
{
    sendCommand(QStringLiteral("STARTTLS"));
}

bool SmtpSession::carriesCredentials(const QString &line) const
{
    if (m_state == SessionState::InData)
        return false;
    return isInAuthExchange() || Command::parse(line).verb == QLatin1String("AUTH");
}

bool SmtpSession::refusePlaintextAuth()
{
    if (isEncrypted() || m_options.allowPlaintextAuth)
        return false;
    addEvent(TranscriptEvent::Kind::Error,
             QStringLiteral("AUTH not sent: this connection is not encrypted, so the credentials would cross "
                            "the network readable by anyone on the path. Use STARTTLS (or implicit TLS) "
                            "first, or allow AUTH in clear text explicitly (smtpwb session "
                            "--allow-plaintext-auth; the window asks)."));
    return true;
}

void SmtpSession::noteCredentialsInClear()
{
    if (!isEncrypted())
        addEvent(TranscriptEvent::Kind::Warning,
                 QStringLiteral("Credentials sent in clear text, as allowed: anyone on the path can read "
                                "them. Change this password if the network is not your own."));
}

bool SmtpSession::authenticate(const QString &mechanism, const QString &user, const QString &secret)
{
    if (refusePlaintextAuth())
        return false;
    m_sasl = SaslClient::create(mechanism, user, secret);
    if (!m_sasl) {
        addEvent(TranscriptEvent::Kind::Error,
                 QStringLiteral("%1 is not a mechanism this workbench speaks (%2).")
                     .arg(mechanism, SaslClient::supportedMechanisms().join(QStringLiteral(", "))));
        return false;
    }
    if (!m_capabilities.authMechanisms().contains(m_sasl->mechanism()))
        addEvent(TranscriptEvent::Kind::Warning,
                 QStringLiteral("The server did not announce AUTH %1; trying anyway.").arg(m_sasl->mechanism()));
    const QString warning = sequenceWarning(m_state, QStringLiteral("AUTH"));
    if (!warning.isEmpty())
        addEvent(TranscriptEvent::Kind::Warning, warning + QStringLiteral(" Sent anyway."));
    const QString display = m_sasl->redactedStep();
    const QByteArray initial = m_sasl->initialResponse();
    QByteArray bytes = "AUTH " + m_sasl->mechanism().toLatin1();
    QString shown = QStringLiteral("AUTH ") + m_sasl->mechanism();
    if (!initial.isEmpty()) {
        bytes += ' ' + initial.toBase64();
        shown += QLatin1Char(' ') + display;
    }
    write(bytes + "\r\n", shown, QStringLiteral("AUTH"), timeoutFor(QStringLiteral("AUTH")));
    noteCredentialsInClear();
    return true;
}

void SmtpSession::sendMessage(const QByteArray &message)
{
    m_messageForData = message;
    m_hasMessageForData = true;
    sendCommand(QStringLiteral("DATA"));
}

void SmtpSession::sendMessageBody(const QByteArray &message)
{
    m_hasMessageForData = false;
    m_messageForData.clear();
    const QByteArray wire = encodeForData(message);
    warnOfLongLines(wire);
    QString shown = QString::fromUtf8(wire.left(kMaxMessageShown));
    shown.replace(QLatin1String("\r\n"), QLatin1String("\n"));
    if (shown.endsWith(QLatin1Char('\n')))
        shown.chop(1);
    if (wire.size() > kMaxMessageShown)
        shown += QStringLiteral("\n[... %1 more bytes not shown]\n.").arg(wire.size() - kMaxMessageShown);
    write(wire, shown, QStringLiteral("DATA_END"), m_options.timeouts.dataEnd);
}

void SmtpSession::sendBdat(const QByteArray &chunk, bool last)
{
    const QString header = QStringLiteral("BDAT %1%2").arg(chunk.size()).arg(last ? QStringLiteral(" LAST") : QString());
    const QString warning = sequenceWarning(m_state, QStringLiteral("BDAT"));
    if (!warning.isEmpty())
        addEvent(TranscriptEvent::Kind::Warning, warning + QStringLiteral(" Sent anyway."));
    write(header.toLatin1() + "\r\n" + chunk, header + QStringLiteral("\n[%1 bytes of message data]").arg(chunk.size()),
          QStringLiteral("BDAT"), m_options.timeouts.dataEnd, last);
}

void SmtpSession::quit()
{
    if (m_state == SessionState::InData) {
        // Typed as a message line, QUIT would wait for ever: end the message first.
        addEvent(TranscriptEvent::Kind::Note, QStringLiteral("Ending the message with \".\" before QUIT."));
        sendCommand(QStringLiteral("."));
        // Still "in data" until the 250 comes: QUIT must not go as a message line.
        write("QUIT\r\n", QStringLiteral("QUIT"), QStringLiteral("QUIT"), timeoutFor(QStringLiteral("QUIT")));
        return;
    }
    sendCommand(QStringLiteral("QUIT"));
}

void SmtpSession::closeNow(const QString &reason)
{
    const bool canQuit = m_socket && m_socket->state() == QAbstractSocket::ConnectedState && m_pending.isEmpty()
        && (m_state == SessionState::Greeted || m_state == SessionState::Ready || m_state == SessionState::InTransaction
            || m_state == SessionState::HasRecipients);
    if (canQuit) {
        write("QUIT\r\n", QStringLiteral("QUIT"), QStringLiteral("QUIT"), 0);
        m_socket->flush(); // five bytes reach the kernel now; nothing waits for the 221
    }
    abort(reason);
}

void SmtpSession::abort(const QString &reason)
{
    if (m_state == SessionState::Closed || m_state == SessionState::Disconnected)
        return;
    addEvent(TranscriptEvent::Kind::Note,
             reason.isEmpty() ? QStringLiteral("Cancelled by the user.") : reason);
    if (m_socket)
        m_socket->abort();
    onDisconnected();
}

void SmtpSession::write(const QByteArray &bytes, const QString &display, const QString &context,
                        int timeoutSeconds, bool bdatLast)
{
    if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState) {
        addEvent(TranscriptEvent::Kind::Error, QStringLiteral("Not connected: \"%1\" was not sent.").arg(display));
        return;
    }
    m_socket->write(bytes);
    if (context == QLatin1String("AUTH") && !isInAuthExchange())
        m_stateBeforeAuth = m_state;
    addEvent(TranscriptEvent::Kind::Sent, display, context);
    if (timeoutSeconds < 0)
        return; // a line of message data: no reply of its own
    Pending pending{display, context, timeoutSeconds, bdatLast, {}};
    pending.sent.start();
    m_pending.append(pending);
    if (m_pending.size() == 1)
        armTimer();
}

void SmtpSession::armTimer()
{
    if (m_pending.isEmpty())
        m_timer.stop();
    else
        m_timer.start(m_pending.first().timeoutSeconds * 1000);
}

void SmtpSession::onTimeout()
{
    if (m_state == SessionState::Connecting) {
        fail(QStringLiteral("No connection to %1 port %2 within %3 s.")
                 .arg(m_options.host).arg(m_options.port).arg(m_options.timeouts.connect));
    } else if (m_state == SessionState::TlsHandshake) {
        fail(QStringLiteral("The TLS handshake did not finish within %1 s.").arg(m_options.timeouts.command));
    } else if (!m_pending.isEmpty()) {
        const Pending &p = m_pending.first();
        fail(QStringLiteral("No reply to %1 within %2 s: the server stopped talking%3. The connection is closed; "
                            "the transcript is kept.")
                 .arg(describePending(p)).arg(p.timeoutSeconds)
                 .arg(m_parser.isInsideReply() ? QStringLiteral(" in the middle of a reply") : QString()));
    }
}

void SmtpSession::onDisconnected()
{
    if (m_state == SessionState::Closed || m_disconnecting)
        return;
    m_disconnecting = true;
    if (auto partial = m_parser.finish()) {
        handleReply(*partial, false);
        addEvent(TranscriptEvent::Kind::Error,
                 QStringLiteral("The connection ended in the middle of a reply; what arrived is kept above."));
    }
    if (!m_pending.isEmpty() && m_state != SessionState::Closing && m_lastError.isEmpty()) {
        const Pending &p = m_pending.first();
        m_lastError = QStringLiteral("The server closed the connection while a reply to %1 was awaited.")
                          .arg(describePending(p));
        addEvent(TranscriptEvent::Kind::Error, m_lastError);
    }
    m_pending.clear();
    m_timer.stop();
    addEvent(TranscriptEvent::Kind::Closed, QStringLiteral("Connection closed."));
    setState(SessionState::Closed);
    m_disconnecting = false;
    emit finished();
}

void SmtpSession::onSocketError(QAbstractSocket::SocketError error)
{
    if (m_state == SessionState::Closed || !m_socket)
        return;
    switch (error) {
    case QAbstractSocket::RemoteHostClosedError:
        return; // disconnected() follows and says what was pending
    case QAbstractSocket::ConnectionRefusedError:
        fail(QStringLiteral("Connection refused by %1 port %2: nothing listens there, or a firewall said no.")
                 .arg(m_options.host).arg(m_options.port));
        return;
    case QAbstractSocket::HostNotFoundError:
        fail(QStringLiteral("Host %1 not found: check the name (and its DNS).").arg(m_options.host));
        return;
    case QAbstractSocket::SslHandshakeFailedError:
        if (!m_lastError.isEmpty())
            return; // a certificate problem already said why
        fail(QStringLiteral("The TLS handshake failed: %1.").arg(m_socket->errorString()));
        return;
    default:
        fail(QStringLiteral("Network error: %1.").arg(m_socket->errorString()));
        return;
    }
}

void SmtpSession::setState(SessionState state)
{
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(state);
}

void SmtpSession::addEvent(TranscriptEvent::Kind kind, const QString &text, const QString &context)
{
    TranscriptEvent event;
    event.kind = kind;
    event.context = context;
    event.time = QDateTime::currentDateTime();
    event.text = text;
    event.overTls = isEncrypted();
    m_transcript.append(event);
    emit eventAdded(int(m_transcript.size() - 1));
}

void SmtpSession::fail(const QString &message)
{
    if (m_state == SessionState::Closed)
        return;
    m_lastError = message;
    addEvent(TranscriptEvent::Kind::Error, message);
    closeNow();
}

void SmtpSession::closeNow()
{
    if (m_state == SessionState::Closed)
        return;
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
    onDisconnected();
}

QString SmtpSession::redact(const Command &command)
{
    if (command.verb != QLatin1String("AUTH"))
        return command.line;
    // Keep the mechanism; whatever follows it is a credential.
    const QStringList words = command.argument.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts);
    QString shown = QStringLiteral("AUTH");
    if (!words.isEmpty())
        shown += QLatin1Char(' ') + words.first();
    if (words.size() > 1)
        shown += QStringLiteral(" <initial response redacted>");
    return shown;
}

bool SmtpSession::isInAuthExchange() const
{
    if (m_state == SessionState::Authenticating)
        return true;
    for (const Pending &p : m_pending)
        if (p.context == QLatin1String("AUTH"))
            return true;
    return false;
}

QString SmtpSession::describePending(const Pending &pending)
{
    if (pending.context == QLatin1String("CONNECT"))
        return QStringLiteral("the greeting");
    return QStringLiteral("\"%1\"").arg(pending.display.section(QLatin1Char('\n'), 0, 0));
}

int SmtpSession::timeoutFor(const QString &context) const
{
    if (context == QLatin1String("DATA"))
        return m_options.timeouts.dataStart;
    if (context == QLatin1String("DATA_END") || context == QLatin1String("BDAT"))
        return m_options.timeouts.dataEnd;
    return m_options.timeouts.command;
}

// Some firewalls' SMTP inspection rewrites STARTTLS in the EHLO reply as XXXXXXXA (or
// XXXXXXXX) so that clients stay in clear: a downgrade to say out loud (RFC 3207 6).
void SmtpSession::warnOfMaskedStartTls()
{
    static const QRegularExpression masked(QStringLiteral("^X{7}[AX]$"));
    for (const Capability &c : m_capabilities.list())
        if (masked.match(c.keyword).hasMatch() && !m_capabilities.has(QStringLiteral("STARTTLS")))
            addEvent(TranscriptEvent::Kind::Warning,
                     QStringLiteral("The server offers \"%1\" where STARTTLS would stand: something on the path (a "
                                    "firewall's SMTP inspection, or an attacker) is hiding STARTTLS to keep the "
                                    "session in clear (STARTTLS stripping, RFC 3207 6). Use \"STARTTLS required\" "
                                    "to refuse to go on.").arg(c.keyword));
}

// RFC 5322 2.1.1: a line of a message is at most 998 octets; longer ones may be refused,
// or broken by a server on the way. Said before the message goes, sent anyway.
void SmtpSession::warnOfLongLines(const QByteArray &wire)
{
    qsizetype longest = 0;
    for (qsizetype start = 0; start < wire.size();) {
        qsizetype end = wire.indexOf('\n', start);
        if (end < 0)
            end = wire.size();
        longest = qMax(longest, end - start - (end > start && wire.at(end - 1) == '\r' ? 1 : 0));
        start = end + 1;
    }
    if (longest > 998)
        addEvent(TranscriptEvent::Kind::Warning,
                 QStringLiteral("A line of this message is %1 octets long; RFC 5322 2.1.1 allows 998. Servers may "
                                "refuse it or break the line. Sent anyway.").arg(longest));
}

} // namespace smtp
