#pragma once

#include <QPlainTextEdit>

#include <memory>

namespace gpudeck {

class Core;
class ExecCancel;

// The selected job's log: the last 200 lines, then, while the job runs, every new line as it is written
// (a follow command streamed over the job's connection). Following stops when another job is shown or the
// job ends; then the tail is read once more so the last lines are not lost. Plain text, capped in lines.
class JobLogView : public QPlainTextEdit
{
    Q_OBJECT
public:
    static constexpr int TailLines = 200;
    static constexpr int MaxLines = 5000;

    explicit JobLogView(Core &core, QWidget *parent = nullptr);
    ~JobLogView() override;

    // Shows job `id` (0: none). Showing the job already shown only looks at its state again.
    void showJob(qint64 id);
    qint64 jobId() const { return m_jobId; }
    bool isFollowing() const { return m_cancel != nullptr; }

private:
    void refresh();
    void follow();
    void stopFollowing();
    void readTail();
    void appendChunk(quint64 generation, const QByteArray &chunk);

    Core &m_core;
    qint64 m_jobId = 0;
    QString m_status;
    quint64 m_generation = 0; // bumped whenever what is shown changes: late output of an old follow is dropped
    std::shared_ptr<ExecCancel> m_cancel;
    QByteArray m_partial; // an unfinished last line
};

} // namespace gpudeck
