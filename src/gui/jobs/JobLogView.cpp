#include "jobs/JobLogView.h"

#include "FormErrors.h"
#include "app/Core.h"
#include "jobs/JobSupervisor.h"
#include "ssh/SshPool.h"

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

void JobLogView::showJob(qint64 id)
{
    if (id != m_jobId) {
        stopFollowing();
        ++m_generation;
        m_jobId = id;
        m_status.clear();
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
    const QString previous = m_status;
    m_status = job->status;
    if (job->command.isEmpty()) {
        setPlaceholderText(tr("This job has no command: GPU Deck only tracks it, so there is no log."));
        return;
    }
    if (job->status == QLatin1String("running")) {
        setPlaceholderText(tr("Waiting for output…"));
        if (!isFollowing()) {
            follow();
        }
    } else if (Job::isFinal(job->status) && previous != job->status) {
        // Ended (or first shown ended): the whole tail, once.
        stopFollowing();
        readTail();
    } else if (job->status == QLatin1String("pending")) {
        setPlaceholderText(tr("Not started yet."));
    }
}

void JobLogView::follow()
{
    const auto command = m_core.jobRunner().followCommand(m_jobId, TailLines);
    if (!command.ok()) {
        setPlaceholderText(FormErrors::text(command.error()));
        return;
    }
    clear();
    m_partial.clear();
    const quint64 generation = ++m_generation;
    m_cancel = std::make_shared<ExecCancel>();
    ExecOptions options;
    options.timeoutMs = 0;
    options.collectOutput = false;
    options.cancel = m_cancel;
    QPointer<JobLogView> self(this);
    // Runs on the SSH worker thread: hop to the GUI thread, where `self` may be gone by then.
    options.onOutput = [self, generation](const QByteArray &chunk, bool isStderr) {
        if (isStderr || !self) {
            return;
        }
        QMetaObject::invokeMethod(self.data(), [self, generation, chunk] {
            if (self) {
                self->appendChunk(generation, chunk);
            }
        }, Qt::QueuedConnection);
    };
    m_core.ssh().exec(command->first, command->second, options).then(this, [this, generation](const Result<CommandResult> &) {
        if (generation == m_generation) {
            m_cancel.reset();
        }
    });
}

void JobLogView::stopFollowing()
{
    if (m_cancel) {
        m_cancel->cancel();
        m_cancel.reset();
    }
}

void JobLogView::readTail()
{
    const quint64 generation = ++m_generation;
    m_core.jobRunner().tailLog(m_jobId, TailLines).then(this, [this, generation](const Result<QString> &tail) {
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
