#include "prometheus/PrometheusText.h"

#include <QLocale>
#include <cmath>

namespace gpudeck {

bool PrometheusText::isValidMetricName(const QByteArray &name)
{
    if (name.isEmpty()) {
        return false;
    }
    for (qsizetype i = 0; i < name.size(); ++i) {
        const char c = name.at(i);
        const bool ok =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || (i > 0 && c >= '0' && c <= '9');
        if (!ok) {
            return false;
        }
    }
    return true;
}

bool PrometheusText::isValidLabelName(const QByteArray &name)
{
    return isValidMetricName(name) && !name.contains(':') && !name.startsWith("__");
}

QByteArray PrometheusText::escapeLabelValue(const QString &value)
{
    const QByteArray utf8 = value.toUtf8();
    QByteArray out;
    out.reserve(utf8.size() + 2);
    for (const char c : utf8) {
        switch (c) {
        case '\\':
            out += "\\\\";
            break;
        case '"':
            out += "\\\"";
            break;
        case '\n':
            out += "\\n";
            break;
        default:
            out += c;
        }
    }
    return out;
}

QByteArray PrometheusText::escapeHelp(const QString &help)
{
    QByteArray out = help.toUtf8();
    out.replace('\\', "\\\\");
    out.replace('\n', "\\n");
    return out;
}

QByteArray PrometheusText::formatValue(double value)
{
    if (std::isnan(value)) {
        return QByteArrayLiteral("NaN");
    }
    if (std::isinf(value)) {
        return value > 0 ? QByteArrayLiteral("+Inf") : QByteArrayLiteral("-Inf");
    }
    if (value == std::trunc(value) && std::fabs(value) < 1e15) {
        return QByteArray::number(qint64(value));
    }
    return QString::number(value, 'g', QLocale::FloatingPointShortest).toLatin1();
}

void PrometheusText::family(const QByteArray &name, const QByteArray &type, const QString &help)
{
    Q_ASSERT(isValidMetricName(name));
    for (const Family &f : std::as_const(m_families)) {
        if (f.name == name) {
            return;
        }
    }
    Family f;
    f.name = name;
    f.head = "# HELP " + name + ' ' + escapeHelp(help) + "\n# TYPE " + name + ' ' + type + '\n';
    m_families.append(std::move(f));
}

QByteArray PrometheusText::labelBlock(const Labels &labels)
{
    if (labels.isEmpty()) {
        return {};
    }
    QByteArray out;
    out.reserve(32 * labels.size());
    out += '{';
    for (qsizetype i = 0; i < labels.size(); ++i) {
        Q_ASSERT(isValidLabelName(labels.at(i).first));
        if (i > 0) {
            out += ',';
        }
        out += labels.at(i).first;
        out += "=\"";
        out += escapeLabelValue(labels.at(i).second);
        out += '"';
    }
    out += '}';
    return out;
}

bool PrometheusText::sample(const QByteArray &name, const Labels &labels, double value)
{
    return sampleRendered(name, labelBlock(labels), value);
}

bool PrometheusText::sampleRendered(const QByteArray &name, const QByteArray &labelBlock, double value)
{
    Family *family = nullptr;
    for (Family &f : m_families) {
        if (f.name == name) {
            family = &f;
            break;
        }
    }
    if (!family) {
        return false;
    }
    const QByteArray series = name + labelBlock;
    if (m_series.contains(series)) {
        ++m_duplicates;
        return false;
    }
    m_series.insert(series);
    family->samples += series;
    family->samples += ' ';
    family->samples += formatValue(value);
    family->samples += '\n';
    return true;
}

QByteArray PrometheusText::text() const
{
    QByteArray out;
    for (const Family &f : m_families) {
        out += f.head;
        out += f.samples;
    }
    return out;
}

} // namespace gpudeck
