#include "labsession.h"

#include "labcertificate.h"
#include "labgoals.h"
#include "labgreylist.h"
#include "protocol/command.h"
#include "protocol/untrustedtext.h"

#include <QScopeGuard>
#include <QSslCipher>
#include <QSslSocket>

namespace smtp {

namespace {

// A command line is 512 octets by RFC 5321; allow eight times that before calling it abuse.
constexpr qsizetype kMaxCommandLine = 4096;
// A text line in DATA is 1000 octets by RFC 5321; longer ones are stored, read in pieces.
constexpr qsizetype kMaxDataPiece = 64 * 1024;
constexpr qsizetype kReadChunk = 64 * 1024;
constexpr qint64 kSocketBuffer = 1024 * 1024;
constexpr int kMaxRecipients = 100;
// A client that pipelines and never reads its replies: past this many unsent octets we stop
// reading it (TCP then holds it back), and go on as the replies leave.
constexpr qint64 kMaxUnsent = 256 * 1024;
// RFC 5322 2.1.1: a line of a message is at most 998 octets. Longer ones are kept (and
// shown by the inspector); one over this is refused, as a whole class may send one.
constexpr qint64 kMaxMessageLine = 1024 * 1024;

QString domainOf(const QString &address)
{
    const qsizetype at = address.lastIndexOf(QLatin1Char('@'));
    return at < 0 ? QString() : address.mid(at + 1).toLower();
}

// The code a rule answers with, from its reply or its raw bytes (0 if none can be read).
int ruleCode(const LabRule &rule)
{
    const QByteArray head = rule.raw.isEmpty() ? rule.reply.left(3).toLatin1() : rule.raw.left(3);
    bool ok = false;
    const int code = head.toInt(&ok);
    return ok ? code : 0;
}

} // namespace

LabSession::LabSession(QSslSocket *socket, const LabScenario &scenario, LabGreylist *greylist, bool tlsAvailable,
                       QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_wire(socket)
    , m_scenario(scenario)
    , m_greylist(greylist)
    , m_tlsAvailable(tlsAvailable && scenario.hasCapability(QStringLiteral("STARTTLS")))
{
    m_socket->setParent(this);
    // While a delayed reply is pending we stop reading; this keeps a pipelining client from
    // filling our memory meanwhile (TCP pushes back instead).
    m_socket->setReadBufferSize(kSocketBuffer);
    QHostAddress address = m_socket->peerAddress();
    bool mapped = false;
    const QHostAddress v4(address.toIPv4Address(&mapped));
    if (mapped)
        address = v4;
    m_ip = address.toString();
    m_peer = QStringLiteral("%1:%2").arg(address.protocol() == QAbstractSocket::IPv6Protocol
                                             ? QLatin1Char('[') + m_ip + QLatin1Char(']')
                                             : m_ip)
                 .arg(m_socket->peerPort());
    setUp();

    if (m_tlsAvailable) {
        m_socket->setLocalCertificate(LabCertificate::certificate());
        m_socket->setPrivateKey(LabCertificate::privateKey());
        m_socket->setPeerVerifyMode(QSslSocket::VerifyNone);
    }
    connect(m_socket, &QSslSocket::readyRead, this, &LabSession::readAvailable);
    connect(m_socket, &QSslSocket::encrypted, this, &LabSession::onEncrypted);
    connect(m_socket, &QSslSocket::disconnected, this, &LabSession::onDisconnected);
    connect(m_socket, &QSslSocket::errorOccurred, this, [this](QAbstractSocket::SocketError e) {
        if (e == QAbstractSocket::RemoteHostClosedError)
            return;
        emit logLine(QStringLiteral("%1 -- %2").arg(m_peer, m_socket->errorString()));
        if (e == QAbstractSocket::SslHandshakeFailedError || e == QAbstractSocket::SslInternalError)
            m_socket->abort();
        if (m_socket->state() == QAbstractSocket::UnconnectedState)
            onDisconnected();
    });
}

LabSession::LabSession(QIODevice *wire, const LabScenario &scenario, LabGreylist *greylist, QObject *parent)
    : QObject(parent)
    , m_wire(wire)
    , m_scenario(scenario)
    , m_greylist(greylist)
    , m_tlsAvailable(false)
    , m_immediate(true)
{
    m_ip = QStringLiteral("192.0.2.1"); // TEST-NET-1: no real client
    m_peer = m_ip + QStringLiteral(":25");
    setUp();
}

void LabSession::setUp()
{
    seedFaults(m_scenario.seed, 1); // a seeded scenario is repeatable even when nobody numbers us
    m_trickle.setInterval(100);
    connect(&m_trickle, &QTimer::timeout, this, &LabSession::trickle);
    for (const LabRule &rule : m_scenario.rules)
        m_ruleMatchers.append(QRegularExpression(rule.match, QRegularExpression::CaseInsensitiveOption));
    m_idle.setSingleShot(true);
    m_idle.setInterval(m_scenario.idleTimeoutSeconds * 1000);
    connect(&m_idle, &QTimer::timeout, this, &LabSession::onIdle);
    m_idle.setInterval(m_scenario.firstCommandTimeoutSeconds * 1000);
    // Queued: never inside our own write.
    connect(m_wire, &QIODevice::bytesWritten, this, [this] {
        if (!outputBlocked())
            processInput();
    }, Qt::QueuedConnection);
}

void LabSession::setFaults(const QList<LabFault> &faults, int bytesPerSecond)
{
    m_scenario.faults = faults;
    m_scenario.bytesPerSecond = bytesPerSecond;
}

void LabSession::seedFaults(quint32 seed, quint32 number)
{
    if (seed != 0) {
        m_diceSeed = seed * 2654435761u + number; // a different, fixed stream per connection
        m_dice.reset();
    }
}

QRandomGenerator &LabSession::dice()
{
    if (!m_dice)
        m_dice.emplace(m_diceSeed ? *m_diceSeed : QRandomGenerator::global()->generate());
    return *m_dice;
}

bool LabSession::injectFault(const QString &stage)
{
    for (const LabFault &fault : std::as_const(m_scenario.faults)) {
        // Every applicable fault rolls, hit or not: the sequence depends only on the seed
        // and what the client did.
        if (!fault.appliesTo(stage) || int(dice().bounded(100)) >= fault.percent)
            continue;
        emit logLine(QStringLiteral("%1 -- fault injected: %2").arg(m_peer, fault.spec()));
        switch (fault.kind) {
        case LabFault::Kind::Delay:
            m_faultDelayMs += fault.delayMinMs + int(dice().bounded(fault.delayMaxMs - fault.delayMinMs + 1));
            break;
        case LabFault::Kind::Drop:
            write(QByteArray(), After::Close);
            return true;
        case LabFault::Kind::Reply: {
            LabRule rule;
            rule.reply = fault.reply;
            rule.disconnect = fault.reply.startsWith(QLatin1String("421")); // 421 closes (RFC 5321 3.8)
            sendRule(rule, m_scenario.replyDelayMs);
            return true;
        }
        }
    }
    return false;
}

void LabSession::checkGoals(const LabMessage *delivery)
{
    m_facts.authenticated = !m_user.isEmpty();
    if (m_progress)
        m_progress->check(m_ip, m_facts, delivery);
}

// How many complete lines, up to `atMost`, wait in the buffer behind the one just taken.
int LabSession::linesWaiting(int atMost) const
{
    int lines = 0;
    for (qsizetype at = m_pos; lines < atMost; ++lines) {
        at = m_buffer.indexOf('\n', at);
        if (at < 0)
            break;
        ++at;
    }
    return lines;
}

bool LabSession::outputBlocked() const
{
    return m_wire->bytesToWrite() > kMaxUnsent;
}

void LabSession::readAvailable()
{
    m_idle.start();
    processInput();
}

void LabSession::start()
{
    m_idle.start();
    const QString text = m_scenario.hostname + QLatin1Char(' ') + m_scenario.greeting;
    if (injectFault(QStringLiteral("CONNECT")))
        return;
    if (const LabRule *rule = findRule(QStringLiteral("CONNECT"), {m_ip})) {
        sendRule(*rule, m_scenario.greetingDelayMs);
        return;
    }
    QByteArray bytes = "220 " + text.toUtf8() + "\r\n";
    send(bytes, m_scenario.greetingDelayMs, After::Nothing);
}

void LabSession::abort()
{
    m_mode = Mode::Closing;
    if (m_socket)
        m_socket->abort();
}

// ---- reading ------------------------------------------------------------------------

bool LabSession::fillBuffer()
{
    const QByteArray chunk = m_wire->read(kReadChunk);
    if (chunk.isEmpty())
        return false;
    if (m_pos > 0) {
        m_buffer.remove(0, m_pos);
        m_pos = 0;
    }
    m_buffer.append(chunk);
    return true;
}

void LabSession::processInput()
{
    while (!m_paused && m_mode != Mode::Closing && !outputBlocked()) {
        if (m_mode == Mode::Bdat) {
            if (m_pos >= m_buffer.size() && !fillBuffer())
                return;
            const qsizetype take = qsizetype(qMin<qint64>(m_bdatRemaining, m_buffer.size() - m_pos));
            m_dataSize += take;
            if (m_dataSize <= m_scenario.maxSize)
                m_data.append(m_buffer.constData() + m_pos, take);
            m_pos += take;
            m_bdatRemaining -= take;
            if (m_bdatRemaining == 0)
                finishChunk();
            continue;
        }
        const qsizetype lf = m_buffer.indexOf('\n', m_pos);
        const qsizetype pending = (lf < 0 ? m_buffer.size() : lf) - m_pos;
        if (m_mode == Mode::Data) {
            if (lf < 0 && pending > kMaxDataPiece) {
                // A huge line: store what came, and remember we are in its middle. A CR at
                // the end waits for its LF: the pair ends the line (and may end DATA).
                const qsizetype end = m_buffer.size() - (m_buffer.endsWith('\r') ? 1 : 0);
                const QByteArray piece = m_buffer.mid(m_pos, end - m_pos);
                m_pos = end;
                handleDataLine(piece, false, false);
                continue;
            }
        } else if (pending > kMaxCommandLine) {
            log(QLatin1Char('C'), m_buffer.mid(m_pos, 80) + "... (" + QByteArray::number(pending) + " octets, no end of line)");
            reply(500, QStringLiteral("5.5.6"), QStringLiteral("Line too long; closing the connection"), After::Close);
            return;
        }
        if (lf < 0) {
            if (!fillBuffer())
                return;
            continue;
        }
        QByteArray line = m_buffer.mid(m_pos, lf - m_pos + 1);
        m_pos = lf + 1;
        handleLine(std::move(line));
    }
}

void LabSession::handleLine(QByteArray line)
{
    const bool complete = line.endsWith('\n');
    const bool crlf = line.endsWith("\r\n");
    if (complete) {
        line.chop(1);
        if (line.endsWith('\r'))
            line.chop(1);
    }
    switch (m_mode) {
    case Mode::Data:
        handleDataLine(line, complete, crlf);
        return;
    case Mode::AuthPlain:
    case Mode::AuthLoginUser:
    case Mode::AuthLoginPassword:
        log(QLatin1Char('C'), line);
        handleAuthResponse(line);
        return;
    case Mode::Command:
        handleCommand(line);
        return;
    case Mode::Bdat:
    case Mode::Closing:
        return;
    }
}

// Only <CR><LF>.<CR><LF> ends a message (RFC 5321 4.1.1.4), as Postfix's
// smtpd_forbid_bare_newline asks: a server that also ends it at a bare LF can be made to
// see two messages where the sending server saw one (SMTP smuggling, SEC Consult 2023).
bool LabSession::endsData(const QByteArray &line, bool complete, bool crlf) const
{
    if (m_midLine || !complete || line != ".")
        return false;
    return (crlf && m_afterCrlf) || m_scenario.hasFlaw(QStringLiteral("smuggling-lf"));
}

void LabSession::handleDataLine(const QByteArray &line, bool complete, bool crlf)
{
    if (!endsData(line, complete, crlf) && !m_midLine && complete && line == ".")
        emit logLine(QStringLiteral("%1 -- a \".\" line without CR LF on both sides: kept as text, not the end of the "
                                    "message (RFC 5321 4.1.1.4; with nc, use nc -C)").arg(m_peer));
    const bool ends = endsData(line, complete, crlf);
    if (complete)
        m_afterCrlf = crlf;
    if (ends) {
        log(QLatin1Char('C'), "<message: " + QByteArray::number(m_dataSize) + " octets>");
        log(QLatin1Char('C'), ".");
        m_mode = Mode::Command;
        finishMessage();
        return;
    }
    // RFC 5321 4.5.2: a leading dot was doubled by the client; take one away.
    const QByteArray content = (!m_midLine && line.startsWith('.')) ? line.mid(1) : line;
    m_lineLength += content.size();
    if (complete) {
        ++m_dataLines;
        m_longestLine = qMax(m_longestLine, m_lineLength);
        m_lineLength = 0;
        if (!crlf && ++m_bareLfCount <= 100)
            m_bareLfLines.append(m_dataLines);
    }
    m_dataSize += content.size() + (complete ? 2 : 0);
    if (m_dataSize <= m_scenario.maxSize) {
        m_data.append(content);
        if (complete)
            m_data.append("\r\n");
    }
    m_midLine = !complete;
}

// ---- commands -----------------------------------------------------------------------

void LabSession::handleCommand(const QByteArray &raw)
{
    log(QLatin1Char('C'), raw);
    if (!std::exchange(m_commandSeen, true)) {
        m_idle.setInterval(m_scenario.idleTimeoutSeconds * 1000);
        m_idle.start();
    }
    if (m_scenario.maxCommands > 0 && ++m_commands > m_scenario.maxCommands) {
        reply(421, QStringLiteral("4.7.0"),
              QStringLiteral("Too many commands (limit %1 per connection); slow down and come back later")
                  .arg(m_scenario.maxCommands),
              After::Close);
        return;
    }
    const QString text = QString::fromUtf8(raw);
    if (text.trimmed().isEmpty()) {
        error(500, QStringLiteral("5.5.2"), QStringLiteral("Empty line: a command was expected"));
        return;
    }
    const Command c = Command::parse(text);
    const QString &verb = c.verb;
    // NUL or a bare CR inside a line would end up echoed in our replies: refuse them.
    if (!c.isKnownVerb() || raw.contains('\0') || raw.contains('\r')) {
        error(500, QStringLiteral("5.5.2"), QStringLiteral("Syntax error, command unrecognized"));
        return;
    }
    // A fault comes before any check, as a failing server's would: whatever the state.
    if (injectFault(verb))
        return;
    m_facts.verbs.insert(verb);
    // Checked once this command's reply is on its way (its code counts).
    const auto checkAfter = qScopeGuard([this] { checkGoals(); });
    const auto noArgument = [&] {
        if (c.argument.isEmpty())
            return true;
        error(501, QStringLiteral("5.5.4"), QStringLiteral("%1 takes no argument").arg(verb));
        return false;
    };

    if (verb == QLatin1String("EHLO") || verb == QLatin1String("HELO")) {
        ehlo(c);
    } else if (verb == QLatin1String("STARTTLS")) {
        startTls(c);
    } else if (verb == QLatin1String("AUTH")) {
        auth(c);
    } else if (verb == QLatin1String("MAIL")) {
        mail(c);
    } else if (verb == QLatin1String("RCPT")) {
        rcpt(c);
    } else if (verb == QLatin1String("DATA")) {
        data(c);
    } else if (verb == QLatin1String("BDAT")) {
        bdat(c);
    } else if (verb == QLatin1String("RSET")) {
        if (noArgument() && !applyRule(verb, {})) {
            resetTransaction();
            reply(250, QStringLiteral("2.0.0"), QStringLiteral("Reset: the transaction is forgotten"));
        }
    } else if (verb == QLatin1String("NOOP")) {
        if (!applyRule(verb, {c.argument}))
            reply(250, QStringLiteral("2.0.0"), QStringLiteral("OK, nothing done"));
    } else if (verb == QLatin1String("VRFY")) {
        if (c.argument.isEmpty())
            error(501, QStringLiteral("5.5.4"), QStringLiteral("VRFY needs a user or mailbox"));
        else if (!applyRule(verb, {c.argument}))
            reply(252, QStringLiteral("2.1.5"),
                  QStringLiteral("Cannot VRFY user, but will accept message and attempt delivery"));
    } else if (verb == QLatin1String("HELP")) {
        if (!applyRule(verb, {c.argument}))
            reply(214, QStringLiteral("2.0.0"),
                  QStringLiteral("SMTP Workbench practice server. Commands:\n"
                                 "EHLO HELO STARTTLS AUTH MAIL RCPT DATA BDAT RSET NOOP VRFY HELP QUIT\n"
                                 "RFC 5321 explains them all"));
    } else if (verb == QLatin1String("QUIT")) {
        if (noArgument()) {
            m_override = findRule(verb, {});  // the connection closes after QUIT whatever a rule says
            reply(221, QStringLiteral("2.0.0"), QStringLiteral("Bye"), After::Close);
        }
    } else {
        error(502, QStringLiteral("5.5.1"), QStringLiteral("%1: command not implemented here").arg(verb));
    }
}

void LabSession::ehlo(const Command &c)
{
    if (c.argument.isEmpty()) {
        error(501, QStringLiteral("5.5.4"), QStringLiteral("%1 needs your domain name or address literal").arg(c.verb));
        return;
    }
    if (applyRule(c.verb, {c.argument}))
        return;
    resetTransaction();
    m_greeted = true;
    m_esmtp = c.verb == QLatin1String("EHLO");
    m_helo = c.argument;
    const QString hello = QStringLiteral("%1 Hello %2 [%3]").arg(m_scenario.hostname, c.argument, m_ip);
    if (!m_esmtp) {
        reply(250, QString(), hello);
        return;
    }
    QStringList lines{hello};
    for (const QString &cap : std::as_const(m_scenario.capabilities)) {
        const QString keyword = cap.section(QLatin1Char(' '), 0, 0).toUpper();
        if (keyword == QLatin1String("STARTTLS")) {
            if (m_tlsAvailable && !m_tls)
                lines.append(cap);
        } else if (keyword == QLatin1String("AUTH")) {
            // RFC 4954 14: offer clear-text mechanisms only where they cannot be sniffed.
            if (m_tls || m_scenario.allowPlainAuth)
                lines.append(cap.contains(QLatin1Char(' ')) ? cap : QStringLiteral("AUTH PLAIN LOGIN"));
        } else if (keyword == QLatin1String("SIZE")) {
            lines.append(QStringLiteral("SIZE %1").arg(m_scenario.maxSize));
        } else {
            lines.append(cap);
        }
    }
    reply(250, QString(), lines.join(QLatin1Char('\n')));
}

void LabSession::startTls(const Command &c)
{
    if (!m_tlsAvailable)
        error(502, QStringLiteral("5.5.1"), QStringLiteral("STARTTLS is not offered here"));
    else if (m_tls)
        error(503, QStringLiteral("5.5.1"), QStringLiteral("TLS is already active"));
    else if (!c.argument.isEmpty())
        error(501, QStringLiteral("5.5.4"), QStringLiteral("STARTTLS takes no argument"));
    else if (!m_greeted)
        error(503, QStringLiteral("5.5.1"), QStringLiteral("Send EHLO first"));
    else if (!applyRule(c.verb, {})) {
        if (m_scenario.hasFlaw(QStringLiteral("starttls-injection"))) {
            // The flaw: a reply in clear right behind the 220, meant to be read over TLS.
            emit logLine(QStringLiteral("%1 -- flaw starttls-injection: an extra reply sent in clear with the 220").arg(m_peer));
            send("220 2.0.0 Ready to start TLS\r\n250 2.0.0 Injected: this reply came in clear, before TLS\r\n",
                 m_scenario.replyDelayMs, After::StartTls);
            return;
        }
        reply(220, QStringLiteral("2.0.0"), QStringLiteral("Ready to start TLS"), After::StartTls);
    }
}

void LabSession::auth(const Command &c)
{
    if (!m_scenario.hasCapability(QStringLiteral("AUTH"))) {
        error(502, QStringLiteral("5.5.1"), QStringLiteral("AUTH is not offered here"));
        return;
    }
    if (!m_greeted || !m_esmtp) {
        error(503, QStringLiteral("5.5.1"), QStringLiteral("Send EHLO first"));
        return;
    }
    if (!m_user.isEmpty()) {
        error(503, QStringLiteral("5.5.1"), QStringLiteral("Already authenticated"));
        return;
    }
    if (m_mailSeen) {
        error(503, QStringLiteral("5.5.1"), QStringLiteral("AUTH is not allowed during a mail transaction"));
        return;
    }
    if (!m_tls && !m_scenario.allowPlainAuth) {
        reply(538, QStringLiteral("5.7.11"),
              QStringLiteral("Encryption required for requested authentication mechanism: use STARTTLS first"));
        return;
    }
    const QStringList words = c.argument.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    const QString mechanism = words.value(0).toUpper();
    const QString initial = words.value(1);
    if (words.size() > 2 || mechanism.isEmpty()) {
        error(501, QStringLiteral("5.5.4"), QStringLiteral("Syntax: AUTH mechanism [initial-response]"));
        return;
    }
    if (applyRule(c.verb, {mechanism}))
        return;
    if (mechanism == QLatin1String("PLAIN")) {
        if (initial.isEmpty()) {
            m_mode = Mode::AuthPlain;
            reply(334, QString(), QString());
        } else {
            checkPlain(initial == QLatin1String("=") ? QByteArray() : initial.toLatin1());
        }
    } else if (mechanism == QLatin1String("LOGIN")) {
        if (initial.isEmpty()) {
            m_mode = Mode::AuthLoginUser;
            reply(334, QString(), QStringLiteral("VXNlcm5hbWU6")); // "Username:"
        } else {
            handleAuthResponse(initial.toLatin1());  // RFC 4954 allows it; some clients do
        }
    } else {
        error(504, QStringLiteral("5.5.4"), QStringLiteral("Mechanism %1 is not supported; use PLAIN or LOGIN").arg(mechanism));
    }
}

void LabSession::handleAuthResponse(const QByteArray &line)
{
    const Mode mode = m_mode;
    m_mode = Mode::Command;
    if (line == "*") {
        error(501, QStringLiteral("5.0.0"), QStringLiteral("Authentication cancelled"));
        return;
    }
    if (mode == Mode::AuthPlain) {
        checkPlain(line);
        return;
    }
    const auto decoded = QByteArray::fromBase64Encoding(line, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded) {
        error(501, QStringLiteral("5.5.2"), QStringLiteral("Cannot decode the response as base64"));
        return;
    }
    if (mode == Mode::AuthLoginPassword) {
        checkLogin(m_loginUser, QString::fromUtf8(*decoded));
        return;
    }
    m_loginUser = QString::fromUtf8(*decoded);
    m_mode = Mode::AuthLoginPassword;
    reply(334, QString(), QStringLiteral("UGFzc3dvcmQ6")); // "Password:"
}

void LabSession::checkPlain(const QByteArray &base64)
{
    const auto decoded = QByteArray::fromBase64Encoding(base64, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded) {
        error(501, QStringLiteral("5.5.2"), QStringLiteral("Cannot decode the response as base64"));
        return;
    }
    // RFC 4616: authzid NUL authcid NUL passwd
    const QList<QByteArray> parts = decoded.decoded.split('\0');
    if (parts.size() != 3) {
        error(501, QStringLiteral("5.5.2"), QStringLiteral("PLAIN expects authzid\\0user\\0password"));
        return;
    }
    checkLogin(QString::fromUtf8(parts.at(1)), QString::fromUtf8(parts.at(2)));
}

void LabSession::checkLogin(const QString &user, const QString &password)
{
    for (const LabAccount &account : std::as_const(m_scenario.accounts)) {
        if (account.user.compare(user, Qt::CaseInsensitive) == 0 && account.password == password) {
            m_user = account.user;
            reply(235, QStringLiteral("2.7.0"), QStringLiteral("Authentication successful, welcome %1").arg(m_user));
            checkGoals();
            return;
        }
    }
    error(535, QStringLiteral("5.7.8"), QStringLiteral("Authentication credentials invalid"));
}

bool LabSession::checkPathSyntax(const Command &c)
{
    const bool isMail = c.verb == QLatin1String("MAIL");
    QStringList syntax;
    QStringList values;
    for (const QString &problem : c.problems) {
        bool aboutParameter = false;
        for (const EsmtpParameter &p : c.parameters)
            aboutParameter = aboutParameter || problem.startsWith(p.keyword + QLatin1Char('='))
                || problem.startsWith(p.keyword + QLatin1Char(' '));
        // Leniencies real servers share: a space after the colon, long or 8-bit lines.
        if (problem.startsWith(QLatin1String("No space is allowed")) || problem.contains(QLatin1String("512 octets"))
            || problem.contains(QLatin1String("non-ASCII")))
            continue;
        (aboutParameter ? values : syntax).append(problem);
    }
    if (!syntax.isEmpty()) {
        error(501, isMail ? QStringLiteral("5.1.7") : QStringLiteral("5.1.3"), syntax.first());
        return false;
    }
    // A parameter is only known if its extension was advertised (RFC 5321 4.1.2, 555).
    for (const EsmtpParameter &p : c.parameters) {
        const QString &k = p.keyword;
        QString needs;
        if (isMail) {
            if (k == QLatin1String("SIZE"))
                needs = QStringLiteral("SIZE");
            else if (k == QLatin1String("BODY"))
                needs = p.value == QLatin1String("BINARYMIME") ? QStringLiteral("BINARYMIME")
                                                              : QStringLiteral("8BITMIME");
            else if (k == QLatin1String("SMTPUTF8"))
                needs = QStringLiteral("SMTPUTF8");
            else if (k == QLatin1String("RET") || k == QLatin1String("ENVID"))
                needs = QStringLiteral("DSN");
            else if (k == QLatin1String("AUTH"))
                needs = QStringLiteral("AUTH");
        } else if (k == QLatin1String("NOTIFY") || k == QLatin1String("ORCPT")) {
            needs = QStringLiteral("DSN");
        }
        if (needs.isEmpty() || !m_esmtp || !m_scenario.hasCapability(needs)) {
            error(555, QStringLiteral("5.5.4"),
                  QStringLiteral("%1 parameter %2 not recognized or not implemented").arg(c.verb, k));
            return false;
        }
    }
    if (!values.isEmpty()) {
        error(501, QStringLiteral("5.5.4"), values.first());
        return false;
    }
    return true;
}

void LabSession::mail(const Command &c)
{
    if (!m_greeted) {
        error(503, QStringLiteral("5.5.1"), QStringLiteral("Send EHLO or HELO first"));
        return;
    }
    if (m_mailSeen) {
        error(503, QStringLiteral("5.5.1"), QStringLiteral("Nested MAIL command: a transaction is already open"));
        return;
    }
    if (m_scenario.requireTls && !m_tls) {
        reply(530, QStringLiteral("5.7.0"), QStringLiteral("Must issue a STARTTLS command first"));
        return;
    }
    if (m_scenario.requireAuth && m_user.isEmpty()) {
        reply(530, QStringLiteral("5.7.0"), QStringLiteral("Authentication required"));
        return;
    }
    if (!checkPathSyntax(c))
        return;
    if (m_scenario.maxMessages > 0 && m_messages >= m_scenario.maxMessages) {
        reply(421, QStringLiteral("4.7.0"),
              QStringLiteral("Too many messages (limit %1 per connection); try again later").arg(m_scenario.maxMessages),
              After::Close);
        return;
    }
    if (const EsmtpParameter *size = c.parameter(QStringLiteral("SIZE"))) {
        if (size->value.toLongLong() > m_scenario.maxSize || size->value.size() > 15) {
            reply(552, QStringLiteral("5.3.4"),
                  QStringLiteral("Message size exceeds fixed limit of %1 bytes").arg(m_scenario.maxSize));
            return;
        }
    }
    if (applyRule(c.verb, {c.address}))
        return;
    m_mailSeen = true;
    m_sender = c.address;
    for (const EsmtpParameter &p : c.parameters)
        m_mailParameters.append(p.value.isEmpty() ? p.keyword : p.keyword + QLatin1Char('=') + p.value);
    m_pipelined = linesWaiting(2) >= 2; // RCPT and DATA (at least) already here
    reply(250, QStringLiteral("2.1.0"), QStringLiteral("Sender <%1> OK").arg(c.address));
}

void LabSession::rcpt(const Command &c)
{
    if (!m_mailSeen) {
        error(503, QStringLiteral("5.5.1"), QStringLiteral("Need MAIL before RCPT"));
        return;
    }
    if (!checkPathSyntax(c))
        return;
    if (m_recipients.size() >= kMaxRecipients) {
        reply(452, QStringLiteral("4.5.3"), QStringLiteral("Too many recipients in one transaction"));
        return;
    }
    if (applyRule(c.verb, {c.address}))
        return;
    const QString address = c.address;
    const QString domain = domainOf(address);
    const bool local = domain.isEmpty()   // RCPT TO:<postmaster>
        || m_scenario.domains.contains(domain, Qt::CaseInsensitive);
    if (!local && !m_scenario.openRelay && m_user.isEmpty()) {
        reply(554, QStringLiteral("5.7.1"),
              QStringLiteral("<%1>: Relay access denied: this lab only takes mail for %2")
                  .arg(address, m_scenario.domains.join(QStringLiteral(", "))));
        return;
    }
    if (local && !domain.isEmpty() && !m_scenario.mailboxes.isEmpty()
        && !m_scenario.mailboxes.contains(address, Qt::CaseInsensitive)) {
        reply(550, QStringLiteral("5.1.1"), QStringLiteral("<%1>: Recipient address rejected: User unknown").arg(address));
        return;
    }
    if (m_scenario.greylistSeconds > 0) {
        const int wait = m_greylist->check(m_ip, m_sender, address);
        if (wait > 0) {
            reply(451, QStringLiteral("4.7.1"),
                  QStringLiteral("<%1>: Greylisted, please try again in %2 seconds").arg(address).arg(wait));
            return;
        }
    }
    m_recipients.append(address);
    for (const EsmtpParameter &p : c.parameters) {
        const QString text = p.value.isEmpty() ? p.keyword : p.keyword + QLatin1Char('=') + p.value;
        if (!m_rcptParameters.contains(text))
            m_rcptParameters.append(text);
    }
    reply(250, QStringLiteral("2.1.5"), QStringLiteral("Recipient <%1> OK").arg(address));
}

void LabSession::data(const Command &c)
{
    if (!m_mailSeen) {
        error(503, QStringLiteral("5.5.1"), QStringLiteral("Need MAIL command"));
    } else if (m_recipients.isEmpty()) {
        error(503, QStringLiteral("5.5.1"), QStringLiteral("Need RCPT command: no valid recipients"));
    } else if (m_bdatStarted) {
        error(503, QStringLiteral("5.5.1"), QStringLiteral("DATA cannot follow BDAT in one transaction"));
    } else if (!c.argument.isEmpty()) {
        error(501, QStringLiteral("5.5.4"), QStringLiteral("DATA takes no argument"));
    } else if (!applyRule(c.verb, m_recipients)) {
        m_mode = Mode::Data;
        m_midLine = false;
        m_afterCrlf = true;
        reply(354, QString(), QStringLiteral("End data with <CR><LF>.<CR><LF>"));
    }
}

void LabSession::bdat(const Command &c)
{
    const QStringList words = c.argument.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    bool ok = false;
    const qint64 size = words.value(0).toLongLong(&ok);
    const bool last = words.size() == 2 && words.at(1).compare(QLatin1String("LAST"), Qt::CaseInsensitive) == 0;
    if (!ok || size < 0 || words.size() > 2 || (words.size() == 2 && !last)) {
        // We cannot know how many octets follow; RFC 3030 leaves closing as the safe way.
        error(501, QStringLiteral("5.5.4"), QStringLiteral("Syntax: BDAT size [LAST]"));
        return;
    }
    // Whatever the verdict, the chunk's octets follow: read them, then answer.
    m_bdatError.reset();
    if (!m_scenario.hasCapability(QStringLiteral("CHUNKING")))
        m_bdatError = Pending{502, QStringLiteral("5.5.1"), QStringLiteral("BDAT is not offered here")};
    else if (!m_mailSeen)
        m_bdatError = Pending{503, QStringLiteral("5.5.1"), QStringLiteral("Need MAIL command")};
    else if (m_recipients.isEmpty())
        m_bdatError = Pending{503, QStringLiteral("5.5.1"), QStringLiteral("Need RCPT command: no valid recipients")};
    m_bdatRemaining = size;
    m_bdatLast = last;
    if (m_bdatError)
        m_dataSize = m_scenario.maxSize + 1;  // discard the chunk
    m_mode = Mode::Bdat;
    if (size == 0)
        finishChunk();
}

void LabSession::finishChunk()
{
    m_mode = Mode::Command;
    log(QLatin1Char('C'), "<chunk received>");
    if (m_bdatError) {
        const Pending e = *m_bdatError;
        m_bdatError.reset();
        if (!m_bdatStarted)
            m_dataSize = 0;
        error(e.code, e.enhanced, e.text);
        return;
    }
    m_bdatStarted = true;
    if (m_bdatLast)
        finishMessage();
    else
        reply(250, QStringLiteral("2.0.0"), QStringLiteral("Chunk received, %1 octets so far").arg(m_dataSize));
}

void LabSession::finishMessage()
{
    if (injectFault(QStringLiteral("DATA_END")) || applyRule(QStringLiteral("DATA_END"), m_recipients)) {
        resetTransaction();
        return;
    }
    if (const qint64 longest = qMax(m_longestLine, m_lineLength); longest > kMaxMessageLine) {
        resetTransaction();
        reply(554, QStringLiteral("5.6.0"),
              QStringLiteral("A line of the message is %1 octets; RFC 5322 2.1.1 allows 998. Not accepted").arg(longest));
        return;
    }
    if (m_dataSize > m_scenario.maxSize) {
        resetTransaction();
        reply(552, QStringLiteral("5.3.4"),
              QStringLiteral("Message size exceeds fixed limit of %1 bytes").arg(m_scenario.maxSize));
        return;
    }
    LabMessage message;
    message.peer = m_peer;
    message.helo = m_helo;
    message.sender = m_sender;
    message.recipients = m_recipients;
    message.data = m_data;
    message.received = QDateTime::currentDateTimeUtc();
    message.tls = m_tls;
    message.user = m_user;
    message.mailParameters = m_mailParameters;
    message.rcptParameters = m_rcptParameters;
    message.pipelined = m_pipelined;
    message.bareLineFeedLines = m_bareLfLines;
    message.bareLineFeeds = m_bareLfCount;
    message.longestLine = qMax(m_longestLine, m_lineLength);
    ++m_messages;
    resetTransaction();
    const QString id = QStringLiteral("L%1").arg(QDateTime::currentMSecsSinceEpoch() % 100000000, 8, 10, QLatin1Char('0'));
    reply(250, QStringLiteral("2.0.0"), QStringLiteral("OK: queued as %1").arg(id));
    emit messageAccepted(message);
    checkGoals(&message);
}

// ---- replies ------------------------------------------------------------------------

void LabSession::reply(int code, const QString &enhanced, const QString &text, After after)
{
    if (m_override) {
        const LabRule *rule = m_override;
        m_override = nullptr;
        sendRule(*rule, m_scenario.replyDelayMs);
        if (after == After::Nothing || rule->disconnect)
            return;
        // STARTTLS or QUIT still do what they said, after the rule's words.
        send(QByteArray(), m_scenario.replyDelayMs + rule->delayMs, after);
        return;
    }
    const bool withEnhanced = !enhanced.isEmpty() && m_scenario.hasCapability(QStringLiteral("ENHANCEDSTATUSCODES"));
    const QStringList lines = text.split(QLatin1Char('\n'));
    QByteArray bytes;
    for (int i = 0; i < lines.size(); ++i) {
        bytes += QByteArray::number(code) + (i == lines.size() - 1 ? ' ' : '-');
        if (withEnhanced)
            bytes += enhanced.toLatin1() + ' ';
        bytes += lines.at(i).toUtf8() + "\r\n";
    }
    if (code == 334 && text.isEmpty())
        bytes = "334 \r\n";
    send(bytes, m_scenario.replyDelayMs, after);
}

void LabSession::error(int code, const QString &enhanced, const QString &text)
{
    // A client that only makes mistakes is broken or hostile; either way, stop listening.
    if (++m_errors >= m_scenario.maxErrors) {
        reply(421, QStringLiteral("4.7.0"), QStringLiteral("Too many errors; closing the connection"), After::Close);
        return;
    }
    reply(code, enhanced, text);
}

const LabRule *LabSession::findRule(const QString &command, const QStringList &subjects) const
{
    for (int i = 0; i < m_scenario.rules.size(); ++i) {
        const LabRule &rule = m_scenario.rules.at(i);
        if (rule.command != command)
            continue;
        if (rule.match.isEmpty())
            return &rule;
        for (const QString &subject : subjects)
            if (m_ruleMatchers.at(i).match(subject).hasMatch())
                return &rule;
    }
    return nullptr;
}

bool LabSession::applyRule(const QString &command, const QStringList &subjects)
{
    const LabRule *rule = findRule(command, subjects);
    if (!rule)
        return false;
    const int code = ruleCode(*rule);
    if (code >= 200 && code < 400 && !rule->disconnect) {
        m_override = rule;
        return false;
    }
    sendRule(*rule, m_scenario.replyDelayMs);
    return true;
}

void LabSession::sendRule(const LabRule &rule, int extraDelayMs)
{
    QByteArray bytes = rule.raw;
    if (bytes.isEmpty()) {
        const QString text = rule.reply.mid(4);
        const QByteArray code = rule.reply.left(3).toLatin1();
        const QStringList lines = text.split(QLatin1Char('\n'));
        for (int i = 0; i < lines.size(); ++i)
            bytes += code + (i == lines.size() - 1 ? ' ' : '-') + lines.at(i).toUtf8() + "\r\n";
    }
    send(bytes, rule.delayMs + extraDelayMs, rule.disconnect ? After::Close : After::Nothing);
}

void LabSession::send(const QByteArray &bytes, int delayMs, After after)
{
    delayMs += std::exchange(m_faultDelayMs, 0);
    if (delayMs <= 0 || m_immediate) {
        write(bytes, after);
        return;
    }
    m_paused = true;
    // Precise: from two seconds on Qt's default timer may fire 5% early, and a slow-server
    // scenario promises its delay.
    QTimer::singleShot(delayMs, Qt::PreciseTimer, this, [this, bytes, after] {
        m_paused = false;
        write(bytes, after);
        processInput();
    });
}

void LabSession::write(const QByteArray &bytes, After after)
{
    if (m_mode == Mode::Closing || (m_socket && m_socket->state() != QAbstractSocket::ConnectedState))
        return;
    for (const QByteArray &line : bytes.split('\n')) {
        if (line.isEmpty())
            continue;
        log(QLatin1Char('S'), line.endsWith('\r') ? line.chopped(1) : line);
        bool ok = false;
        const int code = line.left(3).toInt(&ok);
        if (m_progress && ok && line.size() >= 4 && line.at(3) == ' ')
            m_progress->noteReply(m_ip, code);
    }
    if (m_scenario.bytesPerSecond > 0 && !m_immediate) {
        // Out at the scenario's rate; nothing more is read until it is all out, so replies
        // keep their order.
        m_slowOut += bytes;
        if (after != After::Nothing)
            m_slowAfter = after;
        m_paused = true;
        if (!m_trickle.isActive())
            m_trickle.start();
        return;
    }
    m_wire->write(bytes);
    // Out now, in this call: a socket left to flush itself arms its write notifier and takes
    // another turn of the event loop per reply, a fifth of the server's time under a class's load.
    if (m_socket)
        m_socket->flush();
    afterWrite(after);
}

void LabSession::trickle()
{
    const qsizetype step = qMax<qsizetype>(1, m_scenario.bytesPerSecond / 10);
    m_wire->write(m_slowOut.left(step));
    m_slowOut.remove(0, qMin(step, m_slowOut.size()));
    if (!m_slowOut.isEmpty() && m_scenario.bytesPerSecond > 0)
        return;
    if (!m_slowOut.isEmpty()) // the limit was lifted meanwhile
        m_wire->write(std::exchange(m_slowOut, QByteArray()));
    m_trickle.stop();
    m_paused = false;
    afterWrite(std::exchange(m_slowAfter, After::Nothing));
    processInput();
}

void LabSession::afterWrite(After after)
{
    if (after == After::Close) {
        m_mode = Mode::Closing;
        if (m_socket)
            m_socket->disconnectFromHost();
    } else if (after == After::StartTls && m_socket) {
        if (m_scenario.hasFlaw(QStringLiteral("starttls-buffering"))) {
            // The flaw (CVE-2011-0411): what came in clear behind STARTTLS is kept and
            // obeyed after the handshake, as if the client had sent it over TLS.
            m_buffer.append(m_socket->readAll());
            if (m_buffer.size() > m_pos)
                emit logLine(QStringLiteral("%1 -- flaw starttls-buffering: %2 octets sent in clear before the handshake "
                                            "will be obeyed after it").arg(m_peer).arg(m_buffer.size() - m_pos));
        } else {
            // RFC 3207 4.2: nothing sent before the handshake may count after it.
            m_buffer.clear();
            m_pos = 0;
            m_socket->readAll();
        }
        m_socket->startServerEncryption();
    }
}

void LabSession::log(QChar who, const QByteArray &line)
{
    if (!m_logging)
        return; // nobody reads the lines: do not make them (a class's load is mostly these)
    QString text = visibleText(QString::fromUtf8(line.left(300)), LineBreaks::Mark);
    if (line.size() > 300)
        text += QStringLiteral("... (%1 octets)").arg(line.size());
    emit logLine(QStringLiteral("%1 %2: %3").arg(m_peer, who, text));
}

void LabSession::resetTransaction()
{
    m_mailParameters.clear();
    m_rcptParameters.clear();
    m_pipelined = false;
    m_dataLines = 0;
    m_lineLength = 0;
    m_bareLfLines.clear();
    m_bareLfCount = 0;
    m_longestLine = 0;
    m_mailSeen = false;
    m_sender.clear();
    m_recipients.clear();
    m_data.clear();
    m_dataSize = 0;
    m_bdatStarted = false;
    m_midLine = false;
}

void LabSession::resetSession()
{
    resetTransaction();
    m_greeted = false;
    m_esmtp = false;
    m_helo.clear();
    m_user.clear();
}

void LabSession::onEncrypted()
{
    // RFC 3207 4.2: forget everything learnt before TLS; the client starts again with EHLO.
    resetSession();
    m_tls = true;
    m_facts.tls = true;
    m_facts.authenticated = false; // RFC 3207 4.2: the session starts again
    emit logLine(QStringLiteral("%1 -- TLS established (%2)").arg(m_peer, m_socket->sessionCipher().name()));
    checkGoals();
    processInput();
}

void LabSession::onDisconnected()
{
    if (m_finished)
        return;
    m_finished = true;
    m_mode = Mode::Closing;
    m_idle.stop();
    emit finished();
}

void LabSession::onIdle()
{
    if (m_mode == Mode::Closing)
        return;
    m_override = nullptr;
    m_mode = Mode::Command;
    reply(421, QStringLiteral("4.4.2"),
          m_commandSeen ? QStringLiteral("Idle for %1 seconds; closing the connection").arg(m_scenario.idleTimeoutSeconds)
                        : QStringLiteral("No command within %1 seconds of the greeting; closing the connection")
                              .arg(m_scenario.firstCommandTimeoutSeconds),
          After::Close);
}

} // namespace smtp
