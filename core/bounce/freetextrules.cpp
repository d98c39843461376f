#include "freetextrules.h"

#include "knowledge/checkedtext.h"
#include "knowledge/knowledge.h"
#include "protocol/enhancedstatus.h"
#include "protocol/replyparser.h"
#include "protocol/untrustedtext.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>

#include <algorithm>

namespace smtp {

namespace {

const QString kAddress = QStringLiteral("[A-Za-z0-9._%+=/!#$&'*?^`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+");

// The MTAs' layouts, from bounce-formats.json: data, like the reasons.
struct Formats
{
    struct RecipientLine
    {
        QRegularExpression pattern;
        bool alsoForTheMailSystem = false;
    };
    QRegularExpression systemAddress, markers, originalHeaders, failureWords, labels, senderLead, bareLead, bareItem, envelopeFor, aliasOf, nearHost, inProse,
        reportingHost, bounceFrom, bounceSubject, autoReplySubject, autoReplyRefusal, mailerDaemon, complaintSubject;
    QList<RecipientLine> recipientLines;
    QStringList listHeaders;
    QStringList errors;

    Formats()
    {
        const QJsonObject root = readKnowledgeFile(QStringLiteral("bounce-formats.json"), errors);
        const auto at = [&root](const char *object, const char *key) {
            return root.value(QLatin1String(object)).toObject().value(QLatin1String(key)).toString();
        };
        systemAddress = make(at("systemAddress", "pattern"), "systemAddress");
        markers = make(at("originalStart", "markers"), "originalStart.markers");
        originalHeaders = make(at("originalStart", "headers"), "originalStart.headers");
        failureWords = make(at("failureWords", "pattern"), "failureWords");
        labels = make(at("recipientLabels", "pattern"), "recipientLabels");
        senderLead = make(at("senderLead", "pattern"), "senderLead");
        bareLead = make(at("bareLocalParts", "lead"), "bareLocalParts.lead");
        bareItem = make(at("bareLocalParts", "item"), "bareLocalParts.item");
        envelopeFor = make(at("listMail", "envelopeFor"), "listMail.envelopeFor");
        for (const QJsonValue &v : root.value(QLatin1String("listMail")).toObject().value(QLatin1String("headers")).toArray())
            listHeaders.append(v.toString());
        aliasOf = make(at("aliasOf", "pattern"), "aliasOf");
        nearHost = make(at("remoteHost", "nearRecipient"), "remoteHost.nearRecipient");
        inProse = make(at("remoteHost", "inProse"), "remoteHost.inProse");
        reportingHost = make(at("reportingHost", "pattern"), "reportingHost");
        bounceFrom = make(at("bounceSenders", "from"), "bounceSenders.from");
        bounceSubject = make(at("bounceSenders", "subject"), "bounceSenders.subject");
        autoReplySubject = make(at("autoReplies", "subject"), "autoReplies.subject");
        autoReplyRefusal = make(at("autoReplies", "refusal"), "autoReplies.refusal");
        mailerDaemon = make(at("autoReplies", "notFrom"), "autoReplies.notFrom");
        complaintSubject = make(at("complaints", "subject"), "complaints.subject");
        const QJsonArray forms = root.value(QLatin1String("recipientLines")).toObject().value(QLatin1String("forms")).toArray();
        for (const QJsonValue &v : forms) {
            const QJsonObject o = v.toObject();
            recipientLines.append({make(o.value(QLatin1String("pattern")).toString(), "recipientLines"),
                                   o.value(QLatin1String("alsoForTheMailSystem")).toBool()});
        }
        if (recipientLines.isEmpty())
            errors.append(QStringLiteral("bounce-formats.json: no recipientLines forms"));
    }

    // Case-insensitive, "{address}" made the address pattern; compiled at first use (a run
    // for one bounce needs few), checked by checkPatterns().
    QRegularExpression make(QString pattern, const char *where)
    {
        pattern.replace(QLatin1String("{address}"), kAddress);
        if (pattern.isEmpty())
            errors.append(QStringLiteral("bounce-formats.json %1: missing").arg(QLatin1String(where)));
        QRegularExpression re(pattern, QRegularExpression::CaseInsensitiveOption);
        named.append({QLatin1String(where), re});
        return re;
    }

