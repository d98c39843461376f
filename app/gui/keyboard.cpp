#include "keyboard.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QEvent>
#include <QPainter>
#include <QToolBar>
#include <QToolButton>

namespace smtp::gui {

namespace {
constexpr int kRing = 2; // px of ring outside the widget

QString withKey(QString tip, const QString &fallback, const QKeySequence &key)
{
    const QString keyText = key.toString(QKeySequence::NativeText);
    if (tip.isEmpty())
        tip = QString(fallback).remove(QLatin1Char('&')).remove(QStringLiteral("...")).trimmed();
    if (keyText.isEmpty() || tip.contains(keyText))
        return tip;
    return QStringLiteral("%1 (%2)").arg(tip, keyText);
}
} // namespace

void showKeysInToolTips(QWidget *root)
{
    QList<QAction *> actions = root->findChildren<QAction *>();
    actions += root->actions();
    for (QAction *a : std::as_const(actions))
        if (!a->shortcut().isEmpty())
            a->setToolTip(withKey(a->toolTip() == QString(a->text()).remove(QLatin1Char('&')) ? QString() : a->toolTip(),
                                  a->text(), a->shortcut()));
    for (QAbstractButton *b : root->findChildren<QAbstractButton *>())
        if (!b->shortcut().isEmpty())
            b->setToolTip(withKey(b->toolTip(), b->text(), b->shortcut()));
}

void makeToolBarsFocusable(QWidget *root)
{
    for (QToolBar *bar : root->findChildren<QToolBar *>())
        for (QToolButton *button : bar->findChildren<QToolButton *>())
            if (button->objectName() != QLatin1String("qt_toolbar_ext_button"))
                button->setFocusPolicy(Qt::TabFocus);
}

FocusRing::FocusRing(QWidget *window) : QWidget(window)
{
    setAttribute(Qt::WA_TransparentForMouseEvents);
    setAttribute(Qt::WA_NoSystemBackground);
    setFocusPolicy(Qt::NoFocus);
    hide();
    connect(qApp, &QApplication::focusChanged, this, [this](QWidget *, QWidget *now) { follow(now); });
}

void FocusRing::follow(QWidget *now)
{
    for (QWidget *w = m_target; w && w != window(); w = w->parentWidget())
        w->removeEventFilter(this);
    m_target = (now && now->window() == window() && now != window()) ? now : nullptr;
    // The target and each of its parents: a scroll area moves its content, not the target.
    for (QWidget *w = m_target; w && w != window(); w = w->parentWidget())
        w->installEventFilter(this);
    place();
}

bool FocusRing::eventFilter(QObject *watched, QEvent *event)
{
    switch (event->type()) {
    case QEvent::Move:
    case QEvent::Resize:
    case QEvent::Show:
    case QEvent::Hide:
        if (watched != this)
            place();
        break;
    default:
        break;
    }
    return QWidget::eventFilter(watched, event);
}

void FocusRing::place()
{
    if (!m_target || !m_target->isVisible()) {
        hide();
        return;
    }
    const QRect around(m_target->mapTo(window(), QPoint(0, 0)), m_target->size());
    setGeometry(around.adjusted(-kRing, -kRing, kRing, kRing));
    raise();
    show();
    update();
}

void FocusRing::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    QPen pen(palette().color(QPalette::Highlight), kRing);
    p.setPen(pen);
    p.drawRoundedRect(QRectF(rect()).adjusted(kRing / 2.0, kRing / 2.0, -kRing / 2.0, -kRing / 2.0), 3, 3);
}

} // namespace smtp::gui
