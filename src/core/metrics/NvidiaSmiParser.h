#pragma once

// The nvidia-smi output GPU Deck runs: the `--query-gpu ... --format=csv,noheader,nounits -lms` stream the
// collector reads line by line, and `--query-compute-apps`. Written against real recorded output
// (tests/fixtures/nvidia-smi): [N/A] / [Not Supported] / [Unknown Error] fields become NaN, values are read with
// or without units ("98 %", "20085 MiB", "692.61 W"), renamed headers (clocks_throttle_reasons.active comes back
// as clocks_event_reasons.active, clocks.sm as clocks.current.sm [MHz]) are recognised, process names may
// contain spaces and commas. No parser ever throws or crashes on bad input: a malformed line is counted and
// skipped (see `malformed`), never guessed at. /proc is read by ProcParser; nvidia-smi's other output formats
// (-q, -q -x, the table, -L, dmon, --help-query-gpu, csv with a header) are read only by the tests, to
// cross-check this reading against the same GPU's other reports (tests/support/NvidiaSmiReportParser).

#include "metrics/GpuSample.h"

#include <QStringList>
#include <optional>

namespace gpudeck {

class NvidiaSmiParser
{
public:
    // The --query-gpu field names GPU Deck asks for, in order (the fixture README's list).
    static const QStringList &queryFields();
    // "nvidia-smi --query-gpu=<queryFields> --format=csv,noheader,nounits -lms <intervalMs>"
    static QString loopCommand(int intervalMs);
    // "nvidia-smi --query-compute-apps=pid,process_name,used_memory,gpu_uuid --format=csv,noheader,nounits"
    static QString computeAppsCommand();

    // One line of `--format=csv,noheader[,nounits]` output for the fields `fields` (in query order).
    // nullopt when the line is malformed: wrong field count, no integer index, garbage where a number must be.
    // Leaves `time` unset (the caller knows when it received the line). Cheap: no regex, and constant text
    // fields (uuid, name, ...) share the previous line's strings instead of allocating.
    static std::optional<GpuSample> parseQueryLine(const QString &line, const QStringList &fields = queryFields());

    // `--query-compute-apps=pid,process_name,used_memory,gpu_uuid --format=csv,noheader,nounits` (empty text:
    // no processes). Commas inside process names are handled (pid is first, uuid last, memory second-last).
    static QList<GpuProcess> parseComputeApps(const QString &text, int *malformed = nullptr);

    // One value: "[N/A]", "N/A", "[Not Supported]", "[Unknown Error]", "" -> NaN; "98 %", "20085 MiB",
    // "692.61 W", "1485 MHz", "62 C", "62C" -> the number. `ok` is false for anything else (garbage), and for
    // "nan" / "inf" text or an overflow: a parsed number is always finite. Sizes come back in MiB whatever
    // their unit ("1 GiB" -> 1024, "2048 kB" -> 2; "MB" is nvidia-smi's old spelling of MiB).
    static double parseNumber(const QString &field, bool *ok = nullptr);
    // Any bracketed "[...]" status, "N/A", "Not Supported", "Unknown Error", "ERR!", "-" or an empty field.
    static bool isMissing(const QString &field);
};

// Splits a byte stream into complete lines (for a long-running `-lms` loop read chunk by chunk).
class LineBuffer
{
public:
    // Appends a chunk and returns the complete lines it finished (without '\n' / '\r\n'), decoded as UTF-8
    // only once whole, so a chunk may end anywhere, even inside a character or between '\r' and '\n'.
    QStringList append(const QByteArray &chunk);
    // The stream ended: its last line if it had no newline (an empty list when it had, or was over-long). The
    // buffer is empty after.
    QStringList finish();
    // A line longer than this without a newline is dropped (counted) rather than growing forever.
    static constexpr qsizetype kMaxLine = 64 * 1024;
    int dropped() const { return m_dropped; }

private:
    void emitLine(QByteArrayView line, QStringList &lines);

    QByteArray m_pending;
    int m_dropped = 0;
    bool m_discarding = false; // inside an over-long line: skip to its newline
};

} // namespace gpudeck
