#pragma once

#include <QString>
#include <functional>

class QWidget;

namespace gpudeck {

// Asks before a destructive action. Cancel is the default, so a stray Enter deletes nothing.
class Confirm
{
public:
    static bool ask(QWidget *parent, const QString &title, const QString &text, const QString &acceptLabel);

    // The same question as a replaceable function: widgets that ask hold one (Confirm::ask by default), so a
    // test can answer for the user without a nested event loop.
    using Question =
        std::function<bool(QWidget *parent, const QString &title, const QString &text, const QString &acceptLabel)>;
    static Question standard() { return &Confirm::ask; }

    // The stronger question, for what cannot be undone: the user has to type `phrase` (e.g. the pod's name) before
    // the accept button works (TypedConfirmDialog).
    static bool askTyped(QWidget *parent, const QString &title, const QString &text, const QString &acceptLabel,
                         const QString &phrase);
    using TypedQuestion = std::function<bool(QWidget *parent, const QString &title, const QString &text,
                                             const QString &acceptLabel, const QString &phrase)>;
    static TypedQuestion standardTyped() { return &Confirm::askTyped; }
};

} // namespace gpudeck
