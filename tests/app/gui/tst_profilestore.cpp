// Profiles keep everything but the secret in the settings file; the secret goes to the
// keyring or nowhere.

#include "profilestore.h"

#include <QCoreApplication>
#include <QDirIterator>
#include <QFile>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace smtp;
using namespace smtp::gui;

class TestProfileStore : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void saveAndLoad();
    void secretNeverLandsInTheSettingsFile();
    void renameMovesEverythingAndRefusesTakenNames();
};

void TestProfileStore::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true); // settings under ~/.qttest, not the user's own
    QCoreApplication::setOrganizationName(QStringLiteral("smtp-workbench-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_profilestore"));
}

void TestProfileStore::saveAndLoad()
{
    ProfileStore store;
    Profile p;
    p.name = QStringLiteral("work / submission");
    p.options.host = QStringLiteral("smtp.example.com");
    p.options.port = 587;
    p.options.security = Security::StartTlsRequired;
    p.options.ehloName = QStringLiteral("laptop.example.com");
    p.user = QStringLiteral("me@example.com");
    store.save(p);
    QVERIFY(store.names().contains(p.name));
    const Profile loaded = store.load(p.name);
    QCOMPARE(loaded.options.host, p.options.host);
    QCOMPARE(loaded.options.port, p.options.port);
    QCOMPARE(loaded.options.security, p.options.security);
    QCOMPARE(loaded.options.ehloName, p.options.ehloName);
    QCOMPARE(loaded.user, p.user);
    store.remove(p.name);
    QVERIFY(!store.names().contains(p.name));
}

void TestProfileStore::secretNeverLandsInTheSettingsFile()
{
    ProfileStore store;
    Profile p;
    p.name = QStringLiteral("keyring");
    p.options.host = QStringLiteral("mx.example.org");
    store.save(p);
    const QString secret = QStringLiteral("s3cret-%1").arg(QCoreApplication::applicationPid());
    bool done = false;
    QString error;
    store.storeSecret(p.name, secret, [&](const QString &e) { done = true; error = e; });
    QTRY_VERIFY_WITH_TIMEOUT(done, 30000);
    if (!error.isEmpty()) // no keyring here: it says so, and stores nothing
        QVERIFY2(error.contains(QLatin1String("not stored")), qPrintable(error));
    // Whatever the keyring did, no file under the test settings holds the secret.
    const QString root = QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation);
    QDirIterator it(root, QDir::Files, QDirIterator::Subdirectories);
    int files = 0;
    while (it.hasNext()) {
        QFile f(it.next());
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY2(!f.readAll().contains(secret.toUtf8()), qPrintable(f.fileName()));
        ++files;
    }
    QVERIFY(files > 0); // the profile itself was written there
}

void TestProfileStore::renameMovesEverythingAndRefusesTakenNames()
{
    ProfileStore store;
    Profile a;
    a.name = QStringLiteral("old name");
    a.options.host = QStringLiteral("mx.a.example");
    a.options.port = 465;
    a.options.security = Security::ImplicitTls;
    a.user = QStringLiteral("u");
    store.save(a);
    Profile b;
    b.name = QStringLiteral("taken");
    b.options.host = QStringLiteral("mx.b.example");
    store.save(b);

    QVERIFY(!store.rename(a.name, b.name));      // would overwrite another
    QVERIFY(!store.rename(a.name, QStringLiteral("  ")));
    QVERIFY(!store.rename(QStringLiteral("nobody"), QStringLiteral("x")));
    QCOMPARE(store.load(b.name).options.host, b.options.host);

    QVERIFY(store.rename(a.name, QStringLiteral("new name")));
    QVERIFY(!store.names().contains(a.name));
    const Profile moved = store.load(QStringLiteral("new name"));
    QCOMPARE(moved.options.host, a.options.host);
    QCOMPARE(moved.options.port, a.options.port);
    QCOMPARE(moved.options.security, a.options.security);
    QCOMPARE(moved.user, a.user);
    store.remove(QStringLiteral("new name"));
    store.remove(b.name);
}

QTEST_GUILESS_MAIN(TestProfileStore)
#include "tst_profilestore.moc"
