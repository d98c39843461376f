#pragma once
// The client side of the SASL mechanisms SMTP AUTH uses (RFC 4954): PLAIN, LOGIN,
// CRAM-MD5, XOAUTH2 and SCRAM-SHA-256. Bytes in, bytes out (not base64); no I/O.

#include <QByteArray>
#include <QString>
#include <memory>

namespace smtp {

class SaslClient
{
public:
    virtual ~SaslClient() = default;

    // PLAIN, LOGIN, CRAM-MD5, XOAUTH2, SCRAM-SHA-256; nullptr for anything else.
    static std::unique_ptr<SaslClient> create(const QString &mechanism, const QString &user,
                                              const QString &secret);
    static QStringList supportedMechanisms();

    virtual QString mechanism() const = 0;
    // Sent with the AUTH command itself (RFC 4954 4); empty when the mechanism has none.
    virtual QByteArray initialResponse() { return {}; }
    // The answer to a server challenge (already base64-decoded). Sets *error and returns
    // empty when the challenge makes no sense (e.g. a SCRAM server signature that fails).
    virtual QByteArray respond(const QByteArray &challenge, QString *error) = 0;
    // How the next client message may appear in a transcript: secrets replaced.
    virtual QString redactedStep() const { return QStringLiteral("<credentials redacted>"); }
};

// SCRAM-SHA-256 with a fixed nonce, for test vectors (RFC 7677 3).
std::unique_ptr<SaslClient> createScramSha256(const QString &user, const QString &password,
                                              const QByteArray &clientNonce);

} // namespace smtp
