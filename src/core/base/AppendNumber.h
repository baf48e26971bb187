#pragma once

#include <QByteArray>
#include <charconv>

namespace gpudeck {

// Appends `value` in decimal, the digits QByteArray::number() gives, without a QByteArray of its own: for the paths
// that write a number per field or per answer (rows to JSON, GPU history, HTTP heads).
inline void appendInteger(QByteArray &out, qint64 value)
{
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
    out.append(digits, end - digits);
}

} // namespace gpudeck
