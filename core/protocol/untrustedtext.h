#pragma once
// The one way text from outside (a server, a client, a bounce, a paste) is shown: every
// character a screen would hide or obey instead of show (control bytes, bidi controls,
// invisible characters) becomes a visible mark, so nothing can move a cursor, clear a
// screen, set a title, make a link or reorder text. The exact text stays in the values.

#include "reply.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace smtp {

enum class LineBreaks {
    Keep,   // LF stays a line break (multi-line replies, a bounce's prose)
    Mark,   // LF too becomes a mark (a single cell, a single line)
};

// The text with hidden characters replaced by marks such as "⟨ESC⟩", "⟨RLO⟩" or
// "⟨U+200B⟩"; tab is kept. Text with nothing hidden comes back unchanged.
QString visibleText(QStringView text, LineBreaks lineBreaks = LineBreaks::Keep);

// Which kinds of hidden character the text holds (NulByte, ControlCharacter,
// BidiControl, InvisibleCharacter), each once, in that order. LF, CR and tab do not count.
QList<Violation> hiddenCharacters(QStringView text);

// JSON as QJsonDocument writes it, with bidi, invisible and C1 characters written as
// \uXXXX escapes: the same values when parsed, harmless when printed.
QByteArray escapeHiddenInJson(const QByteArray &json);

// One JSON string, quoted, with the same escapes: for output that writes its JSON lines
// piece by piece (explain --json's per-reply text).
QString jsonString(QStringView text);

} // namespace smtp
