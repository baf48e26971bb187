#pragma once

#include "Result.h"

#include <QCoreApplication>
#include <QHash>
#include <QPointer>
#include <QString>

class QLabel;
class QWidget;

namespace gpudeck {

// Turns a core Error into text for people: inline in a dialog next to the offending field, or as the
// text of a message box. The one place where the GUI words errors, as api/ErrorMapping.cpp is for HTTP.
class FormErrors
{
    Q_DECLARE_TR_FUNCTIONS(FormErrors)
public:
    explicit FormErrors(QLabel *label);

    // `field` is the core's field name (Error::field, e.g. "hostname").
    void addField(const QString &field, QWidget *widget);
    // Shows `error` in the label, marks and focuses its field.
    void show(const Error &error);
    void clear();

    static QString text(const Error &error);

private:
    QLabel *m_label;
    QHash<QString, QWidget *> m_fields;
    QPointer<QWidget> m_marked;
};

} // namespace gpudeck
