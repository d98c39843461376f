#include "check/dmarcrecord.h"

#include <QTest>

using namespace smtp;
using Policy = DmarcRecord::Policy;

Q_DECLARE_METATYPE(smtp::DmarcRecord::Policy)
Q_DECLARE_METATYPE(QList<smtp::PolicyTag>)

namespace {

bool anyContains(const QStringList &list, const QString &word)
{
    return std::any_of(list.begin(), list.end(), [&word](const QString &s) { return s.contains(word); });
}

PolicyTag tag(const char *name, const char *value, bool hasValue = true)
{
    return PolicyTag{QString::fromLatin1(name), QString::fromLatin1(value), hasValue};
}

} // namespace

class TestDmarcRecord : public QObject
{
    Q_OBJECT
private slots:
    void looksLikeDmarc_data();
    void looksLikeDmarc();
    void parse_data();
    void parse();
    void alignment_data();
    void alignment();
    void splitPolicyTags_data();
    void splitPolicyTags();
    void reportUri_data();
    void reportUri();
};

void TestDmarcRecord::looksLikeDmarc_data()
{
    QTest::addColumn<QString>("txt");
    QTest::addColumn<bool>("dmarc");

    QTest::newRow("version and policy") << "v=DMARC1; p=none" << true;
    QTest::newRow("version alone") << "v=DMARC1" << true;
    QTest::newRow("spaces around equals") << "v = DMARC1 ;p=none" << true;
    QTest::newRow("lower-case version is still found") << "v=dmarc1; p=none" << true;
    QTest::newRow("version not first") << "p=none; v=DMARC1" << false;
    QTest::newRow("DMARC2") << "v=DMARC2; p=none" << false;
    QTest::newRow("semicolon missing after version") << "v=DMARC1 p=none" << false;
    QTest::newRow("SPF record") << "v=spf1 -all" << false;
    QTest::newRow("empty") << "" << false;
}

void TestDmarcRecord::looksLikeDmarc()
{
    QFETCH(QString, txt);
    QFETCH(bool, dmarc);
    QCOMPARE(DmarcRecord::looksLikeDmarc(txt), dmarc);
}

