#include "sessioncommand.h"

#include "output.h"
#include "protocol/datatransfer.h"
#include "session/mxresolver.h"
#include "session/smtpsession.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QEventLoop>
#include <QFile>
#include <QHostAddress>
#include <QSocketNotifier>

#include <termios.h>
#include <unistd.h>

namespace smtp::cli {

namespace {

const char kExitCodes[] =
    "Exit status of a scripted session: 0 all went as expected; 2 usage; 3 could not connect;\n"
    "4 greeting refused; 5 EHLO/HELO failed; 6 TLS failed (STARTTLS refused or missing when\n"
    "required, handshake or certificate); 7 AUTH failed; 8 MAIL refused; 9 RCPT refused;\n"
    "10 DATA or the message refused; 11 QUIT failed; 12 another command failed.\n"
    "A reply is unexpected when its class is not the one the command should get (2xx; 3xx for\n"
    "DATA and AUTH challenges). The session stops there (with QUIT) unless --keep-going.";

int exitFor(const QString &context)
{
    if (context == QLatin1String("CONNECT")) return SessionGreeting;
    if (context == QLatin1String("EHLO") || context == QLatin1String("HELO")) return SessionEhlo;
    if (context == QLatin1String("STARTTLS")) return SessionTls;
    if (context == QLatin1String("AUTH")) return SessionAuth;
    if (context == QLatin1String("MAIL")) return SessionMail;
    if (context == QLatin1String("RCPT")) return SessionRcpt;
    if (context == QLatin1String("DATA") || context == QLatin1String("DATA_END") || context == QLatin1String("BDAT"))
        return SessionData;
    if (context == QLatin1String("QUIT")) return SessionQuit;
    return SessionOther;
}

bool isExpected(const QString &context, int code)
{
    const int klass = code / 100;
    if (context == QLatin1String("DATA"))
        return code == 354;
    if (context == QLatin1String("AUTH"))
        return klass == 2 || klass == 3;
    return klass == 2;
}

QString readPassword(const QString &user, QString *error)
{
    const QByteArray fromEnv = qgetenv("SMTPWB_PASSWORD");
    if (!fromEnv.isEmpty())
        return QString::fromUtf8(fromEnv);
    QFile tty(QStringLiteral("/dev/tty"));
    if (!tty.open(QIODevice::ReadWrite)) {
        *error = QStringLiteral("no terminal to ask the password on; set SMTPWB_PASSWORD");
        return QString();
    }
    tty.write(QStringLiteral("Password for %1: ").arg(user).toUtf8());
    tty.flush();
    termios old{};
    const int fd = tty.handle();
    const bool echoOff = tcgetattr(fd, &old) == 0;
    if (echoOff) {
        termios silent = old;
        silent.c_lflag &= ~tcflag_t(ECHO);
        tcsetattr(fd, TCSANOW, &silent);
    }
    QByteArray line = tty.readLine(4096);
    if (echoOff)
        tcsetattr(fd, TCSANOW, &old);
    tty.write("\n");
    while (line.endsWith('\n') || line.endsWith('\r'))
        line.chop(1);
    return QString::fromUtf8(line);
}

// One step of a script: a command line, or a message for DATA.
struct Step
{
    QString line;
    QByteArray message;
    bool isData = false;
};

QList<Step> parseScript(const QByteArray &text, QString *error)
{
    QList<Step> steps;
    // CRLF, LF or CR-only line ends: a CR left inside a line would send two commands as one.
    QByteArray normalised = text;
    normalised.replace("\r\n", "\n").replace('\r', '\n');
    const QList<QByteArray> lines = normalised.split('\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QByteArray line = lines[i];
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.trimmed().isEmpty() || line.startsWith('#'))
            continue;
        Step step;
        step.line = QString::fromUtf8(line);
        if (line.trimmed().toUpper() == "DATA") {
            // The message follows as it goes on the wire, up to a line with a single dot.
            QByteArray wire;
            qsizetype j = i + 1;
            bool ended = false;
            for (; j < lines.size(); ++j) {
                QByteArray body = lines[j];
                if (body.endsWith('\r'))
                    body.chop(1);
                if (body == ".") {
                    ended = true;
                    break;
                }
                wire += body + "\r\n";
            }
            if (!ended) {
                *error = QStringLiteral("line %1: DATA block has no closing line with a single dot").arg(i + 1);
                return {};
            }
            step.isData = true;
            step.message = decodeFromData(wire + ".\r\n");
            i = j;
        }
        steps.append(step);
    }
    return steps;
}

class SessionRunner : public QObject
{
public:
    SessionRunner(SessionOptions options, QList<Step> script, bool scripted, bool keepGoing, QString authMechanism,
                  QString user, QString secret, QString transcriptPath)
        : m_script(std::move(script)), m_scripted(scripted), m_keepGoing(keepGoing),
          m_authMechanism(std::move(authMechanism)), m_user(std::move(user)), m_secret(std::move(secret)),
          m_transcriptPath(std::move(transcriptPath))
    {
        m_session.setOptions(options);
        connect(&m_session, &SmtpSession::eventAdded, this, [this](int index) {
            out() << Transcript::formatEvent(m_session.transcript().events().at(index));
            out().flush();
        });
        connect(&m_session, &SmtpSession::replyReceived, this, &SessionRunner::onReply);
        connect(&m_session, &SmtpSession::idle, this, &SessionRunner::next);
        connect(&m_session, &SmtpSession::finished, this, &SessionRunner::onFinished);
    }

