#include "connections/ConsoleDialog.h"

#include "FormErrors.h"
#include "Labels.h"
#include "app/Core.h"
#include "connections/LinkDot.h"
#include "ssh/RemoteExec.h"
#include "ssh/SshPool.h"
#include "ui_ConsoleDialog.h"

#include <QFontDatabase>
#include <QKeyEvent>
#include <QPushButton>
#include <QScrollBar>
#include <QTextCharFormat>
#include <QTextCursor>

namespace gpudeck {
namespace {

constexpr int kMaxHistory = 50;
// A command may return up to 64 MiB per stream; a text view with that much is unusable anyway.
constexpr qsizetype kMaxShownBytes = 1024 * 1024;

const QColor kStderrColor(0xc0, 0x39, 0x2b);
const QColor kOkColor(0x1e, 0x84, 0x49);
const QColor kNoteColor(0x7f, 0x8c, 0x8d);
const QColor kWarnColor(0xb9, 0x77, 0x0e);

QString durationText(qint64 ms)
{
    return ms < 1000 ? ConsoleDialog::tr("%1 ms").arg(ms) : ConsoleDialog::tr("%1 s").arg(ms / 1000.0, 0, 'f', 1);
}

} // namespace

ConsoleDialog::ConsoleDialog(Core &core, const Connection &connection, QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::ConsoleDialog>())
    , m_core(core)
    , m_connection(connection)
{
    m_ui->setupUi(this);
    setObjectName(QStringLiteral("consoleDialog"));
    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_ui->outputView->setFont(fixed);
    m_ui->commandEdit->setFont(fixed);
    m_ui->commandEdit->installEventFilter(this);
    m_ui->busyBar->setFixedHeight(m_ui->runButton->sizeHint().height() / 2);
    setRunning(false);

    connect(m_ui->runButton, &QPushButton::clicked, this, &ConsoleDialog::run);
    connect(m_ui->stopButton, &QPushButton::clicked, this, &ConsoleDialog::stop);
    connect(m_ui->clearButton, &QPushButton::clicked, this, [this] {
        m_ui->outputView->clear();
        m_ui->resultLabel->clear();
    });
    connect(&m_core.ssh(), &SshPool::statusChanged, this, [this](qint64 id) {
        if (id == m_connection.id) {
            showLinkState();
        }
    });
    setConnection(connection);
}

ConsoleDialog::~ConsoleDialog() = default;

void ConsoleDialog::setConnection(const Connection &connection)
{
    m_connection = connection;
    setWindowTitle(tr("Run command on %1").arg(connection.name));
    showLinkState();
}

void ConsoleDialog::showLinkState()
{
    const LinkStatus status = m_core.ssh().status(m_connection.id);
    const int size = m_ui->titleLabel->fontMetrics().height();
    m_ui->stateDotLabel->setPixmap(LinkDot::pixmap(status.state, size));
    const QString where = m_connection.kind == QStringLiteral("local") ? tr("this computer") : m_connection.hostname;
    m_ui->titleLabel->setText(tr("<b>%1</b> on %2 · %3")
                                  .arg(m_connection.name.toHtmlEscaped(), where.toHtmlEscaped(),
                                       Labels::linkState(status.state, status.attempt).toHtmlEscaped()));
    m_ui->titleLabel->setToolTip(status.reason);
}

void ConsoleDialog::setCommand(const QString &command)
{
    m_ui->commandEdit->setText(command);
}

void ConsoleDialog::setRunning(bool running)
{
    m_running = running;
    m_ui->runButton->setEnabled(!running);
    m_ui->stopButton->setEnabled(running);
    m_ui->busyBar->setVisible(running);
}

void ConsoleDialog::run()
{
    const QString command = m_ui->commandEdit->text().trimmed();
    if (command.isEmpty() || m_running) {
        return;
    }
    remember(command);
    m_ui->commandEdit->clear(); // like a shell prompt; Up brings it back
    start(command, false);
}

void ConsoleDialog::start(const QString &command, bool force)
{
    const quint64 run = ++m_run;
    setRunning(true);
    m_ui->resultLabel->setStyleSheet({});
    m_ui->resultLabel->setText(tr("Running…"));
    if (!m_ui->outputView->document()->isEmpty()) {
        appendLine(QString(), kNoteColor); // air between runs
    }
    appendLine(force ? tr("$ %1    (run anyway)").arg(command) : QStringLiteral("$ ") + command, kNoteColor, true);

    RemoteExec::Request request;
    request.connection = QString::number(m_connection.id);
    request.command = command;
    request.timeoutMs = m_ui->timeoutSpin->value() * 1000;
    request.force = force;
    request.caller = QStringLiteral("gui");
    // The audit entry is written in the core's context, so it is recorded even if this dialog goes away first.
    AuditRepository *audit = &m_core.audit();
    const QString target = QString::number(m_connection.id);
    m_core.remoteExec()
        .run(request, &m_core)
        .then(&m_core,
              [audit, target](Result<CommandResult> result) {
                  // The action in the audit log; the command itself is in the exec log (written by RemoteExec).
                  audit->recordGui(QStringLiteral("POST"), QStringLiteral("/api/dgx/exec/:id"), target,
                                   result.ok() ? Status() : Status(result.error()));
                  return result;
              })
        .then(this, [this, run, command](Result<CommandResult> result) {
            if (run == m_run) {
                finishRun(command, result);
            }
        });
}

void ConsoleDialog::finishRun(const QString &command, const Result<CommandResult> &result)
{
    setRunning(false);
    if (!result.ok()) {
        const Error &error = result.error();
        if (error.reason == QStringLiteral("command_refused")) {
            const QString why = guardReason(error.message);
            appendLine(tr("Refused by the safety guard: %1").arg(why), kWarnColor);
            m_ui->resultLabel->setText(tr("Refused by the safety guard; waiting for your answer…"));
            const QString text = tr("This command looks destructive: %1.\n\nRun it anyway?").arg(why);
            if (m_question(this, tr("Run a destructive command?"), text, tr("Run anyway"))) {
                start(command, true);
                return;
            }
            endRun(tr("Not run: the safety guard refused it"), kWarnColor);
            return;
        }
        const QString text = FormErrors::text(error);
        appendLine(text, kStderrColor);
        endRun(text, kStderrColor);
        return;
    }
    const CommandResult &r = *result;
    appendStream(r.stdOut, palette().color(QPalette::Text));
    appendStream(r.stdErr, kStderrColor);
    QString summary =
        r.exitSignal.isEmpty() ? tr("Exit code %1").arg(r.exitCode) : tr("Killed by signal %1").arg(r.exitSignal);
    summary = tr("%1 · %2").arg(summary, durationText(r.durationMs));
    if (r.truncated) {
        summary = tr("%1 · output truncated").arg(summary);
    }
    const QColor color = r.exitCode == 0 && r.exitSignal.isEmpty() ? kOkColor : kStderrColor;
    appendLine(QStringLiteral("→ ") + summary, color);
    endRun(summary, color);
}

void ConsoleDialog::endRun(const QString &summary, const QColor &color)
{
    m_ui->resultLabel->setText(summary);
    m_ui->resultLabel->setStyleSheet(QStringLiteral("QLabel { color: %1; }").arg(color.name()));
    Q_EMIT runEnded();
}

void ConsoleDialog::stop()
{
    if (!m_running) {
        return;
    }
    ++m_run; // its result, when it comes, is ignored
    setRunning(false);
    appendLine(tr("Stopped waiting. The command may still be running on the host until it ends or its %1 s timeout "
                  "kills it.")
                   .arg(m_ui->timeoutSpin->value()),
               kNoteColor);
    endRun(tr("Stopped waiting"), kNoteColor);
}

QString ConsoleDialog::guardReason(const QString &message)
{
    QString reason = message;
    const QString prefix = QStringLiteral("refused: ");
    const QString suffix = QStringLiteral("; pass force to run it anyway");
    if (reason.startsWith(prefix)) {
        reason.remove(0, prefix.size());
    }
    if (reason.endsWith(suffix)) {
        reason.chop(suffix.size());
    }
    return reason;
}

void ConsoleDialog::append(const QString &text, const QTextCharFormat &format)
{
    QScrollBar *bar = m_ui->outputView->verticalScrollBar();
    const bool atEnd = bar->value() == bar->maximum();
    QTextCursor cursor(m_ui->outputView->document());
    cursor.movePosition(QTextCursor::End);
    cursor.insertText(text, format);
    if (atEnd) {
        bar->setValue(bar->maximum());
    }
}

void ConsoleDialog::appendLine(const QString &text, const QColor &color, bool bold)
{
    QTextCharFormat format;
    format.setForeground(color);
    format.setFontWeight(bold ? QFont::Bold : QFont::Normal);
    const bool empty = m_ui->outputView->document()->isEmpty();
    append(empty ? text : QLatin1Char('\n') + text, format);
}

void ConsoleDialog::appendStream(const QByteArray &bytes, const QColor &color)
{
    if (bytes.isEmpty()) {
        return;
    }
    QString text = QString::fromUtf8(bytes.left(kMaxShownBytes));
    if (text.endsWith(QLatin1Char('\n'))) {
        text.chop(1);
    }
    appendLine(text, color);
    if (bytes.size() > kMaxShownBytes) {
        appendLine(tr("… %1 more bytes not shown").arg(bytes.size() - kMaxShownBytes), kNoteColor);
    }
}

void ConsoleDialog::remember(const QString &command)
{
    m_history.removeAll(command);
    m_history.append(command);
    while (m_history.size() > kMaxHistory) {
        m_history.removeFirst();
    }
    m_historyPos = static_cast<int>(m_history.size());
    m_draft.clear();
}

void ConsoleDialog::recall(int step)
{
    const int size = static_cast<int>(m_history.size());
    const int next = qBound(0, m_historyPos + step, size);
    if (next == m_historyPos) {
        return;
    }
    if (m_historyPos == size) {
        m_draft = m_ui->commandEdit->text(); // what was being typed comes back after the newest entry
    }
    m_historyPos = next;
    m_ui->commandEdit->setText(next == size ? m_draft : m_history.at(next));
}

bool ConsoleDialog::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_ui->commandEdit && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        if (key == Qt::Key_Up || key == Qt::Key_Down) {
            recall(key == Qt::Key_Up ? -1 : 1);
            return true;
        }
    }
    return QDialog::eventFilter(watched, event);
}

} // namespace gpudeck
