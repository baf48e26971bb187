#pragma once

#include "metrics/GpuSample.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>

namespace gpudeck {

// The latest of everything known about one host's GPUs: what GET /api/dgx/metrics/:id answers and the
// GPUs pane shows. A copy, safe to hand between threads.
struct HostMetrics
{
    qint64 connectionId = 0;
    QString name;
    // offline (not connected), starting, ok, no_nvidia_smi, no_gpu, stream_error (restarting), paused
    QString state = QStringLiteral("offline");
    QString detail; // why, in words, when not ok
    QDateTime updatedAt;
    QList<GpuSample> gpus;
    QList<GpuProcess> processes;
    HostMemory memory;
    LoadAverage load;
    int malformedLines = 0;
    int streamRestarts = 0;

    QJsonObject toJson() const;
};

} // namespace gpudeck

Q_DECLARE_METATYPE(gpudeck::HostMetrics)
