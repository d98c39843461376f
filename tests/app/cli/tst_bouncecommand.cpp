// `smtpwb bounce` as a user runs it: the real binary on files, a directory and stdin.
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

// Built with AddressSanitizer (GCC says so with a macro, clang with a feature test).
#if defined(__SANITIZE_ADDRESS__)
#define SMTPWB_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SMTPWB_SANITIZED 1
#endif
#endif
#ifndef SMTPWB_SANITIZED
#define SMTPWB_SANITIZED 0
#endif

namespace {
struct Result
{
    int exitCode = -1;
    QString out;
    QString err;
};

const QString kData = QStringLiteral(BOUNCE_DATA_DIR);

// `smtpwb bounce ARGS`, after `wrapper` (such as runuser) when one is given.
Result run(const QStringList &args, const QByteArray &input = {}, const QStringList &wrapper = {})
{
    QProcess process;
    QStringList command = wrapper + QStringList{QStringLiteral(SMTPWB_BINARY), QStringLiteral("bounce")} + args;
    process.start(command.takeFirst(), command);
    if (!process.waitForStarted())
        return {};
    process.write(input);
    process.closeWriteChannel();
    process.waitForFinished(60000);
    Result r;
    r.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    r.out = QString::fromUtf8(process.readAllStandardOutput());
    r.err = QString::fromUtf8(process.readAllStandardError());
    return r;
}

QList<QStringList> tsvRows(const QString &out)
{
    QList<QStringList> rows;
    for (const QString &line : out.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        rows.append(line.split(QLatin1Char('\t')));
    return rows;
}
const QFile::Permissions kAll = QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadGroup
    | QFile::ExeGroup | QFile::ReadOther | QFile::ExeOther;

// In `tree`: a.eml that anyone may read; locked/ and secret.eml that nobody but root may;
// a link to nothing and a FIFO that nobody can read. `top` is opened for nobody to walk.
void makeUnreadableTree(const QString &top, const QString &tree)
{
    QVERIFY(QDir().mkpath(tree + QStringLiteral("/locked")));
    for (const char *name : {"a.eml", "locked/b.eml", "secret.eml"})
        QVERIFY(QFile::copy(kData + QStringLiteral("/postfix-dsn.eml"), tree + QLatin1Char('/') + QLatin1String(name)));
    QVERIFY(QFile::link(QStringLiteral("nowhere"), tree + QStringLiteral("/broken")));
    QCOMPARE(::mkfifo(QFile::encodeName(tree + QStringLiteral("/fifo")).constData(), 0600), 0);
    QVERIFY(QFile::setPermissions(top, kAll));
    QVERIFY(QFile::setPermissions(tree, kAll));
    QVERIFY(QFile::setPermissions(tree + QStringLiteral("/a.eml"), QFile::ReadOwner | QFile::ReadOther));
    QVERIFY(QFile::setPermissions(tree + QStringLiteral("/locked"), {}));
    QVERIFY(QFile::setPermissions(tree + QStringLiteral("/secret.eml"), {}));
}
} // namespace

class TestBounceCommand : public QObject
{
    Q_OBJECT
private slots:
    void tsvOfFiles_data();
    void tsvOfFiles();
    void tsvNamesTheAddressTheSenderWrote();
    void directoryInNameOrder();
    void json();
    void standardInput();
    void notABounceGetsARow();
    void missingFile();
    void badFormat();
    void text();
    void hostileBytesReachNoTerminal_data();
    void hostileBytesReachNoTerminal();
    void mboxOnStandardInput();
    void logAsJsonLines();
    void manyMessagesStreamInOrder();
    void unreadableInputsAreNamed();
    void logsWithOtherLines_data();
    void logsWithOtherLines();
    void bigMessagesKeepMemoryBounded();
};

void TestBounceCommand::tsvOfFiles_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("recipient");
    QTest::addColumn<QString>("status");
    QTest::addColumn<QString>("reason");
    QTest::newRow("postfix DSN") << "postfix-dsn.eml" << "bob@example.net" << "5.1.1" << "userunknown";
    QTest::newRow("base64 delayed") << "base64-delayed.eml" << "carol@example.com" << "4.4.7" << "expired";
    QTest::newRow("vacation") << "vacation.eml" << "frank@example.com" << "" << "vacation";
}

