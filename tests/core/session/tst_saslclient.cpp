#include "session/saslclient.h"

#include <QTest>

using namespace smtp;

class TestSaslClient : public QObject
{
    Q_OBJECT
private slots:
    void plain();
    void login();
    void cramMd5Rfc2195();
    void xoauth2();
    void scramSha256Rfc7677();
    void scramRejectsAWrongServerSignature();
    void scramRejectsAMalformedChallenge();
    void unknownMechanism();
};

void TestSaslClient::plain()
{
    auto sasl = SaslClient::create(QStringLiteral("plain"), QStringLiteral("tim"), QStringLiteral("tanstaaftanstaaf"));
    QCOMPARE(sasl->mechanism(), QStringLiteral("PLAIN"));
    QCOMPARE(sasl->initialResponse(), QByteArray("\0tim\0tanstaaftanstaaf", 21));
    QVERIFY(!sasl->redactedStep().contains(QLatin1String("tanstaaf")));
}

void TestSaslClient::login()
{
    auto sasl = SaslClient::create(QStringLiteral("LOGIN"), QStringLiteral("alice"), QStringLiteral("secret"));
    QVERIFY(sasl->initialResponse().isEmpty());
    QString error;
    QCOMPARE(sasl->respond("Username:", &error), QByteArray("alice"));
    QCOMPARE(sasl->respond("Password:", &error), QByteArray("secret"));
    QVERIFY(error.isEmpty());
}

void TestSaslClient::cramMd5Rfc2195()
{
    // RFC 2195 section 2, the worked example.
    auto sasl = SaslClient::create(QStringLiteral("CRAM-MD5"), QStringLiteral("tim"), QStringLiteral("tanstaaftanstaaf"));
    QString error;
    QCOMPARE(sasl->respond("<1896.697170952@postoffice.reston.mci.net>", &error),
             QByteArray("tim b913a602c7eda7a495b4e6e7334d3890"));
}

void TestSaslClient::xoauth2()
{
    auto sasl = SaslClient::create(QStringLiteral("XOAUTH2"), QStringLiteral("someuser@example.com"),
                                   QStringLiteral("ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg"));
    // The example of Google's XOAUTH2 documentation.
    QCOMPARE(sasl->initialResponse().toBase64(),
             QByteArray("dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52YjNSbGNrQmhkSFJoZG1semRHRXVZMjl0Q2cBAQ=="));
}

void TestSaslClient::scramSha256Rfc7677()
{
    // RFC 7677 section 3.
    auto sasl = createScramSha256(QStringLiteral("user"), QStringLiteral("pencil"), "rOprNGfwEbeRWgbNEkqO");
    QCOMPARE(sasl->initialResponse(), QByteArray("n,,n=user,r=rOprNGfwEbeRWgbNEkqO"));
    QString error;
    QCOMPARE(sasl->respond("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", &error),
             QByteArray("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                        "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="));
    QVERIFY(error.isEmpty());
    sasl->respond("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=", &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void TestSaslClient::scramRejectsAWrongServerSignature()
{
    auto sasl = createScramSha256(QStringLiteral("user"), QStringLiteral("pencil"), "rOprNGfwEbeRWgbNEkqO");
    sasl->initialResponse();
    QString error;
    sasl->respond("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", &error);
    sasl->respond("v=AAAATRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=", &error);
    QVERIFY(error.contains(QLatin1String("signature does not match")));
}

void TestSaslClient::scramRejectsAMalformedChallenge()
{
    auto sasl = createScramSha256(QStringLiteral("user"), QStringLiteral("pencil"), "abc");
    sasl->initialResponse();
    QString error;
    QVERIFY(sasl->respond("r=OTHERNONCE,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", &error).isEmpty());
    QVERIFY(error.contains(QLatin1String("malformed")));
}

void TestSaslClient::unknownMechanism()
{
    QVERIFY(!SaslClient::create(QStringLiteral("GSSAPI"), QStringLiteral("a"), QStringLiteral("b")));
}

QTEST_APPLESS_MAIN(TestSaslClient)
#include "tst_saslclient.moc"
