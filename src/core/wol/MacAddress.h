#pragma once

#include <QByteArray>
#include <QString>
#include <optional>

namespace gpudeck {

// A 6-byte hardware address as people write it. Accepted notations (hex digits in either case, surrounding blanks
// ignored): 00:11:22:33:44:55 (colons), 00-11-22-33-44-55 (dashes, Windows), 0011.2233.4455 (dotted, Cisco) and
// 001122334455 (bare). Mixed separators (00:11-22:...) are refused. Stored and shown in one form, lower-case with
// colons (00:11:22:33:44:55), whatever was typed. A SecureOn password is written the same way.
class MacAddress
{
public:
    // The six bytes, or nothing when `text` is none of the notations above.
    static std::optional<QByteArray> parse(const QString &text);
    // Lower-case colon form of six bytes.
    static QString format(const QByteArray &bytes);
    // The stored form of `text`: lower-case colon form when it parses, else `text` trimmed (validation then says
    // what is wrong), so a normalisation never hides a typo.
    static QString canonical(const QString &text);
    // The message for a text that does not parse, naming the notations.
    static QString notationsHint();
};

} // namespace gpudeck
