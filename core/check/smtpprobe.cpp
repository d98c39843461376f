#include "smtpprobe.h"

#include "protocol/untrustedtext.h"

#include <QSslCipher>

namespace smtp {

SmtpProbe::SmtpProbe(int timeoutMs)
    : m_timeoutMs(timeoutMs), m_socket(std::make_unique<QSslSocket>())
{
    // Called inside waitForEncrypted() on this thread: note the problems, finish the
    // handshake, and let the check judge them.
    QObject::connect(m_socket.get(), &QSslSocket::sslErrors, m_socket.get(),
                     [this](const QList<QSslError> &errors) {
                         m_sslErrors = errors;
                         m_socket->ignoreSslErrors();
                     }, Qt::DirectConnection);
}

bool SmtpProbe::fail(const QString &message)
{
    m_error = message;
    return false;
}

bool SmtpProbe::open(const QHostAddress &address, quint16 port)
{
    QElapsedTimer clock;
    clock.start();
    m_socket->connectToHost(address, port);
    if (!m_socket->waitForConnected(m_timeoutMs))
        return fail(QStringLiteral("cannot connect to %1 port %2: %3")
                        .arg(address.toString()).arg(port).arg(m_socket->errorString()));
    m_connectMs = clock.restart();
    const std::optional<Reply> greeting = read();
    if (!greeting)
        return fail(QStringLiteral("no greeting: %1").arg(m_error));
    m_greetingMs = clock.elapsed();
    m_greeting = *greeting;
    return true;
}

void SmtpProbe::send(const QByteArray &bytes)
{
    m_socket->write(bytes);
    m_socket->waitForBytesWritten(m_timeoutMs);
}

std::optional<Reply> SmtpProbe::read(int waitMs)
{
    QElapsedTimer clock;
    clock.start();
    const int budget = waitMs < 0 ? m_timeoutMs : waitMs;
    while (m_pending.isEmpty()) {
        if (m_parser.hasError()) {
            fail(m_parser.errorString());
            return std::nullopt;
        }
        const int left = budget - int(clock.elapsed());
        if (m_socket->bytesAvailable() == 0) {
            if (m_socket->state() != QAbstractSocket::ConnectedState) {
                fail(QStringLiteral("the server closed the connection"));
                return std::nullopt;
            }
            if (left <= 0 || !m_socket->waitForReadyRead(left)) {
                fail(m_socket->state() == QAbstractSocket::ConnectedState
                         ? QStringLiteral("no reply within %1 ms").arg(budget)
                         : QStringLiteral("the server closed the connection"));
                return std::nullopt;
            }
        }
        m_parser.feed(m_socket->readAll());
        m_pending.append(m_parser.takeReplies());
    }
    return m_pending.takeFirst();
}

std::optional<Reply> SmtpProbe::command(const QByteArray &line)
{
    send(line + "\r\n");
    return read();
}

std::optional<Reply> SmtpProbe::ehlo(const QString &name)
{
    std::optional<Reply> reply = command("EHLO " + name.toLatin1());
    if (reply && reply->code >= 500 && reply->code < 600)
        reply = command("HELO " + name.toLatin1());
    return reply;
}

bool SmtpProbe::startTls(const QString &peerName, const QList<QSslCertificate> &extraCas,
                         QSsl::SslProtocol protocol)
{
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setProtocol(protocol);
    config.setPeerVerifyMode(QSslSocket::VerifyPeer);
    if (!extraCas.isEmpty())
        config.setCaCertificates(config.caCertificates() + extraCas);
    m_socket->setSslConfiguration(config);
    m_socket->setPeerVerifyName(peerName);
    m_sslErrors.clear();
    m_parser.feed(m_socket->readAll());
    m_discardedBeforeTls = int(m_pending.size() + m_parser.takeReplies().size())
        + (m_parser.isInsideReply() ? 1 : 0);
    m_pending.clear();
    m_parser.reset();
    m_socket->startClientEncryption();
    if (!m_socket->waitForEncrypted(m_timeoutMs))
        return fail(QStringLiteral("TLS handshake failed: %1").arg(m_socket->errorString()));
    return true;
}

TlsInfo SmtpProbe::tlsInfo() const
{
    TlsInfo info;
    const QSslCipher cipher = m_socket->sessionCipher();
    info.protocol = cipher.protocolString();
    info.cipher = cipher.name();
    info.cipherBits = cipher.usedBits();
    info.serverName = m_socket->peerVerifyName();
    info.chain = m_socket->peerCertificateChain();
    info.errors = m_sslErrors;
    return info;
}

void SmtpProbe::close()
{
    if (isOpen()) {
        m_socket->write("QUIT\r\n");
        m_socket->waitForBytesWritten(200);
    }
    m_socket->abort();
}

} // namespace smtp
