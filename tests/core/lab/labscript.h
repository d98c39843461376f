#pragma once
// A tiny script runner for the lab tests: "C: line" is sent (consecutive C: lines go in
// one write, i.e. pipelined), "R: bytes" is sent without CRLF, "S: code [x.y.z] [!violation]
// [text]" expects the next reply, "S: closed" expects the server to hang up, "T: starttls"
// upgrades to TLS trusting only the lab's certificate, "W: ms" lets time pass.

#include "lab/labcertificate.h"
#include "protocol/replyparser.h"

#include <QRegularExpression>
#include <QSslSocket>
#include <QTest>

namespace smtp::test {

class LabScript
{
public:
    static constexpr int kTimeoutMs = 20000;

    explicit LabScript(quint16 port)
    {
        QObject::connect(&m_socket, &QSslSocket::readyRead, &m_socket, [this] {
            m_parser.feed(m_socket.readAll());
            m_replies.append(m_parser.takeReplies());
        });
        // Trust the lab's self-signed certificate, and nothing else.
        m_socket.ignoreSslErrors({QSslError(QSslError::SelfSignedCertificate, LabCertificate::certificate())});
        m_socket.setPeerVerifyName(QStringLiteral("localhost"));
        m_socket.connectToHost(QHostAddress::LocalHost, port);
    }

    QSslSocket &socket() { return m_socket; }

    // Empty when every step went as written; else what differed, and where.
    QString run(const QStringList &script)
    {
        QByteArray pending;
        for (int i = 0; i < script.size(); ++i) {
            const QString &step = script.at(i);
            const QString tag = step.left(2);
            const QString body = step.mid(3);
            if (tag == QLatin1String("C:")) {
                pending += body.toUtf8() + "\r\n";
                continue;
            }
            if (tag == QLatin1String("R:")) {
                pending += body.toUtf8();
                continue;
            }
            if (!pending.isEmpty()) {
                m_socket.write(pending);
                pending.clear();
            }
            QString problem;
            if (tag == QLatin1String("S:"))
                problem = body == QLatin1String("closed") ? expectClosed() : expect(body);
            else if (tag == QLatin1String("T:"))
                problem = startTls();
            else if (tag == QLatin1String("W:"))
                QTest::qWait(body.toInt());
            else
                problem = QStringLiteral("unknown step");
            if (!problem.isEmpty())
                return QStringLiteral("step %1 \"%2\": %3").arg(i + 1).arg(step.left(100), problem);
        }
        if (!pending.isEmpty())
            m_socket.write(pending);
        return {};
    }

    std::optional<Reply> nextReply()
    {
        if (!QTest::qWaitFor([this] { return !m_replies.isEmpty() || m_socket.state() == QAbstractSocket::UnconnectedState; },
                             kTimeoutMs)
            || m_replies.isEmpty())
            return std::nullopt;
        return m_replies.takeFirst();
    }

private:
    QString expect(const QString &expected)
    {
        const std::optional<Reply> reply = nextReply();
        if (!reply)
            return QStringLiteral("no reply (socket: %1)").arg(m_socket.errorString());
        QStringList words = expected.split(QLatin1Char(' '));
        const QString got = QString::fromUtf8(reply->raw).trimmed();
        if (reply->code != words.takeFirst().toInt())
            return QStringLiteral("got \"%1\"").arg(got);
        static const QRegularExpression enhanced(QStringLiteral("^\\d\\.\\d{1,3}\\.\\d{1,3}$"));
        if (!words.isEmpty() && enhanced.match(words.first()).hasMatch()) {
            const QString want = words.takeFirst();
            if (!reply->enhanced || reply->enhanced->toString() != want)
                return QStringLiteral("wanted enhanced code %1, got \"%2\"").arg(want, got);
        }
        while (!words.isEmpty() && words.first().startsWith(QLatin1Char('!'))) {
            const QString name = words.takeFirst().mid(1);
            const auto violation = violationFromName(name);
            if (!violation || !reply->violations.contains(*violation))
                return QStringLiteral("wanted violation %1, got \"%2\"").arg(name, got);
        }
        const QString text = words.join(QLatin1Char(' '));
        if (!text.isEmpty() && !reply->toDisplayString().contains(text, Qt::CaseInsensitive))
            return QStringLiteral("wanted text \"%1\", got \"%2\"").arg(text, got);
        return {};
    }

    QString expectClosed()
    {
        if (!QTest::qWaitFor([this] { return m_socket.state() == QAbstractSocket::UnconnectedState; }, kTimeoutMs))
            return QStringLiteral("the server did not close the connection");
        if (!m_replies.isEmpty())
            return QStringLiteral("unread reply before close: \"%1\"").arg(QString::fromUtf8(m_replies.first().raw));
        return {};
    }

    QString startTls()
    {
        m_socket.startClientEncryption();
        if (!QTest::qWaitFor([this] { return m_socket.isEncrypted() || m_socket.state() == QAbstractSocket::UnconnectedState; },
                             kTimeoutMs)
            || !m_socket.isEncrypted()) {
            QStringList errors;
            for (const QSslError &e : m_socket.sslHandshakeErrors())
                errors.append(e.errorString());
            return QStringLiteral("TLS handshake failed: %1 %2").arg(m_socket.errorString(), errors.join(QStringLiteral("; ")));
        }
        return {};
    }

    QSslSocket m_socket;
    ReplyParser m_parser;
    QList<Reply> m_replies;
};

} // namespace smtp::test
