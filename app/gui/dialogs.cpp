#include "dialogs.h"
#include "theme.h"

#include "detailview.h"
#include "protocol/replyparser.h"
#include "protocol/untrustedtext.h"
#include "session/saslclient.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QPushButton>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QPlainTextEdit>
#include <QTextBrowser>
#include <QFileDialog>
#include <QMessageBox>
#include <QSaveFile>
#include <QVBoxLayout>

namespace smtp::gui {

AuthDialog::AuthDialog(const QStringList &offered, const QString &user, bool encrypted, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(QStringLiteral("Sign in (AUTH)"));
    auto *form = new QFormLayout;
    m_mechanism = new QComboBox;
    for (const QString &m : SaslClient::supportedMechanisms())
        m_mechanism->addItem(offered.contains(m) ? m : m + QStringLiteral(" (not offered)"), m);
    for (int i = 0; i < m_mechanism->count(); ++i)
        if (offered.contains(m_mechanism->itemData(i).toString())) {
            m_mechanism->setCurrentIndex(i);
            break;
        }
    m_user = new QLineEdit(user);
    m_secret = new QLineEdit;
    m_secret->setEchoMode(QLineEdit::Password);
    m_remember = new QCheckBox(QStringLiteral("&Remember in the system keyring"));
    form->addRow(QStringLiteral("&Mechanism:"), m_mechanism);
    form->addRow(QStringLiteral("&User:"), m_user);
    form->addRow(QStringLiteral("&Password or token:"), m_secret);
    form->addRow(QString(), m_remember);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    if (!encrypted) {
        auto *warning = new QLabel(QStringLiteral("This connection is not encrypted: PLAIN and LOGIN send the password "
                                                  "readable by anyone on the path. Use STARTTLS first."));
        warning->setWordWrap(true);
        warning->setStyleSheet(QStringLiteral("color:") + Theme::replyClass(4).name());
        layout->addWidget(warning);
    }
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    (user.isEmpty() ? m_user : m_secret)->setFocus();
}

QString AuthDialog::mechanism() const { return m_mechanism->currentData().toString(); }
QString AuthDialog::user() const { return m_user->text(); }
QString AuthDialog::secret() const { return m_secret->text(); }
bool AuthDialog::remember() const { return m_remember->isChecked(); }
void AuthDialog::setSecret(const QString &secret) { m_secret->setText(secret); }

ComposerDialog::ComposerDialog(const QString &from, const QString &to, QWidget *parent) : QDialog(parent)
{
    setWindowTitle(QStringLiteral("Compose the message (DATA)"));
    auto *form = new QFormLayout;
    m_from = new QLineEdit(from);
    m_to = new QLineEdit(to);
    m_subject = new QLineEdit(QStringLiteral("Test from SMTP Workbench"));
    m_body = new QPlainTextEdit(QStringLiteral("Hello,\n\nthis is a test message.\n"));
    m_body->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_size = new QLabel;
    form->addRow(QStringLiteral("&From:"), m_from);
    form->addRow(QStringLiteral("&To:"), m_to);
    form->addRow(QStringLiteral("Subj&ect:"), m_subject); // Alt+S is Send
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_body);
    auto *note = new QLabel(QStringLiteral("Sent with CRLF line ends; lines that begin with a dot are doubled "
                                           "(dot-stuffing) and a final \".\" ends the message."));
    note->setWordWrap(true);
    layout->addWidget(note);
    layout->addWidget(m_size);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    buttons->button(QDialogButtonBox::Ok)->setText(QStringLiteral("&Send"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    for (QLineEdit *e : {m_from, m_to, m_subject})
        connect(e, &QLineEdit::textChanged, this, &ComposerDialog::updateSize);
    connect(m_body, &QPlainTextEdit::textChanged, this, &ComposerDialog::updateSize);
    updateSize();
    resize(640, 480);
}

QByteArray ComposerDialog::message() const
{
    QString text = QStringLiteral("From: %1\nTo: %2\nSubject: %3\nDate: %4\nMessage-ID: <%5@smtp-workbench.invalid>\n"
                                  "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n")
                       .arg(m_from->text(), m_to->text(), m_subject->text(),
                            QLocale::c().toString(QDateTime::currentDateTime(), QStringLiteral("ddd, dd MMM yyyy HH:mm:ss t")),
                            QString::number(QDateTime::currentMSecsSinceEpoch()));
    return (text + m_body->toPlainText()).toUtf8();
}

void ComposerDialog::updateSize()
{
    const QByteArray m = message();
    m_size->setText(QStringLiteral("Size: %1 bytes (%2 lines)").arg(m.size()).arg(m.count('\n') + 1));
}

QByteArray CertificateDialog::pemOf(const QList<QSslCertificate> &chain)
{
    QByteArray pem;
    for (const QSslCertificate &c : chain)
        pem += c.toPem();
    return pem;
}

CertificateDialog::CertificateDialog(const TlsInfo &info, QWidget *parent) : QDialog(parent)
{
    setWindowTitle(QStringLiteral("TLS and the server's certificate"));
    auto *layout = new QVBoxLayout(this);
    auto *head = new QLabel(QStringLiteral("<b>%1</b>, cipher <b>%2</b> (%3 bits), name checked: %4")
                                .arg(info.protocol.toHtmlEscaped(), info.cipher.toHtmlEscaped())
                                .arg(info.cipherBits).arg(info.serverName.toHtmlEscaped()));
    head->setWordWrap(true);
    layout->addWidget(head);
    if (!info.errors.isEmpty()) {
        auto *errors = new QLabel(QStringLiteral("Problems: ") + TlsInfo::describeErrors(info.errors).toHtmlEscaped());
        errors->setWordWrap(true);
        errors->setStyleSheet(QStringLiteral("color:") + Theme::replyClass(5).name());
        layout->addWidget(errors);
    }
    auto *chain = new QListWidget;
    auto *details = new QPlainTextEdit;
    details->setReadOnly(true);
    details->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    for (const QSslCertificate &c : info.chain)
        chain->addItem(visibleText(c.subjectDisplayName(), LineBreaks::Mark));
    connect(chain, &QListWidget::currentRowChanged, details, [details, info](int row) {
        if (row >= 0 && row < info.chain.size())
            details->setPlainText(TlsInfo::describe(info.chain.at(row)));
    });
    layout->addWidget(new QLabel(QStringLiteral("Certificate chain (the server's first):")));
    layout->addWidget(chain, 1);
    layout->addWidget(details, 2);
    if (!info.chain.isEmpty())
        chain->setCurrentRow(0);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    QPushButton *savePem = buttons->addButton(QStringLiteral("&Save chain as PEM..."), QDialogButtonBox::ActionRole);
    savePem->setEnabled(!info.chain.isEmpty());
    connect(savePem, &QPushButton::clicked, this, [this, info] {
        const QString path = QFileDialog::getSaveFileName(this, QStringLiteral("Save the certificate chain"),
                                                          QStringLiteral("chain.pem"), QStringLiteral("PEM (*.pem)"));
        if (path.isEmpty())
            return;
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(pemOf(info.chain)) < 0 || !file.commit())
            QMessageBox::warning(this, QStringLiteral("Not saved"), file.errorString());
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(620, 520);
}

LookupDialog::LookupDialog(QWidget *parent) : QDialog(parent)
{
    setWindowTitle(QStringLiteral("Look up a code"));
    auto *layout = new QVBoxLayout(this);
    m_input = new QLineEdit;
    m_input->setPlaceholderText(QStringLiteral("452 4.2.2, 5.7.26, 550 5.1.1 User unknown, 421 ..."));
    m_view = new QTextBrowser;
    layout->addWidget(m_input);
    layout->addWidget(m_view);
    connect(m_input, &QLineEdit::textChanged, this, &LookupDialog::lookup);
    resize(640, 560);
}

void LookupDialog::lookup(const QString &text)
{
    if (m_input->text() != text)
        m_input->setText(text);
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty()) {
        m_view->clear();
        return;
    }
    if (const auto status = EnhancedStatus::parse(trimmed)) {
        Reply none;
        m_view->setHtml(replyHtml(none, m_explainer.explainEnhanced(*status)));
        return;
    }
    ReplyParser parser;
    parser.feed(trimmed.toUtf8() + "\r\n");
    const QList<Reply> replies = parser.takeReplies();
    if (replies.isEmpty() || replies.first().code == 0) {
        m_view->setHtml(QStringLiteral("<p>Type a reply code (550), an enhanced code (5.1.1) or a whole reply line.</p>"));
        return;
    }
    m_view->setHtml(replyHtml(replies.first(), m_explainer.explain(replies.first())));
}

QString LookupDialog::html() const
{
    return m_view->toPlainText();
}

} // namespace smtp::gui
