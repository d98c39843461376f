#include "profiledialog.h"
#include "theme.h"

#include "profilestore.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QVBoxLayout>

namespace smtp::gui {

namespace {
QString describe(const Profile &p)
{
    QString text = QStringLiteral("Server: %1, port %2\nSecurity: %3\nEHLO as: %4")
                       .arg(p.options.host, QString::number(p.options.port), securityLabel(p.options.security),
                            p.options.ehloName.isEmpty() ? QStringLiteral("this machine's name") : p.options.ehloName);
    if (!p.user.isEmpty())
        text += QStringLiteral("\nUser: %1 (the password, if kept, is in the system keyring)").arg(p.user);
    return text;
}
} // namespace

ProfileDialog::ProfileDialog(ProfileStore *store, QWidget *parent)
    : QDialog(parent), m_store(store), m_list(new QListWidget), m_details(new QLabel), m_error(new QLabel)
{
    setWindowTitle(QStringLiteral("Profiles"));
    m_details->setTextFormat(Qt::PlainText);
    m_details->setWordWrap(true);
    m_details->setMinimumWidth(280);
    m_error->setTextFormat(Qt::PlainText);
    m_error->setStyleSheet(QStringLiteral("color:") + Theme::replyClass(5).name());
    m_askName = [this](const QString &current) {
        return QInputDialog::getText(this, QStringLiteral("Rename profile"), QStringLiteral("New &name:"),
                                     QLineEdit::Normal, current);
    };
    m_askDelete = [this](const QString &name) {
        return QMessageBox::question(this, QStringLiteral("Delete profile"),
                                     QStringLiteral("Delete the profile \"%1\" and any password kept for it?").arg(name))
               == QMessageBox::Yes;
    };

    auto *connectButton = new QPushButton(QStringLiteral("&Connect"));
    connectButton->setDefault(true);
    auto *rename = new QPushButton(QStringLiteral("&Rename..."));
    auto *remove = new QPushButton(QStringLiteral("&Delete..."));
    m_needSelection = {connectButton, rename, remove};
    connect(connectButton, &QPushButton::clicked, this, [this] {
        if (!selected().isEmpty()) {
            emit connectRequested(selected());
            accept();
        }
    });
    connect(m_list, &QListWidget::itemActivated, connectButton, &QPushButton::click);
    connect(rename, &QPushButton::clicked, this, &ProfileDialog::renameSelected);
    connect(remove, &QPushButton::clicked, this, &ProfileDialog::deleteSelected);
    connect(m_list, &QListWidget::currentRowChanged, this, &ProfileDialog::showDetails);

    auto *buttons = new QVBoxLayout;
    for (QPushButton *b : std::as_const(m_needSelection))
        buttons->addWidget(b);
    buttons->addStretch();
    auto *close = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *top = new QHBoxLayout;
    top->addWidget(m_list, 1);
    top->addLayout(buttons);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top, 1);
    layout->addWidget(m_details);
    layout->addWidget(m_error);
    layout->addWidget(close);
    reload(QString());
}

QStringList ProfileDialog::shownNames() const
{
    QStringList names;
    for (int i = 0; i < m_list->count(); ++i)
        names.append(m_list->item(i)->text());
    return names;
}

void ProfileDialog::select(const QString &name)
{
    const QList<QListWidgetItem *> found = m_list->findItems(name, Qt::MatchExactly);
    if (!found.isEmpty())
        m_list->setCurrentItem(found.first());
}

QString ProfileDialog::selected() const
{
    return m_list->currentItem() ? m_list->currentItem()->text() : QString();
}

void ProfileDialog::renameSelected()
{
    const QString from = selected();
    if (from.isEmpty())
        return;
    const QString to = m_askName(from).trimmed();
    if (to.isEmpty() || to == from)
        return;
    if (!m_store->rename(from, to)) {
        m_error->setText(QStringLiteral("A profile named \"%1\" exists already; pick another name.").arg(to));
        return;
    }
    m_error->clear();
    reload(to);
}

void ProfileDialog::deleteSelected()
{
    const QString name = selected();
    if (name.isEmpty() || !m_askDelete(name))
        return;
    m_store->remove(name);
    m_error->clear();
    reload(QString());
}

void ProfileDialog::reload(const QString &keep)
{
    m_list->clear();
    QStringList names = m_store->names();
    names.sort(Qt::CaseInsensitive);
    m_list->addItems(names);
    if (!keep.isEmpty())
        select(keep);
    else if (m_list->count() > 0)
        m_list->setCurrentRow(0);
    showDetails();
}

void ProfileDialog::showDetails()
{
    const QString name = selected();
    for (QPushButton *b : std::as_const(m_needSelection))
        b->setEnabled(!name.isEmpty());
    m_details->setText(name.isEmpty() ? QStringLiteral("No profile saved yet: File > Save connection as profile.")
                                      : describe(m_store->load(name)));
}

} // namespace smtp::gui
