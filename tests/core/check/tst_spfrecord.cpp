#include "check/spfrecord.h"

#include <QTest>

using namespace smtp;
using Kind = SpfTerm::Kind;

Q_DECLARE_METATYPE(QList<smtp::SpfTerm>)

namespace {

SpfTerm term(Kind kind, char16_t qualifier, const char *name, const char *value = "")
{
    return SpfTerm{kind, QChar(qualifier), QString::fromLatin1(name), QString::fromLatin1(value)};
}

// "v=spf1 include:i1.example.com ... include:iN.example.com -all"
QString withIncludes(int n)
{
    QString txt = QStringLiteral("v=spf1");
    for (int i = 1; i <= n; ++i)
        txt += QStringLiteral(" include:i%1.example.com").arg(i);
    return txt + QStringLiteral(" -all");
}

bool anyContains(const QStringList &list, const QString &word)
{
    return std::any_of(list.begin(), list.end(), [&word](const QString &s) { return s.contains(word); });
}

} // namespace

class TestSpfRecord : public QObject
{
    Q_OBJECT
private slots:
    void looksLikeSpf_data();
    void looksLikeSpf();
    void parse_data();
    void parse();
    void terms_data();
    void terms();
    void summary_data();
    void summary();
};

void TestSpfRecord::looksLikeSpf_data()
{
    QTest::addColumn<QString>("txt");
    QTest::addColumn<bool>("spf");

    QTest::newRow("version and terms") << "v=spf1 -all" << true;
    QTest::newRow("version alone") << "v=spf1" << true;
    QTest::newRow("upper case") << "V=SPF1 mx -all" << true;
    QTest::newRow("v=spf10 is another version") << "v=spf10 -all" << false;
    QTest::newRow("tab after version") << "v=spf1\t-all" << false;
    QTest::newRow("leading space") << " v=spf1 -all" << false;
    QTest::newRow("Sender ID record") << "v=spf2.0/pra include:example.com -all" << false;
    QTest::newRow("DMARC record") << "v=DMARC1; p=none" << false;
    QTest::newRow("verification token") << "google-site-verification=abc123" << false;
    QTest::newRow("empty") << "" << false;
}

void TestSpfRecord::looksLikeSpf()
{
    QFETCH(QString, txt);
    QFETCH(bool, spf);
    QCOMPARE(SpfRecord::looksLikeSpf(txt), spf);
}

