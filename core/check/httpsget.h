#pragma once
// One HTTPS GET for the MTA-STS policy (RFC 8461 3.3): to an address our resolver found,
// with SNI and verification by the host's name, no redirects, a bounded body. Blocking, for
// the checks' worker threads. QNetworkAccessManager cannot be pointed at an address found
// by another resolver while keeping SNI, hence this small client.

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QSslCertificate>
#include <QSslError>
#include <QString>

namespace smtp {

struct HttpsResponse
{
    QString error;              // could not connect, TLS failed, no HTTP answer...
    QList<QSslError> tlsErrors; // the certificate's problems (the body is still read)
    int status = 0;             // 200, 404, ...
    QString contentType;        // lower case, without parameters
    QByteArray body;
    bool truncated = false;     // the body passed the limit

    bool ok() const { return error.isEmpty(); }
};

HttpsResponse httpsGet(const QHostAddress &address, quint16 port, const QString &hostName,
                       const QString &path, const QList<QSslCertificate> &extraCas,
                       int timeoutMs, qsizetype maxBody = 64 * 1024);

// The HTTP/1.1 response in `raw` (status line, headers, body by Content-Length, chunked or
// to the end): pure, for tests.
HttpsResponse parseHttpResponse(const QByteArray &raw, qsizetype maxBody = 64 * 1024);

} // namespace smtp
