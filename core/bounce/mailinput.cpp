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

} // namespace

MailInput::Kind detectKind(const QByteArray &head)
{
    if (head.startsWith("From "))
        return MailInput::Kind::Mbox;
    // A log when its first (up to five) lines are log lines (a message starts with header
    // fields). Read line by line and decided at the first other line: the head is 4 KB of
    // a file that is most often a message, whose first line says so.
    int lines = 0;
    for (qsizetype from = 0; from <= head.size() && lines < 5;) {
        qsizetype end = head.indexOf('\n', from);
        if (end < 0)
            end = head.size();
        const QByteArray line = head.mid(from, end - from);
        from = end + 1;
        if (line.trimmed().isEmpty())
            continue;
        ++lines;
        if (!MtaLog::isLogLine(QString::fromUtf8(line)))
            return MailInput::Kind::Message;
    }
    return lines > 0 ? MailInput::Kind::Log : MailInput::Kind::Message;
}

struct MailInput::Source
{
    QString name;
    std::unique_ptr<QIODevice> owned;
    QIODevice *device = nullptr;
    QString openError;
    Kind kind = Kind::Message;
    qint64 lineNumber = 0;      // logs
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
        m_source->kind = detectKind(m_source->device->peek(4096));
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
        if (s.done)
            return false;
        s.done = true;
        item.name = s.name;
        item.data = readUpTo(*s.device, kMaxMessageBytes + 1);
        if (item.data.size() > kMaxMessageBytes) {
            item.data.truncate(kMaxMessageBytes);
            item.note = QStringLiteral("the message is over 32 MB; the rest of it was skipped");
        }
        return true;
    case Kind::Log:
        for (QByteArray line; !(line = s.device->readLine(64 * 1024)).isEmpty();) {
            ++s.lineNumber;
            if (const auto fields = MtaLog::dsnFields(QString::fromUtf8(line).trimmed())) {
                item.name = QStringLiteral("%1:%2").arg(s.name).arg(s.lineNumber);
                item.data = *fields;
                item.logLine = true;
                return true;
            }
        }
        return false;
    case Kind::Mbox: {
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
                item.note = QStringLiteral("the message is over 32 MB; the rest of it was skipped");
                continue;
            }
            unquoteFrom(line);
            item.data += line;
        }
        if (s.messageNumber == 1 && s.pendingLine.isEmpty())
            item.name = s.name; // an mbox of one message (a saved bounce): named as its file
        return true;
    }
    }
    return false;
}

} // namespace smtp
