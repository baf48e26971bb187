#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QSet>
#include <QString>

namespace gpudeck {

// Writes the Prometheus text exposition format, version 0.0.4: per metric family one `# HELP` and one `# TYPE`
// line, then its samples, together (samples may be added in any order; families come out in the order they were
// declared). Label values are escaped (\\, \", \n), HELP text too (\\, \n). A series (name + labels) added twice
// is kept once, the first value: a scrape with duplicate series is rejected by Prometheus as a whole.
class PrometheusText
{
public:
    using Labels = QList<QPair<QByteArray, QString>>; // name (a valid label name), value (any UTF-8 text)

    static constexpr const char *kContentType = "text/plain; version=0.0.4; charset=utf-8";

    // Declares a family; `type` is gauge, counter or untyped. Declaring it again changes nothing.
    void family(const QByteArray &name, const QByteArray &type, const QString &help);
    // Adds a sample of a declared family. False (and nothing added) for an undeclared family or a duplicate series.
    bool sample(const QByteArray &name, const Labels &labels, double value);
    // The same with the labels already rendered by labelBlock(): for one label set used by many families.
    bool sampleRendered(const QByteArray &name, const QByteArray &labelBlock, double value);
    // `{a="x",b="y"}` (escaped), or empty for no labels.
    static QByteArray labelBlock(const Labels &labels);

    QByteArray text() const;
    int duplicates() const { return m_duplicates; }

    static QByteArray escapeLabelValue(const QString &value);
    static QByteArray escapeHelp(const QString &help);
    // Shortest text that reads back as the same double; NaN, +Inf, -Inf as Prometheus spells them.
    static QByteArray formatValue(double value);
    static bool isValidMetricName(const QByteArray &name);
    static bool isValidLabelName(const QByteArray &name);

private:
    struct Family
    {
        QByteArray name;
        QByteArray head; // HELP and TYPE lines
        QByteArray samples;
    };
    QList<Family> m_families;
    QSet<QByteArray> m_series;
    int m_duplicates = 0;
};

} // namespace gpudeck
