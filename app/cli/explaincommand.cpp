#include "explaincommand.h"

#include "knowledge/explainer.h"
#include "output.h"
#include "protocol/pastedreply.h"
#include "protocol/replyparser.h"
#include "protocol/untrustedtext.h"

#include <QCommandLineParser>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <cerrno>
#include <cstring>
#include <poll.h>
#include <unistd.h>

namespace smtp::cli {

namespace {

constexpr int kMaxReportedErrors = 10;

// The output of an explanation without the reply's lines, kept per distinct explanation
// of one Explainer (its keys tell them apart; violations are per reply).
class ExplanationBodies
{
public:
    const QString &bodyFor(const Explanation &e, bool json)
    {
        quint32 violations = 0;
        for (Violation v : e.violations)
            violations |= 1u << (int(v) & 31);
        const Key key{e.codesKey, e.wordsKey, violations, json};
        auto it = m_kept.find(key);
        if (it != m_kept.end())
            return *it;
        if (m_kept.size() >= 4096)
            m_kept.clear();
        const QString body = json ? QString::fromUtf8(escapeHiddenInJson(QJsonDocument(toJson(e)).toJson(QJsonDocument::Compact)))
                                  : formatExplanationBody(e);
        return *m_kept.insert(key, body);
    }

private:
    struct Key
    {
        quint64 codes;
        quint64 words;
        quint32 violations;
        bool json;
        friend bool operator==(const Key &a, const Key &b)
        {
            return a.codes == b.codes && a.words == b.words && a.violations == b.violations && a.json == b.json;
        }
        friend size_t qHash(const Key &k, size_t seed = 0) { return qHashMulti(seed, k.codes, k.words, k.violations, k.json); }
    };
    QHash<Key, QString> m_kept;
};

class ExplainRun
{
public:
    ExplainRun(QTextStream &out, QTextStream &err, bool json, bool brief, QString after)
        : m_out(out), m_err(err), m_json(json), m_brief(brief), m_after(std::move(after)) {}

    void print(const Explanation &e, const Reply *reply)
    {
        if (m_brief) {
            m_out << formatBrief(e, reply) << '\n';
            return;
        }
        // A stream repeats the same few explanations: their output is made once; only
        // the reply's own lines are written per reply.
        const QString &body = m_bodies.bodyFor(e, m_json);
        if (m_json) {
            m_out << "{\"text\":[";
            const QStringList lines = reply ? reply->lines : QStringList();
            for (qsizetype i = 0; i < lines.size(); ++i)
                m_out << (i ? "," : "") << jsonString(lines[i]);
            m_out << "]," << QStringView(body).sliced(1) << '\n';
        } else {
            if (reply && !reply->lines.isEmpty())
                m_out << visibleText(reply->toDisplayString()) << '\n';
            m_out << body << '\n';
        }
    }

    void reply(const Reply &reply)
    {
        ++m_replies;
        if (reply.code == 0) {
            // Not a reply as a server sends it: perhaps one inside an MTA's framing, or words alone.
            pasted(PastedReply::read(reply.lines.join(QLatin1Char('\n'))), reply);
            return;
        }
        if (reply.violations.contains(Violation::Truncated))
            error(QStringLiteral("reply %1: the input ends in the middle of this reply").arg(m_replies));
        print(m_explainer.explain(reply, m_after), &reply);
    }

    // Text as people paste it; `original` is what the input held, for the error message.
    void pasted(const PastedReply &p, const Reply &original)
    {
        const QString after = m_after.isEmpty() ? p.command : m_after;
        const Explanation e = m_explainer.explain(p.reply, after);
        if (p.reply.code == 0 && e.diagnosis.summary.isEmpty()) {
            error(QStringLiteral("reply %1: not an SMTP reply (no three-digit code, and no words we know): \"%2\"")
                      .arg(m_replies).arg(preview(original)));
            return;
        }
        if (m_json && !p.framing.isEmpty()) {
            QJsonObject o = toJson(e, &p.reply);
            o.insert(QLatin1String("framing"), p.framing);
            o.insert(QLatin1String("remoteHost"), p.remoteHost.isEmpty() ? QJsonValue() : QJsonValue(p.remoteHost));
            m_out << escapeHiddenInJson(QJsonDocument(o).toJson(QJsonDocument::Compact)) << '\n';
            return;
        }
        if (!p.framing.isEmpty() && !m_brief)
            m_out << "Read from " << framingName(p) << ":\n";
        print(e, &p.reply);
    }

