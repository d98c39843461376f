// The server check against real servers: Debian's Postfix in several configurations, an NSD
// serving zones signed at test time (one of them forged), nginx serving an MTA-STS policy,
// and the practice server's flawed scenarios. Each row is a verdict a user relies on.

#include "check/checkreport.h"
#include "check/serverchecker.h"
#include "lab/labserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>

using namespace smtp;

namespace {

const QString kDnsDir = QStringLiteral(SMTPWB_DNS_DIR);

CheckOptions realServers(const QString &target)
{
    CheckOptions o;
    o.target = target;
    o.port = SMTPWB_POSTFIX_PORT;
    o.nameserver = QStringLiteral("127.0.0.1:%1").arg(SMTPWB_DNS_PORT);
    o.trustAnchorFile = kDnsDir + QStringLiteral("/trust-anchors.txt");
    o.caFile = kDnsDir + QStringLiteral("/ca.pem");
    o.httpsPort = SMTPWB_HTTPS_PORT;
    o.timeoutSeconds = 5;
    o.heloName = QStringLiteral("checker.test.local");
    return o;
}

QList<CheckResult> runChecks(const CheckOptions &options)
{
    ServerChecker checker;
    QSignalSpy finished(&checker, &ServerChecker::finished);
    QString error;
    if (!checker.start(options, &error))
        qFatal("cannot start the check: %s", qPrintable(error));
    if (!finished.wait(60000))
        qFatal("the check of %s did not finish in 60 s", qPrintable(options.target));
    return checker.results();
}

// The one result of `id` (on `host` when given); a failure names what there was instead.
std::optional<CheckResult> find(const QList<CheckResult> &results, const QString &id, const QString &host = {})
{
    for (const CheckResult &r : results) {
        if (r.id == id && (host.isEmpty() || r.host == host))
            return r;
    }
    return std::nullopt;
}

QString dump(const QList<CheckResult> &results)
{
    return checkReportText(QStringLiteral("(test)"), results, true);
}

} // namespace

class TestCheck : public QObject
{
    Q_OBJECT
private slots:
    void verdictOnRealServers_data();
    void verdictOnRealServers();
    void nullMxChecksNoHost();
    void unreachableHostSkipsTheRest();
    void onlyTheChecksAskedFor();
    void flawsOfThePracticeServer_data();
    void flawsOfThePracticeServer();
    void commandLineJson();
    void commandLineRefusesBadOptions_data();
    void commandLineRefusesBadOptions();
};

void TestCheck::verdictOnRealServers_data()
{
    QTest::addColumn<QString>("target");
    QTest::addColumn<bool>("withRcpt");
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("status");
    QTest::addColumn<QString>("summaryHas");

    const QString mx = QStringLiteral("mx.test.local:%1").arg(SMTPWB_POSTFIX_PORT);
    const auto port = [](int p) { return QStringLiteral("127.0.0.1:%1").arg(p); };
    QTest::newRow("MX found, DNSSEC secure") << "test.local" << false << "mx" << "test.local" << "pass" << "1 MX";
    QTest::newRow("SPF -all") << "test.local" << false << "spf" << "" << "pass" << "-all";
    QTest::newRow("DMARC p=reject") << "test.local" << false << "dmarc" << "" << "pass" << "reject";
    QTest::newRow("MTA-STS policy over HTTPS, enforce") << "test.local" << false << "mta-sts" << "" << "pass" << "enforce";
    QTest::newRow("TLS-RPT record") << "test.local" << false << "tls-rpt" << "" << "pass" << "tlsrpt@test.local";
    QTest::newRow("PTR forward-confirmed") << "test.local" << false << "ptr" << mx << "pass" << "mx.test.local";
    QTest::newRow("banner name matches the PTR") << "test.local" << false << "banner" << mx << "pass" << "mx.test.local";
    QTest::newRow("DANE 3 1 1 matches, secure") << "test.local" << false << "dane" << mx << "pass" << "3 1 1";
    QTest::newRow("certificate verifies with the test CA") << "test.local" << false << "certificate" << mx << "pass" << "valid for mx.test.local";
    QTest::newRow("STARTTLS negotiated") << "test.local" << false << "starttls" << mx << "pass" << "TLS";
    QTest::newRow("TLS 1.2 and 1.3 accepted") << "test.local" << false << "tls-versions" << mx << "pass" << "TLS 1.2, TLS 1.3";
    QTest::newRow("plaintext after STARTTLS discarded") << "test.local" << false << "starttls-injection" << mx << "pass" << "discarded";
    QTest::newRow("relaying refused") << "test.local" << false << "open-relay" << mx << "pass" << "554";
    QTest::newRow("AUTH only after TLS") << "test.local" << false << "auth-plaintext" << mx << "pass" << "no AUTH";
    QTest::newRow("VRFY tells users apart") << "test.local" << false << "vrfy" << mx << "warn" << "VRFY";
    QTest::newRow("no postmaster mailbox") << "test.local" << false << "postmaster" << mx << "fail" << "postmaster@test.local";
    QTest::newRow("smuggling needs --rcpt") << "test.local" << false << "smuggling" << mx << "skip" << "--rcpt";

    QTest::newRow("smuggling: bare newline allowed, flagged")
        << port(SMTPWB_POSTFIX_SMUGGLE_PORT) << true << "smuggling" << "" << "fail" << "\\n.\\r\\n";
    QTest::newRow("smuggling: smtpd_forbid_bare_newline = yes, not flagged")
        << port(SMTPWB_POSTFIX_PATCHED_PORT) << true << "smuggling" << "" << "pass" << "only at <CRLF>.<CRLF>";
    QTest::newRow("open relay flagged") << port(SMTPWB_POSTFIX_RELAY_PORT) << false << "open-relay" << "" << "fail" << "open relay";
    QTest::newRow("TLS 1.2 only: no TLS 1.3")
        << port(SMTPWB_POSTFIX_TLS12_PORT) << false << "tls-versions" << "" << "pass" << "accepts TLS 1.2";

    QTest::newRow("forged signature on the TLSA: bogus")
        << "broken.test" << false << "dane" << "" << "fail" << "BOGUS";
    QTest::newRow("TLSA that matches nothing") << "wrongtlsa.test.local" << false << "dane" << "" << "fail" << "no TLSA record matches";
    QTest::newRow("address without PTR") << "noptr.test.local" << false << "ptr" << "" << "fail" << "127.0.0.3 has no PTR";
    QTest::newRow("SPF +all") << "badspf.test.local" << false << "spf" << "" << "fail" << "+all";
    QTest::newRow("MX naming a CNAME") << "cname.test.local" << false << "mx" << "" << "fail" << "CNAME";
    QTest::newRow("domain that does not exist") << "nonexist.test.local" << false << "mx" << "" << "fail" << "NXDOMAIN";
    QTest::newRow("no SPF at all") << "wrongtlsa.test.local" << false << "spf" << "" << "warn" << "no SPF";
}

