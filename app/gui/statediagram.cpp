#include "statediagram.h"

#include <QPainter>
#include <QPainterPath>

namespace smtp::gui {

namespace {
struct Node
{
    SessionState state;
    const char *label;
    double x, y; // centre, as a share of the width and of the drawing height
};

// The main path runs down the middle; TLS and AUTH are side trips from "ready".
const Node kNodes[] = {
    {SessionState::AwaitingGreeting, "connected", 0.5, 0.04},
    {SessionState::Greeted, "greeted", 0.5, 0.17},
    {SessionState::Ready, "ready", 0.5, 0.32},
    {SessionState::TlsHandshake, "TLS", 0.16, 0.245},
    {SessionState::Authenticating, "AUTH", 0.84, 0.245},
    {SessionState::InTransaction, "sender set", 0.5, 0.47},
    {SessionState::HasRecipients, "recipients set", 0.5, 0.62},
    {SessionState::InData, "message", 0.5, 0.77},
    {SessionState::Closed, "closed", 0.5, 0.92},
};

struct Edge
{
    SessionState from, to;
    const char *label;
};

const Edge kEdges[] = {
    {SessionState::AwaitingGreeting, SessionState::Greeted, "220"},
    {SessionState::Greeted, SessionState::Ready, "EHLO / HELO"},
    {SessionState::Ready, SessionState::TlsHandshake, "STARTTLS"},
    {SessionState::TlsHandshake, SessionState::Greeted, "TLS up"},
    {SessionState::Ready, SessionState::Authenticating, "AUTH"},
    {SessionState::Authenticating, SessionState::Ready, "235"},
    {SessionState::Ready, SessionState::InTransaction, "MAIL FROM"},
    {SessionState::InTransaction, SessionState::HasRecipients, "RCPT TO"},
    {SessionState::HasRecipients, SessionState::InData, "DATA (354)"},
    {SessionState::InData, SessionState::Closed, "QUIT"},
};

const Node *nodeFor(SessionState state)
{
    // Connecting and closing are drawn on their neighbours.
    if (state == SessionState::Connecting || state == SessionState::Disconnected)
        state = SessionState::Closed;
    if (state == SessionState::Closing)
        state = SessionState::Closed;
    for (const Node &n : kNodes)
        if (n.state == state)
            return &n;
    return nullptr;
}
} // namespace

QRectF StateDiagram::nodeRect(const void *nodePointer) const
{
    const Node &n = *static_cast<const Node *>(nodePointer);
    const double w = width();
    const double h = height() - 70; // room for the text below
    const QSizeF size = n.x == 0.5 ? QSizeF(qMin(120.0, w * 0.4), 30) : QSizeF(qMin(70.0, w * 0.26), 26);
    return QRectF(n.x * w - size.width() / 2, 8 + n.y * h - size.height() / 2, size.width(), size.height());
}

QRectF StateDiagram::boxOf(SessionState state) const
{
    const Node *n = nodeFor(state);
    return n ? nodeRect(n) : QRectF();
}

StateDiagram::StateDiagram(QWidget *parent) : QWidget(parent)
{
    setAccessibleName(QStringLiteral("Session state diagram"));
}

void StateDiagram::setState(SessionState state, const QStringList &nextVerbs)
{
    m_state = state;
    m_next = nextVerbs;
    setToolTip(stateDescription(state));
    update();
}

void StateDiagram::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    const double w = width();
    const double h = height() - 70; // room for the text below
    const QSizeF box(qMin(120.0, w * 0.4), 30);
    auto rectOf = [this](const Node &n) { return nodeRect(&n); };

    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    const QColor line = pal.color(QPalette::Mid);
    // Arrows first, under the boxes.
    for (const Edge &e : kEdges) {
        const QRectF a = rectOf(*nodeFor(e.from));
        const QRectF b = rectOf(*nodeFor(e.to));
        QPointF start = a.center(), end = b.center();
        if (qFuzzyCompare(a.center().x(), b.center().x())) {
            start.setY(a.center().y() < b.center().y() ? a.bottom() : a.top());
            end.setY(a.center().y() < b.center().y() ? b.top() : b.bottom());
        } else {
            start.setX(a.center().x() < b.center().x() ? a.right() : a.left());
            end.setX(a.center().x() < b.center().x() ? b.left() : b.right());
        }
        const bool active = nodeFor(m_state) && nodeFor(m_state)->state == e.from;
        p.setPen(QPen(active ? pal.color(QPalette::Highlight) : line, active ? 2 : 1));
        p.drawLine(start, end);
        const QLineF l(end, start);
        const double angle = std::atan2(-l.dy(), l.dx());
        const QPointF p1 = end + QPointF(std::sin(angle + M_PI / 3) * 7, std::cos(angle + M_PI / 3) * 7);
        const QPointF p2 = end + QPointF(std::sin(angle + M_PI - M_PI / 3) * 7, std::cos(angle + M_PI - M_PI / 3) * 7);
        p.setBrush(p.pen().color());
        p.drawPolygon(QPolygonF{end, p1, p2});
        p.setFont(small);
        p.setPen(active ? pal.color(QPalette::Highlight) : pal.color(QPalette::Text));
        const QPointF mid = (start + end) / 2;
        const bool vertical = qFuzzyCompare(a.center().x(), b.center().x());
        // Side trips: the label goes above the arrow out, below the arrow back.
        const bool outward = std::abs(b.center().x() - w / 2) > std::abs(a.center().x() - w / 2);
        const QRectF labelRect = vertical ? QRectF(mid.x() + 4, mid.y() - 9, w / 2, 18)
                                          : QRectF(mid.x() - 40, outward ? mid.y() - 20 : mid.y() + 2, 80, 18);
        p.drawText(labelRect, (vertical ? Qt::AlignLeft : Qt::AlignHCenter) | Qt::AlignVCenter,
                   QString::fromLatin1(e.label));
    }
    // A transaction can end and start again.
    p.setFont(small);
    p.setPen(pal.color(QPalette::Text));
    p.drawText(QRectF(w * 0.5 + box.width() / 2 + 4, 8 + 0.70 * h, w * 0.5 - box.width() / 2 - 6, 34),
               Qt::AlignLeft | Qt::TextWordWrap, QStringLiteral("\".\" 250: back to ready"));

    const Node *current = nodeFor(m_state);
    for (const Node &n : kNodes) {
        const QRectF r = rectOf(n);
        const bool lit = current == &n;
        p.setPen(QPen(lit ? pal.color(QPalette::Highlight) : line, lit ? 2.5 : 1));
        p.setBrush(lit ? pal.color(QPalette::Highlight) : pal.color(QPalette::Base));
        p.drawRoundedRect(r, 8, 8);
        QFont f = font();
        f.setBold(lit);
        p.setFont(f);
        p.setPen(lit ? pal.color(QPalette::HighlightedText) : pal.color(QPalette::Text));
        p.drawText(r, Qt::AlignCenter, QString::fromLatin1(n.label));
    }

    p.setFont(font());
    p.setPen(pal.color(QPalette::Text));
    const QString next = m_next.isEmpty() ? QStringLiteral("-") : m_next.join(QStringLiteral(", "));
    p.drawText(QRectF(6, height() - 64, w - 12, 60), Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap,
               stateDescription(m_state) + QStringLiteral("\nNext: ") + next);
}

} // namespace smtp::gui
