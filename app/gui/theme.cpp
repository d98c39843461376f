#include "theme.h"

#include <QApplication>
#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusReply>
#include <QDBusVariant>
#include <QSettings>
#include <QStyle>
#include <QStyleFactory>

namespace smtp::gui {

namespace {
const QString kPortal = QStringLiteral("org.freedesktop.portal.Desktop");
const QString kPortalPath = QStringLiteral("/org/freedesktop/portal/desktop");
const QString kSettings = QStringLiteral("org.freedesktop.portal.Settings");
const QString kAppearance = QStringLiteral("org.freedesktop.appearance");

// The portal answers Read with a variant inside a variant.
int unwrapScheme(QVariant v)
{
    while (v.canConvert<QDBusVariant>() && v.userType() == qMetaTypeId<QDBusVariant>())
        v = v.value<QDBusVariant>().variant();
    bool ok = false;
    const uint scheme = v.toUInt(&ok);
    return ok ? int(scheme) : -1;
}

int readPortalScheme()
{
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected())
        return -1;
    QDBusMessage call = QDBusMessage::createMethodCall(kPortal, kPortalPath, kSettings, QStringLiteral("Read"));
    call << kAppearance << QStringLiteral("color-scheme");
    const QDBusMessage reply = bus.call(call, QDBus::Block, 500); // no portal: do not hold the start
    if (reply.type() != QDBusMessage::ReplyMessage || reply.arguments().isEmpty())
        return -1;
    return unwrapScheme(reply.arguments().constFirst());
}

ColourScheme schemeFromSettings()
{
    const QString name = QSettings().value(QStringLiteral("view/colours")).toString();
    if (name == QLatin1String("light"))
        return ColourScheme::Light;
    if (name == QLatin1String("dark"))
        return ColourScheme::Dark;
    return ColourScheme::FollowDesktop;
}

QString settingsName(ColourScheme scheme)
{
    switch (scheme) {
    case ColourScheme::Light: return QStringLiteral("light");
    case ColourScheme::Dark: return QStringLiteral("dark");
    case ColourScheme::FollowDesktop: break;
    }
    return QStringLiteral("desktop");
}

bool paletteIsDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}
} // namespace

Theme *Theme::instance()
{
    static Theme *theme = new Theme; // parented to the application, gone with it
    return theme;
}

Theme::Theme() : QObject(qApp), m_desktopPalette(QApplication::palette())
{
    m_scheme = schemeFromSettings();
    m_portalScheme = readPortalScheme();
    QDBusConnection::sessionBus().connect(kPortal, kPortalPath, kSettings, QStringLiteral("SettingChanged"), this,
                                          SLOT(onPortalSetting(QString, QString, QDBusVariant)));
    apply();
}

void Theme::onPortalSetting(const QString &group, const QString &key, const QDBusVariant &value)
{
    if (group != kAppearance || key != QLatin1String("color-scheme"))
        return;
    m_portalScheme = unwrapScheme(QVariant::fromValue(value));
    if (m_scheme == ColourScheme::FollowDesktop)
        apply();
}

void Theme::setScheme(ColourScheme scheme)
{
    m_scheme = scheme;
    QSettings().setValue(QStringLiteral("view/colours"), settingsName(scheme));
    apply();
}

bool Theme::desktopPrefersDark() const
{
    if (m_portalScheme == 1)
        return true;
    if (m_portalScheme == 2)
        return false;
    return paletteIsDark(m_desktopPalette);
}

bool Theme::isDark() const
{
    return paletteIsDark(QApplication::palette());
}

void Theme::apply()
{
    const bool dark = m_scheme == ColourScheme::Dark
                      || (m_scheme == ColourScheme::FollowDesktop && desktopPrefersDark());
    if (m_scheme == ColourScheme::FollowDesktop && dark == paletteIsDark(m_desktopPalette)) {
        QApplication::setPalette(m_desktopPalette); // the desktop's own, as it came
    } else {
        // Fusion draws with the palette it is given; a native style may not.
        if (QStyle *fusion = QStyleFactory::create(QStringLiteral("Fusion")))
            QApplication::setStyle(fusion);
        QApplication::setPalette(dark ? darkPalette() : QApplication::style()->standardPalette());
    }
    emit changed();
}

QColor Theme::replyClass(int klass)
{
    // Mid tones: each keeps a contrast near 4.5:1 on a white base and on a near-black one.
    switch (klass) {
    case 2: return QColor(0x2e, 0x9d, 0x4a);
    case 3: return QColor(0x1e, 0x90, 0xb0);
    case 4: return QColor(0xd0, 0x80, 0x00);
    case 5: return QColor(0xe0, 0x3e, 0x3e);
    default: return QColor(0x9c, 0x4d, 0xcc);
    }
}

QPalette Theme::darkPalette()
{
    QPalette p;
    const QColor window(0x2b, 0x2b, 0x2e), base(0x1e, 0x1e, 0x20), text(0xe8, 0xe8, 0xe8);
    const QColor disabled(0x80, 0x80, 0x80), highlight(0x3d, 0x7e, 0xd6);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window);
    p.setColor(QPalette::ToolTipBase, base);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, disabled);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(0xff, 0x6b, 0x6b));
    p.setColor(QPalette::Light, QColor(0x45, 0x45, 0x4a));
    p.setColor(QPalette::Midlight, QColor(0x3a, 0x3a, 0x3e));
    p.setColor(QPalette::Mid, QColor(0x60, 0x60, 0x66));
    p.setColor(QPalette::Dark, QColor(0x18, 0x18, 0x1a));
    p.setColor(QPalette::Shadow, Qt::black);
    p.setColor(QPalette::Highlight, highlight);
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x6c, 0xb4, 0xff));
    p.setColor(QPalette::LinkVisited, QColor(0xb3, 0x8c, 0xff));
    for (QPalette::ColorRole role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, disabled);
    return p;
}

} // namespace smtp::gui
