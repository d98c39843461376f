#pragma once
// One client of the practice server: reads its lines, keeps the SMTP state, and answers
// by the scenario's rules, in order, delays by timers. Owned by LabServer.

#include "labmessage.h"
#include "labscenario.h"

#include <QObject>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTimer>
#include <optional>

class QIODevice;
class QSslSocket;

namespace smtp {

class LabGreylist;
class LabProgress;
struct Command;

class LabSession : public QObject
{
    Q_OBJECT
public:
    LabSession(QSslSocket *socket, const LabScenario &scenario, LabGreylist *greylist, bool tlsAvailable,
               QObject *parent = nullptr);
    // Without a socket, for tests and fuzzing: reads the client's bytes from `wire` and
    // writes replies to it (not owned), at once (no scenario delay waits), without TLS.
    LabSession(QIODevice *wire, const LabScenario &scenario, LabGreylist *greylist, QObject *parent = nullptr);

    QString peer() const { return m_peer; }
    QString ip() const { return m_ip; }
    // Sends the greeting (after the scenario's delay) and starts reading.
    void start();
    // Drops the connection at once (the server is stopping).
    void abort();
    // Reads what the wire holds now (a socket's readyRead calls it).
    void readAvailable();
    // The faults and the rate of this connection, changed while it runs (the practice
    // panel, the lab's --chaos); the dice go on where they were.
    void setFaults(const QList<LabFault> &faults, int bytesPerSecond);
    // Connection `number` of a run with `seed` rolls the same dice every run; seed 0: random.
    void seedFaults(quint32 seed, quint32 number);
    // Where the goals reached are counted (the server's); none: no exercises.
    void setProgress(LabProgress *progress) { m_progress = progress; }
    // Whether each line sent and received is reported (logLine); notes always are.
    void setLineLogging(bool on) { m_logging = on; }

signals:
    void messageAccepted(const smtp::LabMessage &message);
    void logLine(const QString &line);
    void finished();

private:
    enum class Mode { Command, Data, Bdat, AuthPlain, AuthLoginUser, AuthLoginPassword, Closing };
    enum class After { Nothing, Close, StartTls };
    struct Pending
    {
        int code = 0;
        QString enhanced;
        QString text;
    };

    void processInput();
    bool fillBuffer();
    void handleLine(QByteArray line);
    void handleDataLine(const QByteArray &line, bool complete, bool crlf);
    bool endsData(const QByteArray &line, bool complete, bool crlf) const;
    void handleCommand(const QByteArray &line);
    void handleAuthResponse(const QByteArray &line);

    void ehlo(const Command &c);
    void startTls(const Command &c);
    void auth(const Command &c);
    void mail(const Command &c);
    void rcpt(const Command &c);
    void data(const Command &c);
    void bdat(const Command &c);
    void finishChunk();
    void finishMessage();
    void checkPlain(const QByteArray &base64);
    void checkLogin(const QString &user, const QString &password);
    bool checkPathSyntax(const Command &c);

    // A reply in the scenario's style; a matched rule may replace it (see m_override).
    void reply(int code, const QString &enhanced, const QString &text, After after = After::Nothing);
    void error(int code, const QString &enhanced, const QString &text);
    const LabRule *findRule(const QString &command, const QStringList &subjects) const;
    // Sends a rule's reply when it refuses (code 4xx/5xx); otherwise keeps it to replace
    // the next normal reply. Returns true when the command is refused.
    bool applyRule(const QString &command, const QStringList &subjects);
    void sendRule(const LabRule &rule, int extraDelayMs);
    // True when a fault answered (or dropped) the command at `stage`; a delay is kept for
    // the stage's normal reply.
    bool injectFault(const QString &stage);
    void send(const QByteArray &bytes, int delayMs, After after);
    void write(const QByteArray &bytes, After after);
    void afterWrite(After after);
    void trickle();
    void log(QChar who, const QByteArray &line);
    void resetTransaction();
    void resetSession();
    void onEncrypted();
    void onDisconnected();
    void onIdle();

    void setUp();
    void checkGoals(const LabMessage *delivery = nullptr);
    bool outputBlocked() const;
    int linesWaiting(int atMost) const;

    QSslSocket *m_socket = nullptr;   // null without a socket
    QIODevice *m_wire = nullptr;      // what is read and written: the socket, or the test's device
    LabScenario m_scenario;
    QList<QRegularExpression> m_ruleMatchers;
    // Seeding a generator costs as much as the rest of a connection's set-up: it is made
    // on the first fault roll, from m_diceSeed (none: from the system's generator).
    std::optional<QRandomGenerator> m_dice;
    std::optional<quint32> m_diceSeed;
    QRandomGenerator &dice();
    int m_faultDelayMs = 0;       // for the reply now being made
    QByteArray m_slowOut;         // bytes still to trickle out under bytesPerSecond
    After m_slowAfter = After::Nothing;
    QTimer m_trickle;
    LabProgress *m_progress = nullptr;
    bool m_logging = true;
    LabFacts m_facts;
    LabGreylist *m_greylist;
    bool m_tlsAvailable;
    bool m_immediate = false;   // replies go out at once (no socket: nothing to wait for)
    QString m_peer;
    QString m_ip;
    QTimer m_idle;

    QByteArray m_buffer;
    qsizetype m_pos = 0;
    Mode m_mode = Mode::Command;
    bool m_paused = false;
    bool m_finished = false;
    const LabRule *m_override = nullptr;

    // Session state
    bool m_greeted = false;
    bool m_commandSeen = false;   // until then the idle timer is the short first-command one
    bool m_esmtp = false;
    QString m_helo;
    bool m_tls = false;
    QString m_user;
    QString m_loginUser;
    int m_errors = 0;
    int m_commands = 0;
    int m_messages = 0;

    // Transaction state
    bool m_mailSeen = false;
    QString m_sender;
    QStringList m_recipients;
    QByteArray m_data;
    qint64 m_dataSize = 0;
    bool m_midLine = false;
    bool m_afterCrlf = true;      // the line before ended with CR LF (DATA's own counts)
    QStringList m_mailParameters;
    QStringList m_rcptParameters;
    bool m_pipelined = false;     // this transaction's MAIL came with RCPT and more in one write
    int m_dataLines = 0;
    qint64 m_lineLength = 0;      // of the DATA line being read, across pieces
    QList<int> m_bareLfLines;
    int m_bareLfCount = 0;
    qint64 m_longestLine = 0;
    bool m_bdatStarted = false;
    qint64 m_bdatRemaining = 0;
    bool m_bdatLast = false;
    std::optional<Pending> m_bdatError;
};

} // namespace smtp
