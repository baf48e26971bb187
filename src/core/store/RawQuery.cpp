#include "store/RawQuery.h"

#include "store/Database.h"

#include <sqlite3.h>

namespace gpudeck {

RawQuery::RawQuery(Database &db, const QByteArray &sql)
    : m_st(db.rawStatement(sql, &m_error))
{
}

RawQuery::~RawQuery()
{
    if (m_st) {
        sqlite3_reset(m_st);
        sqlite3_clear_bindings(m_st);
    }
}

void RawQuery::fail()
{
    m_error = QString::fromUtf8(sqlite3_errmsg(sqlite3_db_handle(m_st)));
}

bool RawQuery::bind(const QVariantList &values)
{
    if (!m_st) {
        return false;
    }
    for (qsizetype k = 0; k < values.size(); ++k) {
        const QVariant &v = values.at(k);
        const int at = int(k) + 1;
        int rc = SQLITE_OK;
        switch (v.typeId()) {
        case QMetaType::UnknownType:
            rc = sqlite3_bind_null(m_st, at);
            break;
        case QMetaType::Bool:
        case QMetaType::Int:
        case QMetaType::UInt:
        case QMetaType::LongLong:
        case QMetaType::ULongLong:
            rc = sqlite3_bind_int64(m_st, at, v.toLongLong());
            break;
        case QMetaType::Double:
            rc = sqlite3_bind_double(m_st, at, v.toDouble());
            break;
        case QMetaType::QByteArray: {
            const QByteArray bytes = v.toByteArray();
            rc = bytes.isNull() ? sqlite3_bind_null(m_st, at)
                                : sqlite3_bind_blob(m_st, at, bytes.constData(), int(bytes.size()), SQLITE_TRANSIENT);
            break;
        }
        default: {
            const QString text = v.toString();
            if (text.isNull()) {
                rc = sqlite3_bind_null(m_st, at);
            } else {
                const QByteArray utf8 = text.toUtf8();
                rc = sqlite3_bind_text(m_st, at, utf8.constData(), int(utf8.size()), SQLITE_TRANSIENT);
            }
        }
        }
        if (rc != SQLITE_OK) {
            fail();
            return false;
        }
    }
    return true;
}

bool RawQuery::next()
{
    if (!m_st) {
        return false;
    }
    const int rc = sqlite3_step(m_st);
    if (rc == SQLITE_ROW) {
        return true;
    }
    if (rc != SQLITE_DONE) {
        fail();
    }
    return false;
}

bool RawQuery::exec()
{
    if (!m_st) {
        return false;
    }
    int rc = sqlite3_step(m_st);
    while (rc == SQLITE_ROW) {
        rc = sqlite3_step(m_st);
    }
    if (rc != SQLITE_DONE) {
        fail();
        return false;
    }
    return true;
}

QVariant RawQuery::columnValue(sqlite3_stmt *st, int column)
{
    // QSQLiteResult::fetchNext's conversions.
    switch (sqlite3_column_type(st, column)) {
    case SQLITE_INTEGER:
        return QVariant(qlonglong(sqlite3_column_int64(st, column)));
    case SQLITE_FLOAT:
        return QVariant(sqlite3_column_double(st, column));
    case SQLITE_BLOB:
        return QVariant(
            QByteArray(static_cast<const char *>(sqlite3_column_blob(st, column)), sqlite3_column_bytes(st, column)));
    case SQLITE_NULL:
        return QVariant(QMetaType::fromType<QString>());
    default:
        return QVariant(QString(reinterpret_cast<const QChar *>(sqlite3_column_text16(st, column)),
                                sqlite3_column_bytes16(st, column) / qsizetype(sizeof(QChar))));
    }
}

int RawQuery::rowsAffected() const
{
    return m_st ? sqlite3_changes(sqlite3_db_handle(m_st)) : 0;
}

qint64 RawQuery::lastInsertId() const
{
    return m_st ? sqlite3_last_insert_rowid(sqlite3_db_handle(m_st)) : 0;
}

} // namespace gpudeck
