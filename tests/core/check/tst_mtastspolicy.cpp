#include "check/mtastspolicy.h"

#include <QTest>

using namespace smtp;
using Mode = MtaStsPolicy::Mode;

namespace {

bool anyContains(const QStringList &list, const QString &word)
{
    return std::any_of(list.begin(), list.end(), [&word](const QString &s) { return s.contains(word); });
}

QString modeName(const std::optional<Mode> &mode)
{
    if (!mode)
        return {};
    switch (*mode) {
    case Mode::Enforce:
        return QStringLiteral("enforce");
    case Mode::Testing:
        return QStringLiteral("testing");
    case Mode::None:
        return QStringLiteral("none");
    }
    return {};
}

// A valid policy in enforce mode whose other lines the rows replace or add to.
QString enforcePolicyWith(const QString &extra)
{
    return QStringLiteral("version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 604800\n") + extra;
}

} // namespace

class TestMtaStsPolicy : public QObject
{
    Q_OBJECT
private slots:
    void looksLikeMtaSts_data();
    void looksLikeMtaSts();
    void record_data();
    void record();
    void policy_data();
    void policy();
    void mxPattern_data();
    void mxPattern();
    void matchesMx_data();
    void matchesMx();
};

void TestMtaStsPolicy::looksLikeMtaSts_data()
{
    QTest::addColumn<QString>("txt");
    QTest::addColumn<bool>("sts");

    QTest::newRow("RFC 8461 example") << "v=STSv1; id=20160831085700Z;" << true;
    QTest::newRow("no space after semicolon") << "v=STSv1;id=1" << true;
    QTest::newRow("version alone") << "v=STSv1" << true;
    QTest::newRow("lower case") << "v=stsv1; id=1" << false;
    QTest::newRow("STSv10") << "v=STSv10; id=1" << false;
    QTest::newRow("id first") << "id=1; v=STSv1" << false;
    QTest::newRow("leading space") << " v=STSv1; id=1" << false;
    QTest::newRow("SPF record") << "v=spf1 -all" << false;
    QTest::newRow("empty") << "" << false;
}

void TestMtaStsPolicy::looksLikeMtaSts()
{
    QFETCH(QString, txt);
    QFETCH(bool, sts);
    QCOMPARE(MtaStsRecord::looksLikeMtaSts(txt), sts);
}

void TestMtaStsPolicy::record_data()
{
    QTest::addColumn<QString>("txt");
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("error");    // a word some error must contain; empty: no errors
    QTest::addColumn<QString>("warning");  // a word some warning must contain; empty: no warnings

    QTest::newRow("RFC 8461 example") << "v=STSv1; id=20160831085700Z;" << "20160831085700Z" << "" << "";
    QTest::newRow("no trailing semicolon") << "v=STSv1; id=20190429T010101" << "20190429T010101" << "" << "";
    QTest::newRow("tight") << "v=STSv1;id=abc" << "abc" << "" << "";
    QTest::newRow("32 characters") << "v=STSv1; id=" + QString(32, QLatin1Char('a')) << QString(32, QLatin1Char('a')) << "" << "";
    QTest::newRow("extension ignored") << "v=STSv1; id=1; ext=value" << "1" << "" << "Unknown field 'ext='";
    QTest::newRow("33 characters") << "v=STSv1; id=" + QString(33, QLatin1Char('a')) << "" << "1 to 32" << "";
    QTest::newRow("id with hyphens") << "v=STSv1; id=2019-04-29" << "" << "1 to 32" << "";
    QTest::newRow("empty id") << "v=STSv1; id=" << "" << "1 to 32" << "";
    QTest::newRow("missing id") << "v=STSv1;" << "" << "no id=" << "";
    QTest::newRow("id twice") << "v=STSv1; id=1; id=2" << "1" << "more than once" << "";
    QTest::newRow("space instead of semicolon") << "v=STSv1 id=123" << "" << "exactly v=STSv1" << "";
    QTest::newRow("lower-case version") << "v=stsv1; id=1" << "" << "start with v=STSv1" << "";
    QTest::newRow("STSv2") << "v=STSv2; id=1" << "" << "start with v=STSv1" << "";
    QTest::newRow("id first") << "id=1; v=STSv1" << "" << "start with v=STSv1" << "";
    QTest::newRow("field without value") << "v=STSv1; id=1; ext" << "1" << "name=value" << "";
    QTest::newRow("malformed extension name") << "v=STSv1; id=1; _ext=1" << "1" << "well-formed" << "";
    QTest::newRow("DMARC record") << "v=DMARC1; p=none" << "" << "start with v=STSv1" << "";
}