void TestCheck::verdictOnRealServers()
{
    QFETCH(QString, target);
    QFETCH(bool, withRcpt);
    QFETCH(QString, id);
    QFETCH(QString, host);
    QFETCH(QString, status);
    QFETCH(QString, summaryHas);

    CheckOptions options = realServers(target);
    options.checks = {id};
    if (withRcpt)
        options.rcpt = QStringLiteral("alice@test.local");
    const QList<CheckResult> results = runChecks(options);
    const std::optional<CheckResult> r = find(results, id, host);
    QVERIFY2(r, qPrintable(dump(results)));
    QCOMPARE(checkStatusName(r->status), status);
    QVERIFY2(r->summary.contains(summaryHas), qPrintable(dump(results)));
    QVERIFY(!r->references.isEmpty());
    for (const CheckResult &other : results)
        QCOMPARE(other.id, id); // only what was asked for is shown
}

void TestCheck::nullMxChecksNoHost()
{
    const QList<CheckResult> results = runChecks(realServers(QStringLiteral("nullmx.test.local")));
    const std::optional<CheckResult> mx = find(results, QStringLiteral("mx"));
    QVERIFY(mx);
    QCOMPARE(mx->status, CheckStatus::Info);
    QVERIFY(mx->summary.contains(QLatin1String("null MX")));
    for (const CheckResult &r : results)
        QCOMPARE(r.host, QStringLiteral("nullmx.test.local")); // domain checks only
}

void TestCheck::unreachableHostSkipsTheRest()
{
    CheckOptions options = realServers(QStringLiteral("127.0.0.1:1"));
    const QList<CheckResult> results = runChecks(options);
    const std::optional<CheckResult> connect = find(results, QStringLiteral("connect"));
    QVERIFY2(connect, qPrintable(dump(results)));
    QCOMPARE(connect->status, CheckStatus::Fail);
    QVERIFY(connect->summary.contains(QLatin1String("cannot connect")));
    const std::optional<CheckResult> tls = find(results, QStringLiteral("starttls"));
    QVERIFY(tls);
    QCOMPARE(tls->status, CheckStatus::Skip);
}

void TestCheck::onlyTheChecksAskedFor()
{
    CheckOptions options = realServers(QStringLiteral("test.local"));
    options.checks = {QStringLiteral("spf"), QStringLiteral("banner")};
    const QList<CheckResult> results = runChecks(options);
    QStringList ids;
    for (const CheckResult &r : results)
        ids.append(r.id);
    ids.sort();
    QCOMPARE(ids, (QStringList{QStringLiteral("banner"), QStringLiteral("spf")}));
}