void TestDmarcRecord::parse_data()
{
    QTest::addColumn<QString>("txt");
    QTest::addColumn<Policy>("policy");
    QTest::addColumn<QString>("sp");       // the subdomain policy's value as written lower-case; empty: none
    QTest::addColumn<int>("pct");
    QTest::addColumn<QStringList>("rua");
    QTest::addColumn<int>("rufCount");
    QTest::addColumn<QString>("error");    // a word some error must contain; empty: no errors
    QTest::addColumn<QString>("warning");  // a word some warning must contain; empty: no warnings

    const QStringList d{QStringLiteral("mailto:d@example.com")};

    // Valid records, as big senders publish them.
    QTest::newRow("google.com reject") << "v=DMARC1; p=reject; rua=mailto:mailauth-reports@google.com"
                                       << Policy::Reject << "" << 100 << QStringList{"mailto:mailauth-reports@google.com"}
                                       << 0 << "" << "";
    QTest::newRow("microsoft.com with forensic reports")
        << "v=DMARC1; p=reject; pct=100; rua=mailto:d@rua.agari.com; ruf=mailto:d@ruf.agari.com; fo=1"
        << Policy::Reject << "" << 100 << QStringList{"mailto:d@rua.agari.com"} << 1 << "" << "";
    QTest::newRow("quarantine with sp reject") << "v=DMARC1; p=quarantine; sp=reject; rua=mailto:d@example.com"
                                               << Policy::Quarantine << "reject" << 100 << d << 0 << "" << "";
    QTest::newRow("two rua, one with size limit")
        << "v=DMARC1; p=reject; rua=mailto:a@example.com!10m, mailto:b@example.net"
        << Policy::Reject << "" << 100 << QStringList{"mailto:a@example.com!10m", "mailto:b@example.net"} << 0 << "" << "";
    QTest::newRow("https rua without spaces") << "v=DMARC1;p=reject;rua=https://reports.example.com/dmarc"
                                              << Policy::Reject << "" << 100 << QStringList{"https://reports.example.com/dmarc"}
                                              << 0 << "" << "";
    QTest::newRow("spaces and trailing semicolon") << "v = DMARC1 ;  p = reject ;\trua = mailto:d@example.com ; "
                                                   << Policy::Reject << "" << 100 << d << 0 << "" << "";
    QTest::newRow("tag names and values in capitals") << "v=DMARC1; P=Reject; SP=NONE; RUA=mailto:d@example.com"
                                                      << Policy::Reject << "none" << 100 << d << 0 << "" << "";
    QTest::newRow("every RFC 7489 tag") << "v=DMARC1; p=reject; sp=quarantine; rua=mailto:d@example.com; "
                                           "ruf=mailto:f@example.com; adkim=s; aspf=s; pct=100; fo=0:1:d:s; rf=afrf; ri=86400"
                                        << Policy::Reject << "quarantine" << 100 << d << 1 << "" << "";

    // Legal, but worth a warning.
    QTest::newRow("p=none is monitoring only") << "v=DMARC1; p=none; rua=mailto:d@example.com"
                                               << Policy::None << "" << 100 << d << 0 << "" << "monitoring only";
    QTest::newRow("pct 50") << "v=DMARC1; p=quarantine; pct=50; rua=mailto:d@example.com"
                            << Policy::Quarantine << "" << 50 << d << 0 << "" << "only 50%";
    QTest::newRow("pct 0") << "v=DMARC1; p=reject; pct=0; rua=mailto:d@example.com"
                           << Policy::Reject << "" << 0 << d << 0 << "" << "only 0%";
    QTest::newRow("no rua") << "v=DMARC1; p=reject" << Policy::Reject << "" << 100 << QStringList() << 0 << "" << "aggregate";
    QTest::newRow("p not second") << "v=DMARC1; rua=mailto:d@example.com; p=reject"
                                  << Policy::Reject << "" << 100 << d << 0 << "" << "right after";
    QTest::newRow("unknown tag") << "v=DMARC1; p=reject; rua=mailto:d@example.com; np=reject"
                                 << Policy::Reject << "" << 100 << d << 0 << "" << "Unknown tag 'np='";
    QTest::newRow("lower-case version") << "v=dmarc1; p=reject; rua=mailto:d@example.com"
                                        << Policy::Reject << "" << 100 << d << 0 << "" << "capitals";
    QTest::newRow("unknown report format") << "v=DMARC1; p=reject; rua=mailto:d@example.com; rf=iodef"
                                           << Policy::Reject << "" << 100 << d << 0 << "" << "afrf";

    // Errors.
    QTest::newRow("version not first") << "p=reject; v=DMARC1" << Policy::Missing << "" << 100 << QStringList() << 0
                                       << "first tag" << "";
    QTest::newRow("DMARC2") << "v=DMARC2; p=reject" << Policy::Missing << "" << 100 << QStringList() << 0 << "v=DMARC1" << "";
    QTest::newRow("SPF record at the DMARC name") << "v=spf1 -all" << Policy::Missing << "" << 100 << QStringList() << 0
                                                  << "v=DMARC1" << "";
    QTest::newRow("empty") << "" << Policy::Missing << "" << 100 << QStringList() << 0 << "v=DMARC1" << "";
    QTest::newRow("missing p") << "v=DMARC1; rua=mailto:d@example.com" << Policy::Missing << "" << 100 << d << 0
                               << "No 'p='" << "";
    QTest::newRow("invalid p") << "v=DMARC1; p=block; rua=mailto:d@example.com" << Policy::Invalid << "" << 100 << d << 0
                               << "not a policy" << "";
    QTest::newRow("invalid sp") << "v=DMARC1; p=reject; sp=maybe; rua=mailto:d@example.com" << Policy::Reject << "invalid"
                                << 100 << d << 0 << "sp=maybe" << "";
    QTest::newRow("pct over 100") << "v=DMARC1; p=reject; pct=150; rua=mailto:d@example.com"
                                  << Policy::Reject << "" << 100 << d << 0 << "0 to 100" << "";
    QTest::newRow("pct negative") << "v=DMARC1; p=reject; pct=-5; rua=mailto:d@example.com"
                                  << Policy::Reject << "" << 100 << d << 0 << "0 to 100" << "";
    QTest::newRow("pct not a number") << "v=DMARC1; p=reject; pct=half; rua=mailto:d@example.com"
                                      << Policy::Reject << "" << 100 << d << 0 << "0 to 100" << "";
    QTest::newRow("rua without mailto") << "v=DMARC1; p=reject; rua=dmarc@example.com"
                                        << Policy::Reject << "" << 100 << QStringList() << 0 << "needs 'mailto:'" << "";
    QTest::newRow("rua over http") << "v=DMARC1; p=reject; rua=http://example.com/dmarc"
                                   << Policy::Reject << "" << 100 << QStringList() << 0 << "mailto: or https:" << "";
    QTest::newRow("rua mailto without address") << "v=DMARC1; p=reject; rua=mailto:dmarc"
                                                << Policy::Reject << "" << 100 << QStringList() << 0 << "mail address" << "";
    QTest::newRow("rua empty") << "v=DMARC1; p=reject; rua=" << Policy::Reject << "" << 100 << QStringList() << 0
                               << "empty" << "";
    QTest::newRow("one good rua, one bad") << "v=DMARC1; p=reject; rua=mailto:d@example.com,ftp://example.com/r"
                                           << Policy::Reject << "" << 100 << d << 0 << "ftp://" << "";
    QTest::newRow("bad ruf") << "v=DMARC1; p=reject; rua=mailto:d@example.com; ruf=forensic@example.com"
                             << Policy::Reject << "" << 100 << d << 0 << "ruf=" << "";
    QTest::newRow("p twice, first kept") << "v=DMARC1; p=none; p=reject; rua=mailto:d@example.com"
                                         << Policy::None << "" << 100 << d << 0 << "more than once" << "monitoring only";
    QTest::newRow("version twice") << "v=DMARC1; p=reject; v=DMARC1; rua=mailto:d@example.com"
                                   << Policy::Reject << "" << 100 << d << 0 << "more than once" << "";
    QTest::newRow("tag without value") << "v=DMARC1; p=reject; rua=mailto:d@example.com; adkim"
                                       << Policy::Reject << "" << 100 << d << 0 << "tag=value" << "";
    QTest::newRow("bad failure options") << "v=DMARC1; p=reject; rua=mailto:d@example.com; fo=2"
                                         << Policy::Reject << "" << 100 << d << 0 << "failure options" << "";
    QTest::newRow("interval in words") << "v=DMARC1; p=reject; rua=mailto:d@example.com; ri=daily"
                                       << Policy::Reject << "" << 100 << d << 0 << "seconds" << "";
}

