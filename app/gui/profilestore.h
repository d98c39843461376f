#pragma once
// Saved connection profiles: everything but the secret in QSettings; the password or
// token in the system keyring through QtKeychain, or nowhere when there is no keyring.

#include "session/sessionoptions.h"

#include <QObject>
#include <QStringList>
#include <functional>

namespace smtp::gui {

struct Profile
{
    QString name;
    SessionOptions options;
    QString user;
    QString mechanism;
};

class ProfileStore : public QObject
{
    Q_OBJECT
public:
    explicit ProfileStore(QObject *parent = nullptr);

    QStringList names() const;
    Profile load(const QString &name) const;
    void save(const Profile &profile);
    void remove(const QString &name);
    // Moves a profile and its secret in the keyring to `to`; false when `to` is empty or
    // already taken, or `from` does not exist.
    bool rename(const QString &from, const QString &to);

    // Asynchronous: the keyring may ask the user. The callback gets the secret, or an
    // empty string and a reason.
    void storeSecret(const QString &profile, const QString &secret, std::function<void(QString error)> done);
    void readSecret(const QString &profile, std::function<void(QString secret, QString error)> done);

private:
    void deleteSecret(const QString &profile);
};

} // namespace smtp::gui