void TestCheck::flawsOfThePracticeServer_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("status");

    QTest::newRow("starttls-buffering: plaintext run inside TLS") << "starttls-buffering" << "starttls-injection" << "fail";
    QTest::newRow("starttls-injection: a reply sent with the 220") << "starttls-injection" << "starttls" << "fail";
    QTest::newRow("starttls-stripped: STARTTLS not offered") << "starttls-stripped" << "starttls" << "fail";
    QTest::newRow("smuggling-lf: ends DATA at a bare LF dot") << "smuggling-lf" << "smuggling" << "fail";
    QTest::newRow("open-relay") << "open-relay" << "open-relay" << "fail";
    QTest::newRow("user-enumeration: VRFY tells users apart") << "user-enumeration" << "vrfy" << "warn";
    QTest::newRow("auth-plaintext: AUTH PLAIN before TLS") << "auth-plaintext" << "auth-plaintext" << "fail";
    QTest::newRow("all-good: no injection") << "all-good" << "starttls-injection" << "pass";
    QTest::newRow("all-good: no smuggling") << "all-good" << "smuggling" << "pass";
    QTest::newRow("relay-denied: no relay") << "relay-denied" << "open-relay" << "pass";
    QTest::newRow("all-good: accepts any recipient, an open relay") << "all-good" << "open-relay" << "fail";
    QTest::newRow("all-good: STARTTLS") << "all-good" << "starttls" << "pass";
}

void TestCheck::flawsOfThePracticeServer()
{
    QFETCH(QString, scenario);
    QFETCH(QString, id);
    QFETCH(QString, status);

    const std::optional<LabScenario> loaded = LabScenario::load(scenario);
    QVERIFY(loaded);
    LabServer lab;
    QVERIFY2(lab.start(*loaded), qPrintable(lab.errorString()));
    CheckOptions options;
    options.target = QStringLiteral("127.0.0.1:%1").arg(lab.port());
    options.rcpt = QStringLiteral("alice@lab.test");
    options.checks = {id};
    options.timeoutSeconds = 5;
    options.nameserver = QStringLiteral("127.0.0.1:%1").arg(SMTPWB_DNS_PORT);
    const QList<CheckResult> results = runChecks(options);
    const std::optional<CheckResult> r = find(results, id);
    QVERIFY2(r, qPrintable(dump(results)));
    QVERIFY2(checkStatusName(r->status) == status, qPrintable(dump(results)));
}

void TestCheck::commandLineJson()
{
    QProcess smtpwb;
    const CheckOptions o = realServers(QStringLiteral("test.local"));
    smtpwb.start(QStringLiteral(SMTPWB_BINARY),
                 {QStringLiteral("check"), o.target, QStringLiteral("--json"), QStringLiteral("--port"), QString::number(o.port),
                  QStringLiteral("--nameserver"), o.nameserver, QStringLiteral("--trust-anchor"), o.trustAnchorFile,
                  QStringLiteral("--ca"), o.caFile, QStringLiteral("--https-port"), QString::number(o.httpsPort),
                  QStringLiteral("--timeout"), QStringLiteral("5")});
    QVERIFY(smtpwb.waitForFinished(60000));
    QCOMPARE(smtpwb.exitCode(), 3); // postmaster@test.local is refused: a failure
    const QJsonObject root = QJsonDocument::fromJson(smtpwb.readAllStandardOutput()).object();
    QCOMPARE(root.value(QLatin1String("target")).toString(), QStringLiteral("test.local"));
    const QJsonArray checks = root.value(QLatin1String("checks")).toArray();
    QStringList ids;
    for (const QJsonValue &v : checks) {
        const QJsonObject c = v.toObject();
        for (const char *key : {"id", "host", "status", "summary", "detail", "references", "ms"})
            QVERIFY2(c.contains(QLatin1String(key)), key);
        QVERIFY(checkStatusFromName(c.value(QLatin1String("status")).toString()));
        ids.append(c.value(QLatin1String("id")).toString());
    }
    for (const char *id : {"mx", "spf", "dmarc", "mta-sts", "tls-rpt", "ptr", "dane", "connect", "banner", "ehlo",
                           "auth-plaintext", "vrfy", "starttls", "tls-versions", "certificate", "starttls-injection",
                           "open-relay", "postmaster", "smuggling"})
        QVERIFY2(ids.contains(QLatin1String(id)), id);
}

void TestCheck::commandLineRefusesBadOptions_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");

    QTest::newRow("no target") << QStringList{} << 2 << "name a TARGET";
    QTest::newRow("unknown check") << QStringList{"test.local", "--checks", "mx,telepathy"} << 2 << "telepathy";
    QTest::newRow("bad port") << QStringList{"test.local", "--port", "70000"} << 2 << "--port";
    QTest::newRow("rcpt without @") << QStringList{"test.local", "--rcpt", "alice"} << 2 << "mailbox";
    QTest::newRow("missing anchor file") << QStringList{"test.local", "--trust-anchor", "/nonexistent/anchors"} << 2 << "no such file";
    QTest::newRow("target with a space") << QStringList{"mail server"} << 1 << "neither a domain";
}

void TestCheck::commandLineRefusesBadOptions()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    QProcess smtpwb;
    smtpwb.start(QStringLiteral(SMTPWB_BINARY), QStringList{QStringLiteral("check")} + arguments);
    QVERIFY(smtpwb.waitForFinished(20000));
    QCOMPARE(smtpwb.exitCode(), exitCode);
    QVERIFY2(QString::fromUtf8(smtpwb.readAllStandardError()).contains(message), qPrintable(message));
}

QTEST_GUILESS_MAIN(TestCheck)
#include "tst_check.moc"
