#pragma once
// A finished (or partial) server check as the command line prints it and the window exports
// it: JSON ({"target", "checks": [...]}), text grouped by host with the worst first and
// what to fix first, and HTML. Every string from outside is made visible on the way.

#include "checkresult.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace smtp {

// The results grouped by host (the domain's own first), within a host worst first.
QList<CheckResult> sortedForReport(const QList<CheckResult> &results);
// The failures, then the warnings, at most `count`: what to fix first.
QList<CheckResult> fixFirst(const QList<CheckResult> &results, int count = 5);

QByteArray checkReportJson(const QString &target, const QList<CheckResult> &results);
QString checkReportText(const QString &target, const QList<CheckResult> &results, bool withDetail);
QString checkReportHtml(const QString &target, const QList<CheckResult> &results);

// The worst status among the results (Pass when there are none).
CheckStatus worstStatus(const QList<CheckResult> &results);

} // namespace smtp