void TestMtaStsPolicy::record()
{
    QFETCH(QString, txt);
    QFETCH(QString, id);
    QFETCH(QString, error);
    QFETCH(QString, warning);
    const MtaStsRecord r = MtaStsRecord::parse(txt);
    QCOMPARE(r.id, id);
    if (error.isEmpty())
        QVERIFY2(r.errors.isEmpty() && r.isValid(), qPrintable(r.errors.join(QLatin1Char('|'))));
    else
        QVERIFY2(anyContains(r.errors, error), qPrintable(r.errors.join(QLatin1Char('|'))));
    if (warning.isEmpty())
        QVERIFY2(r.warnings.isEmpty(), qPrintable(r.warnings.join(QLatin1Char('|'))));
    else
        QVERIFY2(anyContains(r.warnings, warning), qPrintable(r.warnings.join(QLatin1Char('|'))));
}

void TestMtaStsPolicy::policy_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("mode");     // empty: missing or invalid
    QTest::addColumn<QStringList>("mx");
    QTest::addColumn<int>("maxAge");       // -1: missing or invalid
    QTest::addColumn<QString>("error");    // a word some error must contain; empty: no errors
    QTest::addColumn<QString>("warning");  // a word some warning must contain; empty: no warnings

    const QStringList one{QStringLiteral("mx.example.com")};

    // Valid policies.
    QTest::newRow("Gmail's policy") << "version: STSv1\nmode: enforce\nmx: gmail-smtp-in.l.google.com\n"
                                       "mx: *.gmail-smtp-in.l.google.com\nmax_age: 86400\n"
                                    << "enforce" << QStringList{"gmail-smtp-in.l.google.com", "*.gmail-smtp-in.l.google.com"}
                                    << 86400 << "" << "";
    QTest::newRow("CRLF line ends") << "version: STSv1\r\nmode: enforce\r\nmx: mx.example.com\r\nmax_age: 604800\r\n"
                                    << "enforce" << one << 604800 << "" << "";
    QTest::newRow("no final line end") << "version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 604800"
                                       << "enforce" << one << 604800 << "" << "";
    QTest::newRow("fields in any order") << "max_age: 604800\nmx: mx.example.com\nmode: enforce\nversion: STSv1\n"
                                         << "enforce" << one << 604800 << "" << "";
    QTest::newRow("no space or a tab after colon") << "version:STSv1\nmode:\tenforce\nmx: mx.example.com\nmax_age:604800"
                                                   << "enforce" << one << 604800 << "" << "";
    QTest::newRow("trailing spaces and blank lines") << "version: STSv1  \nmode: enforce\t\nmx: mx.example.com \n"
                                                        "max_age: 604800\n\n\r\n"
                                                     << "enforce" << one << 604800 << "" << "";
    QTest::newRow("max_age at its maximum") << "version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 31557600\n"
                                            << "enforce" << one << 31557600 << "" << "";
    QTest::newRow("mx with trailing dot") << "version: STSv1\nmode: enforce\nmx: mx.example.com.\nmax_age: 604800\n"
                                          << "enforce" << QStringList{"mx.example.com."} << 604800 << "" << "";

    // Legal, but worth a warning.
    QTest::newRow("testing mode") << "version: STSv1\nmode: testing\nmx: mx.example.com\nmax_age: 604800\n"
                                  << "testing" << one << 604800 << "" << "still deliver";
    QTest::newRow("none mode without mx") << "version: STSv1\nmode: none\nmax_age: 86400\n"
                                          << "none" << QStringList() << 86400 << "" << "withdrawn";
    QTest::newRow("short max_age") << "version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 3600\n"
                                   << "enforce" << one << 3600 << "" << "under a day";
    QTest::newRow("max_age zero") << "version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 0\n"
                                  << "enforce" << one << 0 << "" << "under a day";
    QTest::newRow("unknown field") << enforcePolicyWith(QStringLiteral("report_uri: mailto:tls@example.com\n"))
                                   << "enforce" << one << 604800 << "" << "Unknown field 'report_uri'";

    // Errors.
    QTest::newRow("empty file") << "" << "" << QStringList() << -1 << "no 'version" << "";
    QTest::newRow("HTML error page") << "<html><body>404 Not Found</body></html>" << "" << QStringList() << -1
                                     << "not 'key: value'" << "";
    QTest::newRow("version missing") << "mode: enforce\nmx: mx.example.com\nmax_age: 604800\n"
                                     << "enforce" << one << 604800 << "no 'version" << "";
    QTest::newRow("version STSv2") << "version: STSv2\nmode: enforce\nmx: mx.example.com\nmax_age: 604800\n"
                                   << "enforce" << one << 604800 << "not STSv1" << "";
    QTest::newRow("mode missing") << "version: STSv1\nmx: mx.example.com\nmax_age: 604800\n"
                                  << "" << one << 604800 << "no 'mode'" << "";
    QTest::newRow("mode enforcing") << "version: STSv1\nmode: enforcing\nmx: mx.example.com\nmax_age: 604800\n"
                                    << "" << one << 604800 << "not enforce, testing or none" << "";
    QTest::newRow("mode value capitalised") << "version: STSv1\nmode: Enforce\nmx: mx.example.com\nmax_age: 604800\n"
                                            << "" << one << 604800 << "not enforce, testing or none" << "";
    QTest::newRow("max_age missing") << "version: STSv1\nmode: enforce\nmx: mx.example.com\n"
                                     << "enforce" << one << -1 << "no 'max_age'" << "";
    QTest::newRow("max_age over a year") << "version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 31557601\n"
                                         << "enforce" << one << -1 << "0 to 31557600" << "";
    QTest::newRow("max_age eleven digits") << "version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 10000000000\n"
                                           << "enforce" << one << -1 << "0 to 31557600" << "";
    QTest::newRow("max_age negative") << "version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: -1\n"
                                      << "enforce" << one << -1 << "0 to 31557600" << "";
    QTest::newRow("max_age with unit") << "version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 7d\n"
                                       << "enforce" << one << -1 << "0 to 31557600" << "";
    QTest::newRow("enforce without mx") << "version: STSv1\nmode: enforce\nmax_age: 604800\n"
                                        << "enforce" << QStringList() << 604800 << "no 'mx'" << "";
    QTest::newRow("wildcard in the middle") << enforcePolicyWith(QStringLiteral("mx: mx.*.example.com\n"))
                                            << "enforce" << one << 604800 << "leftmost" << "";
    QTest::newRow("wildcard inside a label") << enforcePolicyWith(QStringLiteral("mx: *mx.example.com\n"))
                                             << "enforce" << one << 604800 << "leftmost" << "";
    QTest::newRow("bare wildcard") << enforcePolicyWith(QStringLiteral("mx: *\n")) << "enforce" << one << 604800 << "leftmost" << "";
    QTest::newRow("mx with underscore") << enforcePolicyWith(QStringLiteral("mx: mx_1.example.com\n"))
                                        << "enforce" << one << 604800 << "not a host name" << "";
    QTest::newRow("mx empty") << enforcePolicyWith(QStringLiteral("mx:\n")) << "enforce" << one << 604800 << "not a host name" << "";
    QTest::newRow("mode twice") << enforcePolicyWith(QStringLiteral("mode: testing\n"))
                                << "enforce" << one << 604800 << "more than once" << "";
    QTest::newRow("field name capitalised") << "version: STSv1\nMode: enforce\nmx: mx.example.com\nmax_age: 604800\n"
                                            << "" << one << 604800 << "lower case" << "";
    QTest::newRow("space before colon") << "version: STSv1\nmode : enforce\nmx: mx.example.com\nmax_age: 604800\n"
                                        << "enforce" << one << 604800 << "no space" << "";
    QTest::newRow("line without colon") << enforcePolicyWith(QStringLiteral("mx mx2.example.com\n"))
                                        << "enforce" << one << 604800 << "Line 5" << "";
    QTest::newRow("unknown field without value") << enforcePolicyWith(QStringLiteral("note:\n"))
                                                 << "enforce" << one << 604800 << "well-formed" << "";
}

