#include "check/tlsrptrecord.h"

#include <QTest>

using namespace smtp;

namespace {

bool anyContains(const QStringList &list, const QString &word)
{
    return std::any_of(list.begin(), list.end(), [&word](const QString &s) { return s.contains(word); });
}

} // namespace

class TestTlsRptRecord : public QObject
{
    Q_OBJECT
private slots:
    void looksLikeTlsRpt_data();
    void looksLikeTlsRpt();
    void parse_data();
    void parse();
};

void TestTlsRptRecord::looksLikeTlsRpt_data()
{
    QTest::addColumn<QString>("txt");
    QTest::addColumn<bool>("tlsrpt");

    QTest::newRow("RFC 8460 example") << "v=TLSRPTv1; rua=mailto:reports@example.com" << true;
    QTest::newRow("no space after semicolon") << "v=TLSRPTv1;rua=mailto:reports@example.com" << true;
    QTest::newRow("version alone") << "v=TLSRPTv1" << true;
    QTest::newRow("lower case") << "v=tlsrptv1; rua=mailto:reports@example.com" << false;
    QTest::newRow("TLSRPTv10") << "v=TLSRPTv10; rua=mailto:reports@example.com" << false;
    QTest::newRow("rua first") << "rua=mailto:reports@example.com; v=TLSRPTv1" << false;
    QTest::newRow("MTA-STS record") << "v=STSv1; id=1" << false;
    QTest::newRow("empty") << "" << false;
}

void TestTlsRptRecord::looksLikeTlsRpt()
{
    QFETCH(QString, txt);
    QFETCH(bool, tlsrpt);
    QCOMPARE(TlsRptRecord::looksLikeTlsRpt(txt), tlsrpt);
}

void TestTlsRptRecord::parse_data()
{
    QTest::addColumn<QString>("txt");
    QTest::addColumn<QStringList>("rua");
    QTest::addColumn<QString>("error");    // a word some error must contain; empty: no errors
    QTest::addColumn<QString>("warning");  // a word some warning must contain; empty: no warnings

    const QStringList mail{QStringLiteral("mailto:tlsrpt@example.com")};

    // Valid records.
    QTest::newRow("mailto") << "v=TLSRPTv1; rua=mailto:tlsrpt@example.com" << mail << "" << "";
    QTest::newRow("https") << "v=TLSRPTv1; rua=https://reporting.example.com/v1/tlsrpt"
                           << QStringList{"https://reporting.example.com/v1/tlsrpt"} << "" << "";
    QTest::newRow("two URIs") << "v=TLSRPTv1; rua=mailto:tlsrpt@example.com,https://r.example.net/tls"
                              << QStringList{"mailto:tlsrpt@example.com", "https://r.example.net/tls"} << "" << "";
    QTest::newRow("spaces around the comma") << "v=TLSRPTv1; rua=mailto:tlsrpt@example.com , mailto:b@example.org"
                                             << QStringList{"mailto:tlsrpt@example.com", "mailto:b@example.org"} << "" << "";
    QTest::newRow("trailing semicolon") << "v=TLSRPTv1; rua=mailto:tlsrpt@example.com;" << mail << "" << "";
    QTest::newRow("google.com, no space after semicolon") << "v=TLSRPTv1;rua=mailto:sts-reports@google.com"
                                                         << QStringList{"mailto:sts-reports@google.com"} << "" << "";
    QTest::newRow("extension ignored") << "v=TLSRPTv1; rua=mailto:tlsrpt@example.com; ext=1"
                                       << mail << "" << "Unknown field 'ext='";

    // Errors.
    QTest::newRow("missing rua") << "v=TLSRPTv1;" << QStringList() << "no rua=" << "";
    QTest::newRow("rua without scheme") << "v=TLSRPTv1; rua=tlsrpt@example.com" << QStringList() << "needs 'mailto:'" << "";
    QTest::newRow("rua over http") << "v=TLSRPTv1; rua=http://reporting.example.com/tlsrpt" << QStringList()
                                   << "mailto: or https:" << "";
    QTest::newRow("rua empty") << "v=TLSRPTv1; rua=" << QStringList() << "mailto: or https:" << "";
    QTest::newRow("one good URI, one bad") << "v=TLSRPTv1; rua=mailto:tlsrpt@example.com,ftp://example.com/r"
                                           << mail << "ftp://" << "";
    QTest::newRow("rua twice, first kept") << "v=TLSRPTv1; rua=mailto:tlsrpt@example.com; rua=mailto:b@example.org"
                                           << mail << "more than once" << "";
    QTest::newRow("version twice") << "v=TLSRPTv1; rua=mailto:tlsrpt@example.com; v=TLSRPTv1"
                                   << mail << "more than once" << "";
    QTest::newRow("field without value") << "v=TLSRPTv1; rua=mailto:tlsrpt@example.com; ext"
                                         << mail << "name=value" << "";
    QTest::newRow("extension value with a space") << "v=TLSRPTv1; rua=mailto:tlsrpt@example.com; ext=a b"
                                                  << mail << "well-formed" << "";
    QTest::newRow("space instead of semicolon") << "v=TLSRPTv1 rua=mailto:tlsrpt@example.com"
                                                << QStringList() << "exactly v=TLSRPTv1" << "";
    QTest::newRow("lower-case version") << "v=tlsrptv1; rua=mailto:tlsrpt@example.com" << QStringList()
                                        << "start with v=TLSRPTv1" << "";
    QTest::newRow("TLSRPTv2") << "v=TLSRPTv2; rua=mailto:tlsrpt@example.com" << QStringList()
                              << "start with v=TLSRPTv1" << "";
    QTest::newRow("rua first") << "rua=mailto:tlsrpt@example.com; v=TLSRPTv1" << QStringList()
                               << "start with v=TLSRPTv1" << "";
    QTest::newRow("DMARC record") << "v=DMARC1; p=none" << QStringList() << "start with v=TLSRPTv1" << "";
}

void TestTlsRptRecord::parse()
{
    QFETCH(QString, txt);
    QFETCH(QStringList, rua);
    QFETCH(QString, error);
    QFETCH(QString, warning);
    const TlsRptRecord r = TlsRptRecord::parse(txt);
    QCOMPARE(r.rua, rua);
    if (error.isEmpty())
        QVERIFY2(r.errors.isEmpty() && r.isValid(), qPrintable(r.errors.join(QLatin1Char('|'))));
    else
        QVERIFY2(anyContains(r.errors, error), qPrintable(r.errors.join(QLatin1Char('|'))));
    if (warning.isEmpty())
        QVERIFY2(r.warnings.isEmpty(), qPrintable(r.warnings.join(QLatin1Char('|'))));
    else
        QVERIFY2(anyContains(r.warnings, warning), qPrintable(r.warnings.join(QLatin1Char('|'))));
}

QTEST_APPLESS_MAIN(TestTlsRptRecord)
#include "tst_tlsrptrecord.moc"
