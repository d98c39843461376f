#include "tlsinfo.h"

#include <QSslKey>

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

namespace {

QString keyText(const QSslKey &key)
{
    switch (key.algorithm()) {
    case QSsl::Rsa: return QStringLiteral("RSA %1 bits").arg(key.length());
    case QSsl::Ec: return QStringLiteral("EC %1 bits").arg(key.length());
    case QSsl::Dsa: return QStringLiteral("DSA %1 bits").arg(key.length());
    case QSsl::Dh: return QStringLiteral("DH %1 bits").arg(key.length());
    case QSsl::Opaque: break;
    }
    return QStringLiteral("unknown type");
}


QString daysLeft(const QSslCertificate &c, const QDateTime &now)
{
    const qint64 days = now.daysTo(c.expiryDate());
    if (now < c.effectiveDate())
        return QStringLiteral("not valid yet (from %1)").arg(c.effectiveDate().toString(Qt::ISODate));
    if (days < 0)
        return QStringLiteral("expired %1 day(s) ago").arg(-days);
    return QStringLiteral("%1 day(s) left").arg(days);
}

} // namespace

// Qt has no accessor for it: the TLS backend's text form names it on one line.
QString TlsInfo::signatureAlgorithm(const QSslCertificate &c)
{
    for (const QString &line : c.toText().split(QLatin1Char('\n'))) {
        const QString t = line.trimmed();
        if (t.startsWith(QLatin1String("Signature Algorithm:")))
            return t.mid(20).trimmed();
    }
    return QStringLiteral("unknown");
}

QString TlsInfo::describe(const QSslCertificate &c, const QDateTime &now)
{
    QStringList names = c.subjectAlternativeNames().values(QSsl::DnsEntry);
    names += c.subjectAlternativeNames().values(QSsl::IpAddressEntry);
    const auto shown = [](const QString &text) { return visibleText(text, LineBreaks::Mark); };
    return QStringLiteral("Subject: %1\nIssuer: %2\nValid: %3 to %4 (%5)\nNames: %6\nKey: %7\nSignature: %8\n"
                          "SHA-256: %9%10")
        .arg(shown(c.subjectDisplayName()), shown(c.issuerDisplayName()), c.effectiveDate().toString(Qt::ISODate),
             c.expiryDate().toString(Qt::ISODate), daysLeft(c, now), shown(names.join(QStringLiteral(", "))),
             keyText(c.publicKey()), shown(signatureAlgorithm(c)),
             QString::fromLatin1(c.digest(QCryptographicHash::Sha256).toHex(':')))
        .arg(c.isSelfSigned() ? QStringLiteral("\nSelf-signed") : QString());
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
