#include "jobs/JobLogView.h"

#include "FormErrors.h"
#include "app/Core.h"
#include "jobs/JobSupervisor.h"

#include <QFontDatabase>
#include <QPointer>

namespace gpudeck {

JobLogView::JobLogView(Core &core, QWidget *parent)
    : QPlainTextEdit(parent)
    , m_core(core)
{
    setObjectName(QStringLiteral("jobLogView"));
    setReadOnly(true);
    setLineWrapMode(QPlainTextEdit::NoWrap);
    setMaximumBlockCount(MaxLines);
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setPlaceholderText(tr("Select a job to see its log."));
}

JobLogView::~JobLogView()
{
    stopFollowing();
}

void JobLogView::showJob(qint64 id, int attempt)
{
    if (id != m_jobId || attempt != m_attempt) {
        stopFollowing();
        ++m_generation;
        m_jobId = id;
        m_attempt = attempt;
        m_shownState.clear();
        clear();
    }
    refresh();
}

void JobLogView::refresh()
{
    if (m_jobId == 0) {
        return;
    }
    const auto job = m_core.jobs().get(m_jobId);
    if (!job.ok()) {
        return;
    }
    if (job->command.isEmpty() && job->attempt == 0) {
        setPlaceholderText(tr("This job has no command: GPU Deck only tracks it, so there is no log."));
        return;
    }
    if (job->attempt == 0) {
        setPlaceholderText(tr("Not started yet."));
        return;
    }
    const int attempt = m_attempt > 0 ? qMin(m_attempt, job->attempt) : job->attempt;
    const bool latest = attempt == job->attempt;
    const auto row = m_core.jobs().attempt(m_jobId, attempt);
    const bool live = latest && row.ok() && row->isLive() && !Job::isFinal(job->status);
    const QString state =
        QStringLiteral("%1/%2").arg(attempt).arg(live ? QStringLiteral("live") : QStringLiteral("ended"));
    if (state == m_shownState && (isFollowing() || !live)) {
        return;
    }
    const bool wasFollowing = isFollowing();
    m_shownState = state;
    if (live) {
        setPlaceholderText(tr("Waiting for output…"));
        if (!wasFollowing) {
            follow(attempt);
        }
    } else {
        // Ended (or first shown ended): the whole tail, once.
        stopFollowing();
        readTail(attempt);
    }
}

void JobLogView::follow(int attempt)
{
    clear();
    m_partial.clear();
    const quint64 generation = ++m_generation;
    QPointer<JobLogView> self(this);
    // Both run on the jobs thread; stopFollowing() (in the destructor too) waits for one in progress and ends them,
    // so `self` is alive while they post to it.
    auto output = [self, generation](const QByteArray &chunk) {
        if (!self) {
            return;
        }
        QMetaObject::invokeMethod(
            self.data(),
            [self, generation, chunk] {
                if (self) {
                    self->appendChunk(generation, chunk);
                }
            },
            Qt::QueuedConnection);
    };
    auto finished = [self, generation](const Status &status) {
        if (!self) {
            return;
        }
        QMetaObject::invokeMethod(
            self.data(),
            [self, generation, status] {
                if (!self || generation != self->m_generation) {
                    return;
                }
                self->m_follow.reset();
                if (!status.ok()) {
                    self->setPlaceholderText(FormErrors::text(status.error()));
                }
            },
            Qt::QueuedConnection);
    };
    const auto follow = m_core.jobRunner().followLog(m_jobId, attempt, TailLines, output, finished);
    if (!follow.ok()) {
        setPlaceholderText(FormErrors::text(follow.error()));
        return;
    }
    m_follow = follow.value();
}

void JobLogView::stopFollowing()
{
    if (m_follow) {
        m_follow->stop();
        m_follow.reset();
    }
}

void JobLogView::readTail(int attempt)
{
    const quint64 generation = ++m_generation;
    m_core.jobRunner().tailLog(m_jobId, TailLines, attempt).then(this, [this, generation](const Result<QString> &tail) {
        if (generation != m_generation) {
            return;
        }
        if (!tail.ok()) {
            setPlaceholderText(FormErrors::text(tail.error()));
            return;
        }
        QString text = tail.value();
        if (text.endsWith(QLatin1Char('\n'))) {
            text.chop(1);
        }
        setPlainText(text);
        moveCursor(QTextCursor::End);
    });
}

void JobLogView::appendChunk(quint64 generation, const QByteArray &chunk)
{
    if (generation != m_generation) {
        return;
    }
    m_partial.append(chunk);
    const qsizetype end = m_partial.lastIndexOf('\n');
    if (end < 0) {
        return;
    }
    const QString lines = QString::fromUtf8(m_partial.left(end));
    m_partial.remove(0, end + 1);
    // appendPlainText adds a block per call; the cap (maximumBlockCount) drops the oldest lines.
    appendPlainText(lines);
}

} // namespace gpudeck