void TestDmarcRecord::parse()
{
    QFETCH(QString, txt);
    QFETCH(Policy, policy);
    QFETCH(QString, sp);
    QFETCH(int, pct);
    QFETCH(QStringList, rua);
    QFETCH(int, rufCount);
    QFETCH(QString, error);
    QFETCH(QString, warning);
    const DmarcRecord r = DmarcRecord::parse(txt);
    QCOMPARE(r.policy, policy);
    static const QStringList names = {QStringLiteral("none"), QStringLiteral("quarantine"), QStringLiteral("reject"),
                                      QStringLiteral("missing"), QStringLiteral("invalid")};
    QCOMPARE(r.subdomainPolicy ? names.at(int(*r.subdomainPolicy)) : QString(), sp);
    QCOMPARE(r.pct, pct);
    QCOMPARE(r.rua, rua);
    QCOMPARE(r.ruf.size(), rufCount);
    if (error.isEmpty())
        QVERIFY2(r.errors.isEmpty() && r.isValid(), qPrintable(r.errors.join(QLatin1Char('|'))));
    else
        QVERIFY2(anyContains(r.errors, error), qPrintable(r.errors.join(QLatin1Char('|'))));
    if (warning.isEmpty())
        QVERIFY2(r.warnings.isEmpty(), qPrintable(r.warnings.join(QLatin1Char('|'))));
    else
        QVERIFY2(anyContains(r.warnings, warning), qPrintable(r.warnings.join(QLatin1Char('|'))));
}

