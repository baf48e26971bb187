#include "store/RowJson.h"

#include "base/AppendNumber.h"
#include "store/Database.h"
#include "store/Entities.h"
#include "store/RawQuery.h"
#include "wol/MacAddress.h"

#include <QDate>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>
#include <charconv>
#include <cstring>
#include <sqlite3.h>

namespace gpudeck {
namespace {

// ---- Strings

// The escape QJsonDocument writes for a character below U+0020 other than \b \f \n \r \t: \u00XX, lower-case hex.
constexpr char kHex[] = "0123456789abcdef";

bool isContinuation(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

// The length of the well-formed UTF-8 sequence at `p` that comes back as the same text through the way Qt's SQLite
// driver reads text (sqlite3_column_text16, whose decoder turns surrogates and U+FFFE/U+FFFF into U+FFFD), or 0 for
// anything else. Those other bytes are read the driver's way instead (see appendColumnText).
int safeSequence(const unsigned char *p, const unsigned char *end)
{
    const unsigned char c = p[0];
    const qsizetype left = end - p;
    if (c >= 0xC2 && c <= 0xDF) {
        return left >= 2 && isContinuation(p[1]) ? 2 : 0;
    }
    if (c >= 0xE0 && c <= 0xEF) {
        if (left < 3 || !isContinuation(p[1]) || !isContinuation(p[2])) {
            return 0;
        }
        if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] >= 0xA0)) {
            return 0; // overlong, or a surrogate
        }
        if (c == 0xEF && p[1] == 0xBF && p[2] >= 0xBE) {
            return 0; // U+FFFE, U+FFFF
        }
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (left < 4 || !isContinuation(p[1]) || !isContinuation(p[2]) || !isContinuation(p[3])) {
            return 0;
        }
        if ((c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] >= 0x90)) {
            return 0;
        }
        return 4;
    }
    return 0;
}

// Appends `"text"` escaped as QJsonDocument escapes a QString; false (and `out` unchanged) when `text` holds a byte
// sequence that is not safe as it is (safeSequence).
bool appendSafeString(QByteArray &out, const char *data, qsizetype size)
{
    const qsizetype start = out.size();
    const auto *p = reinterpret_cast<const unsigned char *>(data);
    const auto *end = p + size;
    out.reserve(start + size + 2);
    out.append('"');
    const auto *run = p; // bytes copied as they are, appended in one go
    while (p < end) {
        const unsigned char c = *p;
        if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
            ++p;
            continue;
        }
        if (c >= 0x80) {
            const int n = safeSequence(p, end);
            if (n == 0) {
                out.truncate(start);
                return false;
            }
            p += n;
            continue;
        }
        out.append(reinterpret_cast<const char *>(run), p - run);
        char escape[6] = {'\\', 0, 0, 0, 0, 0};
        int length = 2;
        switch (c) {
        case '"':
            escape[1] = '"';
            break;
        case '\\':
            escape[1] = '\\';
            break;
        case '\b':
            escape[1] = 'b';
            break;
        case '\f':
            escape[1] = 'f';
            break;
        case '\n':
            escape[1] = 'n';
            break;
        case '\r':
            escape[1] = 'r';
            break;
        case '\t':
            escape[1] = 't';
            break;
        default:
            escape[1] = 'u';
            escape[2] = '0';
            escape[3] = '0';
            escape[4] = kHex[c >> 4];
            escape[5] = kHex[c & 0xF];
            length = 6;
        }
        out.append(escape, length);
        ++p;
        run = p;
    }
    out.append(reinterpret_cast<const char *>(run), p - run);
    out.append('"');
    return true;
}

// Exactly QJsonDocument's string: rare texts only (surrogates, malformed UTF-8, numbers in text columns).
void appendQtString(QByteArray &out, const QString &text)
{
    const QByteArray array = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    out.append(array.constData() + 1, array.size() - 2);
}

// ---- Columns

