#include "bouncecommand.h"

#include "explaincommand.h" // ExitCode
#include "output.h"

#include "bounce/bounceparser.h"
#include "bounce/mailinput.h"
#include "protocol/untrustedtext.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QThread>

#include <atomic>
#include <unistd.h>
#include <thread>
#include <vector>

namespace smtp::cli {

namespace {

// One message (or log line) of the input and what was read from it.
struct Job
{
    MailItem item;
    BounceReport report;
};

void process(Job &job)
{
    if (!job.item.error.isEmpty() || job.item.notice)
        return;
    job.report = BounceParser::parse(job.item.data);
    if (job.item.logLine && !job.report.recipients.isEmpty())
        job.report.kind = BounceReport::Kind::LogLine;
    if (!job.item.note.isEmpty())
        job.report.notes.append(job.item.note);
    job.item.data.clear(); // a batch keeps only its reports
}

void runAll(std::vector<Job> &jobs)
{
    if (jobs.empty())
        return; // the last batch, when the one before ended on its size exactly
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
    const QString &name = job.item.name;
    const QString kind = kindName(r.kind);
    if (r.recipients.isEmpty()) {
        writeTsvRow(out, {name, QString(), QString(), QString(), QStringLiteral("notbounce"), QString(),
                          QStringLiteral("0"), QString(), QString(), QString(), QString(), kind,
                          r.notes.join(QStringLiteral("; ")), QStringLiteral("0"), QString()});
        return;
    }
    for (const BounceRecipient &b : r.recipients) {
        writeTsvRow(out, {name, b.recipient, b.status, b.replyCode ? QString::number(b.replyCode) : QString(),
                          b.reason, b.action, b.hard ? QStringLiteral("1") : QStringLiteral("0"), b.reportingMta,
                          b.remoteMta, b.date, b.feedbackType, kind, b.diagnostic,
                          b.statusInferred ? QStringLiteral("1") : QStringLiteral("0"), b.originalRecipient});
    }
}

void writeText(QTextStream &out, const Job &job)
{
    const BounceReport &r = job.report;
    out << "== " << shown(job.item.name) << '\n';
    out << "kind: " << kindName(r.kind) << (r.isBounce ? " (a bounce)" : " (not a bounce)") << '\n';
    if (!r.originalSubject.isEmpty())
        out << "original subject: " << shown(r.originalSubject) << '\n';
    if (!r.originalMessageId.isEmpty())
        out << "original message-id: " << shown(r.originalMessageId) << '\n';
    if (!r.originalSender.isEmpty())
        out << "original sender: " << shown(r.originalSender) << '\n';
    for (const BounceRecipient &b : r.recipients) {
        out << "\n  recipient: " << (b.recipient.isEmpty() ? QStringLiteral("(not given)") : shown(b.recipient)) << '\n';
        if (!b.originalRecipient.isEmpty())
            out << "    as the sender wrote it: " << shown(b.originalRecipient) << '\n';
        out << "    action: " << shown(b.action);
        if (!b.status.isEmpty())
            out << "   status: " << shown(b.status) << (b.statusInferred ? " (inferred)" : "");
        if (b.replyCode)
            out << "   reply: " << b.replyCode;
        out << "   " << (b.hard ? "hard" : "not hard") << '\n';
        out << "    retry: " << retryVerdict(b) << '\n';
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

// One line per recipient (a line for a message with none), for pipelines.
void writeJsonLines(QTextStream &out, const Job &job)
{
    const BounceReport &r = job.report;
    QJsonObject message;
    message.insert(QStringLiteral("file"), job.item.name);
    message.insert(QStringLiteral("kind"), kindName(r.kind));
    message.insert(QStringLiteral("isBounce"), r.isBounce);
    message.insert(QStringLiteral("originalSubject"), r.originalSubject);
    message.insert(QStringLiteral("originalMessageId"), r.originalMessageId);
    message.insert(QStringLiteral("notes"), QJsonArray::fromStringList(r.notes));
    const auto write = [&out](const QJsonObject &o) {
        out << escapeHiddenInJson(QJsonDocument(o).toJson(QJsonDocument::Compact)) << '\n';
    };
    if (r.recipients.isEmpty()) {
        QJsonObject o = message;
        o.insert(QStringLiteral("reason"), QStringLiteral("notbounce"));
        write(o);
    }
    for (const BounceRecipient &b : r.recipients) {
        QJsonObject o = toJson(b);
        for (auto it = message.begin(); it != message.end(); ++it)
            o.insert(it.key(), it.value());
        write(o);
    }
}

// A count on a terminal while a big input is read; nothing in a pipe or a file.
class Progress
{
public:
    Progress() : m_shown(::isatty(STDERR_FILENO) == 1) {}
    void update(QTextStream &err, qint64 read)
    {
        if (m_shown) {
            err << "\rsmtpwb bounce: " << read << " messages read" << Qt::flush;
            m_dirty = true;
        }
    }
    void clear(QTextStream &err)
    {
        if (m_dirty)
            err << '\r' << QString(40, QLatin1Char(' ')) << '\r' << Qt::flush;
        m_dirty = false;
    }

private:
    bool m_shown;
    bool m_dirty = false;
};

} // namespace

int runBounce(const QStringList &arguments, QIODevice &input, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Explains bounce messages (non-delivery reports, delay notices, feedback reports,\n"
        "auto-replies, or a pasted piece of one): per recipient, what failed, the codes, who\n"
        "said it, why, and what to do. FILE may be one message, an mbox, a Maildir or any directory\n"
        "tree (files in name order), an MTA log (Postfix or Exim: each bounced or deferred line),\n"
        "or '-' (standard input, any of these). Messages of an mbox are named file#N, log lines\n"
        "file:LINE.\n\n"
        "Exit status: 0 all read, 1 a file could not be read, 2 usage error."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("file"), QStringLiteral("Bounce message files, directories, or -."),
                                 QStringLiteral("FILE..."));
    const QCommandLineOption formatOption(QStringLiteral("format"),
        QStringLiteral("Output format: text (default), json (one array), jsonl (one object per recipient per line), "
                       "or tsv."), QStringLiteral("format"),
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
        out << subcommandHelp(parser, QStringLiteral("bounce"));
        out.flush();
        return ExitOk;
    }
    const QString format = parser.value(formatOption).toLower();
    if (format != QLatin1String("text") && format != QLatin1String("json") && format != QLatin1String("jsonl")
        && format != QLatin1String("tsv")) {
        err << "smtpwb bounce: unknown format '" << shown(format) << "' (use text, json, jsonl or tsv)\n";
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

    // Read in batches: in input order, parsed on every core, memory bounded by a batch. A
    // batch ends at a count or at a size, whichever comes first: 512 big messages would
    // hold gigabytes, while the count keeps many small ones from being one batch each.
    constexpr size_t kBatch = 512;
    constexpr qsizetype kBatchBytes = 32 * 1024 * 1024;
    MailInput mail(positional, &input);
    Progress progress;
    qint64 read = 0;
    int exit = ExitOk;
    bool firstJson = true;
    if (format == QLatin1String("tsv"))
        out << "file\trecipient\tstatus\treplycode\treason\taction\thard\treporting_mta\tremote_mta\tdate\tfeedbacktype\tkind\tdiagnostic\tstatus_inferred\toriginal_recipient\n";
    if (format == QLatin1String("json"))
        out << "[\n";
    for (bool more = true; more;) {
        std::vector<Job> jobs;
        Job job;
        for (qsizetype bytes = 0; jobs.size() < kBatch && bytes < kBatchBytes && (more = mail.next(job.item));) {
            bytes += job.item.data.size();
            jobs.push_back(std::move(job));
        }
        runAll(jobs);
        read += qint64(jobs.size());
        progress.clear(err);
        for (const Job &j : jobs) {
            if (!j.item.error.isEmpty()) {
                err << "smtpwb bounce: cannot read " << shown(j.item.name) << ": " << j.item.error << '\n';
                exit = ExitBadInput;
                continue;
            }
            if (j.item.notice) {
                err << "smtpwb bounce: " << shown(j.item.name) << ": " << shown(j.item.note) << '\n';
                continue;
            }
            if (format == QLatin1String("tsv")) {
                writeTsv(out, j);
            } else if (format == QLatin1String("jsonl")) {
                writeJsonLines(out, j);
            } else if (format == QLatin1String("json")) {
                QJsonObject o = toJson(j.report);
                o.insert(QStringLiteral("file"), j.item.name);
                out << (firstJson ? "" : ",\n") << escapeHiddenInJson(QJsonDocument(o).toJson(QJsonDocument::Indented)).trimmed();
                firstJson = false;
            } else {
                writeText(out, j);
            }
        }
        out.flush();
        if (more)
            progress.update(err, read);
    }
    progress.clear(err);
    if (format == QLatin1String("json"))
        out << "\n]\n";
    out.flush();
    err.flush();
    return exit;
}

} // namespace smtp::cli
