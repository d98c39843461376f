#pragma once
// What a keyboard user needs to see: where the focus is, and which key does what.

#include <QPointer>
#include <QWidget>

namespace smtp::gui {

// Every action and button under `root` with a shortcut names it in its tooltip:
// "Connect (Ctrl+Return)". Run again after adding actions; tooltips naming a key are left.
void showKeysInToolTips(QWidget *root);

// Buttons on tool bars take the focus from Tab like any other button.
void makeToolBarsFocusable(QWidget *root);

// A ring in the palette's highlight colour drawn around whichever widget of `window` has
// the keyboard focus, whatever the style draws or does not draw itself.
class FocusRing : public QWidget
{
    Q_OBJECT
public:
    explicit FocusRing(QWidget *window);
    QWidget *target() const { return m_target; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;

private:
    void follow(QWidget *now);
    void place();
    QPointer<QWidget> m_target;
};

} // namespace smtp::gui
