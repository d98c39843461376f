#include "tlsinfo.h"

#include "protocol/untrustedtext.h"

#include <QStringList>

namespace smtp {

QString TlsInfo::summary() const
{
    QString s = QStringLiteral("%1, %2 (%3 bits)").arg(protocol, cipher).arg(cipherBits);
    if (!chain.isEmpty()) {
        const QSslCertificate &peer = chain.first();
        s += QStringLiteral(", certificate %1, issued by %2, expires %3")
                 .arg(peer.subjectDisplayName(), peer.issuerDisplayName(),
                      peer.expiryDate().toString(Qt::ISODate));
    }
    return visibleText(s, LineBreaks::Mark); // the names are the server's words
}

QString TlsInfo::describe(const QSslCertificate &c)
{
    QStringList names = c.subjectAlternativeNames().values(QSsl::DnsEntry);
    names += c.subjectAlternativeNames().values(QSsl::IpAddressEntry);
    const auto shown = [](const QString &text) { return visibleText(text, LineBreaks::Mark); };
    return QStringLiteral("Subject: %1\nIssuer: %2\nValid: %3 to %4\nNames: %5\nSHA-256: %6%7")
        .arg(shown(c.subjectDisplayName()), shown(c.issuerDisplayName()), c.effectiveDate().toString(Qt::ISODate),
             c.expiryDate().toString(Qt::ISODate), shown(names.join(QStringLiteral(", "))),
             QString::fromLatin1(c.digest(QCryptographicHash::Sha256).toHex(':')),
             c.isSelfSigned() ? QStringLiteral("\nSelf-signed") : QString());
}

QString TlsInfo::describeErrors(const QList<QSslError> &errors)
{
    QStringList out;
    for (const QSslError &e : errors) {
        QString what;
        switch (e.error()) {
        case QSslError::CertificateExpired: what = QStringLiteral("expired"); break;
        case QSslError::CertificateNotYetValid: what = QStringLiteral("not yet valid"); break;
        case QSslError::SelfSignedCertificate:
        case QSslError::SelfSignedCertificateInChain: what = QStringLiteral("self-signed"); break;
        case QSslError::HostNameMismatch: what = QStringLiteral("name mismatch"); break;
        case QSslError::UnableToGetLocalIssuerCertificate:
        case QSslError::UnableToGetIssuerCertificate:
        case QSslError::UnableToVerifyFirstCertificate: what = QStringLiteral("unknown issuer"); break;
        case QSslError::CertificateRevoked: what = QStringLiteral("revoked"); break;
        default: what = QStringLiteral("invalid"); break;
        }
        const QString line = QStringLiteral("%1 (%2)").arg(what, e.errorString());
        if (!out.contains(line))
            out.append(line);
    }
    return out.join(QStringLiteral("; "));
}

} // namespace smtp
