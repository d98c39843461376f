#pragma once
// Light and dark: the desktop's choice by default (the freedesktop portal's colour-scheme,
// read on the session bus, or a dark palette the platform already gives), or the user's
// own (View > Colours), kept across runs. The colours the window draws with come from here.

#include <QColor>
#include <QObject>
#include <QPalette>

class QDBusVariant;

namespace smtp::gui {

enum class ColourScheme { FollowDesktop, Light, Dark };

class Theme : public QObject
{
    Q_OBJECT
public:
    // The application's one theme; created on first use, after the QApplication.
    static Theme *instance();

    ColourScheme scheme() const { return m_scheme; }
    void setScheme(ColourScheme scheme);   // applies it and keeps it in the settings
    bool isDark() const;                   // what is shown now

    // A reply class's colour (2-5; anything else: a protocol problem), readable on the
    // palette's base in light and in dark.
    static QColor replyClass(int klass);
    static QPalette darkPalette();

signals:
    void changed();

private slots:
    // The portal's SettingChanged: the desktop switched between light and dark.
    void onPortalSetting(const QString &group, const QString &key, const QDBusVariant &value);

private:
    Theme();
    void apply();
    bool desktopPrefersDark() const;
    ColourScheme m_scheme = ColourScheme::FollowDesktop;
    QPalette m_desktopPalette;   // as the platform gave it, before any change of ours
    int m_portalScheme = -1;     // 0 no preference, 1 dark, 2 light; -1 no portal
};

} // namespace smtp::gui