void TestBounceCommand::tsvOfFiles()
{
    QFETCH(QString, file);
    const QString path = kData + QLatin1Char('/') + file;
    const Result r = run({QStringLiteral("--format"), QStringLiteral("tsv"), path});
    QCOMPARE(r.exitCode, 0);
    const QList<QStringList> rows = tsvRows(r.out);
    QCOMPARE(rows.size(), 2);
    const QStringList header = rows.first();
    for (const char *column : {"file", "recipient", "status", "replycode", "reason", "action", "hard", "reporting_mta", "diagnostic"})
        QVERIFY2(header.contains(QLatin1String(column)), column);
    const QStringList row = rows.at(1);
    QCOMPARE(row.size(), header.size());
    QCOMPARE(row.at(header.indexOf(QLatin1String("file"))), path);
    QTEST(row.at(header.indexOf(QLatin1String("recipient"))), "recipient");
    QTEST(row.at(header.indexOf(QLatin1String("status"))), "status");
    QTEST(row.at(header.indexOf(QLatin1String("reason"))), "reason");
}

void TestBounceCommand::tsvNamesTheAddressTheSenderWrote()
{
    const QByteArray postfix =
        "From: MAILER-DAEMON@mail.example.org (Mail Delivery System)\nTo: alice@example.org\n"
        "Subject: Undelivered Mail Returned to Sender\n\nThis is the mail system at host mail.example.org.\n\n"
        "<carl@example.com> (expanded from <sales@example.org>): host\n"
        "    mx.example.com[192.0.2.10] said: 552 5.2.2 Mailbox full (in reply to RCPT TO command)\n";
    const Result r = run({QStringLiteral("--format"), QStringLiteral("tsv"), QStringLiteral("-")}, postfix);
    QCOMPARE(r.exitCode, 0);
    const QList<QStringList> rows = tsvRows(r.out);
    QCOMPARE(rows.size(), 2);
    const QStringList &header = rows.first();
    QCOMPARE(header.last(), QStringLiteral("original_recipient")); // last: older readers keep their columns
    QCOMPARE(rows.at(1).size(), header.size());
    QCOMPARE(rows.at(1).at(header.indexOf(QLatin1String("recipient"))), QStringLiteral("carl@example.com"));
    QCOMPARE(rows.at(1).last(), QStringLiteral("sales@example.org"));
    QCOMPARE(rows.at(1).at(header.indexOf(QLatin1String("remote_mta"))), QStringLiteral("mx.example.com"));
}

void TestBounceCommand::directoryInNameOrder()
{
    const Result r = run({QStringLiteral("--format"), QStringLiteral("tsv"), kData});
    QCOMPARE(r.exitCode, 0);
    const QList<QStringList> rows = tsvRows(r.out);
    const QStringList names = QDir(kData).entryList(QDir::Files, QDir::Name);
    QVERIFY(rows.size() >= names.size() + 1);
    QStringList seen;
    for (int i = 1; i < rows.size(); ++i) {
        const QString name = QFileInfo(rows.at(i).first()).fileName();
        if (seen.isEmpty() || seen.last() != name)
            seen.append(name);
    }
    QCOMPARE(seen, names);
}