QByteArrayView columnText(sqlite3_stmt *st, int i)
{
    const auto *text = reinterpret_cast<const char *>(sqlite3_column_text(st, i));
    return QByteArrayView(text, sqlite3_column_bytes(st, i));
}

// A text column as a JSON string: its bytes when safe, else read as the driver reads it.
void appendColumnText(QByteArray &out, sqlite3_stmt *st, int i)
{
    const int type = sqlite3_column_type(st, i);
    if (type == SQLITE_NULL) {
        out.append("\"\"", 2);
        return;
    }
    if (type == SQLITE_TEXT) {
        const QByteArrayView text = columnText(st, i);
        if (appendSafeString(out, text.data(), text.size())) {
            return;
        }
    }
    appendQtString(out, RawQuery::columnValue(st, i).toString());
}

bool isDigits(const char *p, int n)
{
    for (int k = 0; k < n; ++k) {
        if (p[k] < '0' || p[k] > '9') {
            return false;
        }
    }
    return true;
}

int number(const char *p, int n)
{
    int v = 0;
    for (int k = 0; k < n; ++k) {
        v = v * 10 + (p[k] - '0');
    }
    return v;
}

// True when `text` is a time exactly as isoUtc() writes it (2026-11-22T20:24:06.123Z) and a valid one, so that
// parsing and writing it again gives the same bytes.
bool isCanonicalTime(QByteArrayView text)
{
    if (text.size() != 24) {
        return false;
    }
    const char *p = text.data();
    if (p[4] != '-' || p[7] != '-' || p[10] != 'T' || p[13] != ':' || p[16] != ':' || p[19] != '.' || p[23] != 'Z') {
        return false;
    }
    if (!isDigits(p, 4) || !isDigits(p + 5, 2) || !isDigits(p + 8, 2) || !isDigits(p + 11, 2) || !isDigits(p + 14, 2) ||
        !isDigits(p + 17, 2) || !isDigits(p + 20, 3)) {
        return false;
    }
    const int year = number(p, 4);
    return year >= 1000 && QDate::isValid(year, number(p + 5, 2), number(p + 8, 2)) && number(p + 11, 2) < 24 &&
           number(p + 14, 2) < 60 && number(p + 17, 2) < 60;
}

// A time column: the stored text when it is canonical, else what parseIsoUtc() and isoUtc() make of it (an invalid
// time: empty). Returns whether it holds a time.
bool appendTime(QByteArray &out, sqlite3_stmt *st, int i, bool nullWhenNone)
{
    const int type = sqlite3_column_type(st, i);
    if (type == SQLITE_TEXT) {
        const QByteArrayView text = columnText(st, i);
        if (isCanonicalTime(text)) {
            out.append('"');
            out.append(text.data(), text.size());
            out.append('"');
            return true;
        }
    }
    const QDateTime t = type == SQLITE_NULL ? QDateTime() : parseIsoUtc(RawQuery::columnValue(st, i).toString());
    if (!t.isValid()) {
        if (nullWhenNone) {
            out.append("null", 4);
        } else {
            out.append("\"\"", 2);
        }
        return false;
    }
    appendQtString(out, isoUtc(t));
    return true;
}

bool holdsTime(sqlite3_stmt *st, int i)
{
    const int type = sqlite3_column_type(st, i);
    if (type == SQLITE_NULL) {
        return false;
    }
    if (type == SQLITE_TEXT && isCanonicalTime(columnText(st, i))) {
        return true;
    }
    return parseIsoUtc(RawQuery::columnValue(st, i).toString()).isValid();
}