    void start()
    {
        m_session.connectToServer();
        if (!m_scripted) {
            m_stdin = new QSocketNotifier(0, QSocketNotifier::Read, this);
            connect(m_stdin, &QSocketNotifier::activated, this, &SessionRunner::readTyped);
        }
    }

    int exitCode() const { return m_exit; }
    void setFallbackHosts(const QStringList &hosts) { m_fallbackHosts = hosts; }

private:
    void onReply(const Reply &reply, const QString &context)
    {
        if (context == QLatin1String("CONNECT") && reply.code / 100 == 2)
            m_greeted = true;
        if (isExpected(context, reply.code) || context.isEmpty())
            return;
        if (context == QLatin1String("EHLO") && (reply.code == 500 || reply.code == 502))
            return; // the session falls back to HELO by itself
        if (m_exit == SessionOk)
            m_exit = exitFor(context);
        if (m_scripted && !m_keepGoing)
            m_stop = true;
    }

    // The next step once no reply is pending.
    void next()
    {
        const SessionState state = m_session.state();
        if (state == SessionState::Closing || state == SessionState::Closed || state == SessionState::TlsHandshake)
            return;
        if (!m_greeted)
            return;
        // A typed plain session leaves EHLO to the person; otherwise it is done for them,
        // unless the script begins with its own.
        const bool scriptGreets = m_scripted && m_position == 0 && !m_script.isEmpty()
            && (m_script.first().line.startsWith(QLatin1String("EHLO"), Qt::CaseInsensitive)
                || m_script.first().line.startsWith(QLatin1String("HELO"), Qt::CaseInsensitive));
        const bool autoEhlo = m_scripted || m_session.options().security != Security::Plain
            || !m_authMechanism.isEmpty();
        if (autoEhlo && !m_ehloSent) {
            m_ehloSent = true;
            if (scriptGreets) // the script's own EHLO (or HELO) opens, before STARTTLS and AUTH
                m_session.sendCommand(m_script.at(m_position++).line);
            else
                m_session.sendCommand(QStringLiteral("EHLO ") + m_session.options().ehloName);
            return;
        }
        if (!m_authMechanism.isEmpty() && !m_authSent && m_ehloSent) {
            if (m_session.options().security != Security::Plain && m_session.options().security != Security::StartTlsOpportunistic
                && !m_session.isEncrypted())
                return; // wait for the TLS upgrade and the second EHLO
            if (m_session.state() != SessionState::Ready)
                return;
            m_authSent = true;
            const bool sent = m_session.authenticate(m_authMechanism, m_user, m_secret);
            m_secret.fill(QLatin1Char('\0')); // not kept longer than needed
            m_secret.clear();
            if (!sent) {
                err() << "smtpwb session: AUTH was not sent. " << (m_session.isEncrypted()
                    ? QStringLiteral("See the error above.")
                    : QStringLiteral("The connection is not encrypted: add --starttls (or --tls on port 465), "
                                     "or --allow-plaintext-auth if sending the password in clear is what you want."))
                      << '\n';
                m_exit = SessionAuth;
                m_stop = true;
                m_quitSent = true;
                m_session.quit();
            }
            return;
        }
        if (!m_scripted) {
            sendTyped();
            return;
        }
        if (m_stop || m_position >= m_script.size()) {
            if (!m_quitSent) {
                m_quitSent = true;
                m_session.quit();
            }
            return;
        }
        const Step step = m_script.at(m_position++);
        if (step.isData) {
            m_session.sendMessage(step.message);
        } else if (step.line.trimmed().compare(QLatin1String("STARTTLS"), Qt::CaseInsensitive) == 0) {
            m_session.startTls();
        } else if (step.line.trimmed().toUpper() == QLatin1String("QUIT")) {
            m_quitSent = true;
            m_session.quit();
        } else {
            m_session.sendCommand(step.line);
        }
    }