    void pastedText(const QString &text)
    {
        ++m_replies;
        Reply original;
        original.lines = QStringList{text};
        pasted(PastedReply::read(text), original);
    }

    void error(const QString &message)
    {
        ++m_errors;
        if (m_errors <= kMaxReportedErrors)
            m_err << "smtpwb explain: " << message << '\n';
        else if (m_errors == kMaxReportedErrors + 1)
            m_err << "smtpwb explain: more errors follow; only the first " << kMaxReportedErrors
                  << " are shown\n";
    }

    int finish()
    {
        if (m_errors > kMaxReportedErrors)
            m_err << "smtpwb explain: " << m_errors << " errors in all\n";
        m_out.flush();
        m_err.flush();
        return m_errors ? ExitBadInput : ExitOk;
    }

    void flush()
    {
        m_out.flush();
        m_err.flush();
    }

    Explainer &explainer() { return m_explainer; }
    const QString &after() const { return m_after; }
    int replies() const { return m_replies; }

private:
    static QString framingName(const PastedReply &p)
    {
        QString name = p.framing == QLatin1String("dsn") ? QStringLiteral("a Diagnostic-Code field")
                                                           : QStringLiteral("a %1 bounce").arg(p.framing.at(0).toUpper() + p.framing.mid(1));
        if (!p.remoteHost.isEmpty())
            name += QStringLiteral(", remote host ") + visibleText(p.remoteHost, LineBreaks::Mark);
        if (!p.command.isEmpty())
            name += QStringLiteral(", answering ") + p.command;
        return name;
    }

    static QString preview(const Reply &reply)
    {
        return visibleText(reply.lines.value(0).left(60), LineBreaks::Mark);
    }

    QTextStream &m_out;
    QTextStream &m_err;
    bool m_json;
    bool m_brief;
    QString m_after;
    Explainer m_explainer;
    ExplanationBodies m_bodies;
    int m_replies = 0;
    int m_errors = 0;
};

// What is there now, up to a chunk: a pipe or a terminal gives what was typed at once
// (QFile::read would wait to fill the whole buffer); a file or buffer is read in chunks.
QByteArray readSome(QIODevice &input, QString *error)
{
    constexpr qsizetype kChunk = 256 * 1024;
    auto *file = qobject_cast<QFile *>(&input);
    if (!file || !file->isSequential() || file->handle() < 0)
        return input.read(kChunk);
    QByteArray buffer(kChunk, Qt::Uninitialized);
    for (;;) {
        const ssize_t n = ::read(file->handle(), buffer.data(), size_t(buffer.size()));
        if (n >= 0) {
            buffer.resize(n);
            return buffer;
        }
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            // A non-blocking input inherited from the parent: wait until there is more.
            pollfd wait{file->handle(), POLLIN, 0};
            ::poll(&wait, 1, -1);
            continue;
        }
        *error = QStringLiteral("reading the input failed: %1").arg(QString::fromLocal8Bit(strerror(errno)));
        return QByteArray();
    }
}

int explainStream(ExplainRun &run, QIODevice &input)
{
    ReplyParser parser;
    for (;;) {
        QString readError;
        const QByteArray chunk = readSome(input, &readError);
        if (!readError.isEmpty()) {
            run.error(readError);
            return run.finish();
        }
        if (chunk.isEmpty())
            break;
        parser.feed(chunk);
        for (const Reply &r : parser.takeReplies())
            run.reply(r);
        run.flush(); // a reply typed or piped in is explained now, not at the end
        if (parser.hasError()) {
            run.error(parser.errorString());
            return run.finish();
        }
    }
    if (const auto last = parser.finish())
        run.reply(*last);
    if (run.replies() == 0)
        run.error(QStringLiteral("no reply in the input"));
    return run.finish();
}

// The commands a code answers, each with its meaning there, for a code given alone.
void printPerCommand(ExplainRun &run, int code, QTextStream &out)
{
    const QStringList commands = Explainer::commandsFor(code);
    if (commands.isEmpty())
        return;
    out << "  After each command:\n";
    for (const QString &command : commands)
        out << "    " << command.leftJustified(9) << run.explainer().explainCode(code, command).meaning << '\n';
    out << '\n';
}

} // namespace

