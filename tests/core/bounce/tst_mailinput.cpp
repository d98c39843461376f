// MailInput: what people hand the bounce explainer - message files, mboxes, Maildirs,
// directory trees, logs, standard input - read as named items, in order.

#include "bounce/mailinput.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <unistd.h>

using namespace smtp;

namespace {

void write(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

QList<MailItem> readAll(MailInput &input)
{
    QList<MailItem> items;
    MailItem item;
    while (input.next(item))
        items.append(item);
    return items;
}

const QByteArray kMessage = "From: MAILER-DAEMON@example.org\nSubject: Undelivered\n\nbody\n";

const QByteArray kBounced = "Dec  1 10:00:02 mx1 postfix/smtp[2]: 4B: to=<bob@example.org>, relay=mx.example.org[192.0.2.10]:25, "
                            "dsn=5.1.1, status=bounced (host mx.example.org[192.0.2.10] said: 550 5.1.1 no such user "
                            "(in reply to RCPT TO command))\n";
const QByteArray kConnect = "Dec  1 10:00:00 mx1 postfix/smtpd[1]: connect from unknown[198.51.100.7]\n";

// The names of the items, relative to `dir`, with their errors.
QStringList namesAndErrors(const QList<MailItem> &items, const QString &dir)
{
    QStringList out;
    for (const MailItem &item : items)
        out.append(QDir(dir).relativeFilePath(item.name) + (item.error.isEmpty() ? QString() : QStringLiteral(": ") + item.error));
    return out;
}

} // namespace

class TestMailInput : public QObject
{
    Q_OBJECT
private slots:
    void aFileIsOneMessage();
    void mboxIsSplitAndUnquoted();
    void anMboxOfOneMessageIsNamedAsItsFile();
    void maildirSkipsTmp();
    void directoryTreeInNameOrder();
    void logLinesAreItems();
    void standardInputStreamsAnMbox();
    void unreadableFileIsAnItemWithAnError();
    void unreadableEntriesOfATreeAreItemsWithErrors();
    void unreadableDirectoriesAreItemsWithErrors();
    void logWithOtherLines_data();
    void logWithOtherLines();
    void kindsAreDetected_data();
    void kindsAreDetected();
};

void TestMailInput::aFileIsOneMessage()
{
    QTemporaryDir dir;
    write(dir.filePath(QStringLiteral("a.eml")), kMessage);
    MailInput input({dir.filePath(QStringLiteral("a.eml"))});
    const QList<MailItem> items = readAll(input);
    QCOMPARE(items.size(), 1);
    QCOMPARE(items[0].data, kMessage);
    QCOMPARE(items[0].name, dir.filePath(QStringLiteral("a.eml")));
}

void TestMailInput::mboxIsSplitAndUnquoted()
{
    QTemporaryDir dir;
    const QString box = dir.filePath(QStringLiteral("box.mbox"));
    write(box, "From MAILER-DAEMON Mon Dec  1 10:00:00 2026\n" + kMessage + "\n"
               "From x@y Mon Dec  1 10:00:01 2026\nSubject: two\n\n>From the start\n>>From deeper\nFrom inside a line is kept\n\n"
               "From z Mon Dec  1 10:00:02 2026\nSubject: three\n\nlast\n");
    MailInput input({box});
    const QList<MailItem> items = readAll(input);
    QCOMPARE(items.size(), 3);
    QCOMPARE(items[0].name, box + QStringLiteral("#1"));
    QCOMPARE(items[0].data, kMessage + "\n");
    QCOMPARE(items[1].name, box + QStringLiteral("#2"));
    // mboxrd: one '>' comes off a quoted From line; a From not after a blank line is body.
    QVERIFY(items[1].data.contains("\nFrom the start\n>From deeper\nFrom inside a line is kept\n"));
    QCOMPARE(items[2].data, QByteArray("Subject: three\n\nlast\n"));
}

void TestMailInput::anMboxOfOneMessageIsNamedAsItsFile()
{
    QTemporaryDir dir;
    const QString saved = dir.filePath(QStringLiteral("saved.eml"));
    write(saved, "From MAILER-DAEMON Mon Dec  1 10:00:00 2026\n" + kMessage);
    MailInput input({saved});
    const QList<MailItem> items = readAll(input);
    QCOMPARE(items.size(), 1);
    QCOMPARE(items[0].name, saved);
    QCOMPARE(items[0].data, kMessage);
}

void TestMailInput::maildirSkipsTmp()
{
    QTemporaryDir dir;
    const QString md = dir.filePath(QStringLiteral("Maildir"));
    write(md + QStringLiteral("/cur/1:2,S"), kMessage);
    write(md + QStringLiteral("/new/2"), kMessage);
    write(md + QStringLiteral("/tmp/3"), "half written");
    MailInput input({md});
    const QList<MailItem> items = readAll(input);
    QCOMPARE(items.size(), 2);
    QVERIFY(items[0].name.endsWith(QLatin1String("/cur/1:2,S")));
    QVERIFY(items[1].name.endsWith(QLatin1String("/new/2")));
}

void TestMailInput::directoryTreeInNameOrder()
{
    QTemporaryDir dir;
    write(dir.filePath(QStringLiteral("b/2.eml")), kMessage);
    write(dir.filePath(QStringLiteral("a.eml")), kMessage);
    write(dir.filePath(QStringLiteral("b/1.eml")), kMessage);
    write(dir.filePath(QStringLiteral("tmp/not-a-maildir.eml")), kMessage); // tmp/ of no Maildir is read
    MailInput input({dir.path()});
    QStringList names;
    for (const MailItem &item : readAll(input))
        names.append(QDir(dir.path()).relativeFilePath(item.name));
    QCOMPARE(names, (QStringList{QStringLiteral("a.eml"), QStringLiteral("b/1.eml"), QStringLiteral("b/2.eml"),
                                 QStringLiteral("tmp/not-a-maildir.eml")}));
}

void TestMailInput::logLinesAreItems()
{
    QTemporaryDir dir;
    const QString log = dir.filePath(QStringLiteral("maillog"));
    write(log, "Dec  1 10:00:00 mx1 postfix/smtpd[1]: connect from unknown[198.51.100.7]\n"
               "Dec  1 10:00:02 mx1 postfix/smtp[2]: 4B: to=<bob@example.org>, relay=mx.example.org[192.0.2.10]:25, "
               "dsn=5.1.1, status=bounced (host mx.example.org[192.0.2.10] said: 550 5.1.1 no such user (in reply to RCPT TO command))\n"
               "Dec  1 10:00:04 mx1 postfix/smtp[2]: 4C: to=<dave@example.com>, relay=mx.example.com[192.0.2.12]:25, "
               "dsn=2.0.0, status=sent (250 2.0.0 Ok)\n");
    MailInput input({log});
    const QList<MailItem> items = readAll(input);
    QCOMPARE(items.size(), 1);
    QCOMPARE(items[0].name, log + QStringLiteral(":2"));
    QVERIFY(items[0].logLine);
    QVERIFY(items[0].data.startsWith("Final-Recipient: rfc822; bob@example.org\n"));
}

void TestMailInput::standardInputStreamsAnMbox()
{
    QByteArray bytes = "From a Mon Dec  1 10:00:00 2026\n" + kMessage + "\nFrom b Mon Dec  1 10:00:01 2026\n" + kMessage;
    QBuffer stdinBuffer(&bytes);
    stdinBuffer.open(QIODevice::ReadOnly);
    MailInput input({QStringLiteral("-")}, &stdinBuffer);
    const QList<MailItem> items = readAll(input);
    QCOMPARE(items.size(), 2);
    QCOMPARE(items[1].name, QStringLiteral("-#2"));
    QCOMPARE(items[1].data, kMessage);
}

void TestMailInput::unreadableFileIsAnItemWithAnError()
{
    MailInput input({QStringLiteral("/nonexistent/bounce.eml"), QStringLiteral(BOUNCE_DATA_DIR "/vacation.eml")});
    const QList<MailItem> items = readAll(input);
    QCOMPARE(items.size(), 2);
    QVERIFY(!items[0].error.isEmpty());
    QVERIFY(items[1].error.isEmpty());
    QVERIFY(!items[1].data.isEmpty());
}

// Nothing of a tree is lost without a word, also for root, whom no permission stops: a
// link to nothing, a link loop and a FIFO (whose reading would wait) are items with errors;
// a link back up the tree is walked once.
void TestMailInput::unreadableEntriesOfATreeAreItemsWithErrors()
{
    QTemporaryDir dir;
    write(dir.filePath(QStringLiteral("a.eml")), kMessage);
    write(dir.filePath(QStringLiteral("sub/b.eml")), kMessage);
    QVERIFY(QFile::link(QStringLiteral("nowhere"), dir.filePath(QStringLiteral("broken"))));
    QVERIFY(QFile::link(QStringLiteral("loop2"), dir.filePath(QStringLiteral("loop1"))));
    QVERIFY(QFile::link(QStringLiteral("loop1"), dir.filePath(QStringLiteral("loop2"))));
    QVERIFY(QFile::link(QStringLiteral(".."), dir.filePath(QStringLiteral("sub/up"))));
    QCOMPARE(::mkfifo(QFile::encodeName(dir.filePath(QStringLiteral("fifo"))).constData(), 0600), 0);
    MailInput input({dir.path()});
    const QList<MailItem> items = readAll(input);
    QCOMPARE(namesAndErrors(items, dir.path()),
             (QStringList{QStringLiteral("a.eml"),
                          QStringLiteral("broken: a symbolic link that cannot be followed (No such file or directory)"),
                          QStringLiteral("fifo: not a regular file (a FIFO, a socket or a device)"),
                          QStringLiteral("loop1: a symbolic link that cannot be followed (Too many levels of symbolic links)"),
                          QStringLiteral("loop2: a symbolic link that cannot be followed (Too many levels of symbolic links)"),
                          QStringLiteral("sub/b.eml")}));
    QCOMPARE(items.first().data, kMessage);
}

// A directory or file the user may not read, in a tree or named: root reads them all, so
// this runs as anyone else (the command's test runs it as nobody when root).
void TestMailInput::unreadableDirectoriesAreItemsWithErrors()
{
    if (::geteuid() == 0)
        QSKIP("root reads every directory; tst_bouncecommand runs this case as nobody");
    QTemporaryDir dir;
    write(dir.filePath(QStringLiteral("tree/a.eml")), kMessage);
    write(dir.filePath(QStringLiteral("tree/locked/b.eml")), kMessage);
    write(dir.filePath(QStringLiteral("tree/secret.eml")), kMessage);
    write(dir.filePath(QStringLiteral("closed/c.eml")), kMessage);
    for (const char *path : {"tree/locked", "tree/secret.eml", "closed"})
        QVERIFY(QFile::setPermissions(dir.filePath(QLatin1String(path)), {}));
    MailInput input({dir.filePath(QStringLiteral("tree")), dir.filePath(QStringLiteral("closed"))});
    const QStringList got = namesAndErrors(readAll(input), dir.path());
    for (const char *path : {"tree/locked", "tree/secret.eml", "closed"})
        QVERIFY(QFile::setPermissions(dir.filePath(QLatin1String(path)), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
    QCOMPARE(got, (QStringList{QStringLiteral("tree/a.eml"), QStringLiteral("tree/locked: Permission denied"),
                               QStringLiteral("tree/secret.eml: Permission denied"), QStringLiteral("closed: Permission denied")}));
}

// A log stays a log with a journal's header, a stray line or grep's file names: each
// failure line an item, the other lines counted in one notice at the end.
void TestMailInput::logWithOtherLines_data()
{
    QTest::addColumn<QByteArray>("log");
    QTest::addColumn<QStringList>("items");
    QTest::addColumn<QString>("notice");
    const QByteArray journal = "-- Logs begin at Mon 2026-11-30 00:00:01 CET, end at Tue 2026-12-01 11:00:00 CET. --\n";
    QTest::newRow("journal header") << journal + kConnect + kBounced << QStringList{QStringLiteral(":3")}
                                    << "line 1 is not a log line; it was skipped";
    QTest::newRow("stray lines in the middle")
        << kConnect + kBounced + "pasted by hand\n\n-- Boot 8d1c2f0a --\n" + kConnect + kBounced
        << QStringList{QStringLiteral(":2"), QStringLiteral(":7")}
        << "2 lines are not log lines (the first is line 3); they were skipped";
    QTest::newRow("grep -H") << "/var/log/mail.log:" + kBounced + "/var/log/mail.log.1:" + kBounced
                             << QStringList{QStringLiteral(":1"), QStringLiteral(":2")} << "";
    QTest::newRow("grep -n") << "12:" + kBounced + "40:" + kConnect << QStringList{QStringLiteral(":1")} << "";
}

void TestMailInput::logWithOtherLines()
{
    QFETCH(QByteArray, log);
    QFETCH(QStringList, items);
    QFETCH(QString, notice);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("maillog"));
    write(path, log);
    MailInput input({path});
    QStringList names;
    QString noticeSeen;
    for (const MailItem &item : readAll(input)) {
        if (item.notice) {
            QVERIFY(noticeSeen.isEmpty());
            QCOMPARE(item.name, path);
            noticeSeen = item.note;
            continue;
        }
        QVERIFY(noticeSeen.isEmpty()); // the notice comes last
        QVERIFY(item.logLine);
        QVERIFY(item.data.startsWith("Final-Recipient: rfc822; bob@example.org\n"));
        names.append(item.name.mid(path.size()));
    }
    QCOMPARE(names, items);
    QCOMPARE(noticeSeen, notice);
}

void TestMailInput::kindsAreDetected_data()
{
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<int>("kind");
    QTest::newRow("mbox") << QByteArray("From MAILER-DAEMON Mon Dec  1 10:00:00 2026\nFrom: x\n") << int(MailInput::Kind::Mbox);
    QTest::newRow("message") << kMessage << int(MailInput::Kind::Message);
    QTest::newRow("syslog") << QByteArray("Dec  1 10:00:00 mx1 postfix/smtpd[1]: connect\nDec  1 10:00:01 mx1 postfix/smtpd[1]: x\n")
                            << int(MailInput::Kind::Log);
    QTest::newRow("exim log") << QByteArray("2026-12-01 10:00:00 1tABCD-000123-XY <= a@b H=c\n") << int(MailInput::Kind::Log);
    QTest::newRow("a pasted DSN fragment") << QByteArray("Final-Recipient: rfc822; a@b\nStatus: 5.1.1\n") << int(MailInput::Kind::Message);
    QTest::newRow("empty") << QByteArray() << int(MailInput::Kind::Message);
    QTest::newRow("a journal's header, then log lines")
        << "-- Logs begin at Mon 2026-11-30 00:00:01 CET. --\n" + kConnect + kBounced << int(MailInput::Kind::Log);
    QTest::newRow("a stray line among log lines") << kConnect + "a note\n" + kBounced + kConnect << int(MailInput::Kind::Log);
    QTest::newRow("grep -H output") << "/var/log/mail.log:" + kBounced + "/var/log/mail.log:" + kBounced
                                    << int(MailInput::Kind::Log);
    QTest::newRow("a message holding log lines") << "Subject: see the log\n\n" + kConnect + kBounced + kBounced
                                                 << int(MailInput::Kind::Message);
    QTest::newRow("a log line, then more other lines") << kBounced + "550 5.1.1 unknown\nno such user\n"
                                                       << int(MailInput::Kind::Message);
    QTest::newRow("as many log lines as others") << "a note\n" + kConnect << int(MailInput::Kind::Message);
    QTest::newRow("the first 50 lines decide") << QByteArray("a note\n").repeated(25) + kConnect.repeated(100)
                                               << int(MailInput::Kind::Message);
    QTest::newRow("log lines after blank lines") << "\n\n" + kConnect + kBounced << int(MailInput::Kind::Log);
}

void TestMailInput::kindsAreDetected()
{
    QFETCH(QByteArray, head);
    QFETCH(int, kind);
    QCOMPARE(int(detectKind(head)), kind);
}

QTEST_GUILESS_MAIN(TestMailInput)
#include "tst_mailinput.moc"