    void readTyped()
    {
        char buffer[4096];
        const ssize_t n = ::read(0, buffer, sizeof buffer);
        if (n <= 0) {
            m_stdin->setEnabled(false);
            m_stdinDone = true;
        } else {
            m_typed.append(buffer, n);
            qsizetype lf;
            while ((lf = m_typed.indexOf('\n')) >= 0) {
                QByteArray line = m_typed.left(lf);
                m_typed.remove(0, lf + 1);
                if (line.endsWith('\r'))
                    line.chop(1);
                m_typedLines.append(QString::fromUtf8(line));
            }
        }
        if (m_session.pendingReplies() == 0)
            next();
    }

    // Typed lines go one at a time, each after the reply to the one before, once the
    // automatic steps (EHLO, STARTTLS, AUTH) are done; message lines after 354 go at once.
    void sendTyped()
    {
        while (!m_typedLines.isEmpty() && m_session.pendingReplies() == 0) {
            const SessionState state = m_session.state();
            if (state == SessionState::Closing || state == SessionState::Closed)
                return;
            const QString line = m_typedLines.takeFirst();
            if (line.trimmed().toUpper() == QLatin1String("QUIT"))
                m_quitSent = true;
            m_session.sendCommand(line);
        }
        if (m_stdinDone && m_typedLines.isEmpty() && !m_quitSent && m_session.pendingReplies() == 0) {
            m_quitSent = true;
            m_session.quit();
        }
    }

    void onFinished()
    {
        // RFC 5321 5.1: an MX host that cannot be reached, or does not greet, gives way to
        // the next one.
        if (!m_greeted && !m_fallbackHosts.isEmpty()) {
            SessionOptions options = m_session.options();
            options.host = m_fallbackHosts.takeFirst();
            out() << "=== " << m_session.lastError() << " Trying the next MX host, " << options.host << ".\n";
            m_session.setOptions(options);
            m_session.connectToServer();
            return;
        }
        if (m_exit == SessionOk && !m_session.lastError().isEmpty()) {
            const QString error = m_session.lastError();
            bool connected = false;
            for (const TranscriptEvent &e : m_session.transcript().events())
                connected = connected || e.kind == TranscriptEvent::Kind::Connected;
            if (!m_session.rejectedCertificate().isNull() || error.contains(QLatin1String("TLS")))
                m_exit = SessionTls;
            else if (!connected)
                m_exit = SessionConnect;
            else if (!m_greeted)
                m_exit = SessionGreeting;
            else
                m_exit = SessionOther;
        }
        if (m_exit == SessionOk && m_scripted && !m_quitSent)
            m_exit = SessionOther; // closed before the script was done
        if (!m_transcriptPath.isEmpty()) {
            QString error;
            if (m_session.transcript().save(m_transcriptPath, &error))
                err() << "smtpwb session: transcript saved to " << m_transcriptPath << '\n';
            else
                err() << "smtpwb session: " << error << '\n';
        }
        err().flush();
        out().flush();
        QCoreApplication::exit(m_exit);
    }

    SmtpSession m_session;
    QList<Step> m_script;
    bool m_scripted;
    bool m_keepGoing;
    QString m_authMechanism;
    QString m_user;
    QString m_secret;
    QString m_transcriptPath;
    QStringList m_fallbackHosts;
    QSocketNotifier *m_stdin = nullptr;
    QByteArray m_typed;
    QStringList m_typedLines;
    bool m_stdinDone = false;
    qsizetype m_position = 0;
    int m_exit = SessionOk;
    bool m_greeted = false;
    bool m_ehloSent = false;
    bool m_authSent = false;
    bool m_quitSent = false;
    bool m_stop = false;
};

} // namespace

