#pragma once
// A QTcpServer that hands out QSslSocket, so a plain connection can later be upgraded
// by STARTTLS in server mode.

#include <QTcpServer>

namespace smtp {

class LabTcpServer : public QTcpServer
{
public:
    using QTcpServer::QTcpServer;

protected:
    void incomingConnection(qintptr socketDescriptor) override;
};

} // namespace smtp
