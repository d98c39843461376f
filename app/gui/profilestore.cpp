#include "profilestore.h"

#include <QSettings>
#include <qt6keychain/keychain.h>

namespace smtp::gui {

namespace {
const QString kService = QStringLiteral("smtp-workbench");

QString group(const QString &name)
{
    return QStringLiteral("profiles/") + QString::fromLatin1(name.toUtf8().toPercentEncoding());
}
} // namespace

ProfileStore::ProfileStore(QObject *parent) : QObject(parent) {}

QStringList ProfileStore::names() const
{
    QSettings settings;
    settings.beginGroup(QStringLiteral("profiles"));
    QStringList out;
    for (const QString &key : settings.childGroups())
        out.append(QString::fromUtf8(QByteArray::fromPercentEncoding(key.toLatin1())));
    return out;
}

Profile ProfileStore::load(const QString &name) const
{
    QSettings settings;
    settings.beginGroup(group(name));
    Profile p;
    p.name = name;
    p.options.host = settings.value(QStringLiteral("host")).toString();
    p.options.port = quint16(settings.value(QStringLiteral("port"), 25).toUInt());
    p.options.security = Security(settings.value(QStringLiteral("security"), 0).toInt());
    p.options.ehloName = settings.value(QStringLiteral("ehlo")).toString();
    p.options.caFile = settings.value(QStringLiteral("caFile")).toString();
    p.user = settings.value(QStringLiteral("user")).toString();
    p.mechanism = settings.value(QStringLiteral("mechanism")).toString();
    return p;
}

void ProfileStore::save(const Profile &p)
{
    QSettings settings;
    settings.beginGroup(group(p.name));
    settings.setValue(QStringLiteral("host"), p.options.host);
    settings.setValue(QStringLiteral("port"), p.options.port);
    settings.setValue(QStringLiteral("security"), int(p.options.security));
    settings.setValue(QStringLiteral("ehlo"), p.options.ehloName);
    settings.setValue(QStringLiteral("caFile"), p.options.caFile);
    settings.setValue(QStringLiteral("user"), p.user);
    settings.setValue(QStringLiteral("mechanism"), p.mechanism);
    // Never the password: that goes to the keyring or nowhere.
}

void ProfileStore::remove(const QString &name)
{
    QSettings settings;
    settings.remove(group(name));
    deleteSecret(name);
}

bool ProfileStore::rename(const QString &from, const QString &to)
{
    const QStringList existing = names();
    if (to.trimmed().isEmpty() || existing.contains(to) || !existing.contains(from))
        return false;
    Profile p = load(from);
    p.name = to;
    save(p);
    QSettings().remove(group(from));
    // The secret follows when there is one; without a keyring there is nothing to move.
    readSecret(from, [this, from, to](const QString &secret, const QString &) {
        if (secret.isEmpty())
            return;
        storeSecret(to, secret, [this, from](const QString &error) {
            if (error.isEmpty())
                deleteSecret(from);
        });
    });
    return true;
}

void ProfileStore::deleteSecret(const QString &profile)
{
    auto *job = new QKeychain::DeletePasswordJob(kService);
    job->setKey(profile);
    job->start();
}

void ProfileStore::storeSecret(const QString &profile, const QString &secret, std::function<void(QString)> done)
{
    auto *job = new QKeychain::WritePasswordJob(kService);
    job->setKey(profile);
    job->setTextData(secret);
    connect(job, &QKeychain::Job::finished, this, [done](QKeychain::Job *j) {
        done(j->error() == QKeychain::NoError
                 ? QString()
                 : QStringLiteral("The password was not stored: no system keyring is available (%1).").arg(j->errorString()));
    });
    job->start();
}

void ProfileStore::readSecret(const QString &profile, std::function<void(QString, QString)> done)
{
    auto *job = new QKeychain::ReadPasswordJob(kService);
    job->setKey(profile);
    connect(job, &QKeychain::Job::finished, this, [done](QKeychain::Job *j) {
        auto *read = static_cast<QKeychain::ReadPasswordJob *>(j);
        if (read->error() == QKeychain::NoError)
            done(read->textData(), QString());
        else
            done(QString(), read->errorString());
    });
    job->start();
}

} // namespace smtp::gui
