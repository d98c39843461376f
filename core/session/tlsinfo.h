#pragma once
// What a TLS connection turned out to be, for display: protocol, cipher, the peer's chain.

#include <QDateTime>
#include <QList>
#include <QSslCertificate>
#include <QSslError>
#include <QString>

namespace smtp {

struct TlsInfo
{
    QString protocol;                 // "TLS 1.3"
    QString cipher;                   // "TLS_AES_256_GCM_SHA384"
    int cipherBits = 0;
    QString serverName;               // what was checked (SNI)
    QList<QSslCertificate> chain;     // peer first
    QList<QSslError> errors;          // problems found (ignored only if the user said so)

    QString summary() const;          // one line
    // Subject, issuer, validity with the days left at `now`, names, key type and size,
    // signature algorithm, SHA-256 fingerprint.
    static QString describe(const QSslCertificate &certificate,
                            const QDateTime &now = QDateTime::currentDateTimeUtc());
    // The signature algorithm's name as the TLS backend gives it ("sha256WithRSAEncryption").
    static QString signatureAlgorithm(const QSslCertificate &certificate);
    // What failed, in words: expired, self-signed, name mismatch, unknown issuer...
    static QString describeErrors(const QList<QSslError> &errors);
};

} // namespace smtp
