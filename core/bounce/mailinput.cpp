#include "mailinput.h"

#include "mtalog.h"

#include <QDir>
#include <QFileInfo>

#include <algorithm>
#include <cerrno>
#include <dirent.h>
#include <sys/stat.h>

namespace smtp {

namespace {

const QString kCutNote = QStringLiteral("the message is over 32 MB; the rest of it was skipped");

// How many non-empty lines tell a log from a message.
constexpr int kKindLines = 50;

bool isMboxSeparator(const QByteArray &line)
{
    return line.startsWith("From ");
}

// mboxrd and mboxo quote a body line "From " as ">From " (mboxrd also ">>From " ...).
void unquoteFrom(QByteArray &line)
{
    qsizetype i = 0;
    while (i < line.size() && line[i] == '>')
        ++i;
    if (i > 0 && line.mid(i, 5) == "From ")
        line.remove(0, 1);
}

// A pipe's atEnd() is true whenever nothing is buffered yet: read until read() says end.
// A file's size is known: the bytes are read into one buffer of that size, not one that
// doubles past it (a 32 MB message would otherwise hold up to 64 MB).
QByteArray readUpTo(QIODevice &device, qsizetype limit)
{
    QByteArray data;
    if (!device.isSequential())
        data.reserve(qMin<qint64>(limit, device.size() - device.pos()));
    for (QByteArray chunk; data.size() < limit && !(chunk = device.read(qMin<qsizetype>(1 << 16, limit - data.size()))).isEmpty();)
        data += chunk;
    return data;
}

bool isMaildir(const QString &path)
{
    return QFileInfo(path + QStringLiteral("/cur")).isDir() && QFileInfo(path + QStringLiteral("/new")).isDir();
}

// Qt lists a directory it cannot open as an empty one: the system says why.
QString listError(const QString &dir)
{
    DIR *d = ::opendir(QFile::encodeName(dir).constData());
    if (!d)
        return qt_error_string(errno);
    ::closedir(d);
    return {};
}

// Why a directory entry that is neither a file nor a directory is not read: a link to
// nothing or to itself, or a FIFO or device, whose reading could wait forever.
QString notAFile(const QString &path)
{
    struct stat st;
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return QStringLiteral("a symbolic link that cannot be followed (%1)").arg(qt_error_string(errno));
    return QStringLiteral("not a regular file (a FIFO, a socket or a device)");
}

// A header field line ("Received: from ...", "Final-Recipient: ..."): how a message starts.
bool isHeaderField(QByteArrayView line)
{
    const qsizetype colon = line.indexOf(':');
    if (colon < 1 || colon > 76)
        return false;
    return std::all_of(line.begin(), line.begin() + colon, [](char c) { return c >= '!' && c <= '~'; });
}

} // namespace

MailInput::Kind detectKind(const QByteArray &head)
{
    if (head.startsWith("From "))
        return MailInput::Kind::Mbox;
    // A log when most of its first non-empty lines are log lines: a journal's header or a
    // stray line does not make a log one message. A message says so at its first line (a
    // header field), so a tree of message files is not read line by line here.
    int lines = 0;
    int logLines = 0;
    for (qsizetype from = 0; from < head.size() && lines < kKindLines;) {
        qsizetype end = head.indexOf('\n', from);
        if (end < 0)
            end = head.size();
        const QByteArrayView line = QByteArrayView(head).sliced(from, end - from).trimmed();
        from = end + 1;
        if (line.isEmpty())
            continue;
        const bool log = MtaLog::isLogLine(QString::fromUtf8(line));
        if (!log && lines == 0 && isHeaderField(line))
            return MailInput::Kind::Message;
        ++lines;
        logLines += log ? 1 : 0;
        if ((lines - logLines) * 2 >= kKindLines)
            return MailInput::Kind::Message; // too many other lines for a majority of log lines
    }
    return logLines * 2 > lines ? MailInput::Kind::Log : MailInput::Kind::Message;
}

struct MailInput::Source
{
    QString name;
    std::unique_ptr<QIODevice> owned;
    QIODevice *device = nullptr;
    QString openError;
    Kind kind = Kind::Message;
    qint64 lineNumber = 0;      // logs
    qint64 otherLines = 0;      // logs: lines that are no log lines, skipped
    qint64 firstOtherLine = 0;
    int messageNumber = 0;      // mboxes
    QByteArray pendingLine;     // an mbox's next "From " line, read ahead
    bool done = false;
};

MailInput::MailInput(const QStringList &paths, QIODevice *standardInput)
    : m_standardInput(standardInput)
{
    for (const QString &p : paths)
        m_pending += p == QLatin1String("-") ? QList<Pending>{{p, {}}} : expand(p);
}

MailInput::~MailInput() = default;

// A directory is walked, files in name order; what cannot be read is kept, with why.
QList<MailInput::Pending> MailInput::expand(const QString &path)
{
    if (!QFileInfo(path).isDir())
        return {{path, {}}};
    QList<Pending> out;
    QSet<QString> seen;
    walk(path, seen, out);
    std::sort(out.begin(), out.end(), [](const Pending &a, const Pending &b) { return a.path < b.path; });
    return out;
}

void MailInput::walk(const QString &dir, QSet<QString> &seen, QList<Pending> &out)
{
    const QString canonical = QFileInfo(dir).canonicalFilePath();
    if (!canonical.isEmpty() && seen.contains(canonical))
        return; // a link back into the tree: its files are read once
    seen.insert(canonical);
    if (const QString error = listError(dir); !error.isEmpty()) {
        out.append({dir, error});
        return;
    }
    const bool maildir = isMaildir(dir);
    const auto entries = QDir(dir).entryInfoList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System,
                                                 QDir::Unsorted);
    for (const QFileInfo &entry : entries) {
        if (entry.isDir()) {
            if (!maildir || entry.fileName() != QLatin1String("tmp")) // a Maildir's tmp/: messages still being written
                walk(entry.filePath(), seen, out);
        } else {
            out.append({entry.filePath(), entry.isFile() ? QString() : notAFile(entry.filePath())});
        }
    }
}

