#pragma once
// The messages inside one input, one at a time so a big mailbox streams: a message file,
// an mbox (mboxo/mboxrd: ">From " lines unquoted), a Maildir (cur/ and new/, tmp/
// skipped), a directory tree (files in name order), or an MTA log (each failure line an
// item, as DSN fields; see MtaLog). Each item is named for the user: "box.mbox#17",
// "maillog:2041", or the file's path. What cannot be read (a file, a directory of the tree,
// a broken link) is an item with an error, so nothing is lost without a word.

#include <QByteArray>
#include <QFile>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>
#include <memory>

namespace smtp {

struct MailItem
{
    QString name;
    QByteArray data;
    QString error;        // the item could not be read (the rest goes on)
    QString note;         // read, but not whole (a message over the size limit)
    bool logLine = false; // `data` is the DSN fields of an MTA log line
    bool notice = false;  // no message: `note` tells about the input `name` as a whole
};

class MailInput
{
public:
    enum class Kind { Message, Mbox, Log };

    // Paths to read in order: files, directories (walked), Maildirs; "-" reads
    // `standardInput` (not owned), which may be a pipe: it streams too.
    explicit MailInput(const QStringList &paths, QIODevice *standardInput = nullptr);
    ~MailInput();

    // The next item; false when everything is read.
    bool next(MailItem &item);

    // Messages whose size is over this are cut (with a note on the item).
    static constexpr qsizetype kMaxMessageBytes = 32 * 1024 * 1024;

    // How much of an input is looked at to tell its kind.
    static constexpr qsizetype kHeadBytes = 32 * 1024;

private:
    struct Source;
    struct Pending
    {
        QString path;
        QString error; // why it cannot be read, found while walking a directory
    };
    bool openNext();
    bool nextFromSource(MailItem &item);
    bool nextMessage(Source &s, MailItem &item);
    bool nextLogItem(Source &s, MailItem &item);
    bool nextMboxMessage(Source &s, MailItem &item);
    static QList<Pending> expand(const QString &path);
    static void walk(const QString &dir, QSet<QString> &seen, QList<Pending> &out);

    QList<Pending> m_pending;              // paths still to open
    QIODevice *m_standardInput = nullptr;
    std::unique_ptr<Source> m_source;      // the file being read
};

// How the first bytes of an input read: an mbox, a log (most of its first lines are log
// lines), or one message.
MailInput::Kind detectKind(const QByteArray &head);

} // namespace smtp