// Stored JSON objects, as the old path wrote them (parsed, then written by QJsonDocument). The same few texts come
// back row after row (a job's config, {}): each thread keeps the last answers for short texts.
QByteArray jsonObjectBytes(sqlite3_stmt *st, int i)
{
    const int type = sqlite3_column_type(st, i);
    if (type == SQLITE_NULL) {
        return QByteArrayLiteral("{}");
    }
    const bool safeText = type == SQLITE_TEXT;
    const QByteArrayView text = safeText ? columnText(st, i) : QByteArrayView();
    if (safeText && text == "{}") {
        return QByteArrayLiteral("{}");
    }
    constexpr qsizetype kCachedUpTo = 1024;
    thread_local QHash<QByteArray, QByteArray> cache;
    const bool cacheable = safeText && text.size() <= kCachedUpTo;
    if (cacheable) {
        const auto it = cache.constFind(QByteArray::fromRawData(text.data(), text.size()));
        if (it != cache.constEnd()) {
            return *it;
        }
    }
    const QJsonObject object = QJsonDocument::fromJson(RawQuery::columnValue(st, i).toString().toUtf8()).object();
    const QByteArray json = QJsonDocument(object).toJson(QJsonDocument::Compact);
    if (cacheable) {
        if (cache.size() >= 256) {
            cache.clear();
        }
        cache.insert(text.toByteArray(), json);
    }
    return json;
}

void appendJsonStringArray(QByteArray &out, sqlite3_stmt *st, int i)
{
    const int type = sqlite3_column_type(st, i);
    if (type == SQLITE_NULL || (type == SQLITE_TEXT && columnText(st, i) == "[]")) {
        out.append("[]", 2);
        return;
    }
    QStringList items;
    for (const QJsonValue &v : QJsonDocument::fromJson(RawQuery::columnValue(st, i).toString().toUtf8()).array()) {
        items.append(v.toString());
    }
    out.append(QJsonDocument(QJsonArray::fromStringList(items)).toJson(QJsonDocument::Compact));
}

void appendCsvStringArray(QByteArray &out, sqlite3_stmt *st, int i)
{
    if (sqlite3_column_type(st, i) == SQLITE_TEXT) {
        // Split as bytes: a comma is never part of a longer UTF-8 sequence, so this is the QString split's result
        // whenever every part is safe as it is.
        const QByteArrayView text = columnText(st, i);
        const qsizetype start = out.size();
        out.append('[');
        bool first = true;
        bool safe = true;
        qsizetype from = 0;
        while (safe && from <= text.size()) {
            qsizetype comma = text.indexOf(',', from);
            if (comma < 0) {
                comma = text.size();
            }
            if (comma > from) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                safe = appendSafeString(out, text.data() + from, comma - from);
            }
            from = comma + 1;
        }
        if (safe) {
            out.append(']');
            return;
        }
        out.truncate(start);
    }
    const QStringList items = RawQuery::columnValue(st, i).toString().split(QLatin1Char(','), Qt::SkipEmptyParts);
    out.append('[');
    for (qsizetype k = 0; k < items.size(); ++k) {
        if (k > 0) {
            out.append(',');
        }
        const QByteArray utf8 = items.at(k).toUtf8();
        if (!appendSafeString(out, utf8.constData(), utf8.size())) {
            appendQtString(out, items.at(k));
        }
    }
    out.append(']');
}

// ---- Statements

Error readError(const RowTable &table, const QString &error)
{
    return Error::internal(QStringLiteral("cannot read %1: %2").arg(QLatin1String(table.name()), error));
}

} // namespace

// ---- RowTable

RowTable::RowTable(const char *name, const char *from, std::vector<RowField> fields)
    : m_name(name)
    , m_from(from)
    , m_fields(std::move(fields))
{
    // Columns in the order given; keys in the order QJsonObject keeps them (sorted).
    QList<QByteArray> columns;
    const auto columnIndex = [&](const char *column) {
        const QByteArray c(column);
        qsizetype at = columns.indexOf(c);
        if (at < 0) {
            at = columns.size();
            columns.append(c);
        }
        return int(at);
    };
    std::vector<Column> byDeclaration;
    for (const RowField &f : m_fields) {
        byDeclaration.push_back({columnIndex(f.column), f.column2 ? columnIndex(f.column2) : -1});
    }
    std::vector<size_t> order(m_fields.size());
    for (size_t k = 0; k < order.size(); ++k) {
        order[k] = k;
    }
    std::sort(order.begin(), order.end(),
              [&](size_t a, size_t b) { return std::strcmp(m_fields[a].key, m_fields[b].key) < 0; });
    std::vector<RowField> sorted;
    for (size_t k : order) {
        sorted.push_back(m_fields[k]);
        m_columns.push_back(byDeclaration[k]);
        m_keyPrefix.push_back(QByteArray("\"") + m_fields[k].key + "\":");
    }
    m_fields = std::move(sorted);
    m_selectColumns = columns.join(", ");
}

