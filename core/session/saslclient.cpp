#include "saslclient.h"

#include <QCryptographicHash>
#include <QMessageAuthenticationCode>
#include <QPasswordDigestor>
#include <QRandomGenerator>
#include <QStringList>

namespace smtp {

namespace {

class PlainClient : public SaslClient
{
public:
    PlainClient(QString user, QString secret) : m_user(std::move(user)), m_secret(std::move(secret)) {}
    QString mechanism() const override { return QStringLiteral("PLAIN"); }
    QByteArray initialResponse() override
    {
        // authzid NUL authcid NUL passwd (RFC 4616 2)
        return '\0' + m_user.toUtf8() + '\0' + m_secret.toUtf8();
    }
    QByteArray respond(const QByteArray &, QString *) override { return initialResponse(); }
    QString redactedStep() const override
    {
        return QStringLiteral("<user \"%1\", password redacted>").arg(m_user);
    }

private:
    QString m_user;
    QString m_secret;
};

class LoginClient : public SaslClient
{
public:
    LoginClient(QString user, QString secret) : m_user(std::move(user)), m_secret(std::move(secret)) {}
    QString mechanism() const override { return QStringLiteral("LOGIN"); }
    QByteArray respond(const QByteArray &, QString *) override
    {
        // The server asks "Username:" then "Password:"; some ask in other words, so go
        // by order rather than by the prompt.
        ++m_step;
        return m_step == 1 ? m_user.toUtf8() : m_secret.toUtf8();
    }
    QString redactedStep() const override
    {
        return m_step == 0 ? QStringLiteral("<user \"%1\">").arg(m_user) : QStringLiteral("<password redacted>");
    }

private:
    QString m_user;
    QString m_secret;
    int m_step = 0;
};

class CramMd5Client : public SaslClient
{
public:
    CramMd5Client(QString user, QString secret) : m_user(std::move(user)), m_secret(std::move(secret)) {}
    QString mechanism() const override { return QStringLiteral("CRAM-MD5"); }
    QByteArray respond(const QByteArray &challenge, QString *) override
    {
        // user SP hex(HMAC-MD5(secret, challenge)) (RFC 2195 2)
        const QByteArray digest = QMessageAuthenticationCode::hash(challenge, m_secret.toUtf8(),
                                                                   QCryptographicHash::Md5);
        return m_user.toUtf8() + ' ' + digest.toHex();
    }
    QString redactedStep() const override
    {
        return QStringLiteral("<user \"%1\", keyed digest redacted>").arg(m_user);
    }

private:
    QString m_user;
    QString m_secret;
};

class XOAuth2Client : public SaslClient
{
public:
    XOAuth2Client(QString user, QString token) : m_user(std::move(user)), m_token(std::move(token)) {}
    QString mechanism() const override { return QStringLiteral("XOAUTH2"); }
    QByteArray initialResponse() override
    {
        return "user=" + m_user.toUtf8() + "\x01" "auth=Bearer " + m_token.toUtf8() + "\x01\x01";
    }
    QByteArray respond(const QByteArray &, QString *) override
    {
        // A 334 here carries the error as JSON; an empty answer makes the server send
        // its final failure reply.
        return QByteArray();
    }
    QString redactedStep() const override
    {
        return QStringLiteral("<user \"%1\", bearer token redacted>").arg(m_user);
    }

private:
    QString m_user;
    QString m_token;
};

class ScramSha256Client : public SaslClient
{
public:
    ScramSha256Client(QString user, QString password, QByteArray nonce)
        : m_user(std::move(user)), m_password(std::move(password)), m_nonce(std::move(nonce)) {}

    QString mechanism() const override { return QStringLiteral("SCRAM-SHA-256"); }

    QByteArray initialResponse() override
    {
        QString name = m_user;
        name.replace(QLatin1Char('='), QLatin1String("=3D")).replace(QLatin1Char(','), QLatin1String("=2C"));
        m_clientFirstBare = "n=" + name.toUtf8() + ",r=" + m_nonce;
        return "n,," + m_clientFirstBare;
    }

