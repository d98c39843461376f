#include "statediagram.h"

#include <QEvent>
#include <QPainter>
#include <QPainterPath>
#include <cmath>

namespace smtp::gui {

namespace {

// Rows down the middle; TLS and AUTH are side trips beside "ready".
enum class Column { Left, Centre, Right };
struct Node
{
    SessionState state;
    const char *label;
    int row;
    Column column;
};

const Node kNodes[] = {
    {SessionState::AwaitingGreeting, "connected", 0, Column::Centre},
    {SessionState::Greeted, "greeted", 1, Column::Centre},
    {SessionState::Ready, "ready", 2, Column::Centre},
    {SessionState::TlsHandshake, "TLS", 2, Column::Left},
    {SessionState::Authenticating, "AUTH", 2, Column::Right},
    {SessionState::InTransaction, "sender set", 3, Column::Centre},
    {SessionState::HasRecipients, "recipients set", 4, Column::Centre},
    {SessionState::InData, "message", 5, Column::Centre},
    {SessionState::Closed, "closed", 6, Column::Centre},
};
constexpr int kRows = 7;

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

const QString kNote = QStringLiteral("\".\" 250: back to ready");

int indexOf(SessionState state)
{
    // Connecting and closing are drawn on their neighbours.
    if (state == SessionState::Connecting || state == SessionState::Disconnected || state == SessionState::Closing)
        state = SessionState::Closed;
    for (int i = 0; i < int(std::size(kNodes)); ++i)
        if (kNodes[i].state == state)
            return i;
    return -1;
}

QFont smallFont(const QFont &font)
{
    QFont small = font;
    small.setPointSizeF(font.pointSizeF() * 0.85);
    return small;
}

// Sizes that follow the font: boxes fit their labels, gaps fit the arrows' labels.
struct Metrics
{
    double boxHeight, centreWidth, sideWidth, sideGap, rowGap, margin, labelHeight, footerHeight, noteWidth;

    explicit Metrics(const QFont &font)
    {
        const QFontMetricsF fm(font);
        const QFontMetricsF small(smallFont(font));
        QFont bold = font;
        bold.setBold(true);
        const QFontMetricsF fb(bold);
        margin = fm.height() * 0.5;
        boxHeight = fm.height() * 1.8;
        centreWidth = 0;
        sideWidth = 0;
        for (const Node &n : kNodes) {
            const double w = fb.horizontalAdvance(QString::fromLatin1(n.label)) + fm.height() * 1.6;
            (n.column == Column::Centre ? centreWidth : sideWidth) = qMax(n.column == Column::Centre ? centreWidth : sideWidth, w);
        }
        sideGap = qMax(small.horizontalAdvance(QStringLiteral("STARTTLS")), small.horizontalAdvance(QStringLiteral("AUTH")))
            + fm.height() * 1.5;
        // "AUTH" over its arrow starts right of "EHLO / HELO", which stands beside the
        // arrow down the middle just above: at small sizes the widths do not scale alike.
        const double besideMiddle = small.horizontalAdvance(QStringLiteral("EHLO / HELO")) + 4 + 6 + 4;
        sideGap = qMax(sideGap, 2 * (besideMiddle - centreWidth / 2) + small.horizontalAdvance(QStringLiteral("AUTH")) + 4);
        labelHeight = small.height() + 2;
        rowGap = labelHeight * 2.2;
        noteWidth = small.horizontalAdvance(kNote) / 2 + fm.height();
        footerHeight = fm.height() * 4.5;
    }
    double width() const { return 2 * margin + 2 * sideWidth + 2 * sideGap + centreWidth; }
    double diagramHeight() const { return 2 * margin + kRows * boxHeight + (kRows - 1) * rowGap; }
};

} // namespace

StateDiagram::StateDiagram(QWidget *parent) : QWidget(parent)
{
    setAccessibleName(QStringLiteral("Session state diagram"));
}

namespace {
constexpr double kSmallest = 0.75; // a narrow panel draws the type this much smaller, no less

QFont scaled(const QFont &font, double factor)
{
    QFont f = font;
    f.setPointSizeF(font.pointSizeF() * factor);
    return f;
}
} // namespace

// The window's type when the width allows it, else smaller down to kSmallest: a narrow
// panel shows the whole diagram rather than a part of it to scroll.
QFont StateDiagram::drawingFont() const
{
    const double natural = Metrics(font()).width();
    if (width() >= natural)
        return font();
    // Type does not shrink in proportion (hinting, whole pixels): step down until it fits.
    for (double factor = qMin(1.0, width() / natural); factor > kSmallest; factor -= 0.02) {
        const QFont f = scaled(font(), factor);
        if (Metrics(f).width() <= width())
            return f;
    }
    return scaled(font(), kSmallest);
}

QSize StateDiagram::minimumSizeHint() const
{
    const Metrics m(scaled(font(), kSmallest));
    return QSize(int(std::ceil(m.width())), int(std::ceil(m.diagramHeight() + m.footerHeight)));
}

QSize StateDiagram::sizeHint() const
{
    const Metrics m(font());
    return QSize(int(std::ceil(m.width())) + 20, int(std::ceil(m.diagramHeight() + m.footerHeight)) + 40);
}

void StateDiagram::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::FontChange)
        updateGeometry(); // a zoom asks for more (or less) room
    QWidget::changeEvent(event);
}