void TestBounceCommand::json()
{
    const Result r = run({QStringLiteral("--format"), QStringLiteral("json"), kData + QStringLiteral("/postfix-dsn.eml"),
                          kData + QStringLiteral("/rfc2047-exim.eml")});
    QCOMPARE(r.exitCode, 0);
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(r.out.toUtf8(), &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    const QJsonArray reports = doc.array();
    QCOMPARE(reports.size(), 2);
    const QJsonObject first = reports.at(0).toObject();
    QCOMPARE(first.value(QLatin1String("kind")).toString(), QStringLiteral("dsn"));
    QCOMPARE(first.value(QLatin1String("originalSubject")).toString(), QStringLiteral("Minutes of the meeting"));
    const QJsonObject rcpt = first.value(QLatin1String("recipients")).toArray().at(0).toObject();
    QCOMPARE(rcpt.value(QLatin1String("replyCode")).toInt(), 550);
    QCOMPARE(rcpt.value(QLatin1String("hard")).toBool(), true);
    QVERIFY(!rcpt.value(QLatin1String("summary")).toString().isEmpty());
    QCOMPARE(reports.at(1).toObject().value(QLatin1String("originalSubject")).toString(), QStringLiteral("Grüße"));
}

void TestBounceCommand::standardInput()
{
    const Result r = run({QStringLiteral("--format"), QStringLiteral("tsv"), QStringLiteral("-")},
                         "550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown\n");
    QCOMPARE(r.exitCode, 0);
    const QList<QStringList> rows = tsvRows(r.out);
    QCOMPARE(rows.size(), 2);
    QCOMPARE(rows.at(1).at(0), QStringLiteral("-"));
    QCOMPARE(rows.at(1).at(1), QStringLiteral("bob@example.net"));
    QCOMPARE(rows.at(1).at(3), QStringLiteral("550"));
}

void TestBounceCommand::notABounceGetsARow()
{
    const Result r = run({QStringLiteral("--format"), QStringLiteral("tsv"), QStringLiteral("-")},
                         "From: a@example.com\nTo: b@example.org\nSubject: lunch\n\nNoon?\n");
    QCOMPARE(r.exitCode, 0);
    const QList<QStringList> rows = tsvRows(r.out);
    QCOMPARE(rows.size(), 2);
    QCOMPARE(rows.at(1).at(rows.first().indexOf(QLatin1String("reason"))), QStringLiteral("notbounce"));
}

void TestBounceCommand::missingFile()
{
    const QString missing = kData + QStringLiteral("/no-such-file.eml");
    const Result r = run({QStringLiteral("--format"), QStringLiteral("tsv"), missing, kData + QStringLiteral("/postfix-dsn.eml")});
    QCOMPARE(r.exitCode, 1);
    QCOMPARE(r.err.count(QLatin1Char('\n')), 1);
    QVERIFY(r.err.contains(missing));
    QCOMPARE(tsvRows(r.out).size(), 2); // the other file is still read
}

void TestBounceCommand::badFormat()
{
    const Result r = run({QStringLiteral("--format"), QStringLiteral("xml"), kData});
    QCOMPARE(r.exitCode, 2);
    QVERIFY(!r.err.isEmpty());
}

void TestBounceCommand::text()
{
    const Result r = run({kData + QStringLiteral("/postfix-dsn.eml")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains(QLatin1String("recipient: bob@example.net")));
    QVERIFY(r.out.contains(QLatin1String("what to do:")));
}


void TestBounceCommand::hostileBytesReachNoTerminal_data()
{
    QTest::addColumn<QString>("format");
    QTest::newRow("text") << "text";
    QTest::newRow("tsv") << "tsv";
    QTest::newRow("json") << "json";
}

// Escapes, bidi overrides and zero-width characters in a bounce are shown as marks (or
// JSON escapes), never passed to the terminal.
void TestBounceCommand::hostileBytesReachNoTerminal()
{
    QFETCH(QString, format);
    const QByteArray bounce = "550 5.1.1 <bob@example.net>: \x1b]0;owned\x07\x1b[2J\x1b[1A\x1b[K"
                              "User unknown \xe2\x80\xae" "gnp.exe pay\xe2\x80\x8bpal\n";
    const Result r = run({QStringLiteral("--format"), format, QStringLiteral("-")}, bounce);
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(QLatin1String("bob@example.net")), qPrintable(r.out));
    for (const QChar c : {QChar(0x1b), QChar(0x07), QChar(0x202e), QChar(0x200b)})
        QVERIFY2(!r.out.contains(c), qPrintable(QString::number(c.unicode(), 16)));
    if (format == QLatin1String("json")) {
        QVERIFY(r.out.contains(QLatin1String("\\u202e")));
        QVERIFY(r.out.contains(QLatin1String("\\u001b")));
    } else {
        QVERIFY2(r.out.contains(QStringLiteral("⟨ESC⟩]0;owned⟨BEL⟩")), qPrintable(r.out));
        QVERIFY(r.out.contains(QStringLiteral("⟨RLO⟩gnp.exe")));
        QVERIFY(r.out.contains(QStringLiteral("pay⟨ZWSP⟩pal")));
    }
    if (format != QLatin1String("tsv")) // TSV has a row per recipient and no notes column
        QVERIFY(r.out.contains(QLatin1String("hidden characters (control-character, bidi-control, invisible-character)")));
}


void TestBounceCommand::mboxOnStandardInput()
{
    QFile dsn(kData + QStringLiteral("/postfix-dsn.eml"));
    QVERIFY(dsn.open(QIODevice::ReadOnly));
    const QByteArray box = "From MAILER-DAEMON Mon Dec  1 10:00:00 2026\n" + dsn.readAll()
        + "\nFrom someone Mon Dec  1 10:00:01 2026\nFrom: a@example.com\nSubject: lunch\n\nNoon?\n";
    const Result r = run({QStringLiteral("--format"), QStringLiteral("tsv"), QStringLiteral("-")}, box);
    QCOMPARE(r.exitCode, 0);
    const QList<QStringList> rows = tsvRows(r.out);
    QCOMPARE(rows.size(), 3);
    QCOMPARE(rows.at(1).at(0), QStringLiteral("-#1"));
    QCOMPARE(rows.at(1).at(1), QStringLiteral("bob@example.net"));
    QCOMPARE(rows.at(2).at(0), QStringLiteral("-#2"));
    QCOMPARE(rows.at(2).at(4), QStringLiteral("notbounce"));
    QVERIFY(r.err.isEmpty()); // no progress line in a pipe
}

void TestBounceCommand::logAsJsonLines()
{
    QTemporaryDir dir;
    QFile log(dir.filePath(QStringLiteral("maillog")));
    QVERIFY(log.open(QIODevice::WriteOnly));
    log.write("Dec  1 10:00:00 mx1 postfix/smtpd[1]: connect from unknown[198.51.100.7]\n"
              "Dec  1 10:00:03 mx1 postfix/smtp[2]: 4B: to=<carol@example.net>, relay=mx.example.net[192.0.2.11]:25, "
              "dsn=4.7.1, status=deferred (host mx.example.net[192.0.2.11] said: 450 4.7.1 Greylisted, see "
              "http://postgrey.schweikert.ch/help/example.net.html (in reply to RCPT TO command))\n");
    log.close();
    const Result r = run({QStringLiteral("--format"), QStringLiteral("jsonl"), log.fileName()});
    QCOMPARE(r.exitCode, 0);
    const QStringList lines = r.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 1);
    const QJsonObject o = QJsonDocument::fromJson(lines.first().toUtf8()).object();
    QCOMPARE(o.value(QLatin1String("file")).toString(), log.fileName() + QStringLiteral(":2"));
    QCOMPARE(o.value(QLatin1String("kind")).toString(), QStringLiteral("log"));
    QCOMPARE(o.value(QLatin1String("recipient")).toString(), QStringLiteral("carol@example.net"));
    QCOMPARE(o.value(QLatin1String("reason")).toString(), QStringLiteral("greylisted"));
    QCOMPARE(o.value(QLatin1String("source")).toString(), QStringLiteral("postgrey"));
    QCOMPARE(o.value(QLatin1String("action")).toString(), QStringLiteral("delayed"));
}

