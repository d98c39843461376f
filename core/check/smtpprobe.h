#pragma once
// A blocking SMTP client for the server checks: one connection, each step waits for its
// answer within a deadline. Checks run on worker threads, so waiting is their simplest form;
// the interactive session (core/session) is the asynchronous one.

#include "protocol/reply.h"
#include "protocol/replyparser.h"
#include "session/tlsinfo.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QList>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QString>
#include <memory>
#include <optional>

namespace smtp {

class SmtpProbe
{
public:
    explicit SmtpProbe(int timeoutMs);

    // Connects and reads the greeting; false with error() set when either fails.
    bool open(const QHostAddress &address, quint16 port);
    qint64 connectMs() const { return m_connectMs; }
    qint64 greetingMs() const { return m_greetingMs; }
    const Reply &greeting() const { return m_greeting; }

    void send(const QByteArray &bytes);
    // The next reply within waitMs (the probe's timeout when negative); nullopt on timeout,
    // closed connection or a reply past the parser's limits (error() says which).
    std::optional<Reply> read(int waitMs = -1);
    // Sends the line with CRLF and reads its reply.
    std::optional<Reply> command(const QByteArray &line);
    // EHLO, and HELO when EHLO is refused.
    std::optional<Reply> ehlo(const QString &name);

    // TLS on the open connection (after a 220 to STARTTLS), verifying the chain against the
    // system's CAs plus `extraCas` and the name `peerName`. The handshake completes even when
    // verification fails, so the chain can be inspected: tlsInfo().errors says what failed.
    bool startTls(const QString &peerName, const QList<QSslCertificate> &extraCas,
                  QSsl::SslProtocol protocol = QSsl::SecureProtocols);
    TlsInfo tlsInfo() const;
    bool isEncrypted() const { return m_socket->isEncrypted(); }
    // Replies the server had sent beyond the 220 to STARTTLS, thrown away unread at the
    // handshake as RFC 3207 4.2 asks: a server (or a man in the middle) injecting answers.
    int discardedBeforeTls() const { return m_discardedBeforeTls; }

    QString error() const { return m_error; }
    bool isOpen() const { return m_socket->state() == QAbstractSocket::ConnectedState; }
    void close();

private:
    bool fail(const QString &message);

    int m_timeoutMs;
    std::unique_ptr<QSslSocket> m_socket;
    ReplyParser m_parser;
    QList<Reply> m_pending;
    QList<QSslError> m_sslErrors;
    Reply m_greeting;
    qint64 m_connectMs = 0, m_greetingMs = 0;
    int m_discardedBeforeTls = 0;
    QString m_error;
};

} // namespace smtp