StateDiagram::Layout StateDiagram::layout() const
{
    const QFont font = drawingFont();
    const Metrics m(font);
    Layout out;
    // Centred in the width given; rows spread over the height given, never closer than needed.
    const double left = qMax(0.0, (width() - m.width()) / 2);
    const double spare = qMax(0.0, height() - m.footerHeight - m.diagramHeight());
    const double rowStep = m.boxHeight + m.rowGap + spare / (kRows - 1);
    const double centreX = left + m.margin + m.sideWidth + m.sideGap + m.centreWidth / 2;
    for (const Node &n : kNodes) {
        const double top = m.margin + n.row * rowStep;
        double x = centreX - m.centreWidth / 2;
        double w = m.centreWidth;
        if (n.column == Column::Left) {
            x = left + m.margin;
            w = m.sideWidth;
        } else if (n.column == Column::Right) {
            x = centreX + m.centreWidth / 2 + m.sideGap;
            w = m.sideWidth;
        }
        out.boxes.append(QRectF(x, top, w, m.boxHeight));
    }
    const double lh = m.labelHeight;
    for (const Edge &e : kEdges) {
        const Node &from = kNodes[indexOf(e.from)];
        const QRectF a = out.boxes.at(indexOf(e.from));
        const QRectF b = out.boxes.at(indexOf(e.to));
        QLineF arrow;
        QRectF label;
        const QString text = QString::fromLatin1(e.label);
        const double textWidth = QFontMetricsF(smallFont(font)).horizontalAdvance(text) + 4;
        if (from.column == Column::Centre && kNodes[indexOf(e.to)].column == Column::Centre) {
            // Down the middle; the label to the right of the arrow, in the gap.
            arrow = QLineF(a.center().x(), a.bottom(), b.center().x(), b.top());
            label = QRectF(arrow.center().x() + 6, arrow.center().y() - lh / 2, textWidth, lh);
        } else if (a.top() == b.top()) {
            // Beside "ready": out above the middle, back below it (AUTH's 235).
            // STARTTLS has no arrow back on this row (TLS up leaves from the top): it runs
            // level with the middle, its label below, clear of TLS up above it.
            const bool back = from.column != Column::Centre;
            const bool toLeft = kNodes[indexOf(e.to)].column == Column::Left;
            const double y = a.top() + m.boxHeight * (toLeft ? 0.5 : back ? 0.72 : 0.28);
            const double x1 = a.center().x() < b.center().x() ? a.right() : a.left();
            const double x2 = a.center().x() < b.center().x() ? b.left() : b.right();
            arrow = QLineF(x1, y, x2, y);
            const double mid = (x1 + x2) / 2;
            label = back || toLeft ? QRectF(mid - textWidth / 2, a.bottom() + 2, textWidth, lh)
                                   : QRectF(mid - textWidth / 2, a.top() - lh - 2, textWidth, lh);
        } else {
            // TLS up: from the side box's top back to "greeted", the label to its left.
            arrow = QLineF(a.center().x(), a.top(), b.left(), b.center().y());
            const QPointF mid = arrow.center();
            const double slope = std::abs(arrow.dx() / qMax(1.0, std::abs(arrow.dy())));
            const double right = mid.x() - 6 - slope * lh / 2;
            label = QRectF(right - textWidth, mid.y() - lh / 2, textWidth, lh);
        }
        out.arrows.append(arrow);
        out.labels.append(label);
    }
    // The note sits right of "message", level with it: the labels of the arrows into and
    // out of it stand in the gaps above and below.
    const QRectF message = out.boxes.at(indexOf(SessionState::InData));
    out.note = QRectF(message.right() + 8, message.top(), qMax(m.noteWidth, m.sideGap + m.sideWidth - 8),
                      qMax(m.boxHeight, lh * 2 + 4));
    const double bottom = out.boxes.at(indexOf(SessionState::Closed)).bottom() + m.margin;
    out.footer = QRectF(6, bottom, width() - 12, qMax(m.footerHeight, height() - bottom));
    return out;
}

