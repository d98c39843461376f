#pragma once
// The practice server's demo certificate and key (resources/lab/), self-signed for
// lab.smtp-workbench.test, localhost and 127.0.0.1. Public on purpose: never trust it elsewhere.

#include <QSslCertificate>
#include <QSslKey>

namespace smtp {

class LabCertificate
{
public:
    static QSslCertificate certificate();
    static QSslKey privateKey();
};

} // namespace smtp
