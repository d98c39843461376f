#include "labserver.h"

#include "labcertificate.h"
#include "labsession.h"

#include <QMetaMethod>
#include <QSslSocket>

namespace smtp {

LabServer::LabServer(QObject *parent)
    : QObject(parent)
{
    connect(&m_tcp, &QTcpServer::newConnection, this, &LabServer::onNewConnection);
    connect(&m_progress, &LabProgress::goalReached, this, &LabServer::goalReached);
}

LabServer::~LabServer()
{
    // Sessions die with us; their last signals must not reach a half-destroyed server.
    for (LabSession *session : std::as_const(m_sessions))
        session->disconnect(this);
}

bool LabServer::start(const LabScenario &scenario, quint16 port, const QHostAddress &address)
{
    stop();
    m_error.clear();
    m_scenario = scenario;
    m_connections = 0;
    m_greylist.clear();
    m_greylist.setDelaySeconds(scenario.greylistSeconds);
    m_progress.setGoals(scenario.goals);
    m_tlsAvailable = QSslSocket::supportsSsl() && !LabCertificate::certificate().isNull()
        && !LabCertificate::privateKey().isNull();
    m_tcp.setMaxPendingConnections(scenario.maxClients);
    // A whole class connecting at once (or a load generator) must not meet a full kernel
    // queue: those it refuses wait for SYN retries, seconds each.
    m_tcp.setListenBacklogSize(256);
    if (!m_tcp.listen(address, port)) {
        m_error = QStringLiteral("cannot listen on %1 port %2: %3").arg(address.toString()).arg(port).arg(m_tcp.errorString());
        return false;
    }
    return true;
}

void LabServer::stop()
{
    m_tcp.close();
    const QList<LabSession *> sessions = m_sessions;
    for (LabSession *session : sessions)
        session->abort();   // each emits finished, which removes it
}

void LabServer::setFaults(const QList<LabFault> &faults, quint32 seed, int bytesPerSecond)
{
    m_scenario.faults = faults;
    m_scenario.bytesPerSecond = bytesPerSecond;
    if (seed != m_scenario.seed)
        m_connections = 0; // a new seed starts a new run
    m_scenario.seed = seed;
    for (LabSession *session : std::as_const(m_sessions))
        session->setFaults(faults, bytesPerSecond);
    emit logLine(QStringLiteral("-- faults now: %1%2%3")
                     .arg(faults.isEmpty() ? QStringLiteral("none") : faultsSpec(faults),
                          seed ? QStringLiteral(", seed %1").arg(seed) : QString(),
                          bytesPerSecond ? QStringLiteral(", %1 bytes/s").arg(bytesPerSecond) : QString()));
}

void LabServer::onNewConnection()
{
    while (QTcpSocket *plain = m_tcp.nextPendingConnection()) {
        auto *socket = qobject_cast<QSslSocket *>(plain);
        if (!socket || m_sessions.size() >= m_scenario.maxClients) {
            // RFC 5321 3.1: a server that cannot serve says 421 and closes.
            emit logLine(QStringLiteral("%1:%2 -- refused: %3 clients already")
                             .arg(plain->peerAddress().toString()).arg(plain->peerPort()).arg(m_sessions.size()));
            plain->write("421 4.7.0 Too many connections to the practice server, try again later\r\n");
            connect(plain, &QTcpSocket::disconnected, plain, &QObject::deleteLater);
            plain->disconnectFromHost();
            continue;
        }
        QHostAddress from = socket->peerAddress();
        bool mapped = false;
        if (const QHostAddress v4(from.toIPv4Address(&mapped)); mapped)
            from = v4;
        const QString ip = from.toString();
        const auto sameAddress = std::count_if(m_sessions.begin(), m_sessions.end(),
                                               [&](const LabSession *s) { return s->ip() == ip; });
        if (sameAddress >= m_scenario.maxClientsPerAddress) {
            // One machine (a stuck script, a student's loop) must not take every place.
            emit logLine(QStringLiteral("%1:%2 -- refused: %3 connections from this address already")
                             .arg(ip).arg(socket->peerPort()).arg(sameAddress));
            socket->write("421 4.7.0 Too many connections from your address to the practice server, try again later\r\n");
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            socket->disconnectFromHost();
            continue;
        }
        auto *session = new LabSession(socket, m_scenario, &m_greylist, m_tlsAvailable, this);
        session->seedFaults(m_scenario.seed, ++m_connections);
        session->setProgress(&m_progress);
        session->setLineLogging(isSignalConnected(QMetaMethod::fromSignal(&LabServer::logLine)));
        m_sessions.append(session);
        const QString peer = session->peer();
        connect(session, &LabSession::logLine, this, &LabServer::logLine);
        connect(session, &LabSession::messageAccepted, this, [this](const LabMessage &message) {
            // The oldest go first: the last 1000 messages, 256 MB at most, are kept.
            m_messages.append(message);
            m_storedBytes += message.data.size();
            while (m_messages.size() > kMaxStoredMessages || m_storedBytes > kMaxStoredBytes) {
                m_storedBytes -= m_messages.first().data.size();
                m_messages.removeFirst();
            }
            emit messageAccepted(message);
        });
        connect(session, &LabSession::finished, this, [this, session, peer] {
            m_sessions.removeOne(session);
            session->deleteLater();
            emit clientDisconnected(peer);
        });
        emit clientConnected(peer);
        session->start();
    }
}

} // namespace smtp
