#pragma once
// A drawn picture of the SMTP session: the states as boxes, the commands that lead from
// one to the next as arrows, the current state lit, and what may come next.

#include "session/sessionstate.h"

#include <QRectF>
#include <QStringList>
#include <QWidget>

namespace smtp::gui {

class StateDiagram : public QWidget
{
    Q_OBJECT
public:
    explicit StateDiagram(QWidget *parent = nullptr);

    void setState(SessionState state, const QStringList &nextVerbs);
    SessionState state() const { return m_state; }
    // Where a state's box is drawn, in widget coordinates (empty if it has none).
    QRectF boxOf(SessionState state) const;
    QSize sizeHint() const override { return {300, 520}; }
    QSize minimumSizeHint() const override { return {240, 420}; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QRectF nodeRect(const void *node) const;   // a Node of the .cpp's table
    SessionState m_state = SessionState::Disconnected;
    QStringList m_next;
};

} // namespace smtp::gui
