#pragma once
// A scripted SMTP server for the session tests, on 127.0.0.1: "S: text" is sent with CRLF
// ("\r\n" inside the text is sent as is, so several lines can share one write),
// "S~ text" is sent without a line end, "C: text" waits for that client line (a trailing
// '*' matches any rest), "TLS" starts server-side TLS, "TLS-CLIENT" the same but asking
// for the test client certificate (its subject lands in clientCertificateName), "CLOSE" closes, "RESET" aborts
// (a TCP reset), "SILENT" stops answering.

#include <QFile>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslSocket>
#include <QStringList>
#include <QTcpServer>

class FakeServer : public QTcpServer
{
public:
    explicit FakeServer(QStringList script) : m_script(std::move(script)) { listen(QHostAddress::LocalHost, 0); }

    QStringList clientLines;   // every line the client sent, in order
    QString mismatch;          // the first C: line that did not match
    QByteArray clientBytes;    // everything the client sent (decrypted)
    QString clientCertificateName;
    bool finished() const
    {
        return m_position >= m_script.size() || m_script.at(m_position) == QLatin1String("SILENT");
    }

    static QString dataDir() { return QStringLiteral(SMTPWB_TEST_DATA); }

protected:
    void incomingConnection(qintptr descriptor) override
    {
        m_socket = new QSslSocket(this);
        m_socket->setSocketDescriptor(descriptor);
        QFile certFile(dataDir() + QStringLiteral("/tls/server.pem"));
        QFile keyFile(dataDir() + QStringLiteral("/tls/server.key"));
        certFile.open(QIODevice::ReadOnly);
        keyFile.open(QIODevice::ReadOnly);
        m_socket->setLocalCertificate(QSslCertificate(certFile.readAll()));
        m_socket->setPrivateKey(QSslKey(keyFile.readAll(), QSsl::Rsa));
        connect(m_socket, &QSslSocket::readyRead, this, [this] {
            const QByteArray bytes = m_socket->readAll();
            clientBytes += bytes;
            m_buffer += bytes;
            run();
        });
        connect(m_socket, &QSslSocket::encrypted, this, [this] {
            const QSslCertificate peer = m_socket->peerCertificate();
            if (!peer.isNull())
                clientCertificateName = peer.subjectInfo(QSslCertificate::CommonName).value(0);
            run();
        });
        run();
    }

private:
    void run()
    {
        while (m_socket && m_position < m_script.size()) {
            const QString step = m_script.at(m_position);
            if (step.startsWith(QLatin1String("S: ")) || step.startsWith(QLatin1String("S~ "))) {
                QString text = step.mid(3);
                text.replace(QLatin1String("\\r\\n"), QLatin1String("\r\n"));
                QByteArray bytes = text.toUtf8();
                if (step.startsWith(QLatin1String("S: ")))
                    bytes += "\r\n";
                m_socket->write(bytes);
                m_socket->flush();
            } else if (step.startsWith(QLatin1String("C: "))) {
                const qsizetype lf = m_buffer.indexOf("\r\n");
                if (lf < 0)
                    return; // wait for more
                const QString line = QString::fromUtf8(m_buffer.left(lf));
                m_buffer.remove(0, lf + 2);
                clientLines.append(line);
                QString expected = step.mid(3);
                const bool matches = expected.endsWith(QLatin1Char('*'))
                    ? line.startsWith(expected.chopped(1)) : line == expected;
                if (!matches && mismatch.isEmpty())
                    mismatch = QStringLiteral("expected \"%1\", got \"%2\"").arg(expected, line);
            } else if (step == QLatin1String("TLS-CLIENT")) {
                m_socket->setPeerVerifyMode(QSslSocket::VerifyPeer);
                QSslConfiguration config = m_socket->sslConfiguration();
                config.setCaCertificates(QSslCertificate::fromPath(dataDir() + QStringLiteral("/tls/client.pem")));
                m_socket->setSslConfiguration(config);
                ++m_position;
                m_buffer.clear();
                m_socket->startServerEncryption();
                return;
            } else if (step == QLatin1String("TLS")) {
                ++m_position;
                m_buffer.clear();
                m_socket->startServerEncryption();
                return; // go on once encrypted
            } else if (step == QLatin1String("CLOSE")) {
                m_socket->disconnectFromHost();
            } else if (step == QLatin1String("RESET")) {
                m_socket->abort();
            } else if (step == QLatin1String("SILENT")) {
                return;
            }
            ++m_position;
        }
    }

    QStringList m_script;
    qsizetype m_position = 0;
    QSslSocket *m_socket = nullptr;
    QByteArray m_buffer;
};