int runExplain(const QStringList &arguments, QIODevice &input, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Explains SMTP replies: a basic code (421), an enhanced code (5.7.26), a whole reply\n"
        "(\"550 5.1.1 <bob@example.com>: Recipient address rejected\"), or, with no reply given,\n"
        "every reply read from standard input or --file, in order (multi-line replies as servers send them).\n\n"
        "Exit status: 0 all explained, 1 bad input (not a reply, truncated, binary junk), 2 usage error."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("reply"), QStringLiteral("A code, an enhanced code, or a reply line."),
                                 QStringLiteral("[reply...]"));
    const QCommandLineOption afterOption(QStringLiteral("after"),
        QStringLiteral("The command the reply answers: CONNECT, EHLO, HELO, STARTTLS, AUTH, MAIL, RCPT, DATA, "
                       "DATA_END (after the final dot), BDAT, RSET, VRFY, EXPN, HELP, NOOP, QUIT, ETRN."),
        QStringLiteral("command"));
    const QCommandLineOption fileOption(QStringLiteral("file"), QStringLiteral("Read replies from this file."),
                                        QStringLiteral("path"));
    const QCommandLineOption jsonOption(QStringLiteral("json"), QStringLiteral("One JSON object per reply, one per line."));
    const QCommandLineOption briefOption(QStringLiteral("brief"), QStringLiteral("One line per reply."));
    parser.addOptions({afterOption, fileOption, jsonOption, briefOption});

    QStringList args = arguments;
    if (args.size() >= 2)
        args.removeAt(1); // "explain"
    if (!parser.parse(args)) {
        err << "smtpwb explain: " << parser.errorText() << "\nTry 'smtpwb explain --help'.\n";
        err.flush();
        return ExitUsage;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        out << subcommandHelp(parser, QStringLiteral("explain"));
        out.flush();
        return ExitOk;
    }

    QString after;
    if (parser.isSet(afterOption)) {
        after = Explainer::contextFor(parser.value(afterOption));
        if (after.isEmpty()) {
            err << "smtpwb explain: --after " << parser.value(afterOption)
                << " is not a command a reply can answer; see --help\n";
            err.flush();
            return ExitUsage;
        }
    }
    ExplainRun run(out, err, parser.isSet(jsonOption), parser.isSet(briefOption), after);

    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty()) {
        if (parser.isSet(fileOption)) {
            QFile file(parser.value(fileOption));
            if (!file.open(QIODevice::ReadOnly)) {
                err << "smtpwb explain: cannot read " << file.fileName() << ": " << file.errorString() << '\n';
                err.flush();
                return ExitBadInput;
            }
            return explainStream(run, file);
        }
        return explainStream(run, input);
    }

    const QString text = positional.join(QLatin1Char(' ')).trimmed();
    static const QRegularExpression codeOnly(QStringLiteral("^\\d{3}$"));
    if (codeOnly.match(text).hasMatch()) {
        const int code = text.toInt();
        const Explanation e = run.explainer().explainCode(code, after);
        run.print(e, nullptr);
        if (!parser.isSet(jsonOption) && !parser.isSet(briefOption) && after.isEmpty())
            printPerCommand(run, code, out);
        return run.finish();
    }
    if (const auto status = EnhancedStatus::parse(text)) {
        run.print(run.explainer().explainEnhanced(*status), nullptr);
        return run.finish();
    }
    static const QRegularExpression looksEnhanced(QStringLiteral("^\\d+\\.\\d+\\.\\d+$"));
    if (looksEnhanced.match(text).hasMatch()) {
        run.error(QStringLiteral("\"%1\" is not a valid enhanced status code: the class is 2, 4 or 5, "
                                 "subject and detail 0-999 without leading zeros (RFC 3463)").arg(text));
        return run.finish();
    }
    // A reply as text, as people paste it: framed, joined, one line of several, or words.
    run.pastedText(text);
    return run.finish();
}

} // namespace smtp::cli