void TestMtaStsPolicy::policy()
{
    QFETCH(QString, text);
    QFETCH(QString, mode);
    QFETCH(QStringList, mx);
    QFETCH(int, maxAge);
    QFETCH(QString, error);
    QFETCH(QString, warning);
    const MtaStsPolicy p = MtaStsPolicy::parse(text);
    QCOMPARE(modeName(p.mode), mode);
    QCOMPARE(p.mx, mx);
    QCOMPARE(p.maxAge.value_or(-1), maxAge);
    if (error.isEmpty()) {
        QVERIFY2(p.errors.isEmpty() && p.isValid(), qPrintable(p.errors.join(QLatin1Char('|'))));
        QCOMPARE(p.version, QStringLiteral("STSv1"));
    } else {
        QVERIFY2(anyContains(p.errors, error), qPrintable(p.errors.join(QLatin1Char('|'))));
    }
    if (warning.isEmpty())
        QVERIFY2(p.warnings.isEmpty(), qPrintable(p.warnings.join(QLatin1Char('|'))));
    else
        QVERIFY2(anyContains(p.warnings, warning), qPrintable(p.warnings.join(QLatin1Char('|'))));
}

void TestMtaStsPolicy::mxPattern_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QString>("host");
    QTest::addColumn<bool>("matches");

    QTest::newRow("exact") << "mx.example.com" << "mx.example.com" << true;
    QTest::newRow("case-insensitive") << "MX.Example.COM" << "mx.example.com" << true;
    QTest::newRow("host with trailing dot") << "mx.example.com" << "mx.example.com." << true;
    QTest::newRow("pattern with trailing dot") << "mx.example.com." << "mx.example.com" << true;
    QTest::newRow("other host") << "mx.example.com" << "mx2.example.com" << false;
    QTest::newRow("exact does not take subdomains") << "example.com" << "mx.example.com" << false;
    QTest::newRow("wildcard takes one label") << "*.example.com" << "mx.example.com" << true;
    QTest::newRow("wildcard case-insensitive") << "*.EXAMPLE.com" << "MX1.example.COM." << true;
    QTest::newRow("wildcard not two labels") << "*.example.com" << "a.b.example.com" << false;
    QTest::newRow("wildcard not the bare domain") << "*.example.com" << "example.com" << false;
    QTest::newRow("wildcard not an empty label") << "*.example.com" << ".example.com" << false;
    QTest::newRow("wildcard respects label boundary") << "*.example.com" << "mx.notexample.com" << false;
    QTest::newRow("lookalike domain") << "example.com" << "evil-example.com" << false;
    QTest::newRow("empty host") << "mx.example.com" << "" << false;
}

