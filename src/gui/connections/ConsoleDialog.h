#pragma once

#include "Confirm.h"
#include "Result.h"
#include "ssh/SshTypes.h"
#include "store/Entities.h"

#include <QDialog>
#include <QStringList>
#include <memory>

class QTextCharFormat;

namespace Ui {
class ConsoleDialog;
}

namespace gpudeck {

class Core;

// "Run command…": one command at a time on one connection, through RemoteExec like POST /api/dgx/exec (guard,
// timeout, audit log; caller "gui"). Standard output is shown as it is, standard error in red, then the exit
// code and duration. A command the guard refuses is run only after the user confirms. Stop abandons waiting:
// the command itself ends by its timeout. Never blocks: the result arrives through a future continuation.
class ConsoleDialog : public QDialog
{
    Q_OBJECT
public:
    ConsoleDialog(Core &core, const Connection &connection, QWidget *parent = nullptr);
    ~ConsoleDialog() override;

    qint64 connectionId() const { return m_connection.id; }
    // After an edit: the header follows the connection's new name.
    void setConnection(const Connection &connection);

    void setCommand(const QString &command);
    bool isRunning() const { return m_running; }
    // How a guarded command is confirmed before it runs with force.
    void setQuestion(Confirm::Question question) { m_question = std::move(question); }
    const QStringList &history() const { return m_history; }

    // The guard's reason without its API wording ("refused: …; pass force to run it anyway").
    static QString guardReason(const QString &message);

public Q_SLOTS:
    // Runs the command in the command field.
    void run();
    // Stops waiting for the running command.
    void stop();

Q_SIGNALS:
    // A run ended on screen: with a result, an error, a refusal the user did not override, or Stop.
    void runEnded();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void start(const QString &command, bool force);
    void finishRun(const QString &command, const Result<CommandResult> &result);
    void endRun(const QString &summary, const QColor &color);
    void showLinkState();
    void setRunning(bool running);
    void append(const QString &text, const QTextCharFormat &format);
    void appendLine(const QString &text, const QColor &color, bool bold = false);
    void appendStream(const QByteArray &bytes, const QColor &color);
    void remember(const QString &command);
    void recall(int step);

    std::unique_ptr<Ui::ConsoleDialog> m_ui;
    Core &m_core;
    Connection m_connection;
    Confirm::Question m_question = Confirm::standard();
    bool m_running = false;
    quint64 m_run = 0; // numbers runs, so a result that arrives after Stop is ignored
    QStringList m_history;
    int m_historyPos = 0; // == size(): editing a new line
    QString m_draft;
};

} // namespace gpudeck