void TestSpfRecord::parse_data()
{
    QTest::addColumn<QString>("txt");
    QTest::addColumn<int>("termCount");
    QTest::addColumn<int>("lookups");
    QTest::addColumn<QString>("all");     // the 'all' qualifier; empty: no 'all'
    QTest::addColumn<QString>("error");   // a word some error must contain; empty: no errors
    QTest::addColumn<QString>("warning"); // a word some warning must contain; empty: no warnings

    // Valid records, as big senders publish them.
    QTest::newRow("Google Workspace softfail") << "v=spf1 include:_spf.google.com ~all" << 2 << 1 << "~" << "" << "";
    QTest::newRow("Microsoft 365 tenant") << "v=spf1 include:spf.protection.outlook.com -all" << 2 << 1 << "-" << "" << "";
    QTest::newRow("microsoft.com six includes")
        << "v=spf1 include:_spf-a.microsoft.com include:_spf-b.microsoft.com include:_spf-c.microsoft.com "
           "include:_spf-ssg-a.msft.net include:spf-a.hotmail.com include:_spf1-meo.microsoft.com -all"
        << 7 << 6 << "-" << "" << "";
    QTest::newRow("ip4 and ip6 networks cost no lookup")
        << "v=spf1 ip4:192.0.2.0/24 ip4:198.51.100.7 ip6:2001:db8::/32 ip6:::ffff:192.0.2.1 -all" << 5 << 0 << "-" << "" << "";
    QTest::newRow("a and mx with dual CIDR") << "v=spf1 a mx/24 a:mail.example.com/28//64 mx:example.org//48 -all"
                                             << 5 << 4 << "-" << "" << "";
    QTest::newRow("prefix lengths at their limits") << "v=spf1 ip4:0.0.0.0/0 ip4:192.0.2.1/32 ip6:::/0 ip6:2001:db8::1/128 -all"
                                                    << 5 << 0 << "-" << "" << "";
    QTest::newRow("names in any case") << "V=SPF1 MX Include:_spf.Example.COM -ALL" << 3 << 2 << "-" << "" << "";
    QTest::newRow("redirect instead of all") << "v=spf1 redirect=_spf.example.com" << 1 << 1 << "" << "" << "";
    QTest::newRow("exp after all is fine") << "v=spf1 mx -all exp=explain._spf.%{d}" << 3 << 1 << "-" << "" << "";
    QTest::newRow("exists with macros") << "v=spf1 exists:%{ir}.%{l1r+-}._spf.%{d} -all" << 2 << 1 << "-" << "" << "";
    QTest::newRow("domain with trailing dot") << "v=spf1 include:_spf.example.com. -all" << 2 << 1 << "-" << "" << "";
    QTest::newRow("hyphenated numeric top label") << "v=spf1 a:mail.123-456 -all" << 2 << 1 << "-" << "" << "";
    QTest::newRow("extra spaces between terms") << "v=spf1  mx   -all  " << 2 << 1 << "-" << "" << "";
    QTest::newRow("neutral ?all") << "v=spf1 mx ?all" << 2 << 1 << "?" << "" << "";
    QTest::newRow("ten lookups is the limit") << withIncludes(10) << 11 << 10 << "-" << "" << "";

    // Legal, but worth a warning.
    QTest::newRow("bare version matches nothing") << "v=spf1" << 0 << 0 << "" << "" << "neutral";
    QTest::newRow("no all and no redirect") << "v=spf1 mx" << 1 << 1 << "" << "" << "neutral";
    QTest::newRow("+all lets anyone send") << "v=spf1 +all" << 1 << 0 << "+" << "" << "every host";
    QTest::newRow("all without qualifier is +all") << "v=spf1 ip4:192.0.2.1 all" << 2 << 0 << "+" << "" << "every host";
    QTest::newRow("ptr is discouraged") << "v=spf1 ptr -all" << 2 << 1 << "-" << "" << "5.5";
    QTest::newRow("ptr with domain is discouraged") << "v=spf1 ptr:example.com -all" << 2 << 1 << "-" << "" << "5.5";
    QTest::newRow("mechanism after all is dead") << "v=spf1 -all include:_spf.google.com" << 2 << 1 << "-" << "" << "never evaluated";
    QTest::newRow("redirect ignored beside all") << "v=spf1 mx ~all redirect=_spf.example.com" << 3 << 2 << "~" << "" << "ignored";
    QTest::newRow("unknown modifier") << "v=spf1 mx -all redirects=_spf.example.com" << 3 << 1 << "-" << "" << "Unknown modifier";

    // Errors: receivers answer permerror.
    QTest::newRow("eleven includes") << withIncludes(11) << 12 << 11 << "-" << "4.6.4" << "";
    QTest::newRow("v=spf10") << "v=spf10 -all" << 0 << 0 << "" << "v=spf1" << "";
    QTest::newRow("no version") << "include:_spf.google.com ~all" << 0 << 0 << "" << "v=spf1" << "";
    QTest::newRow("version glued to a term") << "v=spf1include:_spf.google.com ~all" << 0 << 0 << "" << "v=spf1" << "";
    QTest::newRow("empty text") << "" << 0 << 0 << "" << "v=spf1" << "";
    QTest::newRow("ip4 octet over 255") << "v=spf1 ip4:192.0.2.300 -all" << 2 << 0 << "-" << "not an IPv4 address" << "";
    QTest::newRow("ip4 prefix over 32") << "v=spf1 ip4:192.0.2.0/33 -all" << 2 << 0 << "-" << "0 to 32" << "";
    QTest::newRow("ip4 empty prefix") << "v=spf1 ip4:192.0.2.0/ -all" << 2 << 0 << "-" << "0 to 32" << "";
    QTest::newRow("ip4 short form") << "v=spf1 ip4:10.1 -all" << 2 << 0 << "-" << "not an IPv4 address" << "";
    QTest::newRow("ip4 leading zero") << "v=spf1 ip4:192.0.2.010 -all" << 2 << 0 << "-" << "not an IPv4 address" << "";
    QTest::newRow("ip4 holding an IPv6 address") << "v=spf1 ip4:2001:db8::1 -all" << 2 << 0 << "-" << "not an IPv4 address" << "";
    QTest::newRow("ip4 without address") << "v=spf1 ip4 -all" << 2 << 0 << "-" << "needs an address" << "";
    QTest::newRow("ip4 with empty address") << "v=spf1 ip4: -all" << 2 << 0 << "-" << "needs an address" << "";
    QTest::newRow("ip6 triple colon") << "v=spf1 ip6:2001:db8:::1 -all" << 2 << 0 << "-" << "not an IPv6 address" << "";
    QTest::newRow("ip6 holding an IPv4 address") << "v=spf1 ip6:192.0.2.1 -all" << 2 << 0 << "-" << "not an IPv6 address" << "";
    QTest::newRow("ip6 prefix over 128") << "v=spf1 ip6:2001:db8::/129 -all" << 2 << 0 << "-" << "0 to 128" << "";
    QTest::newRow("ip6 zone refused") << "v=spf1 ip6:fe80::1%eth0 -all" << 2 << 0 << "-" << "not an IPv6 address" << "";
    QTest::newRow("unknown mechanism ipv4") << "v=spf1 ipv4:192.0.2.1 -all" << 1 << 0 << "-" << "unknown mechanism" << "";
    QTest::newRow("lone qualifier") << "v=spf1 mx - all" << 2 << 1 << "+" << "unknown mechanism" << "every host";
    QTest::newRow("include without domain") << "v=spf1 include -all" << 2 << 1 << "-" << "needs a domain" << "";
    QTest::newRow("include with empty domain") << "v=spf1 include: -all" << 2 << 1 << "-" << "needs a domain" << "";
    QTest::newRow("include of an IP address") << "v=spf1 include:192.0.2.1 -all" << 2 << 1 << "-" << "not a valid domain" << "";
    QTest::newRow("include of a single label") << "v=spf1 include:localhost -all" << 2 << 1 << "-" << "not a valid domain" << "";
    QTest::newRow("include with empty label") << "v=spf1 include:_spf..example.com -all" << 2 << 1 << "-" << "not a valid domain" << "";
    QTest::newRow("exists without domain") << "v=spf1 exists: -all" << 2 << 1 << "-" << "needs a domain" << "";
    QTest::newRow("unknown macro letter") << "v=spf1 exists:%{z}.example.com -all" << 2 << 1 << "-" << "not a valid domain" << "";
    QTest::newRow("unclosed macro") << "v=spf1 exists:%{i.example.com -all" << 2 << 1 << "-" << "not a valid domain" << "";
    QTest::newRow("redirect twice") << "v=spf1 redirect=a.example.com redirect=b.example.com" << 2 << 2 << "" << "at most once" << "";
    QTest::newRow("exp twice") << "v=spf1 -all exp=a.example.com exp=b.example.com" << 3 << 0 << "-" << "at most once" << "";
    QTest::newRow("redirect without domain") << "v=spf1 redirect=" << 1 << 1 << "" << "after '='" << "";
    QTest::newRow("all with argument") << "v=spf1 all:example.com" << 1 << 0 << "+" << "no argument" << "every host";
    QTest::newRow("a prefix with leading zero") << "v=spf1 a/024 -all" << 2 << 1 << "-" << "0 to 32" << "";
    QTest::newRow("mx IPv6 prefix over 128") << "v=spf1 mx//129 -all" << 2 << 1 << "-" << "0 to 128" << "";
    QTest::newRow("a with garbage after the prefix") << "v=spf1 a/24/ -all" << 2 << 1 << "-" << "CIDR" << "";
    QTest::newRow("ptr with prefix") << "v=spf1 ptr/24 -all" << 2 << 1 << "-" << "no CIDR" << "5.5";
    QTest::newRow("qualified modifier") << "v=spf1 -redirect=_spf.example.com" << 0 << 0 << "" << "no qualifier" << "neutral";
    QTest::newRow("stray percent in modifier") << "v=spf1 -all note=50%" << 2 << 0 << "-" << "stray '%'" << "Unknown modifier";
    QTest::newRow("tab between terms") << "v=spf1 mx\t-all" << 0 << 0 << "" << "tab" << "neutral";
    QTest::newRow("non-ASCII domain") << QStringLiteral("v=spf1 include:_spf.b\u00fccher.example -all") << 2 << 1 << "-"
                                      << "non-ASCII" << "";
}

