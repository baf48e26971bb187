#pragma once

#include "Result.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>
#include <vector>

struct sqlite3_stmt;

namespace gpudeck {

class Database;

// Rows to response bytes (docs/architecture.md "Rows to bytes"): the list and get routes read SQLite's own row
// (sqlite3_column_*) and append each field's JSON to the answer, with no QVariant, struct or QJsonObject per field.
// What each field holds and how it is written comes from one table per entity (RowTables.h), the same table the
// OpenAPI test checks against docs/openapi.yaml. The bytes are exactly what the entity's toJson() in a
// QJsonDocument::Compact gave (keys sorted as QJsonObject sorts them, its escapes and number format); tst_api_rows_json
// proves it against the old path.

// How a stored column becomes a JSON value: each kind is what the entity's fromRow() and toJson() made of it, so the
// fallback for a value that is not stored the usual way (a time without milliseconds, a text column holding a
// number) is that very conversion.
enum class FieldKind {
    Integer,             // toLongLong(): a number
    Int32,               // toInt(): a number
    IdOrNull,            // toLongLong() when > 0, else null
    Int32OrNull,         // SQL NULL: null, else toInt()
    Int32OrNullBelow0,   // SQL NULL or a negative toInt(): null (a GPU index; none: the host)
    PositiveInt32OrNull, // toInt() when > 0, else null
    Double,              // toDouble(): a number (QJsonDocument's shortest form)
    Bool,                // QVariant::toBool()
    IntFlag,             // toInt() != 0
    Text,                // toString(): always a string
    TextOrNull,          // an empty text is null
    Time,                // an ISO 8601 UTC time with milliseconds; "" when the column holds no time
    TimeOrNull,          // the same, null when the column holds no time
    NotTime,             // true when the column holds no time (an alert is active while ended_at is none)
    JsonObject,          // stored compact JSON: the object ({} when the text is not one)
    JsonObjectOrNull,    // the same, null for {}
    JsonStringArray,     // a stored JSON array: each item's toString()
    CsvStringArray,      // comma-separated text: the non-empty parts
    MacOrNull,           // a MAC address in its one spelling (MacAddress::canonical), null when empty
    AttemptStatus,       // a job attempt's status: "live" while `column2` (ended_at) holds no time
};

struct RowField
{
    const char *key;    // the JSON key
    const char *column; // the SQL expression it is read from
    FieldKind kind;
    const char *column2 = nullptr; // a second column the kind reads (AttemptStatus: ended_at)
};

// One entity as the API answers it: the table (or join) its rows come from and its fields. The fields are listed in
// any order; the answer's key order is QJsonObject's (sorted by key), which RowTable works out once.
class RowTable
{
public:
    RowTable(const char *name, const char *from, std::vector<RowField> fields);

    const char *name() const { return m_name; }
    const std::vector<RowField> &fields() const { return m_fields; }
    QStringList keys() const; // in answer order
    // "SELECT <columns> FROM <from> " with `tail` (WHERE, ORDER BY, LIMIT) appended.
    QByteArray select(const QByteArray &tail) const;

private:
    friend class RowJson;
    struct Column
    {
        int index;  // the field's first column in the SELECT
        int index2; // its second (column2), or -1
    };
    const char *m_name;
    const char *m_from;
    std::vector<RowField> m_fields; // sorted by key
    std::vector<Column> m_columns;  // parallel to m_fields
    QByteArray m_selectColumns;
    std::vector<QByteArray> m_keyPrefix; // `"key":` as written, with the comma before all but the first
};

// A key written among a row's own keys at its sorted place, with JSON already made (a project's "jobs").
struct ExtraField
{
    QByteArray key;
    QByteArray json;
};

class RowJson
{
public:
    // The rows of `table.select(tail)` with `binds` (qint64/int or QString values, in order) as a JSON array.
    static Result<QByteArray> list(Database &db, const RowTable &table, const QByteArray &tail,
                                   const QVariantList &binds);
    // The first row as a JSON object; `notFound` when there is none.
    static Result<QByteArray> object(Database &db, const RowTable &table, const QByteArray &tail,
                                     const QVariantList &binds, const Error &notFound,
                                     const QList<ExtraField> &extra = {});

    // The JSON string of UTF-8 `text` as QJsonDocument writes a QString, appended to `out`.
    static void appendString(QByteArray &out, QByteArrayView text);
    // The JSON of one number as QJsonDocument writes a double.
    static void appendDouble(QByteArray &out, double value);

private:
    static void appendRow(QByteArray &out, sqlite3_stmt *statement, const RowTable &table,
                          const QList<ExtraField> &extra);
};

} // namespace gpudeck
