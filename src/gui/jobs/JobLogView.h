#pragma once

#include <QPlainTextEdit>
#include <memory>

namespace gpudeck {

class Core;
class JobLogFollow;

// The selected job's log, of its latest attempt or an earlier one: the last 200 lines, then, while that attempt
// runs, every new line as it is written (JobSupervisor::followLog, the same door the API's follow uses). Following
// stops when another job or attempt is shown or the attempt ends; then the tail is read once more so the last lines
// are not lost. Plain text, capped in lines.
class JobLogView : public QPlainTextEdit
{
    Q_OBJECT
public:
    static constexpr int TailLines = 200;
    static constexpr int MaxLines = 5000;

    explicit JobLogView(Core &core, QWidget *parent = nullptr);
    ~JobLogView() override;

    // Shows attempt `attempt` (0: the latest) of job `id` (0: none). Showing what is shown only looks at its state
    // again.
    void showJob(qint64 id, int attempt = 0);
    qint64 jobId() const { return m_jobId; }
    int attempt() const { return m_attempt; }
    bool isFollowing() const { return m_follow != nullptr; }

private:
    void refresh();
    void follow(int attempt);
    void stopFollowing();
    void readTail(int attempt);
    void appendChunk(quint64 generation, const QByteArray &chunk);

    Core &m_core;
    qint64 m_jobId = 0;
    int m_attempt = 0;        // as asked (0: the latest)
    QString m_shownState;     // "<attempt>/<status>" last acted on
    quint64 m_generation = 0; // bumped whenever what is shown changes: late output of an old follow is dropped
    std::shared_ptr<JobLogFollow> m_follow;
    QByteArray m_partial; // an unfinished last line
};

} // namespace gpudeck