void TestSpfRecord::parse()
{
    QFETCH(QString, txt);
    QFETCH(int, termCount);
    QFETCH(int, lookups);
    QFETCH(QString, all);
    QFETCH(QString, error);
    QFETCH(QString, warning);
    const SpfRecord r = SpfRecord::parse(txt);
    QCOMPARE(r.terms.size(), termCount);
    QCOMPARE(r.lookupTerms(), lookups);
    QCOMPARE(r.allQualifier().has_value(), !all.isEmpty());
    if (!all.isEmpty())
        QCOMPARE(*r.allQualifier(), all.front());
    if (error.isEmpty())
        QVERIFY2(r.errors.isEmpty() && r.isValid(), qPrintable(r.errors.join(QLatin1Char('|'))));
    else
        QVERIFY2(anyContains(r.errors, error), qPrintable(r.errors.join(QLatin1Char('|'))));
    if (warning.isEmpty())
        QVERIFY2(r.warnings.isEmpty(), qPrintable(r.warnings.join(QLatin1Char('|'))));
    else
        QVERIFY2(anyContains(r.warnings, warning), qPrintable(r.warnings.join(QLatin1Char('|'))));
}

void TestSpfRecord::terms_data()
{
    QTest::addColumn<QString>("txt");
    QTest::addColumn<QList<SpfTerm>>("expected");

    QTest::newRow("Google Workspace") << "v=spf1 include:_spf.google.com ~all"
                                      << QList<SpfTerm>{term(Kind::Include, u'+', "include", "_spf.google.com"),
                                                        term(Kind::All, u'~', "all")};
    QTest::newRow("every qualifier")
        << "v=spf1 +a -mx ~ptr ?exists:%{i}.bl.example.com"
        << QList<SpfTerm>{term(Kind::A, u'+', "a"), term(Kind::Mx, u'-', "mx"), term(Kind::Ptr, u'~', "ptr"),
                          term(Kind::Exists, u'?', "exists", "%{i}.bl.example.com")};
    QTest::newRow("CIDR stays in the value")
        << "v=spf1 a/24 mx:example.org//64 ip4:192.0.2.0/24 ip6:2001:db8::/32 -all"
        << QList<SpfTerm>{term(Kind::A, u'+', "a", "/24"), term(Kind::Mx, u'+', "mx", "example.org//64"),
                          term(Kind::Ip4, u'+', "ip4", "192.0.2.0/24"), term(Kind::Ip6, u'+', "ip6", "2001:db8::/32"),
                          term(Kind::All, u'-', "all")};
    QTest::newRow("modifier names lower-cased, values kept")
        << "v=spf1 -ALL Redirect=_SPF.Example.com exp=Why.example.com X-Custom=On"
        << QList<SpfTerm>{term(Kind::All, u'-', "all"), term(Kind::Redirect, u'+', "redirect", "_SPF.Example.com"),
                          term(Kind::Exp, u'+', "exp", "Why.example.com"), term(Kind::Modifier, u'+', "x-custom", "On")};
    QTest::newRow("equals after colon is a mechanism") << "v=spf1 include:a.example.com/x=y -all"
                                                       << QList<SpfTerm>{term(Kind::Include, u'+', "include", "a.example.com/x=y"),
                                                                         term(Kind::All, u'-', "all")};
    QTest::newRow("malformed known term is kept") << "v=spf1 ip4:192.0.2.300"
                                                  << QList<SpfTerm>{term(Kind::Ip4, u'+', "ip4", "192.0.2.300")};
    QTest::newRow("unknown mechanism is dropped") << "v=spf1 ipv6:2001:db8::1 ~all"
                                                  << QList<SpfTerm>{term(Kind::All, u'~', "all")};
}

