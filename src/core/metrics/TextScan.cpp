#include "metrics/TextScan.h"

namespace gpudeck::textscan {

QList<QStringView> words(QStringView text)
{
    QList<QStringView> out;
    qsizetype i = 0;
    const qsizetype n = text.size();
    while (i < n) {
        while (i < n && (text[i] == u' ' || text[i] == u'\t')) {
            ++i;
        }
        const qsizetype start = i;
        while (i < n && text[i] != u' ' && text[i] != u'\t') {
            ++i;
        }
        if (i > start) {
            out.append(text.sliced(start, i - start));
        }
    }
    return out;
}

bool intFrom(QStringView s, int *out)
{
    bool ok = false;
    const int v = s.trimmed().toInt(&ok);
    if (!ok) {
        return false;
    }
    *out = v;
    return true;
}

bool pstateValid(QStringView s)
{
    if (s.size() < 2 || s.size() > 3 || s[0] != u'P') {
        return false;
    }
    for (qsizetype i = 1; i < s.size(); ++i) {
        if (!s[i].isDigit() || s[i].unicode() > 0x7f) {
            return false;
        }
    }
    return true;
}

QStringView withoutUnit(QStringView name)
{
    name = name.trimmed();
    const qsizetype bracket = name.indexOf(u'[');
    if (bracket > 0 && name.endsWith(u']')) {
        name = name.first(bracket).trimmed();
    }
    return name;
}

} // namespace gpudeck::textscan