    QStringList checkPatterns() const
    {
        QStringList found = errors;
        for (const auto &[where, re] : named)
            if (!re.isValid())
                found.append(QStringLiteral("bounce-formats.json %1: %2").arg(where, re.errorString()));
        return found;
    }

    QList<QPair<QString, QRegularExpression>> named; // shared with the members: one compilation
};

const Formats &formats()
{
    static const Formats loaded; // thread-safe initialisation
    return loaded;
}

bool isSystemAddress(const QString &address)
{
    return formats().systemAddress.match(address).hasMatch();
}

bool isAnyHeader(const QString &line)
{
    static const QRegularExpression header(QStringLiteral("^[A-Za-z][A-Za-z0-9-]*:"));
    return header.match(line).hasMatch() || line.startsWith(QLatin1Char(' ')) || line.startsWith(QLatin1Char('\t'));
}

// The first group that took part in a match of alternatives, each with its own group.
QString firstGroup(const QRegularExpressionMatch &m)
{
    for (int i = 1; i <= m.lastCapturedIndex(); ++i)
        if (!m.captured(i).isEmpty())
            return m.captured(i);
    return QString();
}

// How far a line is indented: its leading spaces and tabs.
qsizetype indentOf(QStringView line)
{
    qsizetype n = 0;
    while (n < line.size() && (line[n] == QLatin1Char(' ') || line[n] == QLatin1Char('\t')))
        ++n;
    return n;
}

// The end of the lines that carry on the line ending at `end`, which starts at `lineStart`:
// the following indented lines, indented at least as deep as it (Postfix wraps a reply so).
// A line indented less is the next item of an indented list (Exim's blocks).
qsizetype wrappedEnd(const QString &text, qsizetype lineStart, qsizetype end)
{
    const qsizetype indent = indentOf(QStringView(text).mid(lineStart, end - lineStart));
    while (end + 1 < text.size() && text.at(end) == QLatin1Char('\n')) {
        qsizetype next = text.indexOf(QLatin1Char('\n'), end + 1);
        if (next < 0)
            next = text.size();
        const QStringView line = QStringView(text).mid(end + 1, next - end - 1);
        if (line.trimmed().isEmpty() || indentOf(line) == 0 || indentOf(line) < indent)
            break;
        end = next;
    }
    return end;
}

// Line `i` follows a line that introduces the sender ("A message sent by" and a blank line).
bool namesTheSender(const QStringList &lines, int i)
{
    for (int k = i - 1; k >= 0 && k >= i - 3; --k)
        if (!lines.at(k).trimmed().isEmpty())
            return formats().senderLead.match(lines.at(k)).hasMatch();
    return false;
}

// "(expanded from <sales@x>)": the address an alias or forward was written as.
QString expandedFrom(const QString &line)
{
    return formats().aliasOf.match(line).captured(1).toLower();
}

QString collapse(const QString &text, int max = 800)
{
    QString s = text.simplified();
    if (s.size() > max)
        s = s.left(max) + QStringLiteral("...");
    return s;
}


// An address as the pattern takes it, without what wraps it in prose: the quote that opens
// "addressed to 'bob@x'" (legal in a local part, but nobody's) and the X.400 form Exchange
// gives ("dda:SMTP=bob@x", "RFC-822=bob@x").
QString unwrapped(QString address)
{
    while (address.startsWith(QLatin1Char('\'')))
        address.remove(0, 1);
    static const QRegularExpression x400(QStringLiteral("^(?:smtp|rfc-?822)=(?=[^=]+@)"), QRegularExpression::CaseInsensitiveOption);
    if (address.contains(QLatin1Char('='))) // rare: the pattern is not tried on every address
        address.remove(x400);
    return address;
}

QStringList plainAddressesIn(const QString &text)
{
    static const QRegularExpression address(kAddress);
    QStringList out;
    auto it = address.globalMatch(text);
    while (it.hasNext()) {
        const QString found = unwrapped(it.next().captured(0));
        if (found.indexOf(QLatin1Char('@')) > 0)
            out.append(found.toLower());
    }
    return out;
}

// A word holding '@' and a hidden character ("bo<ZWSP>b@x", "bob<RLO>moc@x") is taken
// whole: the address pattern would take a part of it, another address than the one
// written. Shown with its marks, it says what the notice really held.
QStringList addressesWithHiddenCharacters(const QString &text)
{
    static const QRegularExpression word(QStringLiteral("[^\\s<>(),\"]+"));
    QStringList out;
    for (auto it = word.globalMatch(text); it.hasNext();) {
        QString token = it.next().captured(0);
        while (!token.isEmpty() && QStringLiteral(".:;'").contains(token.back()))
            token.chop(1);
        const qsizetype at = token.indexOf(QLatin1Char('@'));
        if (at <= 0 || at == token.size() - 1)
            continue;
        if (hiddenCharacters(token).isEmpty())
            out += plainAddressesIn(token);
        else
            out.append(token.toLower());
    }
    return out;
}

} // namespace

QStringList FreeTextRules::addressesIn(const QString &text)
{
    if (text.contains(QLatin1Char('@')) && !hiddenCharacters(text).isEmpty())
        return addressesWithHiddenCharacters(text);
    return plainAddressesIn(text);
}

bool FreeTextRules::soundsLikeFailure(const QString &text)
{
    return formats().failureWords.match(text).hasMatch();
}

bool FreeTextRules::soundsLikeBounceSender(const QString &from, const QString &subject)
{
    return formats().bounceFrom.match(from).hasMatch() || formats().bounceSubject.match(subject).hasMatch();
}

bool FreeTextRules::soundsLikeAutoReply(const QString &subject)
{
    return formats().autoReplySubject.match(subject).hasMatch();
}

QStringList FreeTextRules::listHeaders()
{
    return formats().listHeaders;
}

QString FreeTextRules::envelopeRecipient(const QString &received)
{
    return formats().envelopeFor.match(received).captured(1).toLower();
}

bool FreeTextRules::soundsLikeRefusal(const QString &text)
{
    return formats().autoReplyRefusal.match(text).hasMatch();
}

bool FreeTextRules::fromMailerDaemon(const QString &from)
{
    return formats().mailerDaemon.match(from).hasMatch();
}

bool FreeTextRules::soundsLikeComplaint(const QString &subject)
{
    return formats().complaintSubject.match(subject).hasMatch();
}

QStringList FreeTextRules::bareLocalParts(const QString &notification, QString *leadLine)
{
    const QString text = notification.left(20000);
    const QRegularExpressionMatch lead = formats().bareLead.match(text); // one pass over the text
    if (!lead.hasMatch())
        return {};
    const qsizetype lineStart = text.lastIndexOf(QLatin1Char('\n'), lead.capturedStart()) + 1;
    *leadLine = text.mid(lineStart, lead.capturedEnd() - lineStart);
    if (!soundsLikeFailure(*leadLine))
        return {}; // "please write to the following user:" lists no failure
    const QStringList lines = text.mid(lead.capturedEnd()).split(QLatin1Char('\n')).mid(1, 200);
    QStringList parts;
    for (int k = 0; k < lines.size(); ++k) {
        if (k == 0 && lines.at(k).trimmed().isEmpty())
            continue; // one blank line may separate the list from its lead
        const QRegularExpressionMatch m = formats().bareItem.match(lines.at(k));
        if (!m.hasMatch())
            break;
        parts.append(m.captured(1).toLower());
    }
    return parts;
}

QStringList FreeTextRules::loadErrors()
{
    return formats().checkPatterns();
}

namespace {

// A block of at least three header lines from line `i` (two, where the text ends): the
// original message's, not a header named in the prose.
bool startsHeaderBlock(const QStringList &lines, int i)
{
    int headers = 0;
    int j = i;
    for (; j < lines.size() && j < i + 12 && isAnyHeader(lines.at(j)); ++j)
        if (!lines.at(j).startsWith(QLatin1Char(' ')) && !lines.at(j).startsWith(QLatin1Char('\t')))
            ++headers;
    return headers >= 3 || (headers >= 2 && j == lines.size());
}

} // namespace

QString FreeTextRules::notificationPart(const QString &text, QString *originalHeaders)
{
    const QStringList lines = text.split(QLatin1Char('\n'));
    QList<qsizetype> starts; // where each line starts in `text`
    starts.reserve(lines.size());
    qsizetype at = 0;
    for (const QString &line : lines) {
        starts.append(at);
        at += line.size() + 1;
    }
    const auto lineAt = [&starts](qsizetype offset) {
        return int(std::upper_bound(starts.cbegin(), starts.cend(), offset) - starts.cbegin()) - 1;
    };
    // Each pattern reads the whole text once, not each line: the first marker line, and the
    // header lines before it that start the original's header block.
    const CheckedText checked(text);
    const QRegularExpressionMatch marker = checked.match(formats().markers);
    const int markerLine = marker.hasMatch() ? lineAt(marker.capturedStart(0)) : int(lines.size());
    int cut = -1;
    int headerStart = -1;
    for (auto it = checked.globalMatch(formats().originalHeaders); it.hasNext();) {
        const int i = lineAt(it.next().capturedStart(0));
        if (i >= markerLine)
            break;
        if (i > 0 && startsHeaderBlock(lines, i)) {
            cut = headerStart = i;
            break;
        }
    }
    if (cut < 0 && marker.hasMatch()) {
        cut = markerLine;
        headerStart = markerLine + 1;
    }
    if (cut < 0)
        return text;
    if (originalHeaders) {
        QStringList block;
        int i = headerStart;
        while (i < lines.size() && lines.at(i).trimmed().isEmpty())
            ++i;
        for (; i < lines.size() && !lines.at(i).trimmed().isEmpty() && block.size() < 400; ++i)
            block.append(lines.at(i));
        *originalHeaders = block.join(QLatin1Char('\n'));
    }
    return lines.mid(0, cut).join(QLatin1Char('\n'));
}

namespace {

// "(reason: 550 Host unknown)": the parenthesis the reply sits in is not its words.
QString withoutEnclosingParenthesis(QString reply)
{
    if (reply.endsWith(QLatin1Char(')')) && reply.count(QLatin1Char(')')) > reply.count(QLatin1Char('(')))
        reply.chop(1);
    return reply.trimmed();
}

// The reply that starts at `start`, read by ReplyParser; code 0 when it is none.
FoundCodes replyAt(const QString &text, qsizetype start)
{
    FoundCodes found;
    qsizetype end = text.indexOf(QLatin1Char('\n'), start);
    if (end < 0)
        end = text.size();
    ReplyParser parser;
    parser.feed(text.mid(start, end - start).toUtf8() + "\r\n");
    QList<Reply> replies = parser.takeReplies();
    if (replies.isEmpty()) {
        // "550-5.7.1 first 550-5.7.1 second" unfolded on one line: the reply never ends.
        if (const auto open = parser.finish())
            replies.append(*open);
    }
    if (replies.isEmpty() || replies.first().code == 0)
        return found;
    const Reply &reply = replies.first();
    found.replyCode = reply.code;
    if (reply.enhanced)
        found.status = reply.enhanced->toString();
    const qsizetype lineStart = text.lastIndexOf(QLatin1Char('\n'), start) + 1;
    found.replyText = withoutEnclosingParenthesis(text.mid(start, wrappedEnd(text, lineStart, end) - start));
    return found;
}

// Whether `codes` at `at` stand as a reply's would: after a line start, a space or a
// bracket (replyStart's), and not followed by more digits.
bool startsAReply(const QString &text, qsizetype at, qsizetype length)
{
    static const QString before = QStringLiteral(" \t\n:;([<>\"'");
    const bool openBefore = at == 0 || before.contains(text.at(at - 1));
    const bool closedAfter = at + length >= text.size() || !text.at(at + length).isDigit();
    return openBefore && closedAfter;
}

// Whether a reply says anything past its codes ("550 5.7.350" alone does not).
bool hasWords(const FoundCodes &reply)
{
    for (const QChar c : reply.replyText)
        if (c.isLetter())
            return true;
    return false;
}

} // namespace

FoundCodes FreeTextRules::findCodes(const QString &text)
{
    static const QRegularExpression replyStart(QStringLiteral(
        "(?:^|[\\s:;(\\[<>\"'])([245][0-7][0-9])(?=[ \\t:,-]|$)(?![-][^ \\t])(?!:\\d)"), QRegularExpression::MultilineOption);
    static const QRegularExpression replyStartDash(QStringLiteral(
        "(?:^|[\\s:;(\\[<>\"'])([245][0-7][0-9])-(?=['\"]?[245]\\.\\d)"), QRegularExpression::MultilineOption);
    FoundCodes found;
    const CheckedText checked(text); // several patterns read it
    QRegularExpressionMatch m = checked.match(replyStart);
    const QRegularExpressionMatch dash = checked.match(replyStartDash);
    if (dash.hasMatch() && (!m.hasMatch() || dash.capturedStart(1) < m.capturedStart(1)))
        m = dash;
    if (m.hasMatch())
        found = replyAt(text, m.capturedStart(1));
    if (found.replyCode && !hasWords(found)) {
        // "Status code: 550 5.7.350" first, "Error: 550 5.7.350 Remote server returned ..."
        // later: the same reply with its words says more.
        const QString codes = found.replyText;
        for (qsizetype at = text.indexOf(codes, m.capturedEnd(1)); at >= 0; at = text.indexOf(codes, at + 1)) {
            if (!startsAReply(text, at, codes.size()))
                continue; // "41550 bytes" holds "550", but no reply
            const FoundCodes again = replyAt(text, at);
            if (again.replyCode == found.replyCode && hasWords(again)) {
                found = again;
                break;
            }
        }
    }
    if (found.status.isEmpty())
        found.status = statusIn(checked);
    return found;
}

QString FreeTextRules::statusIn(const QString &text)
{
    return statusIn(CheckedText(text));
}

QString FreeTextRules::statusIn(const CheckedText &text)
{
    static const QRegularExpression statusToken(QStringLiteral(
        "(?<![\\w.])([245]\\.\\d{1,3}\\.\\d{1,3})(?!\\.?\\d)(?![\\w-])"));
    for (auto it = text.globalMatch(statusToken); it.hasNext();) {
        if (auto status = EnhancedStatus::parse(it.next().captured(1)))
            return status->toString();
    }
    return QString();
}

namespace {

// The first recipient line form that reads `line`; `mailSystem`: only the forms read again
// when nothing but the mail system is named.
QRegularExpressionMatch recipientLine(const QString &line, bool mailSystem)
{
    for (const Formats::RecipientLine &form : formats().recipientLines) {
        if (mailSystem && !form.alsoForTheMailSystem)
            continue;
        QRegularExpressionMatch m = form.pattern.match(line);
        if (m.hasMatch())
            return m;
    }
    return QRegularExpressionMatch();
}

} // namespace

QList<FreeTextFinding> FreeTextRules::findRecipients(const QString &notification, const QStringList &exclude)
{
    QStringList excluded;
    for (const QString &e : exclude)
        excluded.append(e.toLower());

    struct Hit
    {
        int line;
        QString address;
        QString rest;
    };
    const QStringList lines = notification.split(QLatin1Char('\n'));
    QList<Hit> hits;
    bool allowSystem = false;
    auto usable = [&](const QString &address) {
        return !excluded.contains(address) && (allowSystem || !isSystemAddress(address));
    };
    for (int i = 0; i < lines.size(); ++i) {
        const QString &line = lines.at(i);
        if (!line.contains(QLatin1Char('@')) || namesTheSender(lines, i))
            continue;
        const QRegularExpressionMatch m = recipientLine(line, false);
        if (m.hasMatch()) {
            const QString address = unwrapped(m.captured(1)).toLower();
            if (usable(address))
                hits.append(Hit{i, address, m.lastCapturedIndex() >= 2 ? m.captured(2) : QString()});
        }
    }
    if (hits.isEmpty()) {
        // A postmaster can be the recipient that failed, when no one else is named.
        allowSystem = true;
        for (int i = 0; i < lines.size(); ++i) {
            const QString &line = lines.at(i);
            if (!line.contains(QLatin1Char('@')) || namesTheSender(lines, i))
                continue;
            const QRegularExpressionMatch m = recipientLine(line, true);
            const QString address = m.hasMatch() ? unwrapped(m.captured(1)).toLower() : QString();
            if (m.hasMatch() && usable(address) && !address.startsWith(QLatin1String("mailer-daemon")))
                hits.append(Hit{i, address, m.lastCapturedIndex() >= 2 ? m.captured(2) : QString()});
        }
        allowSystem = false;
    }
    if (hits.isEmpty()) {
        for (int i = 0; i < lines.size(); ++i) {
            const QRegularExpressionMatch m = formats().labels.match(lines.at(i));
            const QString address = m.hasMatch() ? unwrapped(m.captured(1)).toLower() : QString();
            if (m.hasMatch() && usable(address))
                hits.append(Hit{i, address, lines.at(i).mid(m.capturedEnd(0))});
        }
    }
    if (hits.isEmpty()) {
        for (int i = 0; i < lines.size(); ++i) {
            if (!lines.at(i).contains(QLatin1Char('@')))
                continue;
            for (const QString &address : addressesIn(lines.at(i))) {
                if (usable(address)) {
                    // The words around the address are what was said about it.
                    QString rest = lines.at(i);
                    rest.replace(address, QString(), Qt::CaseInsensitive);
                    hits.append(Hit{i, address, rest});
                    break;
                }
            }
            if (!hits.isEmpty())
                break;
        }
    }

    QStringList named; // every address a hit names
    for (const Hit &h : hits)
        if (!named.contains(h.address))
            named.append(h.address);
    QHash<int, int> hitAtLine; // line -> its first hit
    for (int h = hits.size() - 1; h >= 0; --h)
        hitAtLine.insert(hits.at(h).line, h);
    const auto isBare = [&](int line) { // a line that only lists an address ("<bob@x>", ">>> bob@x")
        return hitAtLine.contains(line) && hits.at(hitAtLine.value(line)).rest.trimmed().isEmpty();
    };
    // A transcript step that tells of another recipient (">>> RCPT To:<carol@x>", "<<< 550 <carol@x>...").
    const auto stepOfAnother = [&](int k, const QString &address) {
        const QString step = lines.at(k).trimmed();
        if (!step.startsWith(QLatin1String(">>>")) && !step.startsWith(QLatin1String("<<<")))
            return false;
        const QStringList there = addressesIn(step);
        return std::any_of(there.cbegin(), there.cend(), [&](const QString &a) { return a != address && named.contains(a); });
    };
    // The end of hit `h`'s item: the next line that names another recipient, or 40 lines on.
    const auto itemEnd = [&](int h) {
        const Hit &hit = hits.at(h);
        for (int k = h + 1; k < hits.size(); ++k)
            if (hits.at(k).address != hit.address && hits.at(k).line > hit.line)
                return qMin(hits.at(k).line, hit.line + 41);
        return qMin<int>(lines.size(), hit.line + 41);
    };
    // Where what is said of hit `h` ends: its item's end, or before a transcript step about
    // another recipient.
    const auto endOf = [&](int h) {
        const int end = itemEnd(h);
        for (int k = hits.at(h).line + 1; k < end; ++k)
            if (stepOfAnother(k, hits.at(h).address))
                return k;
        return end;
    };
    const auto segmentOf = [&](int h, int end) {
        const Hit &hit = hits.at(h);
        return (QStringList{hit.rest} + lines.mid(hit.line + 1, end - hit.line - 1)).join(QLatin1Char('\n'));
    };
    // For a bare address in a list, the last item of that list when a blank line ends it (the
    // words after are all the list's); -1 where the list's last item has words of its own.
    const auto listEnd = [&](int h) {
        int line = hits.at(h).line;
        if (!isBare(line))
            return -1;
        while (isBare(line + 1))
            ++line;
        return line + 1 < lines.size() && lines.at(line + 1).trimmed().isEmpty() ? hitAtLine.value(line) : -1;
    };
    const auto saysNothing = [](const FoundCodes &codes) { return codes.replyCode == 0 && codes.status.isEmpty(); };
    struct Said
    {
        int hit;          // the hit whose line tells of the address
        int end;          // where its words end
        QString segment;  // its words
        FoundCodes codes;
    };
    // What is said of the address hit `first` names first: the words after it, or the codes
    // before it on its line ("550 5.1.1 <bob@x>... User unknown"). Listed bare, it is the line
    // that names it again with a code (Sendmail's transcript), else the words after the whole
    // list (Activehunter's one reply).
    const auto saidOf = [&](int first) {
        Said said{first, endOf(first), QString(), FoundCodes()};
        said.segment = segmentOf(first, said.end);
        said.codes = findCodes(said.segment);
        if (!saysNothing(said.codes))
            return said;
        const FoundCodes own = findCodes(lines.at(hits.at(first).line));
        if (own.replyCode == 0) {
            for (int k = first + 1; k < hits.size(); ++k) {
                if (hits.at(k).address != hits.at(first).address)
                    continue;
                const FoundCodes codes = findCodes(lines.at(hits.at(k).line));
                if (codes.replyCode) {
                    const int end = endOf(k);
                    return Said{k, end, segmentOf(k, end), codes};
                }
            }
            const int last = listEnd(first);
            if (last > first) {
                said.end = endOf(last);
                said.segment = segmentOf(last, said.end);
                said.codes = findCodes(said.segment);
            }
        }
        if (saysNothing(said.codes))
            said.codes = own;
        return said;
    };

    QList<FreeTextFinding> out;
    QStringList seen;
    for (int first = 0; first < hits.size(); ++first) {
        if (seen.contains(hits.at(first).address))
            continue;
        seen.append(hits.at(first).address);
        const Said said = saidOf(first);
        const Hit &hit = hits.at(said.hit);
        const QString &segment = said.segment;
        const FoundCodes &codes = said.codes;

        FreeTextFinding f;
        f.recipient = hit.address;
        f.originalRecipient = expandedFrom(lines.at(hit.line));
        if (f.originalRecipient.isEmpty())
            f.originalRecipient = expandedFrom(lines.at(hits.at(first).line));
        if (f.originalRecipient == f.recipient)
            f.originalRecipient.clear();
        f.replyCode = codes.replyCode;
        f.status = codes.status;
        f.diagnostic = collapse(segment);
        if (!codes.replyText.isEmpty())
            f.diagnostic = collapse(codes.replyText);
        if (f.diagnostic.isEmpty())
            f.diagnostic = collapse(segment);
        // Reason rules also look at the text around: just before (headings such as "permanent
        // error"), and on to the end of its item (a transcript's steps).
        const int before = qMax(0, hit.line - 6);
        f.context = lines.mid(before, qMax(said.end, itemEnd(said.hit)) - before).join(QLatin1Char('\n'));

        f.remoteMta = firstGroup(formats().nearHost.match(segment)).toLower();
        out.append(f);
    }
    return out;
}

namespace {

// The indented items of a notice: a line indented a little starts one, deeper lines carry
// it on; a blank or unindented line ends it.
QStringList indentedItems(const QString &notification)
{
    QStringList items;
    qsizetype itemIndent = -1;
    for (const QString &line : notification.split(QLatin1Char('\n'))) {
        const qsizetype indent = indentOf(line);
        if (line.trimmed().isEmpty() || indent == 0) {
            itemIndent = -1;
        } else if (itemIndent >= 0 && indent > itemIndent) {
            items.last() += QLatin1Char('\n') + line;
        } else if (indent <= 3) {
            items.append(line);
            itemIndent = indent;
        } else {
            itemIndent = -1;
        }
    }
    return items;
}


// "/var/mail/carol", "/home/carol/bin": a path that names the mailbox of `local`.
bool namesMailbox(const QString &item, const QString &local)
{
    const QString step = QLatin1Char('/') + local;
    for (qsizetype at = item.indexOf(step, 0, Qt::CaseInsensitive); at >= 0;
         at = item.indexOf(step, at + 1, Qt::CaseInsensitive)) {
        const qsizetype after = at + step.size();
        if (after == item.size() || !(item.at(after).isLetterOrNumber() || QStringLiteral("._-").contains(item.at(after))))
            return true;
    }
    return false;
}

} // namespace

QString FreeTextRules::listedItemAbout(const QString &address, const QString &notification)
{
    const QStringList items = indentedItems(notification);
    const QString local = address.section(QLatin1Char('@'), 0, 0);
    for (const QString &item : items) {
        if (item.contains(address, Qt::CaseInsensitive) || (!local.isEmpty() && namesMailbox(item, local)))
            return item;
    }
    return items.size() == 1 ? items.first() : QString();
}

QString FreeTextRules::remoteHostInProse(const QString &notification)
{
    return firstGroup(formats().inProse.match(notification)).toLower();
}

QString FreeTextRules::reportingHostInProse(const QString &notification)
{
    return firstGroup(formats().reportingHost.match(notification.left(4000))).toLower();
}

} // namespace smtp