int runSession(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "An annotated SMTP session: each reply printed with its one-line explanation.\n"
        "Interactive: type commands (a DATA block line by line, ending with a single dot).\n"
        "Scripted (--script): one command per line, '#' comments; after a DATA line the message\n"
        "follows as it goes on the wire (lines starting with a dot doubled), up to a line with a\n"
        "single dot. EHLO, STARTTLS (with --starttls) and AUTH (with --auth) are done for you.\n"
        "The password is read from SMTPWB_PASSWORD or asked without echo; never from the command line.\n\n")
        + QString::fromLatin1(kExitCodes));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("server"), QStringLiteral("HOST or HOST:PORT ([v6]:port for IPv6)."));
    const QCommandLineOption portOption(QStringLiteral("port"), QStringLiteral("Port (default 25; 465 with --tls)."), QStringLiteral("port"));
    const QCommandLineOption starttls(QStringLiteral("starttls"), QStringLiteral("Require STARTTLS: stop if it is missing or fails."));
    const QCommandLineOption starttlsOptional(QStringLiteral("starttls-optional"), QStringLiteral("Use STARTTLS when offered, else go on in plain text."));
    const QCommandLineOption tls(QStringLiteral("tls"), QStringLiteral("Implicit TLS from the first byte (port 465)."));
    const QCommandLineOption ehlo(QStringLiteral("ehlo"), QStringLiteral("The name to give in EHLO."), QStringLiteral("name"));
    const QCommandLineOption auth(QStringLiteral("auth"), QStringLiteral("Sign in with PLAIN, LOGIN, CRAM-MD5, XOAUTH2 or SCRAM-SHA-256."), QStringLiteral("mechanism"));
    const QCommandLineOption user(QStringLiteral("user"), QStringLiteral("The user name for --auth."), QStringLiteral("user"));
    const QCommandLineOption script(QStringLiteral("script"), QStringLiteral("Send the commands of this file ('-' for standard input)."), QStringLiteral("file"));
    const QCommandLineOption keepGoing(QStringLiteral("keep-going"), QStringLiteral("Do not stop at the first unexpected reply."));
    const QCommandLineOption transcript(QStringLiteral("transcript"), QStringLiteral("Save the transcript: .json, .html or text."), QStringLiteral("file"));
    const QCommandLineOption timeout(QStringLiteral("timeout"), QStringLiteral("Cap every wait at this many seconds."), QStringLiteral("seconds"));
    const QCommandLineOption ca(QStringLiteral("ca"), QStringLiteral("Trust the CA certificates in this PEM file."), QStringLiteral("file"));
    const QCommandLineOption cert(QStringLiteral("cert"), QStringLiteral("Present this client certificate (PEM) in TLS."), QStringLiteral("file"));
    const QCommandLineOption key(QStringLiteral("key"), QStringLiteral("The client certificate's private key (PEM, unencrypted); default: --cert's file."), QStringLiteral("file"));
    const QCommandLineOption insecure(QStringLiteral("insecure"), QStringLiteral("Go on past a certificate that does not verify (warned)."));
    const QCommandLineOption plaintextAuth(QStringLiteral("allow-plaintext-auth"), QStringLiteral("Send AUTH even over an unencrypted connection (refused otherwise, exit 7)."));
    const QCommandLineOption mx(QStringLiteral("mx"), QStringLiteral("The server is a mail domain: connect to its best MX host (RFC 5321 5.1)."));
    const QCommandLineOption nameserver(QStringLiteral("nameserver"), QStringLiteral("With --mx: ask this DNS server (an IP address) instead of the system's."),
                                        QStringLiteral("address"));
    const QCommandLineOption tlsName(QStringLiteral("tls-name"), QStringLiteral("The name to send (SNI) and verify, if not the host."), QStringLiteral("name"));
    parser.addOptions({portOption, starttls, starttlsOptional, tls, ehlo, auth, user, script, keepGoing, transcript,
                       timeout, ca, cert, key, insecure, plaintextAuth, tlsName, mx, nameserver});

    QStringList args = arguments;
    if (args.size() >= 2)
        args.removeAt(1);
    auto usage = [](const QString &message) {
        err() << "smtpwb session: " << message << "\nTry 'smtpwb session --help'.\n";
        err().flush();
        return int(SessionUsage);
    };
    if (!parser.parse(args))
        return usage(parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        out() << subcommandHelp(parser, QStringLiteral("session"));
        out().flush();
        return SessionOk;
    }
    if (parser.positionalArguments().size() != 1)
        return usage(QStringLiteral("give one server: HOST or HOST:PORT"));

    SessionOptions options;
    QString server;
    int port = -1;
    if (!parseHostPort(parser.positionalArguments().first(), &server, &port))
        return usage(QStringLiteral("give the server as HOST, HOST:PORT or [IPv6]:PORT"));
    if (parser.isSet(portOption))
        port = parser.value(portOption).toInt();
    options.host = server;
    if (int(parser.isSet(starttls)) + int(parser.isSet(starttlsOptional)) + int(parser.isSet(tls)) > 1)
        return usage(QStringLiteral("choose one of --starttls, --starttls-optional, --tls"));
    options.security = parser.isSet(tls) ? Security::ImplicitTls
                     : parser.isSet(starttls) ? Security::StartTlsRequired
                     : parser.isSet(starttlsOptional) ? Security::StartTlsOpportunistic
                                                      : Security::Plain;
    if (port == 0 || port > 65535)
        return usage(QStringLiteral("the port must be 1 to 65535"));
    options.port = quint16(port > 0 ? port : (options.security == Security::ImplicitTls ? 465 : 25));
    options.ehloName = parser.value(ehlo);
    options.tlsServerName = parser.value(tlsName);
    options.caFile = parser.value(ca);
    options.clientCertificateFile = parser.value(cert);
    options.clientKeyFile = parser.value(key);
    options.insecure = parser.isSet(insecure);
    options.allowPlaintextAuth = parser.isSet(plaintextAuth);
    if (parser.isSet(timeout)) {
        bool ok = false;
        const int seconds = parser.value(timeout).toInt(&ok);
        if (!ok || seconds <= 0)
            return usage(QStringLiteral("--timeout takes a whole number of seconds"));
        options.timeouts.capAt(seconds);
    }

    QString mechanism, userName, secret;
    if (parser.isSet(auth)) {
        mechanism = parser.value(auth).toUpper();
        if (!SaslClient::supportedMechanisms().contains(mechanism))
            return usage(QStringLiteral("--auth takes one of ") + SaslClient::supportedMechanisms().join(QStringLiteral(", ")));
        if (!parser.isSet(user))
            return usage(QStringLiteral("--auth needs --user"));
        userName = parser.value(user);
        QString error;
        secret = readPassword(userName, &error);
        if (!error.isEmpty())
            return usage(error);
    }

    QList<Step> steps;
    const bool scripted = parser.isSet(script);
    if (scripted) {
        QFile file;
        const QString path = parser.value(script);
        const bool opened = path == QLatin1String("-") ? file.open(stdin, QIODevice::ReadOnly)
                                                       : (file.setFileName(path), file.open(QIODevice::ReadOnly));
        if (!opened)
            return usage(QStringLiteral("cannot read the script %1: %2").arg(path, file.errorString()));
        QString error;
        steps = parseScript(file.readAll(), &error);
        if (!error.isEmpty())
            return usage(QStringLiteral("script %1: %2").arg(path, error));
    }

    QStringList fallbackHosts; // the next MX hosts, tried in order when one cannot be reached
    if (parser.isSet(mx)) {
        MxResolver resolver;
        if (parser.isSet(nameserver)) {
            const QHostAddress address(parser.value(nameserver));
            if (address.isNull())
                return usage(QStringLiteral("--nameserver takes an IP address"));
            resolver.setNameserver(address);
        }
        QList<MxHost> hosts;
        QString error;
        QEventLoop loop;
        QObject::connect(&resolver, &MxResolver::finished, &loop, [&](const QList<MxHost> &found, const QString &why) {
            hosts = found;
            error = why;
            loop.quit();
        });
        resolver.lookup(options.host);
        loop.exec();
        if (hosts.isEmpty()) {
            err() << "smtpwb session: " << error << '\n';
            err().flush();
            return SessionConnect;
        }
        for (const MxHost &h : hosts)
            out() << "MX of " << options.host << ": " << h.host
                  << (h.implicit ? QStringLiteral(" (no MX record: the domain itself)") : QStringLiteral(" (preference %1)").arg(h.preference))
                  << '\n';
        for (const MxHost &h : hosts)
            fallbackHosts.append(h.host);
        options.host = fallbackHosts.takeFirst();
    }

    SessionRunner runner(options, steps, scripted, parser.isSet(keepGoing), mechanism, userName, secret,
                         parser.value(transcript));
    runner.setFallbackHosts(fallbackHosts);
    secret.fill(QLatin1Char('\0'));
    runner.start();
    return QCoreApplication::exec();
}

} // namespace smtp::cli