void TestDmarcRecord::alignment_data()
{
    QTest::addColumn<QString>("tags"); // after "v=DMARC1; p=reject; rua=mailto:d@example.com; "
    QTest::addColumn<QString>("adkim");
    QTest::addColumn<QString>("aspf");
    QTest::addColumn<QString>("error");

    QTest::newRow("relaxed by default") << "" << "r" << "r" << "";
    QTest::newRow("both strict") << "adkim=s; aspf=s" << "s" << "s" << "";
    QTest::newRow("capitals") << "ADKIM=S; ASPF=R" << "s" << "r" << "";
    QTest::newRow("adkim unknown letter keeps relaxed") << "adkim=x; aspf=s" << "r" << "s" << "alignment";
    QTest::newRow("aspf spelled out") << "aspf=strict" << "r" << "r" << "alignment";
}

void TestDmarcRecord::alignment()
{
    QFETCH(QString, tags);
    QFETCH(QString, adkim);
    QFETCH(QString, aspf);
    QFETCH(QString, error);
    const DmarcRecord r = DmarcRecord::parse(QStringLiteral("v=DMARC1; p=reject; rua=mailto:d@example.com; ") + tags);
    QCOMPARE(r.adkim, adkim.front());
    QCOMPARE(r.aspf, aspf.front());
    if (error.isEmpty())
        QVERIFY2(r.errors.isEmpty(), qPrintable(r.errors.join(QLatin1Char('|'))));
    else
        QVERIFY2(anyContains(r.errors, error), qPrintable(r.errors.join(QLatin1Char('|'))));
}

void TestDmarcRecord::splitPolicyTags_data()
{
    QTest::addColumn<QString>("txt");
    QTest::addColumn<QList<PolicyTag>>("tags");

    QTest::newRow("tight") << "v=DMARC1;p=none" << QList<PolicyTag>{tag("v", "DMARC1"), tag("p", "none")};
    QTest::newRow("spaces, tabs and empty parts dropped") << " a = b ;;\tc ; "
                                                          << QList<PolicyTag>{tag("a", "b"), tag("c", "", false)};
    QTest::newRow("empty value keeps its equals") << "rua=" << QList<PolicyTag>{tag("rua", "")};
    QTest::newRow("split at the first equals") << "k=a=b" << QList<PolicyTag>{tag("k", "a=b")};
    QTest::newRow("case kept") << "V=STSv1; ID=Abc" << QList<PolicyTag>{tag("V", "STSv1"), tag("ID", "Abc")};
    QTest::newRow("nothing") << " ; " << QList<PolicyTag>();
}

void TestDmarcRecord::splitPolicyTags()
{
    QFETCH(QString, txt);
    QFETCH(QList<PolicyTag>, tags);
    QCOMPARE(smtp::splitPolicyTags(txt), tags);
}

void TestDmarcRecord::reportUri_data()
{
    QTest::addColumn<QString>("uri");
    QTest::addColumn<QString>("problem"); // a word the problem must contain; empty: usable

    QTest::newRow("mailto") << "mailto:dmarc@example.com" << "";
    QTest::newRow("mailto in capitals") << "MAILTO:dmarc@example.com" << "";
    QTest::newRow("mailto with headers") << "mailto:dmarc@example.com?subject=report" << "";
    QTest::newRow("mailto percent-encoded") << "mailto:dmarc%2Breports@example.com" << "";
    QTest::newRow("https with path") << "https://reports.example.com/v1/tlsrpt" << "";
    QTest::newRow("mailto single-label domain") << "mailto:dmarc@localhost" << "mail address";
    QTest::newRow("mailto empty") << "mailto:" << "mail address";
    QTest::newRow("https without host") << "https:///reports" << "https URL";
    QTest::newRow("http") << "http://reports.example.com/" << "mailto: or https:";
    QTest::newRow("bare address") << "dmarc@example.com" << "needs 'mailto:'";
    QTest::newRow("empty") << "" << "mailto: or https:";
}

void TestDmarcRecord::reportUri()
{
    QFETCH(QString, uri);
    QFETCH(QString, problem);
    const QString found = reportUriProblem(uri);
    if (problem.isEmpty())
        QVERIFY2(found.isEmpty(), qPrintable(found));
    else
        QVERIFY2(found.contains(problem), qPrintable(found));
}

QTEST_APPLESS_MAIN(TestDmarcRecord)
#include "tst_dmarcrecord.moc"