void TestSpfRecord::terms()
{
    QFETCH(QString, txt);
    QFETCH(QList<SpfTerm>, expected);
    QCOMPARE(SpfRecord::parse(txt).terms, expected);
}

void TestSpfRecord::summary_data()
{
    QTest::addColumn<QString>("txt");
    QTest::addColumn<QStringList>("includes");
    QTest::addColumn<QString>("redirect");

    QTest::newRow("no includes, no redirect") << "v=spf1 mx -all" << QStringList() << "";
    QTest::newRow("includes in order") << "v=spf1 include:b.example.com mx include:a.example.com -all"
                                       << QStringList{"b.example.com", "a.example.com"} << "";
    QTest::newRow("redirect") << "v=spf1 include:a.example.com redirect=_spf.example.net"
                              << QStringList{"a.example.com"} << "_spf.example.net";
    QTest::newRow("first of two redirects") << "v=spf1 redirect=one.example.com redirect=two.example.com"
                                            << QStringList() << "one.example.com";
    QTest::newRow("not SPF") << "v=spf10 include:a.example.com" << QStringList() << "";
}

void TestSpfRecord::summary()
{
    QFETCH(QString, txt);
    QFETCH(QStringList, includes);
    QFETCH(QString, redirect);
    const SpfRecord r = SpfRecord::parse(txt);
    QCOMPARE(r.includes(), includes);
    QCOMPARE(r.redirect(), redirect);
}

QTEST_APPLESS_MAIN(TestSpfRecord)
#include "tst_spfrecord.moc"
