#include "checkreport.h"

#include "checkcatalog.h"

#include "protocol/untrustedtext.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace smtp {

namespace {

QString shown(const QString &text)
{
    return visibleText(text, LineBreaks::Keep);
}

QStringList hostOrder(const QList<CheckResult> &results)
{
    QStringList hosts;
    for (const CheckResult &r : results) {
        const CheckInfo *info = CheckCatalog::instance().info(r.id);
        const bool domainWide = info && !info->perHost;
        if (!hosts.contains(r.host))
            domainWide ? hosts.prepend(r.host) : hosts.append(r.host);
    }
    return hosts;
}

QString indent(const QString &text, const QString &prefix)
{
    QStringList lines = text.split(QLatin1Char('\n'));
    for (QString &l : lines)
        l.prepend(prefix);
    return lines.join(QLatin1Char('\n'));
}

} // namespace

CheckStatus worstStatus(const QList<CheckResult> &results)
{
    CheckStatus worst = CheckStatus::Pass;
    for (const CheckResult &r : results) {
        if (r.status != CheckStatus::Skip && int(r.status) < int(worst))
            worst = r.status;
    }
    return worst;
}

QList<CheckResult> sortedForReport(const QList<CheckResult> &results)
{
    QList<CheckResult> out;
    for (const QString &host : hostOrder(results)) {
        QList<CheckResult> group;
        for (const CheckResult &r : results) {
            if (r.host == host)
                group.append(r);
        }
        std::stable_sort(group.begin(), group.end(), [](const CheckResult &a, const CheckResult &b) {
            return int(a.status) < int(b.status);
        });
        out += group;
    }
    return out;
}

QList<CheckResult> fixFirst(const QList<CheckResult> &results, int count)
{
    QList<CheckResult> out;
    for (CheckStatus s : {CheckStatus::Fail, CheckStatus::Warn}) {
        for (const CheckResult &r : results) {
            if (r.status == s && out.size() < count)
                out.append(r);
        }
    }
    return out;
}

QByteArray checkReportJson(const QString &target, const QList<CheckResult> &results)
{
    QJsonArray checks;
    for (const CheckResult &r : results) {
        checks.append(QJsonObject{
            {QStringLiteral("id"), r.id},
            {QStringLiteral("host"), r.host},
            {QStringLiteral("status"), checkStatusName(r.status)},
            {QStringLiteral("summary"), r.summary},
            {QStringLiteral("detail"), r.detail},
            {QStringLiteral("references"), QJsonArray::fromStringList(r.references)},
            {QStringLiteral("ms"), r.ms},
        });
    }
    const QJsonObject root{{QStringLiteral("target"), target}, {QStringLiteral("checks"), checks}};
    return escapeHiddenInJson(QJsonDocument(root).toJson(QJsonDocument::Indented));
}

QString checkReportText(const QString &target, const QList<CheckResult> &results, bool withDetail)
{
    QString out = QStringLiteral("Check of %1\n").arg(shown(target));
    QString currentHost;
    for (const CheckResult &r : sortedForReport(results)) {
        if (r.host != currentHost) {
            currentHost = r.host;
            out += QStringLiteral("\n%1\n").arg(shown(r.host));
        }
        out += QStringLiteral("  %1  %2  %3\n").arg(checkStatusName(r.status).toUpper(), -5)
                   .arg(r.id, -18).arg(visibleText(r.summary, LineBreaks::Mark));
        if (withDetail && !r.detail.isEmpty())
            out += indent(shown(r.detail), QStringLiteral("        ")) + QLatin1Char('\n');
    }
    const QList<CheckResult> first = fixFirst(results);
    if (!first.isEmpty()) {
        out += QStringLiteral("\nWhat to fix first\n");
        int n = 0;
        for (const CheckResult &r : first) {
            const CheckInfo *info = CheckCatalog::instance().info(r.id);
            out += QStringLiteral("  %1. %2 (%3): %4\n").arg(++n).arg(info ? info->title : r.id, shown(r.host),
                                                              visibleText(r.summary, LineBreaks::Mark));
            if (info)
                out += indent(info->fix, QStringLiteral("     ")) + QLatin1Char('\n');
        }
    }
    const int errors = int(std::count_if(results.begin(), results.end(), [](const CheckResult &r) { return r.status == CheckStatus::Error; }));
    if (errors > 0)
        out += QStringLiteral("\n%1 check(s) could not be made (ERROR): their verdict is unknown, not good.\n").arg(errors);
    else if (first.isEmpty() && !results.isEmpty())
        out += QStringLiteral("\nNothing to fix: no check failed or warned.\n");
    return out;
}

QString checkReportHtml(const QString &target, const QList<CheckResult> &results)
{
    QString rows;
    for (const CheckResult &r : sortedForReport(results)) {
        rows += QStringLiteral("<tr class=\"%1\"><td>%2</td><td>%3</td><td><b>%1</b></td><td>%4<pre>%5</pre><small>%6</small></td></tr>\n")
                    .arg(checkStatusName(r.status), shown(r.host).toHtmlEscaped(), r.id,
                         visibleText(r.summary, LineBreaks::Mark).toHtmlEscaped(), shown(r.detail).toHtmlEscaped(),
                         r.references.join(QStringLiteral(", ")).toHtmlEscaped());
    }
    return QStringLiteral(
               "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Check of %1</title>\n"
               "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
               "td{border-top:1px solid #ccc;padding:.4em;vertical-align:top}pre{white-space:pre-wrap;margin:.3em 0}"
               ".fail b,.error b{color:#b00020}.warn b{color:#9a6700}.pass b{color:#1a7f37}.info b,.skip b{color:#555}"
               "@media (prefers-color-scheme: dark){body{background:#1e1e1e;color:#ddd}.pass b{color:#5fd37a}"
               ".fail b,.error b{color:#ff6b6b}.warn b{color:#e3b341}}</style></head>\n"
               "<body><h1>Check of %1</h1>\n<table>\n%2</table>\n</body></html>\n")
        .arg(shown(target).toHtmlEscaped(), rows);
}

} // namespace smtp