QRectF StateDiagram::boxOf(SessionState state) const
{
    const int i = indexOf(state);
    return i < 0 ? QRectF() : layout().boxes.value(i);
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
    const Layout l = layout();
    const int current = indexOf(m_state);
    const QColor line = pal.color(QPalette::Mid);
    const QFont font = drawingFont();
    const QFont small = smallFont(font);
    const double head = QFontMetricsF(font).height() * 0.4;

    // Arrows first, under the boxes.
    for (int i = 0; i < l.arrows.size(); ++i) {
        const bool active = current >= 0 && kNodes[current].state == kEdges[i].from;
        p.setPen(QPen(active ? pal.color(QPalette::Highlight) : line, active ? 2 : 1));
        const QLineF a = l.arrows.at(i);
        p.drawLine(a);
        const double angle = std::atan2(-(a.p1() - a.p2()).y(), (a.p1() - a.p2()).x());
        const QPointF end = a.p2();
        const QPointF p1 = end + QPointF(std::sin(angle + M_PI / 3) * head, std::cos(angle + M_PI / 3) * head);
        const QPointF p2 = end + QPointF(std::sin(angle + M_PI - M_PI / 3) * head, std::cos(angle + M_PI - M_PI / 3) * head);
        p.setBrush(p.pen().color());
        p.drawPolygon(QPolygonF{end, p1, p2});
        p.setFont(small);
        p.setPen(active ? pal.color(QPalette::Highlight) : pal.color(QPalette::Text));
        p.drawText(l.labels.at(i), Qt::AlignCenter, QString::fromLatin1(kEdges[i].label));
    }
    p.setFont(small);
    p.setPen(pal.color(QPalette::Text));
    p.drawText(l.note, Qt::AlignLeft | Qt::AlignVCenter | Qt::TextWordWrap, kNote);

    for (int i = 0; i < l.boxes.size(); ++i) {
        const bool lit = i == current;
        p.setPen(QPen(lit ? pal.color(QPalette::Highlight) : line, lit ? 2.5 : 1));
        p.setBrush(lit ? pal.color(QPalette::Highlight) : pal.color(QPalette::Base));
        p.drawRoundedRect(l.boxes.at(i), 8, 8);
        QFont f = font;
        f.setBold(lit);
        p.setFont(f);
        p.setPen(lit ? pal.color(QPalette::HighlightedText) : pal.color(QPalette::Text));
        p.drawText(l.boxes.at(i), Qt::AlignCenter, QString::fromLatin1(kNodes[i].label));
    }

    p.setFont(font);
    p.setPen(pal.color(QPalette::Text));
    const QString next = m_next.isEmpty() ? QStringLiteral("-") : m_next.join(QStringLiteral(", "));
    p.drawText(l.footer, Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap,
               stateDescription(m_state) + QStringLiteral("\nNext: ") + next);
}

} // namespace smtp::gui