    QByteArray respond(const QByteArray &challenge, QString *error) override
    {
        if (m_step++ == 0)
            return clientFinal(challenge, error);
        // server-final-message: v=<signature>, or e=<error>
        if (!challenge.startsWith("v=") || QByteArray::fromBase64(challenge.mid(2)) != m_serverSignature) {
            if (error)
                *error = QStringLiteral("The server's SCRAM signature does not match: it may not know the "
                                        "password, or someone is in the middle.");
            return QByteArray();
        }
        return QByteArray();
    }

    QString redactedStep() const override
    {
        return m_step == 0 ? QStringLiteral("<user \"%1\", nonce>").arg(m_user)
                           : QStringLiteral("<client proof redacted>");
    }

private:
    QByteArray clientFinal(const QByteArray &serverFirst, QString *error)
    {
        QByteArray nonce, salt;
        int iterations = 0;
        for (const QByteArray &part : serverFirst.split(',')) {
            if (part.startsWith("r="))
                nonce = part.mid(2);
            else if (part.startsWith("s="))
                salt = QByteArray::fromBase64(part.mid(2));
            else if (part.startsWith("i="))
                iterations = part.mid(2).toInt();
        }
        if (!nonce.startsWith(m_nonce) || salt.isEmpty() || iterations <= 0 || iterations > 1'000'000) {
            if (error)
                *error = QStringLiteral("The server's SCRAM challenge is malformed (nonce, salt or iteration count).");
            return QByteArray();
        }
        using H = QCryptographicHash;
        const QByteArray salted = QPasswordDigestor::deriveKeyPbkdf2(H::Sha256, m_password.toUtf8(), salt,
                                                                     iterations, 32);
        const QByteArray clientKey = QMessageAuthenticationCode::hash("Client Key", salted, H::Sha256);
        const QByteArray storedKey = H::hash(clientKey, H::Sha256);
        const QByteArray withoutProof = "c=biws,r=" + nonce;
        const QByteArray authMessage = m_clientFirstBare + ',' + serverFirst + ',' + withoutProof;
        const QByteArray clientSignature = QMessageAuthenticationCode::hash(authMessage, storedKey, H::Sha256);
        QByteArray proof = clientKey;
        for (int i = 0; i < proof.size(); ++i)
            proof[i] = char(proof[i] ^ clientSignature[i]);
        const QByteArray serverKey = QMessageAuthenticationCode::hash("Server Key", salted, H::Sha256);
        m_serverSignature = QMessageAuthenticationCode::hash(authMessage, serverKey, H::Sha256);
        return withoutProof + ",p=" + proof.toBase64();
    }

    QString m_user;
    QString m_password;
    QByteArray m_nonce;
    QByteArray m_clientFirstBare;
    QByteArray m_serverSignature;
    int m_step = 0;
};

} // namespace

QStringList SaslClient::supportedMechanisms()
{
    return {QStringLiteral("PLAIN"), QStringLiteral("LOGIN"), QStringLiteral("CRAM-MD5"),
            QStringLiteral("XOAUTH2"), QStringLiteral("SCRAM-SHA-256")};
}

std::unique_ptr<SaslClient> SaslClient::create(const QString &mechanism, const QString &user, const QString &secret)
{
    const QString m = mechanism.toUpper();
    if (m == QLatin1String("PLAIN"))
        return std::make_unique<PlainClient>(user, secret);
    if (m == QLatin1String("LOGIN"))
        return std::make_unique<LoginClient>(user, secret);
    if (m == QLatin1String("CRAM-MD5"))
        return std::make_unique<CramMd5Client>(user, secret);
    if (m == QLatin1String("XOAUTH2"))
        return std::make_unique<XOAuth2Client>(user, secret);
    if (m == QLatin1String("SCRAM-SHA-256")) {
        QByteArray nonce(24, Qt::Uninitialized);
        for (char &c : nonce)
            c = char(QRandomGenerator::system()->bounded(256));
        return createScramSha256(user, secret, nonce.toBase64(QByteArray::OmitTrailingEquals));
    }
    return nullptr;
}

std::unique_ptr<SaslClient> createScramSha256(const QString &user, const QString &password, const QByteArray &clientNonce)
{
    return std::make_unique<ScramSha256Client>(user, password, clientNonce);
}

} // namespace smtp