void TestBounceCommand::manyMessagesStreamInOrder()
{
    // More than one batch: the order of the input is the order of the output.
    QFile dsn(kData + QStringLiteral("/postfix-dsn.eml"));
    QVERIFY(dsn.open(QIODevice::ReadOnly));
    QByteArray message = dsn.readAll();
    QByteArray box;
    const int count = 1300;
    for (int i = 1; i <= count; ++i) {
        QByteArray m = message;
        m.replace("bob@example.net", "bob" + QByteArray::number(i) + "@example.net");
        box += "From MAILER-DAEMON Mon Dec  1 10:00:00 2026\n" + m + "\n";
    }
    const Result r = run({QStringLiteral("--format"), QStringLiteral("tsv"), QStringLiteral("-")}, box);
    QCOMPARE(r.exitCode, 0);
    const QList<QStringList> rows = tsvRows(r.out);
    QCOMPARE(rows.size(), count + 1);
    for (int i = 1; i <= count; ++i) {
        QCOMPARE(rows.at(i).at(0), QStringLiteral("-#%1").arg(i));
        QCOMPARE(rows.at(i).at(1), QStringLiteral("bob%1@example.net").arg(i));
    }
}

// What cannot be read is named on standard error with why, the rest is read, and the exit
// status says so. A link to nothing and a FIFO are unreadable even for root; the directory
// and file without permissions are, for root, read as nobody.
void TestBounceCommand::unreadableInputsAreNamed()
{
    QTemporaryDir dir;
    const QString tree = dir.filePath(QStringLiteral("tree"));
    makeUnreadableTree(dir.path(), tree);
    if (QTest::currentTestFailed())
        return;
    // Root runs it as nobody, where nobody can reach the binary and the tree (a build in a
    // private home may not be).
    QStringList wrapper;
    bool canBeDenied = ::geteuid() != 0;
    if (!canBeDenied) {
        wrapper = QStringList{QStringLiteral("runuser"), QStringLiteral("-u"), QStringLiteral("nobody"), QStringLiteral("--")};
        canBeDenied = run({tree + QStringLiteral("/a.eml")}, {}, wrapper).exitCode == 0;
        if (!canBeDenied) {
            qWarning("runuser -u nobody cannot run the binary: only the link and the FIFO are unreadable here");
            wrapper.clear();
        }
    }
    const Result r = run({QStringLiteral("--format"), QStringLiteral("tsv"), tree}, {}, wrapper);
    QVERIFY(QFile::setPermissions(tree + QStringLiteral("/locked"), kAll)); // so the temporary directory can go
    QCOMPARE(r.exitCode, 1);
    QStringList expected{QStringLiteral("cannot read %1/broken: a symbolic link that cannot be followed (No such file or directory)"),
                         QStringLiteral("cannot read %1/fifo: not a regular file (a FIFO, a socket or a device)")};
    if (canBeDenied)
        expected += QStringList{QStringLiteral("cannot read %1/locked: Permission denied"),
                                QStringLiteral("cannot read %1/secret.eml: Permission denied")};
    QStringList errors;
    for (const QString &line : r.err.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        errors.append(line.mid(int(qstrlen("smtpwb bounce: "))).replace(tree, QStringLiteral("%1")));
    if (!canBeDenied) // root reads them: they are messages
        QCOMPARE(tsvRows(r.out).size(), 4);
    else
        QCOMPARE(tsvRows(r.out).size(), 2); // the header and a.eml
    QCOMPARE(errors, expected);
    QCOMPARE(tsvRows(r.out).at(1).at(0), tree + QStringLiteral("/a.eml"));
}

// A Postfix log with a journal's header, a stray line, or grep's file names is a log: each
// bounced or deferred line an item with its original recipient and the reporting host.
void TestBounceCommand::logsWithOtherLines_data()
{
    QTest::addColumn<QByteArray>("log");
    QTest::addColumn<QStringList>("files");
    QTest::addColumn<QString>("err");
    const QByteArray bounced = "Dec  1 10:00:02 mx1 postfix/smtp[2]: 4B: to=<bob@example.org>, orig_to=<info@example.org>, "
                               "relay=mx.example.org[192.0.2.10]:25, delay=1, dsn=5.1.1, status=bounced (host "
                               "mx.example.org[192.0.2.10] said: 550 5.1.1 no such user (in reply to RCPT TO command))\n";
    const QByteArray queued = "Dec  1 10:00:01 mx1 postfix/qmgr[3]: 4B: from=<alice@example.com>, size=1234, nrcpt=1 (queue active)\n";
    QTest::newRow("journal header")
        << "-- Logs begin at Mon 2026-11-30 00:00:01 CET, end at Tue 2026-12-01 11:00:00 CET. --\n" + queued + bounced
        << QStringList{QStringLiteral(":3")} << "%1: line 1 is not a log line; it was skipped";
    QTest::newRow("a stray line in the middle") << queued + bounced + "copied from the other window\n" + bounced
                                                << QStringList{QStringLiteral(":2"), QStringLiteral(":4")}
                                                << "%1: line 3 is not a log line; it was skipped";
    QTest::newRow("grep -H status=") << "/var/log/mail.log:" + bounced + "/var/log/mail.log:" + bounced
                                     << QStringList{QStringLiteral(":1"), QStringLiteral(":2")} << "";
}

void TestBounceCommand::logsWithOtherLines()
{
    QFETCH(QByteArray, log);
    QFETCH(QStringList, files);
    QFETCH(QString, err);
    QTemporaryDir dir;
    QFile file(dir.filePath(QStringLiteral("maillog")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(log);
    file.close();
    const Result r = run({QStringLiteral("--format"), QStringLiteral("jsonl"), file.fileName()});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.err.trimmed(), err.isEmpty() ? QString() : QStringLiteral("smtpwb bounce: ") + err.arg(file.fileName()));
    QStringList seen;
    for (const QString &line : r.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        const QJsonObject o = QJsonDocument::fromJson(line.toUtf8()).object();
        seen.append(o.value(QLatin1String("file")).toString().mid(file.fileName().size()));
        QCOMPARE(o.value(QLatin1String("kind")).toString(), QStringLiteral("log"));
        QCOMPARE(o.value(QLatin1String("recipient")).toString(), QStringLiteral("bob@example.org"));
        QCOMPARE(o.value(QLatin1String("originalRecipient")).toString(), QStringLiteral("info@example.org"));
        QCOMPARE(o.value(QLatin1String("reportingMta")).toString(), QStringLiteral("mx1"));
        QCOMPARE(o.value(QLatin1String("reason")).toString(), QStringLiteral("userunknown"));
    }
    QCOMPARE(seen, files);
}

// Big bounces are not all held at once: a batch ends at a size too. 16 bounces of 8 MB
// took 229 MB when one batch held them all, 148 MB in batches of 32 MB, 95 MB once GMime read them in place.
void TestBounceCommand::bigMessagesKeepMemoryBounded()
{
    QFile dsn(kData + QStringLiteral("/postfix-dsn.eml"));
    QVERIFY(dsn.open(QIODevice::ReadOnly));
    QByteArray message = dsn.readAll();
    QByteArray bytes(6 * 1024 * 1024, Qt::Uninitialized);
    quint32 x = 1;
    for (char &c : bytes)
        c = char((x = x * 1664525u + 1013904223u) >> 24);
    const QByteArray base64 = bytes.toBase64();
    QByteArray lines;
    for (qsizetype i = 0; i < base64.size(); i += 76)
        lines += base64.mid(i, 76) + '\n';
    // The returned message, as a bounce carries it, with an attachment of 8 MB in base64.
    message.replace("--B0UNDARY.1/mx.example.org--",
                    "--B0UNDARY.1/mx.example.org\nContent-Type: message/rfc822\n\nFrom: alice@example.org\n"
                    "Subject: big\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=INNER\n\n--INNER\n"
                    "Content-Type: text/plain\n\nhello\n--INNER\nContent-Type: application/octet-stream\n"
                    "Content-Transfer-Encoding: base64\n\n"
                    + lines + "--INNER--\n\n--B0UNDARY.1/mx.example.org--");
    QTemporaryDir dir;
    QFile box(dir.filePath(QStringLiteral("big.mbox")));
    QVERIFY(box.open(QIODevice::WriteOnly));
    const int count = 16;
    for (int i = 1; i <= count; ++i)
        box.write("From MAILER-DAEMON Mon Dec  1 10:00:00 2026\n" + message + "\n");
    box.close();
    const Result r = run({QStringLiteral("--format"), QStringLiteral("tsv"), box.fileName()});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(tsvRows(r.out).size(), count + 1);
    // Every batch is read and written, the last one too (one ended on its size exactly).
    QVERIFY2(r.err.isEmpty(), qPrintable(r.err));
#if !SMTPWB_SANITIZED // the sanitizer's own memory would hide the figure; the run is still checked
    rusage usage{};
    QCOMPARE(::getrusage(RUSAGE_CHILDREN, &usage), 0); // the largest child: the others read small inputs
    QVERIFY2(usage.ru_maxrss < 150 * 1024, qPrintable(QStringLiteral("%1 KB").arg(usage.ru_maxrss)));
#endif
}

QTEST_GUILESS_MAIN(TestBounceCommand)
#include "tst_bouncecommand.moc"