void TestMtaStsPolicy::mxPattern()
{
    QFETCH(QString, pattern);
    QFETCH(QString, host);
    QFETCH(bool, matches);
    QCOMPARE(MtaStsPolicy::mxPatternMatches(pattern, host), matches);
}

void TestMtaStsPolicy::matchesMx_data()
{
    QTest::addColumn<QString>("host");
    QTest::addColumn<bool>("matches");

    // Against the Gmail-shaped policy below: one exact pattern, one wildcard.
    QTest::newRow("exact pattern") << "gmail-smtp-in.l.google.com" << true;
    QTest::newRow("wildcard pattern") << "alt1.gmail-smtp-in.l.google.com." << true;
    QTest::newRow("two labels under the wildcard") << "a.alt1.gmail-smtp-in.l.google.com" << false;
    QTest::newRow("unlisted host") << "mx.attacker.example" << false;
    QTest::newRow("invalid pattern was not kept") << "mx.*.example.com" << false;
}

void TestMtaStsPolicy::matchesMx()
{
    QFETCH(QString, host);
    QFETCH(bool, matches);
    const MtaStsPolicy p = MtaStsPolicy::parse(QStringLiteral(
        "version: STSv1\nmode: enforce\nmx: gmail-smtp-in.l.google.com\nmx: *.gmail-smtp-in.l.google.com\n"
        "mx: mx.*.example.com\nmax_age: 86400\n"));
    QCOMPARE(p.mx.size(), 2);
    QCOMPARE(p.matchesMx(host), matches);
}

QTEST_APPLESS_MAIN(TestMtaStsPolicy)
#include "tst_mtastspolicy.moc"
