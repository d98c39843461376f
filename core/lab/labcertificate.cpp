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

QSslCertificate LabCertificate::certificate()
{
    return QSslCertificate(readResource(QStringLiteral(":/lab/lab-cert.pem")), QSsl::Pem);
}

QSslKey LabCertificate::privateKey()
{
    return QSslKey(readResource(QStringLiteral(":/lab/lab-key.pem")), QSsl::Rsa, QSsl::Pem);
}

} // namespace smtp
