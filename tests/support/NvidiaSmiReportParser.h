#pragma once

// nvidia-smi's other output formats, read only by the tests. GPU Deck itself runs only the
// `--query-gpu ... --format=csv,noheader,nounits -lms` stream and `--query-compute-apps` (NvidiaSmiParser in the
// core). These readers exist so the tests can cross-check that reading against the same GPU's other reports in
// the recordings (tests/fixtures/nvidia-smi): the readings of `-q -x`, `-q`, the plain table and dmon must agree
// with the CSV's, `-L` must list the same uuid, and `--help-query-gpu` must know every field GPU Deck asks for.
// Like the core's parsers they never throw or crash on bad input (tst_nvidia_smi_fuzz feeds them garbage).

#include "Result.h"
#include "metrics/GpuSample.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace gpudeck::test {

// `nvidia-smi -L`: GPU 0: NVIDIA H100 80GB HBM3 (UUID: GPU-...)
struct GpuListEntry
{
    int index = -1;
    QString name;
    QString uuid;
};

// One `nvidia-smi dmon` row.
struct DmonSample
{
    int index = -1;
    double powerW = kNoValue;
    double gpuTemperatureC = kNoValue;
    double memoryTemperatureC = kNoValue;
    double smPercent = kNoValue;
    double memPercent = kNoValue;
    double memoryClockMHz = kNoValue;
    double smClockMHz = kNoValue;
};

class NvidiaSmiReportParser
{
public:
    // A whole `--format=csv` output WITH its header line (units or not); the header decides the columns,
    // renamed headers included. Malformed data lines are skipped and counted. An error when there is no
    // header (empty text, or a first line that names no "index" column).
    // Every `malformed` out-parameter is set to the number of lines skipped (not added to).
    static Result<QList<GpuSample>> parseQueryCsv(const QString &text, int *malformed = nullptr);

    // `nvidia-smi -q -x`: every <gpu> with its readings and <processes>.
    static Result<QList<GpuSample>> parseXml(const QString &xml, QList<GpuProcess> *processes = nullptr);

    // `nvidia-smi -q` (plain text): the same readings as the XML, from "Key : Value" lines.
    static Result<QList<GpuSample>> parseQueryText(const QString &text);
    // The same, also collecting the "Processes" sections.
    static Result<QList<GpuSample>> parseQueryText(const QString &text, QList<GpuProcess> *processes);

    // The plain `nvidia-smi` table: GPU rows (index, name, temperature, pstate, power, memory, util) and the
    // process table.
    static Result<QList<GpuSample>> parseTable(const QString &text, QList<GpuProcess> *processes = nullptr);

    // `nvidia-smi -L`
    static QList<GpuListEntry> parseList(const QString &text);

    // `nvidia-smi dmon` (the two # header lines name the columns)
    static QList<DmonSample> parseDmon(const QString &text, int *malformed = nullptr);

    // `nvidia-smi --help-query-gpu`: every valid field name, aliases included ("name" and "gpu_name").
    static QStringList parseHelpQueryGpu(const QString &text);
};

} // namespace gpudeck::test
