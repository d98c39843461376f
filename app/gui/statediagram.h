#pragma once
// A drawn picture of the SMTP session: the states as boxes, the commands that lead from
// one to the next as arrows, the current state lit, and what may come next. Its layout
// comes from the font, so nothing overlaps at any zoom; the widget asks for the room.

#include "session/sessionstate.h"

#include <QLineF>
#include <QList>
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

    // What is drawn where, for painting and for tests that nothing overlaps.
    struct Layout
    {
        QList<QRectF> boxes;        // one per state drawn, in the table's order
        QList<QLineF> arrows;       // one per transition
        QList<QRectF> labels;       // the transitions' labels, same order as arrows
        QRectF note;                // "." 250: back to ready
        QRectF footer;              // the current state's description and what may come next
    };
    Layout layout() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    QFont drawingFont() const;
    SessionState m_state = SessionState::Disconnected;
    QStringList m_next;
};

} // namespace smtp::gui
