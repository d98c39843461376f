// TlsInfo::describe: what an admin wants of a certificate, from the test certificate.

#include "session/tlsinfo.h"

#include <QFile>
#include <QTest>

using namespace smtp;

class TestTlsInfo : public QObject
{
    Q_OBJECT
private slots:
    void describesKeySignatureAndDaysLeft();
    void saysWhenExpiredOrNotYetValid();

private:
    static QSslCertificate server()
    {
        QFile f(QStringLiteral(SMTPWB_TEST_DATA "/tls/server.pem"));
        f.open(QIODevice::ReadOnly);
        return QSslCertificate(f.readAll());
    }
};

void TestTlsInfo::describesKeySignatureAndDaysLeft()
{
    const QSslCertificate c = server();
    QVERIFY(!c.isNull());
    const QDateTime now = c.expiryDate().addDays(-10);
    const QString text = TlsInfo::describe(c, now);
    QVERIFY2(text.contains(QLatin1String("Key: RSA 2048 bits")), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("Signature: sha256WithRSAEncryption")), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("(10 day(s) left)")), qPrintable(text));
    QVERIFY(text.contains(QLatin1String("SHA-256: ")));
}

void TestTlsInfo::saysWhenExpiredOrNotYetValid()
{
    const QSslCertificate c = server();
    QVERIFY(TlsInfo::describe(c, c.expiryDate().addDays(3)).contains(QLatin1String("expired 3 day(s) ago")));
    QVERIFY(TlsInfo::describe(c, c.effectiveDate().addDays(-1)).contains(QLatin1String("not valid yet")));
}

QTEST_GUILESS_MAIN(TestTlsInfo)
#include "tst_tlsinfo.moc"
