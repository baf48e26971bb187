#pragma once

#include "Result.h"

#include <QJsonValue>
#include <QString>

namespace gpudeck {

// Ids as clients send them. An id is a positive integer; it may come as a JSON number (3) or as a numeric
// string ("3"), which is how the original API's examples and many clients send ids. The one place that decides
// what counts as an id, for body fields (project_id, connection_id...), query filters and paths alike.
//
// parseId: the id, or a Validation error on `field` that says what was wrong (not a number, zero, negative,
// fractional, too large) and what an id looks like.
Result<qint64> parseId(const QJsonValue &value, const QString &field);
Result<qint64> parseId(const QString &text, const QString &field);

// Whether `text` is written as an integer (optionally signed, surrounding spaces allowed): such a text is meant
// as an id, never as a name (connection names cannot be numbers), so "0" or "-2" is a bad id, not a missing name.
bool looksNumeric(const QString &text);

} // namespace gpudeck
