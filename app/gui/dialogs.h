#pragma once
// The workbench's small dialogs: AUTH credentials, the DATA composer, the certificate
// view, and the code lookup.

#include "knowledge/explainer.h"
#include "session/tlsinfo.h"

#include <QDialog>

class QComboBox;
class QLineEdit;
class QPlainTextEdit;
class QLabel;
class QTextBrowser;
class QCheckBox;

namespace smtp::gui {

class AuthDialog : public QDialog
{
    Q_OBJECT
public:
    AuthDialog(const QStringList &offered, const QString &user, bool encrypted, QWidget *parent = nullptr);
    QString mechanism() const;
    QString user() const;
    QString secret() const;    // a password, or a bearer token for XOAUTH2
    bool remember() const;
    void setSecret(const QString &secret);

private:
    QComboBox *m_mechanism;
    QLineEdit *m_user;
    QLineEdit *m_secret;
    QCheckBox *m_remember;
};

class ComposerDialog : public QDialog
{
    Q_OBJECT
public:
    ComposerDialog(const QString &from, const QString &to, QWidget *parent = nullptr);
    QByteArray message() const;

private:
    void updateSize();
    QLineEdit *m_from;
    QLineEdit *m_to;
    QLineEdit *m_subject;
    QPlainTextEdit *m_body;
    QLabel *m_size;
};

class CertificateDialog : public QDialog
{
    Q_OBJECT
public:
    CertificateDialog(const TlsInfo &info, QWidget *parent = nullptr);
    // The chain as one PEM file, the server's certificate first.
    static QByteArray pemOf(const QList<QSslCertificate> &chain);
};

class LookupDialog : public QDialog
{
    Q_OBJECT
public:
    explicit LookupDialog(QWidget *parent = nullptr);
    void lookup(const QString &text);
    QString html() const;

private:
    QLineEdit *m_input;
    QTextBrowser *m_view;
    Explainer m_explainer;
};

} // namespace smtp::gui
