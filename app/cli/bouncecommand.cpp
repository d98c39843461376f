#include "bouncecommand.h"

#include "explaincommand.h" // ExitCode

#include "bounce/bounceparser.h"
#include "protocol/untrustedtext.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QThread>

#include <atomic>
#include <thread>
#include <vector>

namespace smtp::cli {

namespace {

struct Job
{
    QString name;          // as given on the command line (or found in a directory)
    QByteArray stdinData;  // for "-"
    bool fromStdin = false;
    // Results
    QString error;
    BounceReport report;
};

void process(Job &job)
{
    QByteArray data;
    if (job.fromStdin) {
        data = job.stdinData;
    } else {
        QFile file(job.name);
        if (!file.open(QIODevice::ReadOnly)) {
            job.error = file.errorString();
            return;
        }
        data = file.readAll();
        if (file.error() != QFileDevice::NoError) {
            job.error = file.errorString();
            return;
        }
    }
    job.report = BounceParser::parse(data);
}

void runAll(std::vector<Job> &jobs)
{
    const int workers = qBound(1, QThread::idealThreadCount(), int(jobs.size()));
    if (workers <= 1) {
        for (Job &job : jobs)
            process(job);
        return;
    }
    std::atomic<size_t> next{0};
    std::vector<std::thread> threads;
    threads.reserve(size_t(workers));
    for (int i = 0; i < workers; ++i) {
        threads.emplace_back([&] {
            for (size_t k = next++; k < jobs.size(); k = next++)
                process(jobs[k]);
        });
    }
    for (std::thread &t : threads)
        t.join();
}

QString cell(const QString &value)
{
    QString s = value;
    for (QChar &c : s)
        if (c == QLatin1Char('\t') || c == QLatin1Char('\n') || c == QLatin1Char('\r'))
            c = QLatin1Char(' ');
    return visibleText(s, LineBreaks::Mark);
}

// A field of a bounce, on one line of the text report.
QString shown(const QString &value)
{
    return visibleText(value, LineBreaks::Mark);
}

void writeTsvRow(QTextStream &out, const QStringList &cells)
{
    QStringList clean;
    for (const QString &c : cells)
        clean.append(cell(c));
    out << clean.join(QLatin1Char('\t')) << '\n';
}

void writeTsv(QTextStream &out, const Job &job)
{
    const BounceReport &r = job.report;
    const QString kind = kindName(r.kind);
    if (r.recipients.isEmpty()) {
        writeTsvRow(out, {job.name, QString(), QString(), QString(), QStringLiteral("notbounce"), QString(),
                          QStringLiteral("0"), QString(), QString(), QString(), QString(), kind,
                          r.notes.join(QStringLiteral("; "))});
        return;
    }
    for (const BounceRecipient &b : r.recipients) {
        writeTsvRow(out, {job.name, b.recipient, b.status, b.replyCode ? QString::number(b.replyCode) : QString(),
                          b.reason, b.action, b.hard ? QStringLiteral("1") : QStringLiteral("0"), b.reportingMta,
                          b.remoteMta, b.date, b.feedbackType, kind, b.diagnostic});
    }
}

void writeText(QTextStream &out, const Job &job)
{
    const BounceReport &r = job.report;
    out << "== " << shown(job.name) << '\n';
    out << "kind: " << kindName(r.kind) << (r.isBounce ? " (a bounce)" : " (not a bounce)") << '\n';
    if (!r.originalSubject.isEmpty())
        out << "original subject: " << shown(r.originalSubject) << '\n';
    if (!r.originalMessageId.isEmpty())
        out << "original message-id: " << shown(r.originalMessageId) << '\n';
    if (!r.originalSender.isEmpty())
        out << "original sender: " << shown(r.originalSender) << '\n';
    for (const BounceRecipient &b : r.recipients) {
        out << "\n  recipient: " << (b.recipient.isEmpty() ? QStringLiteral("(not given)") : shown(b.recipient)) << '\n';
        out << "    action: " << shown(b.action);
        if (!b.status.isEmpty())
            out << "   status: " << shown(b.status);
        if (b.replyCode)
            out << "   reply: " << b.replyCode;
        out << "   " << (b.hard ? "hard" : "soft") << '\n';
        out << "    reason: " << shown(b.reason);
        if (!b.feedbackType.isEmpty())
            out << " (" << shown(b.feedbackType) << ')';
        out << '\n';
        if (!b.reportingMta.isEmpty())
            out << "    reported by: " << shown(b.reportingMta) << '\n';
        if (!b.remoteMta.isEmpty())
            out << "    remote server: " << shown(b.remoteMta) << '\n';
        if (!b.date.isEmpty())
            out << "    date: " << shown(b.date) << '\n';
        if (!b.diagnostic.isEmpty())
            out << "    the server said: " << shown(b.diagnostic) << '\n';
        if (!b.list.isEmpty())
            out << "    block list: " << shown(b.list) << '\n';
        if (!b.source.isEmpty())
            out << "    written by: " << shown(b.source) << '\n';
        if (!b.summary.isEmpty())
            out << "    what it means: " << shown(b.summary) << '\n';
        if (!b.nextStep.isEmpty())
            out << "    what to do: " << shown(b.nextStep) << '\n';
        if (!b.help.isEmpty())
            out << "    read more: " << shown(b.help) << '\n';
    }
    for (const QString &note : r.notes)
        out << "  note: " << shown(note) << '\n';
    out << '\n';
}

} // namespace

int runBounce(const QStringList &arguments, QIODevice &input, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Explains bounce messages (non-delivery reports, delay notices, feedback reports,\n"
        "auto-replies, or a pasted piece of one): per recipient, what failed, the codes, who\n"
        "said it, why, and what to do. FILE may be a directory (its files, in name order) or '-'\n"
        "(standard input).\n\n"
        "Exit status: 0 all read, 1 a file could not be read, 2 usage error."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("file"), QStringLiteral("Bounce message files, directories, or -."),
                                 QStringLiteral("FILE..."));
    const QCommandLineOption formatOption(QStringLiteral("format"),
        QStringLiteral("Output format: text (default), json, or tsv."), QStringLiteral("format"),
        QStringLiteral("text"));
    parser.addOption(formatOption);

    QStringList args = arguments;
    if (args.size() >= 2)
        args.removeAt(1); // "bounce"
    if (!parser.parse(args)) {
        err << "smtpwb bounce: " << parser.errorText() << "\nTry 'smtpwb bounce --help'.\n";
        err.flush();
        return ExitUsage;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        out << parser.helpText().replace(QLatin1String("Usage: smtpwb"), QLatin1String("Usage: smtpwb bounce"));
        out.flush();
        return ExitOk;
    }
    const QString format = parser.value(formatOption).toLower();
    if (format != QLatin1String("text") && format != QLatin1String("json") && format != QLatin1String("tsv")) {
        err << "smtpwb bounce: unknown format '" << format << "' (use text, json or tsv)\n";
        err.flush();
        return ExitUsage;
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty()) {
        err << "smtpwb bounce: give one or more files, a directory, or - for standard input\n"
               "Try 'smtpwb bounce --help'.\n";
        err.flush();
        return ExitUsage;
    }

    std::vector<Job> jobs;
    for (const QString &arg : positional) {
        if (arg == QLatin1String("-")) {
            Job job;
            job.name = arg;
            job.fromStdin = true;
            job.stdinData = input.readAll();
            jobs.push_back(job);
            continue;
        }
        const QFileInfo info(arg);
        if (info.isDir()) {
            const QDir dir(arg);
            const QStringList names = dir.entryList(QDir::Files | QDir::Readable | QDir::Hidden, QDir::Name);
            for (const QString &name : names) {
                Job job;
                job.name = dir.filePath(name);
                jobs.push_back(job);
            }
            continue;
        }
        Job job;
        job.name = arg;
        jobs.push_back(job);
    }

    runAll(jobs);

    int exit = ExitOk;
    QJsonArray json;
    if (format == QLatin1String("tsv"))
        out << "file\trecipient\tstatus\treplycode\treason\taction\thard\treporting_mta\tremote_mta\tdate\tfeedbacktype\tkind\tdiagnostic\n";
    for (const Job &job : jobs) {
        if (!job.error.isEmpty()) {
            err << "smtpwb bounce: cannot read " << job.name << ": " << job.error << '\n';
            exit = ExitBadInput;
            continue;
        }
        if (format == QLatin1String("tsv")) {
            writeTsv(out, job);
        } else if (format == QLatin1String("json")) {
            QJsonObject o = toJson(job.report);
            o.insert(QStringLiteral("file"), job.name);
            json.append(o);
        } else {
            writeText(out, job);
        }
    }
    if (format == QLatin1String("json"))
        out << escapeHiddenInJson(QJsonDocument(json).toJson(QJsonDocument::Indented));
    out.flush();
    err.flush();
    return exit;
}

} // namespace smtp::cli
