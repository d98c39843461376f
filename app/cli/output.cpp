#include "output.h"

#include <QCoreApplication>

#include "protocol/untrustedtext.h"

#include <cstdio>

namespace smtp::cli {

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

QTextStream &err()
{
    static QTextStream stream(stderr);
    return stream;
}

namespace {
void wrapInto(QString &outText, const QString &indent, const QString &text)
{
    // Wrap at ~90 columns so the text reads in an ordinary terminal.
    constexpr int width = 90;
    const QStringList words = text.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    QString line = indent;
    for (const QString &word : words) {
        if (line.size() > indent.size() && line.size() + 1 + word.size() > width) {
            outText += line + QLatin1Char('\n');
            line = indent;
        }
        if (line.size() > indent.size())
            line += QLatin1Char(' ');
        line += word;
    }
    if (line.size() > indent.size())
        outText += line + QLatin1Char('\n');
}
} // namespace

QString formatExplanation(const Explanation &e, const Reply *reply)
{
    QString s;
    if (reply && !reply->lines.isEmpty())
        s += visibleText(reply->toDisplayString()) + QLatin1Char('\n');
    return s + formatExplanationBody(e);
}

QString formatExplanationBody(const Explanation &e)
{
    QString s;
    const QString indent = QStringLiteral("    ");
    s += formatDiagnosis(e.diagnosis);
    if (e.summary != e.diagnosis.summary)
        wrapInto(s, QString(), e.summary);
    if (e.code) {
        s += QStringLiteral("  Code %1: %2%3\n").arg(codeDigits(e.code), e.title,
                                                                   e.references.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(e.references.first()));
        const QString digits = codeDigits(e.code); // "052" from a broken server is three digits too
        wrapInto(s, indent, QStringLiteral("%1xx %2: %3").arg(digits[0], e.klass.name, e.klass.text));
        wrapInto(s, indent, QStringLiteral("x%1x %2: %3").arg(digits[1], e.category.name, e.category.text));
        wrapInto(s, indent, QStringLiteral("xx%1 %2").arg(digits[2], e.detail));
        if (!e.after.isEmpty() || !e.meaning.isEmpty())
            wrapInto(s, indent, (e.after.isEmpty() ? QStringLiteral("Meaning: ") : QStringLiteral("After %1: ").arg(e.after)) + e.meaning);
    }
    if (e.enhanced) {
        const QString status = e.enhanced->toString();
        const QString registry = registryText(e);
        s += QStringLiteral("  Enhanced %1: %2 (%3)\n").arg(status, e.enhancedTitle, registry);
        wrapInto(s, indent, QStringLiteral("%1.x.x %2: %3").arg(e.enhanced->klass).arg(e.enhancedClass.name, e.enhancedClass.text));
        wrapInto(s, indent, QStringLiteral("x.%1.x %2: %3").arg(e.enhanced->subject).arg(e.enhancedSubject.name, e.enhancedSubject.text));
        if (!e.enhancedText.isEmpty())
            wrapInto(s, indent, QStringLiteral("x.x.%1 %2").arg(e.enhanced->detail).arg(e.enhancedText));
    }
    wrapInto(s, QStringLiteral("  "), QStringLiteral("Retry: ") + retryText(e.retry));
    // The words' own advice replaces the code's, and with it the code's idea of who acts.
    if (!e.actor.isEmpty() && e.actor != QLatin1String("none") && e.diagnosis.action.isEmpty())
        wrapInto(s, QStringLiteral("  "), QStringLiteral("Who acts: ") + actorText(e.actor));
    if (!e.action.isEmpty() && e.diagnosis.action.isEmpty())
        wrapInto(s, QStringLiteral("  "), QStringLiteral("What to do: ") + e.action);
    for (Violation v : e.violations)
        wrapInto(s, QStringLiteral("  "), QStringLiteral("Violation: ") + describe(v));
    if (!e.references.isEmpty())
        s += QStringLiteral("  See: ") + e.references.join(QStringLiteral(", ")) + QLatin1Char('\n');
    return s;
}

QString formatDiagnosis(const Diagnosis &d)
{
    if (d.isEmpty())
        return QString();
    QString s;
    if (!d.summary.isEmpty())
        wrapInto(s, QString(), QStringLiteral("Diagnosis: ") + d.summary);
    QStringList facts;
    if (!d.reason.isEmpty())
        facts << QStringLiteral("reason %1").arg(d.reason);
    if (!d.list.isEmpty())
        facts << QStringLiteral("list %1").arg(visibleText(d.list, LineBreaks::Mark));
    if (!d.source.isEmpty())
        facts << QStringLiteral("written by %1").arg(d.source);
    if (!facts.isEmpty())
        wrapInto(s, QStringLiteral("  "), facts.join(QStringLiteral("; ")));
    if (!d.action.isEmpty())
        wrapInto(s, QStringLiteral("  "), QStringLiteral("What to do: ") + d.action);
    if (!d.help.isEmpty())
        s += QStringLiteral("  Read more: ") + visibleText(d.help, LineBreaks::Mark) + QLatin1Char('\n');
    return s;
}

QString formatBrief(const Explanation &e, const Reply *reply)
{
    const QString first = reply && !reply->lines.isEmpty()
        ? (reply->code ? codeDigits(reply->code) + QLatin1Char(' ') : QString()) + visibleText(reply->lines.first(), LineBreaks::Mark)
        : QString();
    const QString summary = e.diagnosis.summary.isEmpty() ? e.summary : e.diagnosis.summary;
    QString line = first.isEmpty() ? summary : first + QStringLiteral("  | ") + summary;
    if (!e.diagnosis.reason.isEmpty())
        line += QStringLiteral(" [%1]").arg(e.diagnosis.reason);
    if (!e.violations.isEmpty())
        line += QStringLiteral(" [%1 violation%2]").arg(e.violations.size()).arg(e.violations.size() > 1 ? QStringLiteral("s") : QString());
    return line;
}

QString subcommandHelp(const QCommandLineParser &parser, const QString &command)
{
    QString text = parser.helpText();
    const QString usage = QStringLiteral("Usage: %1").arg(QCoreApplication::arguments().value(0));
    if (text.startsWith(usage))
        text.replace(0, usage.size(), QStringLiteral("Usage: smtpwb %1").arg(command));
    return text;
}

} // namespace smtp::cli
