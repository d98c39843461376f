#include "httpsget.h"

#include <QElapsedTimer>
#include <QSslConfiguration>
#include <QSslSocket>

namespace smtp {

namespace {

QByteArray dechunk(const QByteArray &body, bool *complete)
{
    QByteArray out;
    qsizetype pos = 0;
    *complete = false;
    while (pos < body.size()) {
        const qsizetype lineEnd = body.indexOf("\r\n", pos);
        if (lineEnd < 0)
            break;
        bool ok = false;
        const qsizetype size = body.mid(pos, lineEnd - pos).split(';').first().trimmed().toLongLong(&ok, 16);
        if (!ok || size < 0)
            break;
        if (size == 0) {
            *complete = true;
            break;
        }
        out.append(body.mid(lineEnd + 2, size));
        pos = lineEnd + 2 + size + 2;
    }
    return out;
}

} // namespace

HttpsResponse parseHttpResponse(const QByteArray &raw, qsizetype maxBody)
{
    HttpsResponse r;
    const qsizetype headEnd = raw.indexOf("\r\n\r\n");
    if (!raw.startsWith("HTTP/1.") || headEnd < 0) {
        r.error = QStringLiteral("the server did not answer with HTTP");
        return r;
    }
    const QList<QByteArray> head = raw.left(headEnd).split('\n');
    r.status = head.first().split(' ').value(1).toInt();
    qsizetype length = -1;
    bool chunked = false;
    for (const QByteArray &line : head.mid(1)) {
        const qsizetype colon = line.indexOf(':');
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        if (name == "content-type")
            r.contentType = QString::fromLatin1(value.split(';').first().trimmed().toLower());
        else if (name == "content-length")
            length = value.toLongLong();
        else if (name == "transfer-encoding")
            chunked = value.toLower().contains("chunked");
    }
    QByteArray body = raw.mid(headEnd + 4);
    if (chunked) {
        bool complete = false;
        body = dechunk(body, &complete);
        r.truncated = !complete;
    } else if (length >= 0) {
        r.truncated = body.size() < length;
        body.truncate(length);
    }
    if (body.size() > maxBody) {
        body.truncate(maxBody);
        r.truncated = true;
    }
    r.body = body;
    return r;
}

HttpsResponse httpsGet(const QHostAddress &address, quint16 port, const QString &hostName,
                       const QString &path, const QList<QSslCertificate> &extraCas,
                       int timeoutMs, qsizetype maxBody)
{
    HttpsResponse failed;
    QSslSocket socket;
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    if (!extraCas.isEmpty())
        config.setCaCertificates(config.caCertificates() + extraCas);
    socket.setSslConfiguration(config);
    QList<QSslError> tlsErrors;
    QObject::connect(&socket, &QSslSocket::sslErrors, &socket, [&](const QList<QSslError> &errors) {
        tlsErrors = errors;
        socket.ignoreSslErrors();
    }, Qt::DirectConnection);
    socket.connectToHostEncrypted(address.toString(), port, hostName);
    if (!socket.waitForEncrypted(timeoutMs)) {
        failed.error = QStringLiteral("cannot reach https://%1:%2 (%3): %4")
                           .arg(hostName).arg(port).arg(address.toString(), socket.errorString());
        return failed;
    }
    socket.write("GET " + path.toLatin1() + " HTTP/1.1\r\nHost: " + hostName.toLatin1()
                 + "\r\nUser-Agent: smtpwb-check\r\nAccept: text/plain\r\nConnection: close\r\n\r\n");
    QByteArray raw;
    QElapsedTimer clock;
    clock.start();
    while (raw.size() < maxBody + 16 * 1024 && clock.elapsed() < timeoutMs) {
        if (!socket.waitForReadyRead(int(timeoutMs - clock.elapsed())) && socket.bytesAvailable() == 0)
            break;
        raw.append(socket.readAll());
    }
    HttpsResponse r = parseHttpResponse(raw, maxBody);
    r.tlsErrors = tlsErrors;
    return r;
}

} // namespace smtp
