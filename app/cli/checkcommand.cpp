#include "checkcommand.h"

#include "explaincommand.h" // ExitCode
#include "output.h"

#include "check/checkcatalog.h"
#include "check/checkreport.h"
#include "check/serverchecker.h"

#include <QCommandLineParser>
#include <QEventLoop>
#include <QFile>
#include <unistd.h>

namespace smtp::cli {

namespace {

const QList<QCommandLineOption> &options()
{
    static const QList<QCommandLineOption> list = {
        {QStringLiteral("json"), QStringLiteral("Write the report as JSON.")},
        {QStringLiteral("detail"), QStringLiteral("Text report: each check's detail under its line.")},
        {QStringLiteral("port"), QStringLiteral("SMTP port of a domain's MX hosts (25)."), QStringLiteral("N"), QStringLiteral("25")},
        {QStringLiteral("from"), QStringLiteral("MAIL FROM of the probes (default: the null sender <>)."), QStringLiteral("ADDR")},
        {QStringLiteral("rcpt"), QStringLiteral("A mailbox you may send test mail to; checks that send a message skip without it."), QStringLiteral("ADDR")},
        {QStringLiteral("checks"), QStringLiteral("Only these checks (comma-separated ids; --list shows them)."), QStringLiteral("ID,ID")},
        {QStringLiteral("timeout"), QStringLiteral("Seconds to wait for each network step (10)."), QStringLiteral("SECONDS"), QStringLiteral("10")},
        {QStringLiteral("nameserver"), QStringLiteral("Ask this DNS server (default: /etc/resolv.conf's)."), QStringLiteral("ADDR[:PORT]")},
        {QStringLiteral("trust-anchor"), QStringLiteral("DNSSEC trust anchors, DS or DNSKEY records (default: the root's)."), QStringLiteral("FILE")},
        {QStringLiteral("ca"), QStringLiteral("Also trust these CA certificates (PEM), for SMTP and HTTPS."), QStringLiteral("FILE")},
        {QStringLiteral("https-port"), QStringLiteral("Port of the MTA-STS policy host (443; another only for test set-ups)."), QStringLiteral("N"), QStringLiteral("443")},
        {QStringLiteral("helo"), QStringLiteral("Our EHLO name (default: this machine's name)."), QStringLiteral("NAME")},
        {QStringLiteral("list"), QStringLiteral("List the checks and exit.")},
    };
    return list;
}

QString listChecks()
{
    QString out;
    for (const CheckInfo &c : CheckCatalog::instance().all())
        out += QStringLiteral("%1  %2 (%3)\n").arg(c.id, -19).arg(c.title, c.perHost ? QStringLiteral("each host") : QStringLiteral("the domain"));
    return out;
}

// The options as a CheckOptions, or an error message for the user.
QString readOptions(const QCommandLineParser &p, CheckOptions &o)
{
    o.target = p.positionalArguments().value(1);
    if (o.target.isEmpty())
        return QStringLiteral("smtpwb check: name a TARGET: a domain, or HOST[:PORT]");
    bool ok = true;
    o.port = p.value(QStringLiteral("port")).toInt(&ok);
    if (!ok || o.port < 1 || o.port > 65535)
        return QStringLiteral("smtpwb check: --port takes 1 to 65535");
    o.timeoutSeconds = p.value(QStringLiteral("timeout")).toInt(&ok);
    if (!ok || o.timeoutSeconds < 1 || o.timeoutSeconds > 600)
        return QStringLiteral("smtpwb check: --timeout takes 1 to 600 seconds");
    o.httpsPort = p.value(QStringLiteral("https-port")).toInt(&ok);
    if (!ok || o.httpsPort < 1 || o.httpsPort > 65535)
        return QStringLiteral("smtpwb check: --https-port takes 1 to 65535");
    o.from = p.value(QStringLiteral("from"));
    o.rcpt = p.value(QStringLiteral("rcpt"));
    if (!o.rcpt.isEmpty() && !o.rcpt.contains(QLatin1Char('@')))
        return QStringLiteral("smtpwb check: --rcpt takes a mailbox, like you@example.com");
    o.nameserver = p.value(QStringLiteral("nameserver"));
    o.trustAnchorFile = p.value(QStringLiteral("trust-anchor"));
    o.caFile = p.value(QStringLiteral("ca"));
    o.heloName = p.value(QStringLiteral("helo"));
    for (const QString &file : {o.trustAnchorFile, o.caFile}) {
        if (!file.isEmpty() && !QFile::exists(file))
            return QStringLiteral("smtpwb check: no such file: %1").arg(file);
    }
    if (p.isSet(QStringLiteral("checks"))) {
        const QStringList known = CheckCatalog::instance().ids();
        for (const QString &id : p.value(QStringLiteral("checks")).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            if (!known.contains(id.trimmed()))
                return QStringLiteral("smtpwb check: no check named '%1' (smtpwb check --list)").arg(id);
            o.checks.append(id.trimmed());
        }
    }
    return {};
}

} // namespace

int runCheck(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Check a mail server or a domain: DNS (MX, PTR, SPF, DMARC, MTA-STS, TLS-RPT, DANE), the SMTP\n"
        "dialogue, TLS, and policy probes (open relay, STARTTLS injection, SMTP smuggling)."));
    p.addHelpOption();
    p.addOptions(options());
    p.addPositionalArgument(QStringLiteral("TARGET"), QStringLiteral("A domain (its MX hosts are checked), or HOST[:PORT]."));
    if (!p.parse(arguments)) {
        err << "smtpwb check: " << p.errorText() << '\n';
        return ExitUsage;
    }
    if (p.isSet(QStringLiteral("help"))) {
        out << subcommandHelp(p, QStringLiteral("check"));
        return ExitOk;
    }
    if (p.isSet(QStringLiteral("list"))) {
        out << listChecks();
        return ExitOk;
    }
    CheckOptions o;
    const QString problem = readOptions(p, o);
    if (!problem.isEmpty()) {
        err << problem << '\n';
        return ExitUsage;
    }
    ServerChecker checker;
    const bool progress = !p.isSet(QStringLiteral("json")) && isatty(STDERR_FILENO);
    QObject::connect(&checker, &ServerChecker::resultReady, &checker, [&](const CheckResult &r) {
        if (progress) {
            err << "\r\033[K" << checkStatusName(r.status) << ' ' << r.id << ' ' << r.host;
            err.flush();
        }
    });
    QString error;
    if (!checker.start(o, &error)) {
        err << "smtpwb check: " << error << '\n';
        return ExitBadInput;
    }
    QEventLoop loop;
    QObject::connect(&checker, &ServerChecker::finished, &loop, &QEventLoop::quit);
    loop.exec();
    if (progress)
        err << "\r\033[K";
    err.flush();
    const QList<CheckResult> results = checker.results();
    if (p.isSet(QStringLiteral("json")))
        out << QString::fromUtf8(checkReportJson(o.target, results));
    else
        out << checkReportText(o.target, results, p.isSet(QStringLiteral("detail")));
    const CheckStatus worst = worstStatus(results);
    return worst == CheckStatus::Fail || worst == CheckStatus::Error ? int(CheckExitFindings) : int(ExitOk);
}

} // namespace smtp::cli