QStringList RowTable::keys() const
{
    QStringList out;
    for (const RowField &f : m_fields) {
        out.append(QLatin1String(f.key));
    }
    return out;
}

QByteArray RowTable::select(const QByteArray &tail) const
{
    return "SELECT " + m_selectColumns + " FROM " + m_from + ' ' + tail;
}

// ---- RowJson

void RowJson::appendString(QByteArray &out, QByteArrayView text)
{
    if (!appendSafeString(out, text.data(), text.size())) {
        appendQtString(out, QString::fromUtf8(text));
    }
}

void RowJson::appendDouble(QByteArray &out, double value)
{
    if (qIsFinite(value)) {
        out.append(QByteArray::number(value, 'g', QLocale::FloatingPointShortest));
    } else {
        out.append("null", 4); // as QJsonDocument writes infinities and NaN
    }
}

void RowJson::appendRow(QByteArray &out, sqlite3_stmt *st, const RowTable &table, const QList<ExtraField> &extra)
{
    out.append('{');
    bool first = true;
    qsizetype nextExtra = 0;
    const auto writeExtrasBefore = [&](const char *key) {
        while (nextExtra < extra.size() && (!key || std::strcmp(extra.at(nextExtra).key.constData(), key) < 0)) {
            if (!first) {
                out.append(',');
            }
            first = false;
            out.append('"').append(extra.at(nextExtra).key).append("\":").append(extra.at(nextExtra).json);
            ++nextExtra;
        }
    };
    for (size_t k = 0; k < table.m_fields.size(); ++k) {
        const RowField &f = table.m_fields[k];
        writeExtrasBefore(f.key);
        if (!first) {
            out.append(',');
        }
        first = false;
        out.append(table.m_keyPrefix[k]);
        const int i = table.m_columns[k].index;
        const int type = sqlite3_column_type(st, i);
        switch (f.kind) {
        case FieldKind::Integer:
            appendInteger(out, type == SQLITE_INTEGER ? sqlite3_column_int64(st, i)
                                                      : qint64(RawQuery::columnValue(st, i).toLongLong()));
            break;
        case FieldKind::Int32:
        case FieldKind::Int32OrNull:
        case FieldKind::Int32OrNullBelow0:
        case FieldKind::PositiveInt32OrNull: {
            if ((f.kind == FieldKind::Int32OrNull || f.kind == FieldKind::Int32OrNullBelow0) && type == SQLITE_NULL) {
                out.append("null", 4);
                break;
            }
            const qint64 wide = type == SQLITE_INTEGER ? sqlite3_column_int64(st, i) : 0;
            const int value =
                type == SQLITE_INTEGER && wide == qint64(int(wide)) ? int(wide) : RawQuery::columnValue(st, i).toInt();
            if ((f.kind == FieldKind::Int32OrNullBelow0 && value < 0) ||
                (f.kind == FieldKind::PositiveInt32OrNull && value <= 0)) {
                out.append("null", 4);
            } else {
                appendInteger(out, value);
            }
            break;
        }
        case FieldKind::IdOrNull: {
            const qint64 value = type == SQLITE_INTEGER ? sqlite3_column_int64(st, i)
                                                        : qint64(RawQuery::columnValue(st, i).toLongLong());
            if (value > 0) {
                appendInteger(out, value);
            } else {
                out.append("null", 4);
            }
            break;
        }
        case FieldKind::Double:
            appendDouble(out, type == SQLITE_FLOAT || type == SQLITE_INTEGER ? sqlite3_column_double(st, i)
                                                                             : RawQuery::columnValue(st, i).toDouble());
            break;
        case FieldKind::Bool:
        case FieldKind::IntFlag: {
            bool value = false;
            if (type == SQLITE_INTEGER && f.kind == FieldKind::Bool) {
                value = sqlite3_column_int64(st, i) != 0;
            } else if (type != SQLITE_NULL) {
                const QVariant v = RawQuery::columnValue(st, i);
                value = f.kind == FieldKind::Bool ? v.toBool() : v.toInt() != 0;
            }
            if (value) {
                out.append("true", 4);
            } else {
                out.append("false", 5);
            }
            break;
        }
        case FieldKind::Text:
            appendColumnText(out, st, i);
            break;
        case FieldKind::TextOrNull:
            if (type == SQLITE_NULL || (type == SQLITE_TEXT && sqlite3_column_bytes(st, i) == 0)) {
                out.append("null", 4);
            } else {
                appendColumnText(out, st, i);
            }
            break;
        case FieldKind::Time:
            appendTime(out, st, i, false);
            break;
        case FieldKind::TimeOrNull:
            appendTime(out, st, i, true);
            break;
        case FieldKind::NotTime:
            if (holdsTime(st, i)) {
                out.append("false", 5);
            } else {
                out.append("true", 4);
            }
            break;
        case FieldKind::JsonObject:
            out.append(jsonObjectBytes(st, i));
            break;
        case FieldKind::JsonObjectOrNull: {
            const QByteArray json = jsonObjectBytes(st, i);
            out.append(json == "{}" ? QByteArrayView("null") : QByteArrayView(json));
            break;
        }
        case FieldKind::JsonStringArray:
            appendJsonStringArray(out, st, i);
            break;
        case FieldKind::CsvStringArray:
            appendCsvStringArray(out, st, i);
            break;
        case FieldKind::MacOrNull: {
            const QString mac =
                type == SQLITE_NULL ? QString() : MacAddress::canonical(RawQuery::columnValue(st, i).toString());
            if (mac.isEmpty()) {
                out.append("null", 4);
            } else {
                appendQtString(out, mac);
            }
            break;
        }
        case FieldKind::AttemptStatus:
            if (!holdsTime(st, table.m_columns[k].index2)) {
                out.append("\"live\"", 6);
            } else {
                appendColumnText(out, st, i);
            }
            break;
        }
    }
    writeExtrasBefore(nullptr);
    out.append('}');
}

