#pragma once
// The embedded practice SMTP server: listens (127.0.0.1 by default), plays one scenario
// for every client, keeps the mail it accepts in memory, and reports every line.

#include "labgoals.h"
#include "labgreylist.h"
#include "labmessage.h"
#include "labscenario.h"
#include "labtcpserver.h"

#include <QHostAddress>
#include <QList>
#include <QObject>

namespace smtp {

class LabSession;

class LabServer : public QObject
{
    Q_OBJECT
public:
    // Bounds on what is kept, so a class can leave it running all day.
    static constexpr int kMaxStoredMessages = 1000;
    static constexpr qint64 kMaxStoredBytes = 256 * 1024 * 1024;

    explicit LabServer(QObject *parent = nullptr);
    ~LabServer() override;

    // Port 0 picks any free port; port() tells which. Restarts if already running.
    bool start(const LabScenario &scenario, quint16 port = 0,
               const QHostAddress &address = QHostAddress::LocalHost);
    void stop();
    bool isListening() const { return m_tcp.isListening(); }
    quint16 port() const { return m_tcp.serverPort(); }
    QHostAddress address() const { return m_tcp.serverAddress(); }
    QString errorString() const { return m_error; }
    const LabScenario &scenario() const { return m_scenario; }
    // False when Qt has no TLS backend: STARTTLS is then not offered.
    bool isTlsAvailable() const { return m_tlsAvailable; }
    int clientCount() const { return int(m_sessions.size()); }
    // Faults and rate for the connections to come and those open now (labfaults.h); the
    // seed counts connections from the start of the run.
    void setFaults(const QList<LabFault> &faults, quint32 seed, int bytesPerSecond);

    // The scenario's goals and who reached which, per client address, since start().
    const LabProgress &progress() const { return m_progress; }

    QList<LabMessage> messages() const { return m_messages; }
    void clearMessages()
    {
        m_messages.clear();
        m_storedBytes = 0;
    }

signals:
    void messageAccepted(const smtp::LabMessage &message);
    void goalReached(const QString &ip, const QString &goalId, const QString &title);
    void clientConnected(const QString &peer);
    void clientDisconnected(const QString &peer);
    // "127.0.0.1:52344 C: EHLO x" / "... S: 250 ..." / "... -- note"
    void logLine(const QString &line);

private:
    void onNewConnection();

    LabTcpServer m_tcp;
    LabScenario m_scenario;
    LabGreylist m_greylist;
    LabProgress m_progress;
    bool m_tlsAvailable = false;
    QList<LabSession *> m_sessions;
    quint32 m_connections = 0;   // since start(): numbers each connection for the seed
    QList<LabMessage> m_messages;
    qint64 m_storedBytes = 0;
    QString m_error;
};

} // namespace smtp
