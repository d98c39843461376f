#include "explainer.h"

#include "diagnoser.h"

namespace smtp {

namespace {

// The commands a reply can answer, in session order; the knowledge's "after" keys.
const QStringList &contexts()
{
    static const QStringList list = {
        QStringLiteral("CONNECT"), QStringLiteral("EHLO"), QStringLiteral("HELO"), QStringLiteral("STARTTLS"),
        QStringLiteral("AUTH"), QStringLiteral("MAIL"), QStringLiteral("RCPT"), QStringLiteral("DATA"),
        QStringLiteral("DATA_END"), QStringLiteral("BDAT"), QStringLiteral("RSET"), QStringLiteral("VRFY"),
        QStringLiteral("EXPN"), QStringLiteral("HELP"), QStringLiteral("NOOP"), QStringLiteral("QUIT"),
        QStringLiteral("ETRN"),
    };
    return list;
}

QString shortClass(int digit)
{
    switch (digit) {
    case 2: return QStringLiteral("Success");
    case 3: return QStringLiteral("Go on");
    case 4: return QStringLiteral("Temporary failure");
    case 5: return QStringLiteral("Permanent failure");
    default: return QStringLiteral("Invalid code");
    }
}

// How a command reads in a sentence: "after RCPT", "in the greeting".
QString afterPhrase(const QString &after)
{
    if (after == QLatin1String("CONNECT"))
        return QStringLiteral("greeting");
    if (after == QLatin1String("DATA_END"))
        return QStringLiteral("after the message (final dot)");
    return QStringLiteral("after ") + after;
}

void addReference(QStringList &refs, const QString &ref)
{
    if (!ref.isEmpty() && !refs.contains(ref))
        refs.append(ref);
}

QString sentence(QString text)
{
    text = text.trimmed();
    if (!text.isEmpty() && !text.endsWith(QLatin1Char('.')) && !text.endsWith(QLatin1Char('!'))
        && !text.endsWith(QLatin1Char('?')))
        text.append(QLatin1Char('.'));
    return text;
}

// "greylisted", "blocked: Spamhaus ZEN", "userunknown (Gmail / Google Workspace)".
QString diagnosisLine(const Diagnosis &d)
{
    QString line = d.reason.isEmpty() ? d.kind : d.reason;
    if (!d.list.isEmpty())
        line += (line.isEmpty() ? QString() : QStringLiteral(": ")) + d.list;
    if (!d.source.isEmpty())
        line += (line.isEmpty() ? d.source : QStringLiteral(" (%1)").arg(d.source));
    return line;
}

// "<bob@example.org>" -> "<@example.org>", by hand: this runs for every refusal in a log.
QString withoutLocalParts(const QString &line)
{
    QString out;
    out.reserve(line.size());
    qsizetype i = 0;
    while (i < line.size()) {
        const qsizetype open = line.indexOf(QLatin1Char('<'), i);
        if (open < 0)
            break;
        qsizetype at = open + 1;
        while (at < line.size() && line[at] != QLatin1Char('@') && line[at] != QLatin1Char('>')
               && line[at] != QLatin1Char('<') && !line[at].isSpace())
            ++at;
        out += QStringView(line).sliced(i, open + 1 - i);
        i = (at < line.size() && line[at] == QLatin1Char('@') && at > open + 1) ? at : open + 1;
    }
    out += QStringView(line).sliced(i);
    return out;
}

} // namespace

QString retryName(Retry retry)
{
    switch (retry) {
    case Retry::NotNeeded: return QStringLiteral("not-needed");
    case Retry::Later: return QStringLiteral("later");
    case Retry::AfterChange: return QStringLiteral("after-change");
    case Retry::MayHelpLater: return QStringLiteral("may-help-later");
    case Retry::Unknown: break;
    }
    return QStringLiteral("unknown");
}

QString retryText(Retry retry)
{
    switch (retry) {
    case Retry::NotNeeded:
        return QStringLiteral("No retry needed: this is not a failure.");
    case Retry::Later:
        return QStringLiteral("Yes, later: the failure is temporary; a mail server retries by itself for "
                              "days before giving up.");
    case Retry::AfterChange:
        return QStringLiteral("Not as it is: the same attempt will fail again until something is changed.");
    case Retry::MayHelpLater:
        return QStringLiteral("Perhaps later: the failure is reported as permanent, but its cause can go away "
                              "(for example once the recipient makes room).");
    case Retry::Unknown: break;
    }
    return QStringLiteral("Unknown: there is no valid reply code to judge by.");
}

QString Explainer::contextFor(const QString &verb)
{
    const QString upper = verb.toUpper();
    return contexts().contains(upper) ? upper : QString();
}

QStringList Explainer::commandsFor(int code)
{
    QStringList out;
    if (const ReplyCodeInfo *info = Knowledge::instance().replyCode(code))
        for (const QString &context : contexts())
            if (info->after.contains(context))
                out.append(context);
    return out;
}

QList<int> Explainer::codesFor(const QString &context)
{
    QList<int> out;
    for (const ReplyCodeInfo &info : Knowledge::instance().replyCodes())
        if (info.after.contains(context))
            out.append(info.code);
    std::sort(out.begin(), out.end());
    return out;
}

Explanation Explainer::build(int code, const std::optional<EnhancedStatus> &enhanced, const QString &after)
{
    const Knowledge &k = Knowledge::instance();
    Explanation e;
    e.code = code;
    e.after = after;
    int klass = 0;

    if (code > 0 && code <= 999) { // "052" from a broken server is decoded digit by digit too
        klass = code / 100;
        const int second = (code / 10) % 10;
        e.klass = k.replyClass(klass);
        if (e.klass.name.isEmpty())
            e.klass = {QStringLiteral("Invalid class %1").arg(klass),
                       QStringLiteral("RFC 5321 defines only first digits 2 to 5.")};
        e.category = k.replyCategory(second);
        if (e.category.name.isEmpty())
            e.category = {QStringLiteral("Invalid category %1").arg(second),
                          QStringLiteral("RFC 5321 defines only second digits 0 to 5.")};
        e.detail = QStringLiteral("Detail %1: the finer meaning within this class and category; the code "
                                  "as a whole says which.").arg(code % 10);
        if (const ReplyCodeInfo *info = k.replyCode(code)) {
            e.codeKnown = true;
            e.title = info->title;
            e.action = info->action;
            const auto it = info->after.constFind(after);
            if (!after.isEmpty() && it != info->after.cend()) {
                e.meaning = *it;
            } else {
                e.meaning = info->text;
                if (!after.isEmpty() && !info->after.isEmpty())
                    e.meaning += QStringLiteral(" (%1 is not a usual answer %2.)").arg(code).arg(afterPhrase(after));
            }
            addReference(e.references, info->rfc);
        } else {
            e.title = QStringLiteral("Code %1 is not defined by any RFC we know").arg(codeDigits(code));
            e.meaning = sentence(e.klass.text) + QLatin1Char(' ') + sentence(e.category.text);
        }
        addReference(e.references, QStringLiteral("RFC 5321 4.2.1"));
    }

    if (enhanced) {
        e.enhanced = enhanced;
        if (!klass)
            klass = enhanced->klass;
        e.enhancedClass = k.enhancedClass(enhanced->klass);
        e.enhancedSubject = k.enhancedSubject(enhanced->subject);
        if (e.enhancedSubject.name.isEmpty())
            e.enhancedSubject = {QStringLiteral("Unknown subject %1").arg(enhanced->subject),
                                 QStringLiteral("RFC 3463 defines subjects 0 to 7 only.")};
        if (const EnhancedCodeInfo *info = k.enhanced(*enhanced)) {
            e.enhancedKnown = true;
            e.enhancedRegistered = info->isRegistered();
            e.vendor = info->vendor;
            e.enhancedTitle = info->title;
            e.enhancedText = info->text;
            // On a failure the enhanced code is the more specific advice; on success there
            // is nothing to act on.
            const int replyClass = code ? code / 100 : enhanced->klass;
            if (replyClass == 4 || replyClass == 5) {
                e.actor = info->actor;
                if (!info->action.isEmpty())
                    e.action = info->action;
            }
            addReference(e.references, info->rfc);
        } else {
            e.enhancedTitle = QStringLiteral("Not in the IANA registry");
            e.enhancedText = QStringLiteral("This code is not registered; read it by its parts: %1, %2.")
                                 .arg(e.enhancedClass.name.toLower(), e.enhancedSubject.name.toLower());
        }
        addReference(e.references, QStringLiteral("RFC 3463"));
    }

    switch (klass) {
    case 2: case 3: e.retry = Retry::NotNeeded; break;
    case 4: e.retry = Retry::Later; break;
    case 5: {
        const EnhancedCodeInfo *info = enhanced ? k.enhanced(*enhanced) : nullptr;
        e.retry = info && info->retry ? Retry::MayHelpLater : Retry::AfterChange;
        break;
    }
    default: e.retry = Retry::Unknown; break;
    }

    // One line for a newcomer, and a shorter one for a transcript row.
    const QString enhancedPart = enhanced ? enhanced->toString() + QLatin1Char(' ') + e.enhancedTitle : QString();
    if (code) {
        QString what = e.meaning.isEmpty() ? e.title : e.meaning;
        e.summary = QStringLiteral("%1%2: %3").arg(shortClass(klass),
                                                  after.isEmpty() ? QString() : QLatin1Char(' ') + afterPhrase(after),
                                                  sentence(what));
        if (enhanced)
            e.summary += QLatin1Char(' ') + sentence(enhancedPart);
        e.annotation = QStringLiteral("%1 - %2 - %3").arg(shortClass(klass), e.category.name,
                                                            enhanced ? enhancedPart : e.title);
    } else if (enhanced) {
        e.summary = QStringLiteral("%1: %2 %3").arg(shortClass(klass), sentence(enhancedPart), e.enhancedText);
        e.annotation = QStringLiteral("%1 - %2 - %3").arg(shortClass(klass), e.enhancedSubject.name, enhancedPart);
    } else {
        e.summary = QStringLiteral("Not a valid SMTP reply: it has no three-digit code.");
        e.annotation = QStringLiteral("Invalid reply");
    }
    if (e.action.isEmpty() && code)
        e.action = sentence(e.klass.text);
    return e;
}

Explanation Explainer::explain(const Reply &reply, const QString &after)
{
    // A compact key: the same code, enhanced code and command give the same explanation.
    const qsizetype contextIndex = after.isEmpty() ? -1 : contexts().indexOf(after);
    const QString context = contextIndex < 0 ? QString() : after;
    quint64 key = quint64(reply.code & 0x3ff) | (quint64(contextIndex + 1) << 10);
    if (reply.enhanced)
        key |= (quint64(1) << 20) | (quint64(reply.enhanced->klass) << 21)
            | (quint64(reply.enhanced->subject) << 24) | (quint64(reply.enhanced->detail) << 34);
    auto it = m_cache.constFind(key);
    if (it == m_cache.cend())
        it = m_cache.insert(key, build(reply.code, reply.enhanced, context));
    Explanation e = *it;
    e.violations = reply.violations;
    const Diagnosed &diagnosed = diagnose(reply);
    e.diagnosis = diagnosed.diagnosis;
    e.codesKey = key;
    e.wordsKey = diagnosed.serial;
    if (!e.code && !e.diagnosis.summary.isEmpty())
        e.summary = e.diagnosis.summary; // words without a code: what they say is all there is
    if (!diagnosed.note.isEmpty())
        e.annotation += diagnosed.note;
    return e;
}

const Explainer::Diagnosed &Explainer::diagnose(const Reply &reply)
{
    static const Diagnosed none;
    if (reply.isPositive() || reply.lines.isEmpty())
        return none;
    // Keyed by a hash of code, enhanced code and lines; the lines kept settle a collision.
    // A refusal names its recipient: the local part of an address says nothing to the
    // diagnosis, so "<bob1@x>" and "<bob2@x>" share one.
    QStringList keyLines = reply.lines;
    for (QString &line : keyLines)
        if (line.contains(QLatin1Char('@')))
            line = withoutLocalParts(line);
    const int status = reply.enhanced ? reply.enhanced->klass * 1000000 + reply.enhanced->subject * 1000 + reply.enhanced->detail : -1;
    size_t key = qHashMulti(0, reply.code, status);
    for (const QString &line : keyLines)
        key = qHashMulti(key, line);
    auto it = m_diagnoses.constFind(key);
    if (it != m_diagnoses.cend() && it->lines == keyLines && it->code == reply.code && it->status == status)
        return *it;
    constexpr qsizetype kMaxKept = 4096; // a long log of distinct texts must not grow memory
    if (m_diagnoses.size() >= kMaxKept)
        m_diagnoses.clear();
    const QString statusText = reply.enhanced ? reply.enhanced->toString() : QString();
    const Diagnoser &diagnoser = Diagnoser::instance();
    Diagnosed d;
    d.code = reply.code;
    d.status = status;
    d.lines = keyLines;
    d.diagnosis = diagnoser.diagnose(reply.lines.join(QLatin1Char(' ')), reply.code, statusText);
    // Different words often say the same thing (another recipient, the same refusal): equal
    // diagnoses share a serial, so what is built from them is built once.
    auto known = m_serials.constFind(d.diagnosis);
    if (known == m_serials.cend()) {
        if (m_serials.size() >= kMaxKept)
            m_serials.clear(); // serials stay unique: a cleared diagnosis gets a new one
        known = m_serials.insert(d.diagnosis, ++m_diagnosisSerial);
    }
    d.serial = *known;
    if (diagnoser.saysMoreThanTheCodes(d.diagnosis, reply.code, statusText))
        d.note = QStringLiteral(" | ") + diagnosisLine(d.diagnosis);
    return *m_diagnoses.insert(key, d);
}

Explanation Explainer::explainCode(int code, const QString &after)
{
    Reply reply;
    reply.code = code;
    return explain(reply, after);
}

Explanation Explainer::explainEnhanced(const EnhancedStatus &status)
{
    Reply reply;
    reply.enhanced = status;
    return explain(reply);
}

} // namespace smtp
