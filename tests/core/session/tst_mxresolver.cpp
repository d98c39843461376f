// MX lookup against a DNS server of our own on 127.0.0.1: hosts by preference, the
// implicit MX of a domain without one, and the null MX of a domain that takes no mail.

#include "fakedns.h"
#include "session/mxresolver.h"

#include <QSignalSpy>
#include <QTest>

using namespace smtp;

class TestMxResolver : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void lookup_data();
    void lookup();

private:
    FakeDns m_dns;
};

void TestMxResolver::initTestCase()
{
    m_dns.mx.insert(QStringLiteral("example.test"), {{20, QStringLiteral("mx2.example.test")},
                                                     {10, QStringLiteral("mx1.example.test")},
                                                     {30, QStringLiteral("backup.example.net")}});
    m_dns.mx.insert(QStringLiteral("nomail.test"), {{0, QStringLiteral(".")}});
    m_dns.a.insert(QStringLiteral("webonly.test"), QStringLiteral("192.0.2.80")); // an address, no MX
    m_dns.silent.append(QStringLiteral("silent.test"));
    // The resolver's own wait for a silent server: one second, once (glibc reads this).
    qputenv("RES_OPTIONS", "timeout:1 attempts:1");
    if (!m_dns.start()) {
        // Port 53 needs root: CI has it, so there a failure to bind is a failure.
        if (qEnvironmentVariable("CI") == QLatin1String("true"))
            QFAIL(qPrintable(QStringLiteral("cannot listen on 127.0.0.1:53: ") + m_dns.errorString()));
        QSKIP("Skipped: listening on 127.0.0.1:53 needs root");
    }
}

void TestMxResolver::lookup_data()
{
    QTest::addColumn<QString>("domain");
    QTest::addColumn<QStringList>("hosts");
    QTest::addColumn<bool>("implicit");
    QTest::addColumn<QString>("error");
    QTest::newRow("by preference") << "example.test"
                                   << QStringList{"mx1.example.test", "mx2.example.test", "backup.example.net"} << false << "";
    QTest::newRow("null MX") << "nomail.test" << QStringList{} << false << "null MX";
    QTest::newRow("no MX: the domain itself") << "webonly.test" << QStringList{"webonly.test"} << true << "";
    QTest::newRow("no such domain (NXDOMAIN) is said as such") << "missing.test" << QStringList{} << false
                                                                << "does not exist: the DNS answers NXDOMAIN";
    QTest::newRow("no answer at all is a failure, not \"no MX\"") << "silent.test" << QStringList{} << false << "failed";
}

void TestMxResolver::lookup()
{
    QFETCH(QString, domain);
    QFETCH(QStringList, hosts);
    QFETCH(bool, implicit);
    QFETCH(QString, error);
    MxResolver resolver;
    resolver.setNameserver(QHostAddress::LocalHost);
    QSignalSpy finished(&resolver, &MxResolver::finished);
    resolver.lookup(domain);
    QVERIFY(finished.wait(30000));
    const auto found = finished.first().at(0).value<QList<MxHost>>();
    const QString message = finished.first().at(1).toString();
    QStringList names;
    for (const MxHost &h : found) {
        names.append(h.host);
        QCOMPARE(h.implicit, implicit);
    }
    QVERIFY2(names == hosts, qPrintable(names.join(QLatin1Char(',')) + QStringLiteral(" / ") + message));
    if (error.isEmpty())
        QVERIFY2(message.isEmpty(), qPrintable(message));
    else
        QVERIFY2(message.contains(error), qPrintable(message));
}

QTEST_GUILESS_MAIN(TestMxResolver)
#include "tst_mxresolver.moc"
