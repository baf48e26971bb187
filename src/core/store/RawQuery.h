#pragma once

#include <QByteArray>
#include <QString>
#include <QVariant>

struct sqlite3_stmt;

namespace gpudeck {

class Database;

// One of this thread's prepared statements in SQLite's own API (Database::rawStatement), for the paths that read or
// write a row per request (an API action's read-modify-write, its audit entry; RowJson's rows to bytes). Bound and
// stepped without what the QSQLITE driver builds on every exec: a QSqlRecord with each column's name and declared
// type, a cached copy of the row, a placeholder name per bound value (decision 142). value() gives exactly the
// QVariant the driver gives for a column, so a fromRow() written for QSqlQuery reads a RawQuery unchanged.
//
// Reset (its read ended, its bindings cleared) when it goes out of scope: a statement left stepping would hold its
// read snapshot open. On this thread only, like every connection here; finish with one before making another of the
// same SQL.
class RawQuery
{
public:
    RawQuery(Database &db, const QByteArray &sql);
    ~RawQuery();
    RawQuery(const RawQuery &) = delete;
    RawQuery &operator=(const RawQuery &) = delete;

    // False when the statement could not be prepared; error() says why.
    bool isValid() const { return m_st != nullptr; }

    // Binds `values` to the statement's parameters in order, as the driver binds them: integers and booleans as
    // integers, doubles as reals, bytes as a blob, an invalid QVariant or a null string as NULL, anything else as
    // its text (UTF-8). False on an error.
    bool bind(const QVariantList &values);

    // Steps to the next row: true with a row; false at the end or on an error (then error() is not empty).
    bool next();
    // Runs a statement that returns no rows. False on an error.
    bool exec();

    // The current row's column as the QSQLITE driver gives it.
    QVariant value(int column) const { return columnValue(m_st, column); }
    static QVariant columnValue(sqlite3_stmt *st, int column);

    // Rows the last exec() changed; the row id the last INSERT made.
    int rowsAffected() const;
    qint64 lastInsertId() const;

    QString error() const { return m_error; }
    sqlite3_stmt *handle() const { return m_st; }

private:
    void fail();

    sqlite3_stmt *m_st = nullptr;
    QString m_error;
};

} // namespace gpudeck
