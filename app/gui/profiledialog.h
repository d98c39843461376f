#pragma once
// The profile manager: the saved connections listed with what each holds, to connect to,
// rename or delete. A profile's name is only ever shown here and in the Profiles menu,
// never put in the server field.

#include <QDialog>
#include <functional>

class QListWidget;
class QLabel;
class QPushButton;

namespace smtp::gui {

class ProfileStore;

class ProfileDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ProfileDialog(ProfileStore *store, QWidget *parent = nullptr);

    QStringList shownNames() const;
    void select(const QString &name);
    // Ask for a new name (empty: cancelled) and for a deletion's consent; tests answer
    // these themselves.
    void setNameQuestion(std::function<QString(const QString &current)> ask) { m_askName = std::move(ask); }
    void setDeleteQuestion(std::function<bool(const QString &name)> ask) { m_askDelete = std::move(ask); }

    void renameSelected();
    void deleteSelected();

signals:
    void connectRequested(const QString &profile);

private:
    QString selected() const;
    void reload(const QString &keep);
    void showDetails();
    ProfileStore *m_store;
    QListWidget *m_list;
    QLabel *m_details;
    QLabel *m_error;
    QList<QPushButton *> m_needSelection;
    std::function<QString(const QString &)> m_askName;
    std::function<bool(const QString &)> m_askDelete;
};

} // namespace smtp::gui
