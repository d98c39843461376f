#include "labinspector.h"

#include "protocol/untrustedtext.h"

#include <QStringList>

#include <functional>
#include <optional>

namespace smtp {

namespace {

using Note = LabInspection::Note;
using Finding = LabInspection::Finding;

bool hasHeader(const MimeTree &tree, const QString &name)
{
    return std::any_of(tree.headers.begin(), tree.headers.end(),
                       [&](const MimeTree::Header &h) { return h.name.compare(name, Qt::CaseInsensitive) == 0; });
}

// The names of the header block's fields (RFC 5322 2.2: name ":" value, folded lines begin
// with white space); nullopt when a line before the blank one is no field at all.
std::optional<QStringList> headerNames(const QByteArray &data)
{
    QStringList names;
    qsizetype pos = 0;
    while (pos < data.size()) {
        qsizetype end = data.indexOf('\n', pos);
        if (end < 0)
            end = data.size();
        const QByteArrayView line = QByteArrayView(data).sliced(pos, end - pos);
        pos = end + 1;
        if (line.isEmpty() || line == "\r")
            return names;
        if (line.front() == ' ' || line.front() == '\t')
            continue;
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return std::nullopt;
        names.append(QString::fromLatin1(line.first(colon).trimmed()));
    }
    return names;
}

bool declaresEightBit(const LabMessage &m)
{
    for (const QString &p : m.mailParameters)
        if (p.compare(QLatin1String("BODY=8BITMIME"), Qt::CaseInsensitive) == 0 || p.compare(QLatin1String("SMTPUTF8"), Qt::CaseInsensitive) == 0)
            return true;
    return false;
}

bool hasEightBit(const QByteArray &data)
{
    return std::any_of(data.begin(), data.end(), [](char c) { return uchar(c) > 127; });
}

} // namespace

namespace {

// The notes both looks share: how the message came, and which required fields it lacks.
QList<Note> notesOf(const LabMessage &m, bool readable, const std::function<bool(const QString &)> &hasField)
{
    QList<Note> notes;
    auto note = [&notes](Finding kind, const QString &text) { notes.append({kind, text}); };
    if (m.bareLineFeeds > 0) {
        QStringList lines;
        for (int line : m.bareLineFeedLines.mid(0, 10))
            lines.append(QString::number(line));
        note(Finding::BareLineFeed,
             QStringLiteral("%1 line(s) ended with LF alone, not CR LF (RFC 5321 2.3.8), line %2%3; stored with CR LF")
                 .arg(m.bareLineFeeds).arg(lines.join(QStringLiteral(", ")), m.bareLineFeeds > 10 ? QStringLiteral("...") : QString()));
    }
    if (m.longestLine > 998)
        note(Finding::LongLine, QStringLiteral("a line is %1 octets long; RFC 5322 2.1.1 allows 998 (1000 with CR LF): "
                                               "servers may refuse or break it").arg(m.longestLine));
    if (hasEightBit(m.data) && !declaresEightBit(m))
        note(Finding::UndeclaredEightBit, QStringLiteral("8-bit octets in the message, but MAIL FROM did not say "
                                                         "BODY=8BITMIME (RFC 6152) or SMTPUTF8"));
    if (!readable) {
        note(Finding::NotMime, QStringLiteral("not readable as a message (no header block?)"));
        return notes;
    }
    if (!hasField(QStringLiteral("Date")))
        note(Finding::MissingDate, QStringLiteral("no Date header: RFC 5322 3.6 requires one"));
    if (!hasField(QStringLiteral("From")))
        note(Finding::MissingFrom, QStringLiteral("no From header: RFC 5322 3.6 requires one"));
    if (!hasField(QStringLiteral("Message-ID")))
        note(Finding::MissingMessageId, QStringLiteral("no Message-ID header: RFC 5322 3.6.4 says there should be one"));
    return notes;
}

} // namespace

LabInspection LabInspection::of(const LabMessage &m)
{
    LabInspection out;
    out.tree = MimeReader::tree(m.data);
    out.notes = notesOf(m, out.tree.isMime, [&](const QString &name) { return hasHeader(out.tree, name); });
    if (out.tree.isMime) {
        for (const QString &n : std::as_const(out.tree.notes))
            out.notes.append({Finding::ParserNote, n});
    }
    return out;
}

QList<LabInspection::Note> LabInspection::quickNotes(const LabMessage &m)
{
    const std::optional<QStringList> names = headerNames(m.data);
    return notesOf(m, names.has_value(), [&](const QString &name) { return names->contains(name, Qt::CaseInsensitive); });
}

bool LabInspection::has(Finding kind) const
{
    return std::any_of(notes.begin(), notes.end(), [kind](const Note &n) { return n.kind == kind; });
}

QString LabInspection::toText(const LabMessage &m) const
{
    QStringList out;
    QStringList to;
    for (const QString &r : m.recipients)
        to.append(QLatin1Char('<') + visibleText(r) + QLatin1Char('>'));
    out << QStringLiteral("Envelope")
        << QStringLiteral("  From: <%1>%2").arg(visibleText(m.sender),
                                                m.mailParameters.isEmpty() ? QString() : QLatin1Char(' ') + visibleText(m.mailParameters.join(QLatin1Char(' '))))
        << QStringLiteral("  To: %1%2").arg(to.join(QStringLiteral(", ")),
                                            m.rcptParameters.isEmpty() ? QString() : QLatin1Char(' ') + visibleText(m.rcptParameters.join(QLatin1Char(' '))))
        << QStringLiteral("  Client: %1 (%2)%3%4%5")
               .arg(visibleText(m.helo), m.peer, m.tls ? QStringLiteral(", over TLS") : QString(),
                    m.user.isEmpty() ? QString() : QStringLiteral(", signed in as ") + visibleText(m.user),
                    m.pipelined ? QStringLiteral(", pipelined") : QString())
        << QStringLiteral("  Size: %1 octets").arg(m.data.size());
    out << QString() << (notes.isEmpty() ? QStringLiteral("Warnings: none") : QStringLiteral("Warnings"));
    for (const Note &n : notes)
        out << QStringLiteral("  ! ") + visibleText(n.text);
    if (tree.isMime) {
        out << QString() << QStringLiteral("Headers");
        for (const MimeTree::Header &h : tree.headers)
            out << QStringLiteral("  %1: %2").arg(visibleText(h.name), visibleText(h.value));
        out << QString() << QStringLiteral("MIME structure");
        for (const MimeTree::Part &p : tree.parts) {
            QStringList about;
            if (!p.charset.isEmpty())
                about << QStringLiteral("charset ") + visibleText(p.charset);
            if (!p.encoding.isEmpty())
                about << visibleText(p.encoding);
            if (!p.filename.isEmpty())
                about << QStringLiteral("file \"%1\"").arg(visibleText(p.filename));
            if (!p.type.startsWith(QLatin1String("multipart/")) && p.type != QLatin1String("message/rfc822"))
                about << QStringLiteral("%1 octets decoded").arg(p.size);
            out << QStringLiteral("  %1%2%3").arg(QString(p.depth * 2, QLatin1Char(' ')), visibleText(p.type),
                                                  about.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(about.join(QStringLiteral(", "))));
        }
        for (const MimeTree::Part &p : tree.parts) {
            if (p.text.isEmpty())
                continue;
            out << QString() << QStringLiteral("Decoded %1").arg(visibleText(p.type));
            for (const QString &line : p.text.split(QLatin1Char('\n')))
                out << QStringLiteral("  ") + visibleText(QString(line).remove(QLatin1Char('\r')));
        }
    }
    out << QString() << QStringLiteral("Raw (⏎ CR LF, ␊ LF alone; the first 200 lines)");
    const QList<QByteArray> lines = m.data.split('\n');
    for (int i = 0; i < lines.size() && i < 200; ++i) {
        if (i == lines.size() - 1 && lines.at(i).isEmpty())
            break;
        const bool bare = m.bareLineFeedLines.contains(i + 1);
        out << QStringLiteral("%1 %2%3").arg(i + 1, 4).arg(visibleText(QString::fromUtf8(lines.at(i).endsWith('\r') ? lines.at(i).chopped(1) : lines.at(i))),
                                                             bare ? QStringLiteral("␊") : QStringLiteral("⏎"));
    }
    return out.join(QLatin1Char('\n'));
}

} // namespace smtp
