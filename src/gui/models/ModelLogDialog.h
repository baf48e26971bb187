#pragma once

#include "Result.h"

#include <QDialog>
#include <memory>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace gpudeck {

class Core;
class JobLogFollow;

// A model's own log, followed live (ModelLogs: the model's `logs_follow` command in models.yaml, run on its host
// over the SSH link, the same door GET /api/dgx/models/logs?follow=true uses). Lines arrive on the SSH worker's
// thread and are posted here: the GUI thread never waits for the host. Stop (or closing the window) leaves the
// follow; the command on the host ends when no one else follows it. Follow starts again. Plain text, capped in lines.
// A model across hosts has a log per host: a choice of host (its head, its workers) follows the one picked.
class ModelLogDialog : public QDialog
{
    Q_OBJECT
public:
    static constexpr int TailLines = 200; // kept lines shown first when another window or client already follows
    static constexpr int MaxLines = 5000;

    ModelLogDialog(Core &core, const QString &host, const QString &model, QWidget *parent = nullptr);
    ~ModelLogDialog() override; // stops following

    void follow(); // (again): the log view is cleared first
    void stopFollowing();
    bool isFollowing() const { return m_follow != nullptr; }

    QString host() const { return m_host; }
    QString model() const { return m_model; }
    QPlainTextEdit *logView() const { return m_log; }
    QLabel *stateLabel() const { return m_state; }
    QPushButton *followButton() const { return m_followButton; } // "Stop" while following, else "Follow"
    QComboBox *hostBox() const { return m_hostBox; }             // null for a model of one host

private:
    void appendLines(quint64 generation, const QByteArray &bytes);
    void ended(quint64 generation, const Status &status);
    void updateButton();
    void updateTitle();

    Core &m_core;
    QString m_host;
    QString m_model;
    QLabel *m_state;
    QPlainTextEdit *m_log;
    QPushButton *m_followButton;
    QComboBox *m_hostBox = nullptr;
    quint64 m_generation = 0; // bumped by every follow and stop: late lines of an old follow are dropped
    std::shared_ptr<JobLogFollow> m_follow;
};

} // namespace gpudeck
