#include "labcertificate.h"

#include <QFile>

static void initLabCertificateResources()
{
    Q_INIT_RESOURCE(lab);
}

namespace smtp {

namespace {
QByteArray readResource(const QString &path)
{
    initLabCertificateResources();
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
} // namespace

// Read and parsed once: every connection of a class uses them, and parsing an RSA key
// each time cost more than the rest of a short session.
QSslCertificate LabCertificate::certificate()
{
    static const QSslCertificate certificate(readResource(QStringLiteral(":/lab/lab-cert.pem")), QSsl::Pem);
    return certificate;
}

QSslKey LabCertificate::privateKey()
{
    static const QSslKey key(readResource(QStringLiteral(":/lab/lab-key.pem")), QSsl::Rsa, QSsl::Pem);
    return key;
}

} // namespace smtp