bool MailInput::openNext()
{
    if (m_pending.isEmpty())
        return false;
    const Pending next = m_pending.takeFirst();
    m_source = std::make_unique<Source>();
    m_source->name = next.path;
    if (!next.error.isEmpty()) {
        m_source->openError = next.error;
    } else if (next.path == QLatin1String("-") && m_standardInput) {
        m_source->device = m_standardInput;
    } else {
        auto file = std::make_unique<QFile>(next.path);
        if (!file->open(QIODevice::ReadOnly)) {
            m_source->openError = file->errorString();
            return true;
        }
        m_source->owned = std::move(file);
        m_source->device = m_source->owned.get();
    }
    if (m_source->device)
        m_source->kind = detectKind(m_source->device->peek(kHeadBytes));
    return true;
}

bool MailInput::next(MailItem &item)
{
    for (;;) {
        if (m_source && nextFromSource(item))
            return true;
        m_source.reset();
        if (!openNext())
            return false;
    }
}

bool MailInput::nextFromSource(MailItem &item)
{
    Source &s = *m_source;
    item = MailItem();
    if (!s.device) { // could not be opened: one item that says so
        if (s.done)
            return false;
        s.done = true;
        item.name = s.name;
        item.error = s.openError;
        return true;
    }
    switch (s.kind) {
    case Kind::Message:
        return nextMessage(s, item);
    case Kind::Log:
        return nextLogItem(s, item);
    case Kind::Mbox:
        return nextMboxMessage(s, item);
    }
    return false;
}

bool MailInput::nextMessage(Source &s, MailItem &item)
{
    if (s.done)
        return false;
    s.done = true;
    item.name = s.name;
    item.data = readUpTo(*s.device, kMaxMessageBytes + 1);
    if (item.data.size() > kMaxMessageBytes) {
        item.data.truncate(kMaxMessageBytes);
        item.note = kCutNote;
    }
    return true;
}

// Each failure line is an item; other log lines are skipped; lines that are no log lines
// at all (a journal's "-- Boot" line, a stray paste) are counted, and told in one notice
// at the end, so a few of them neither hide the log nor pass unsaid.
bool MailInput::nextLogItem(Source &s, MailItem &item)
{
    for (QByteArray bytes; !(bytes = s.device->readLine(64 * 1024)).isEmpty();) {
        ++s.lineNumber;
        const QString line = QString::fromUtf8(bytes).trimmed();
        if (const auto fields = MtaLog::dsnFields(line)) {
            item.name = QStringLiteral("%1:%2").arg(s.name).arg(s.lineNumber);
            item.data = *fields;
            item.logLine = true;
            return true;
        }
        if (!line.isEmpty() && !MtaLog::isLogLine(line) && s.otherLines++ == 0)
            s.firstOtherLine = s.lineNumber;
    }
    if (s.done || s.otherLines == 0)
        return false;
    s.done = true;
    item.name = s.name;
    item.notice = true;
    item.note = s.otherLines == 1
        ? QStringLiteral("line %1 is not a log line; it was skipped").arg(s.firstOtherLine)
        : QStringLiteral("%1 lines are not log lines (the first is line %2); they were skipped").arg(s.otherLines).arg(s.firstOtherLine);
    return true;
}

bool MailInput::nextMboxMessage(Source &s, MailItem &item)
{
    QByteArray first = s.pendingLine;
    s.pendingLine.clear();
    if (first.isEmpty())
        first = s.device->readLine();
    if (first.isEmpty())
        return false;
    if (!isMboxSeparator(first) && s.messageNumber > 0)
        return false;
    item.name = QStringLiteral("%1#%2").arg(s.name).arg(++s.messageNumber);
    bool previousBlank = true;
    for (QByteArray line; !(line = s.device->readLine()).isEmpty();) {
        if (previousBlank && isMboxSeparator(line)) {
            s.pendingLine = line;
            break;
        }
        previousBlank = line == "\n" || line == "\r\n";
        if (item.data.size() >= kMaxMessageBytes) {
            item.note = kCutNote;
            continue;
        }
        unquoteFrom(line);
        item.data += line;
    }
    if (s.messageNumber == 1 && s.pendingLine.isEmpty())
        item.name = s.name; // an mbox of one message (a saved bounce): named as its file
    return true;
}

} // namespace smtp
