#pragma once
// A live SMTP client session a person (or a script) steers one command at a time: the
// socket and TLS, replies matched to their commands (pipelining too), the state, SASL,
// DATA and BDAT, timeouts, and the transcript. Never shows a widget: certificate problems
// end the session with what failed; the front end may reconnect trusting that certificate.

#include "capabilities.h"
#include "protocol/command.h"
#include "knowledge/explainer.h"
#include "protocol/replyparser.h"
#include "saslclient.h"
#include "sessionoptions.h"
#include "sessionstate.h"
#include "tlsinfo.h"
#include "transcript.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QSslSocket>
#include <QTimer>

namespace smtp {

class SmtpSession : public QObject
{
    Q_OBJECT
public:
    explicit SmtpSession(QObject *parent = nullptr);
    ~SmtpSession() override;

    void setOptions(const SessionOptions &options) { m_options = options; }
    const SessionOptions &options() const { return m_options; }

    void connectToServer();
    // Any line, as typed. Out-of-sequence or malformed lines are sent with a warning.
    void sendCommand(const QString &line);
    // Several commands in one write (RFC 2920); replies are matched in order.
    void sendPipelined(const QStringList &lines);
    void startTls();
    // False when nothing was sent: an unknown mechanism, or credentials that would go over an
    // unencrypted connection without allowPlaintextAuth (the reason is in the transcript).
    bool authenticate(const QString &mechanism, const QString &user, const QString &secret);
    // DATA, then on 354 the message with CRLF line ends and dot-stuffing, then ".".
    void sendMessage(const QByteArray &message);
    // The message alone, when DATA was typed by hand and 354 came back.
    void sendMessageBody(const QByteArray &message);
    void sendBdat(const QByteArray &chunk, bool last);
    void quit();
    // Cancel now: the connection is dropped, the transcript kept.
    void abort(const QString &reason = QString());
    // Leave politely, at once: QUIT when the dialogue allows one (no reply pending, not in
    // the middle of a message), then the connection is dropped, the transcript kept.
    void closeNow(const QString &reason);

    SessionState state() const { return m_state; }
    const Capabilities &capabilities() const { return m_capabilities; }
    const Transcript &transcript() const { return m_transcript; }
    bool isEncrypted() const;
    bool isAuthenticated() const { return m_authenticated; }
    // True when this typed line carries credentials: AUTH, or an answer inside its
    // exchange. Such lines stay out of any history.
    bool carriesCredentials(const QString &line) const;
    // The same, over an unencrypted connection: a front end asks before allowing it.
    bool wouldSendCredentialsInClear(const QString &line) const { return !isEncrypted() && carriesCredentials(line); }
    // The user agreed: AUTH may go in clear for the rest of this session.
    void allowPlaintextAuth() { m_options.allowPlaintextAuth = true; }
    const TlsInfo &tlsInfo() const { return m_tlsInfo; }
    // The certificate the session stopped at, so a front end can offer to trust it.
    QSslCertificate rejectedCertificate() const { return m_rejectedCertificate; }
    int pendingReplies() const { return int(m_pending.size()); }
    QStringList expectedVerbs() const;
    // The last error message, empty if none.
    QString lastError() const { return m_lastError; }

signals:
    void stateChanged(smtp::SessionState state);
    void eventAdded(int index);
    void replyReceived(const smtp::Reply &reply, const QString &context);
    void tlsEstablished();
    void tlsFailed(const QString &what);
    void idle();      // no reply pending any more
    void finished();  // the connection is closed

private:
    void warnOfMaskedStartTls();
    void warnOfLongLines(const QByteArray &wire);
    struct Pending
    {
        QString display;    // the line as the transcript shows it
        QString context;    // CONNECT, EHLO, RCPT, DATA_END, ...
        int timeoutSeconds = 300;
        bool bdatLast = false;
        QElapsedTimer sent;
    };

    void onConnected();
    void onEncrypted();
    void onReadyRead();
    void onDisconnected();
    void onSocketError(QAbstractSocket::SocketError error);
    void onSslErrors(const QList<QSslError> &errors);
    void onTimeout();

    void handleReply(const Reply &reply, bool moreInBuffer);
    void continueAuth(const Reply &reply);
    void write(const QByteArray &bytes, const QString &display, const QString &context, int timeoutSeconds,
               bool bdatLast = false);
    void armTimer();
    void setState(SessionState state);
    void addEvent(TranscriptEvent::Kind kind, const QString &text, const QString &context = QString());
    void expectGreeting();
    bool isInAuthExchange() const;
    bool refusePlaintextAuth();     // true (and said why) when AUTH must not go in clear
    void noteCredentialsInClear();
    static QString describePending(const Pending &pending);   // "the greeting", "\"RCPT TO:<x>\""
    void fail(const QString &message);
    void closeNow();
    static QString redact(const Command &command);
    int timeoutFor(const QString &context) const;

    SessionOptions m_options;
    QPointer<QSslSocket> m_socket;
    ReplyParser m_parser;
    Explainer m_explainer;
    Transcript m_transcript;
    Capabilities m_capabilities;
    SessionState m_state = SessionState::Disconnected;
    QList<Pending> m_pending;
    SessionState stateAfterPending() const;
    QTimer m_timer;
    std::unique_ptr<SaslClient> m_sasl;
    QByteArray m_messageForData;   // sent when the 354 comes
    bool m_hasMessageForData = false;
    bool m_authenticated = false;
    bool m_disconnecting = false;
    int m_repliesThisConnection = 0;
    SessionState m_stateBeforeAuth = SessionState::Ready;
    TlsInfo m_tlsInfo;
    QSslCertificate m_rejectedCertificate;
    QString m_lastError;
};

} // namespace smtp