Result<QByteArray> RowJson::list(Database &db, const RowTable &table, const QByteArray &tail, const QVariantList &binds)
{
    RawQuery q(db, table.select(tail));
    if (!q.bind(binds)) {
        return readError(table, q.error());
    }
    QByteArray out;
    // Reserved at the size of this thread's last answer from the table, so that it is not grown (and copied) step
    // by step: a list of 1,000 jobs is about 430 KB.
    thread_local QHash<const RowTable *, qsizetype> lastSize;
    const qsizetype last = lastSize.value(&table);
    out.reserve(qMax<qsizetype>(4096, last + last / 8));
    out.append('[');
    bool first = true;
    while (q.next()) {
        if (!first) {
            out.append(',');
        }
        first = false;
        appendRow(out, q.handle(), table, {});
    }
    if (!q.error().isEmpty()) {
        return readError(table, q.error());
    }
    out.append(']');
    lastSize.insert(&table, out.size());
    return out;
}

Result<QByteArray> RowJson::object(Database &db, const RowTable &table, const QByteArray &tail,
                                   const QVariantList &binds, const Error &notFound, const QList<ExtraField> &extra)
{
    RawQuery q(db, table.select(tail));
    if (!q.bind(binds)) {
        return readError(table, q.error());
    }
    if (!q.next()) {
        return q.error().isEmpty() ? notFound : readError(table, q.error());
    }
    QByteArray out;
    out.reserve(1024);
    appendRow(out, q.handle(), table, extra);
    return out;
}

} // namespace gpudeck
